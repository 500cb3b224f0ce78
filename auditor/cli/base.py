"""The command line's base: the click group, its global options, the State every command
gets, the one place that turns errors into exit codes, and the helpers the commands share.
The commands live in the other modules of this package and join the group there.

Exit codes: 0 every outlet reached; 1 the run finished but some outlet failed (the others
were stored and audited) or there was nothing to export; 2 a person's error (usage, config,
a path, an id, an input file), told in one line; 70 a bug (the traceback only with -v).
"""

from __future__ import annotations

import atexit
import importlib
import logging
import os
import sys
import threading
import traceback
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import click

from auditor import __version__, logs
from auditor import config as config_mod
from auditor.errors import AuditorError, ConfigError, InputError, ModelError, StoreError
from auditor.store import Store

if TYPE_CHECKING:
    from auditor.classify.model import Model

CONTEXT = {"help_option_names": ["-h", "--help"]}
log = logging.getLogger("auditor.cli")
EX_BUG = 70  # sysexits' EX_SOFTWARE: an internal error, not the person's
_show_traceback = {"on": False}  # set by -v: a bug's traceback goes to stderr


class State:
    def __init__(
        self,
        config_path: str,
        db_path: str | None,
        models_dir: str | None = None,
        flags: bool = False,
        config_given: bool = True,
    ):
        self.config_path = config_path
        self.db_path = db_path
        self.models_dir = models_dir
        self.flags = flags  # -v/-q/--log-json given: they win over the config's logging
        self.config_given = config_given  # --config or AUDITOR_CONFIG, not the default
        self._config = None
        self._stores: list[Store] = []

    @property
    def config(self):
        if self._config is None:
            self._config = config_mod.load(self.config_path)
            if not self.flags:
                settings = self._config.logging
                logs.setup(getattr(logging, settings.level), settings.json)
        return self._config

    def store(self) -> Store:
        config = self.config  # a broken config stops the command before the store is touched
        what = "--db" if self.db_path else f"store.path of {self.config_path}"
        path = Path(self.db_path or config.store_path)
        if path.is_dir():
            raise InputError(f"{what} {path}: is a folder, not a SQLite file")
        if not path.parent.is_dir():
            raise InputError(f"{what} {path}: folder {path.parent} does not exist")
        try:
            store = Store(path)
        except StoreError as e:
            raise InputError(f"{what}: {e}") from None
        self._stores.append(store)
        return store

    def close(self) -> None:
        """Close the stores the command opened: the last connection to leave folds the
        write-ahead log back into the file, so nothing waits on the next opener."""
        for store in self._stores:
            store.close()
        self._stores.clear()

    def models(self) -> Path:
        # the model commands need no config; one that is named or present must be valid
        if self.config_given or Path(self.config_path).exists():
            self.config  # noqa: B018
        from auditor.classify import model as classify  # numpy: only commands that classify

        config_dir = Path(self.config_path).resolve().parent
        try:
            return classify.locate(self.models_dir, config_dir)
        except ModelError as e:
            raise InputError(str(e)) from None

    def model(self) -> Model:
        from auditor.classify import model as classify

        return classify.load_or_rebuild(self.models(), say=lambda m: click.echo(m, err=True))


pass_state = click.make_pass_decorator(State)


def _setup_logging(verbose: int, quiet: int, as_json: bool) -> None:
    level = logging.INFO - 10 * verbose + 10 * quiet
    logs.setup(max(level, logging.DEBUG), as_json)


class LazyGroup(click.Group):
    """Each family of commands is imported when one of its commands runs (all of them for
    --help): `auditor crawl --poll` starts without the classifier, the reports and the
    scheduler, a third of its start-up otherwise."""

    FAMILIES: ClassVar[dict[str, tuple[str, ...]]] = {
        "core": ("crawl", "audit", "reaudit", "export", "status", "demo", "init"),
        "ops": ("banner", "discover", "schedule", "alerts"),
        "topics": ("model", "classify", "label", "review"),
        "report": ("report",),
    }

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        for family, names in self.FAMILIES.items():
            if name in names and name not in self.commands:
                importlib.import_module(f"auditor.cli.{family}")
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load_all()
        return super().list_commands(ctx)

    def load_all(self) -> None:
        for family in self.FAMILIES:
            importlib.import_module(f"auditor.cli.{family}")


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="auditor")
@click.option(
    "--config",
    "config_path",
    envvar="AUDITOR_CONFIG",
    default="config.yaml",
    show_default=True,
    help="Config file (env AUDITOR_CONFIG).",
)
@click.option(
    "--db",
    "db_path",
    envvar="AUDITOR_DB",
    help="SQLite store (env AUDITOR_DB); default: store.path of the config.",
)
@click.option(
    "--models",
    "models_dir",
    envvar="AUDITOR_MODELS",
    metavar="DIR",
    help="Classifier folder (env AUDITOR_MODELS); default: models/ beside the config.",
)
@click.option("-v", "--verbose", count=True, help="More log lines (-vv for debug).")
@click.option("-q", "--quiet", count=True, help="Fewer log lines.")
@click.option("--log-json", is_flag=True, help="Log lines as JSON (for log collectors).")
@click.pass_context
def cli(
    ctx: click.Context,
    config_path: str,
    db_path: str | None,
    models_dir: str | None,
    verbose: int,
    quiet: int,
    log_json: bool,
) -> None:
    """Audit union outlets against directive 1476/TLĐ: columns, banner, 2 articles a week.

    Example: auditor crawl && auditor audit && auditor export weekly -o audit.csv
    """
    _setup_logging(verbose, quiet, log_json)
    _show_traceback["on"] = verbose > 0
    given = ctx.get_parameter_source("config_path") != click.core.ParameterSource.DEFAULT
    ctx.obj = State(
        config_path,
        db_path,
        models_dir,
        flags=bool(verbose or quiet or log_json),
        config_given=given,
    )
    ctx.call_on_close(ctx.obj.close)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (tests call this; `run` exits with it).

    A person's error is one line on stderr and exit 2; a run that finished with failures
    exits 1; anything else is a bug: one line, exit 70, and the traceback only with -v."""
    _show_traceback["on"] = False
    try:
        result = cli.main(args=argv, prog_name="auditor", standalone_mode=False)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except ConfigError as e:
        return _fail(f"config error: {e}", 2)
    except InputError as e:
        return _fail(f"error: {e}", 2)
    except AuditorError as e:
        return _fail(f"error: {e}", 1)
    except OSError as e:  # a file or folder the person named cannot be read or written
        where = f"{e.filename}: " if e.filename else ""
        return _fail(f"error: {where}{e.strerror or e}", 2)
    except Exception as e:  # the one place that turns a bug into a line
        if _show_traceback["on"]:
            traceback.print_exc()
        hint = "" if _show_traceback["on"] else " (run with -v for the traceback)"
        return _fail(f"internal error, a bug: {type(e).__name__}: {e}{hint}", EX_BUG)
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int) -> int:
    click.echo(" ".join(message.split()), err=True)  # one line, whatever the cause held
    return code


def run() -> None:
    code = main()
    if threading.active_count() == 1:
        _leave(code)
    sys.exit(code)  # threads left (none are expected): the interpreter waits for them


def _leave(code: int) -> None:
    """Exit without the interpreter's teardown: the exit handlers run (logging flushed,
    pools and child processes ended), the store is already closed, and the memory goes
    back to the system at once instead of object by object (a tenth of a second after a
    crawl of 300 outlets, measured: bench/bench_peer.py)."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass  # the reader is gone (`| head`): nothing left to tell it
        except (OSError, ValueError):  # a full disk, say: what was written is not whole
            code = code or 120  # as the interpreter's own exit would say
    os._exit(code)


def outlet_ids(state: State, ids: tuple[str, ...], hint: str = "--outlet") -> list[str]:
    known = {o.id for o in state.config.outlets}
    for outlet_id in ids:
        if outlet_id not in known:
            raise click.BadParameter(
                f"no outlet {outlet_id!r} in {state.config_path}", param_hint=hint
            )
    return list(ids)


def parse_day(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date like 2017-10-15, got {value!r}", param_hint=what
        ) from None


def parse_span(first: str | None, last: str | None) -> tuple[date | None, date | None]:
    start, end = parse_day(first, "--from"), parse_day(last, "--to")
    if start and end and start > end:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="--to")
    return start, end


OUTLET_HELP = "Only this outlet (repeat the option for several)."


def outlet_option(f):
    return click.option("--outlet", "outlets", multiple=True, metavar="ID", help=OUTLET_HELP)(f)


def json_option(f=None, *, text: str = "Machine-readable output."):
    """--json, with the default help or its own: `@json_option` or `@json_option(text=…)`."""
    option = click.option("--json", "as_json", is_flag=True, help=text)
    return option(f) if f else option


def short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
