"""The command line: thin click commands that build objects, call one function, print.

`base` holds the group, its global options and the exit codes; each other module is one
family of commands and only imports `base` (no loop): `core` (crawl, audit, reaudit, export,
status, demo, init), `ops` (banner, discover, schedule, alerts), `topics` (model, classify,
label, review), `report` (report monthly|period). A family is imported when one of its
commands runs (base.LazyGroup); `cli.load_all()` registers them all.
"""

from auditor.cli.base import EX_BUG, cli, main, run

__all__ = ["EX_BUG", "cli", "main", "run"]
