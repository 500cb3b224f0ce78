"""The command line: thin click commands that build objects, call one function, print.

`base` holds the group, its global options and the exit codes; each other module is one
family of commands and only imports `base` (no loop): `core` (crawl, audit, reaudit, export,
status, demo, init), `ops` (banner, discover, schedule, alerts), `topics` (model, classify,
label, review), `report` (report monthly|period). Importing this package registers them all.
"""

from auditor.cli import core, ops, report, topics  # noqa: F401  (they join the group)
from auditor.cli.base import EX_BUG, cli, main, run

__all__ = ["EX_BUG", "cli", "main", "run"]
