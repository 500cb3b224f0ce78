#!/usr/bin/env bash
# Mutation testing of the rule modules with mutmut (config: setup.cfg [mutmut]).
#
#   pip install '.[mutation]'   # or: pip install mutmut
#   bash bench/mutation.sh                    # every module in setup.cfg only_mutate
#   bash bench/mutation.sh audit coverage     # only auditor/rules/audit.py and auditor/rules/coverage.py
#   bash bench/mutation.sh store.crawls       # the store's write path
#   bash bench/mutation.sh 'store.crawls.x__*'  # only its module-level functions (the merge rules)
#
# mutmut copies the code to mutants/ (git-ignored), runs the fast unit tests once to map
# tests to functions, then each mutant against the tests that reach it. Results are kept
# in mutants/ between runs; the score per module is printed at the end
# (bench/mutation_score.py). Slow (minutes per module on a shared 2-core machine): not
# part of the CI run. MUTMUT_CHILDREN sets the parallel workers (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD"
patterns=()
for module in "$@"; do
  case "$module" in
    *'*'*) patterns+=("auditor.${module}") ;;  # a pattern of mutant names, e.g. 'store.crawls.x__*'
    *) patterns+=("auditor.${module//\//.}.*") ;;
  esac
done
mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "${patterns[@]}" || true
names=()
for module in "$@"; do
  module="${module%%.x__*}"
  names+=("${module//\//.}")
done
python bench/mutation_score.py "${names[@]}"
