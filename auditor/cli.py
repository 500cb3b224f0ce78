"""The command line: thin click commands that build objects, call one function, print.

Exit codes: 0 every outlet reached; 1 the run finished but some outlet failed (the others
were stored and audited) or there was nothing to export; 2 usage or config error.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from auditor import __version__, alerts, audit, checks, classify, jobs, logs, topics
from auditor import config as config_mod
from auditor import discover as discover_mod
from auditor import export as export_mod
from auditor.crawl import CrawlReport, crawl
from auditor.errors import AuditorError, ConfigError, ModelError
from auditor.fetch import Fetcher
from auditor.store import Store
from auditor.table import render

CONTEXT = {"help_option_names": ["-h", "--help"]}
log = logging.getLogger("auditor.cli")


class State:
    def __init__(
        self,
        config_path: str,
        db_path: str | None,
        models_dir: str | None = None,
        flags: bool = False,
    ):
        self.config_path = config_path
        self.db_path = db_path
        self.models_dir = models_dir
        self.flags = flags  # -v/-q/--log-json given: they win over the config's logging
        self._config = None

    @property
    def config(self):
        if self._config is None:
            self._config = config_mod.load(self.config_path)
            if not self.flags:
                settings = self._config.logging
                logs.setup(getattr(logging, settings.level), settings.json)
        return self._config

    def store(self) -> Store:
        return Store(self.db_path or self.config.store_path)

    def models(self) -> Path:
        config_dir = Path(self.config_path).resolve().parent
        return classify.locate(self.models_dir, config_dir)

    def model(self) -> classify.Model:
        return classify.load_or_rebuild(self.models(), say=lambda m: click.echo(m, err=True))


pass_state = click.make_pass_decorator(State)


def _setup_logging(verbose: int, quiet: int, as_json: bool) -> None:
    level = logging.INFO - 10 * verbose + 10 * quiet
    logs.setup(max(level, logging.DEBUG), as_json)


@click.group(context_settings=CONTEXT)
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
    ctx.obj = State(config_path, db_path, models_dir, flags=bool(verbose or quiet or log_json))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (tests call this; `run` exits with it)."""
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
        click.echo(f"config error: {e}", err=True)
        return 2
    except (jobs.NoAuditRun, AuditorError) as e:
        click.echo(f"error: {e}", err=True)
        return 1
    return result if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())


def _outlet_ids(state: State, ids: tuple[str, ...]) -> list[str]:
    known = {o.id for o in state.config.outlets}
    for outlet_id in ids:
        if outlet_id not in known:
            raise click.BadParameter(
                f"no outlet {outlet_id!r} in {state.config_path}", param_hint="--outlet"
            )
    return list(ids)


def _parse_day(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date like 2017-10-15, got {value!r}", param_hint=what
        ) from None


# -- crawl ----------------------------------------------------------------------------------


@cli.command("crawl", context_settings=CONTEXT)
@click.option("--outlet", "outlets", multiple=True, metavar="ID", help="Only this outlet.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def crawl_cmd(state: State, outlets: tuple[str, ...], as_json: bool) -> None:
    """Read each enabled outlet's feeds and WordPress API into the store.

    Example: auditor crawl --outlet laodong
    """
    ids = _outlet_ids(state, outlets)
    store = state.store()
    reports = _crawl_with_progress(state, store, ids)
    _classify_after_crawl(state, store)
    _print_crawl(reports, as_json)
    if any(r.status != "ok" for r in reports):
        sys.exit(1)


def _classify_after_crawl(state: State, store: Store) -> None:
    if not state.config.crawl.classify:
        return
    try:
        topics.classify_stored(store, state.model())
    except ModelError as e:
        click.echo(f"articles not classified: {e}", err=True)


def _crawl_with_progress(state: State, store: Store, ids: list[str]) -> list[CrawlReport]:
    total = len(ids) or sum(o.enabled for o in state.config.outlets)
    if not sys.stderr.isatty():
        return crawl(state.config, store, ids)
    with click.progressbar(length=total, label="Crawling", file=sys.stderr) as bar:
        return crawl(state.config, store, ids, on_done=lambda _: bar.update(1))


def _print_crawl(reports: list[CrawlReport], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in reports], ensure_ascii=False, indent=2))
        return
    click.echo(
        render(
            ("outlet", "status", "new", "updated", "requests", "error / notes"),
            [
                (r.outlet_id, r.status, r.new, r.updated, r.requests, _short(r.error or r.notes))
                for r in reports
            ],
        )
    )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- audit ----------------------------------------------------------------------------------


@cli.command("audit", context_settings=CONTEXT)
@click.option("--outlet", "outlets", multiple=True, metavar="ID", help="Only this outlet.")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Audit as of the end of this day (local time), e.g. 2017-12-31.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def audit_cmd(state: State, outlets: tuple[str, ...], as_of: str | None, as_json: bool) -> None:
    """Judge every column of every outlet week by week from what the store holds.

    Example: auditor audit --as-of 2017-12-31
    """
    ids = _outlet_ids(state, outlets)
    day = _parse_day(as_of, "--as-of")
    when = audit.as_of_instant(day, ZoneInfo(state.config.timezone)) if day else None
    outcome = jobs.run_audit(state.config, state.store(), ids, as_of=when)
    _print_outcome(state, outcome, as_json)


def _print_outcome(state: State, outcome: jobs.AuditOutcome, as_json: bool) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "run_id": outcome.run_id,
                    "as_of": outcome.as_of.isoformat(),
                    "columns": [_summary_json(s) for s in outcome.summaries],
                    "weeks": [_week_json(w) for w in outcome.weeks],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    names = {c.id: c.name for c in state.config.campaign.columns}
    click.echo(f"Audit run {outcome.run_id}, as of {outcome.as_of:%Y-%m-%d %H:%M %Z}")
    click.echo(
        render(
            ("outlet", "column", "exists", "first article", "on time", "met", "missed", "unknown"),
            [
                (
                    s.outlet_id,
                    names.get(s.column_id, s.column_id),
                    "yes" if s.exists else "NO",
                    s.first_article or "",
                    s.timeliness,
                    s.weeks_met,
                    s.weeks_missed,
                    s.weeks_unknown,
                )
                for s in outcome.summaries
            ],
        )
    )


def _summary_json(s) -> dict:
    d = dict(s.__dict__)
    d["first_article"] = s.first_article.isoformat() if s.first_article else None
    return d


def _week_json(w) -> dict:
    d = dict(w.__dict__)
    d.update(
        week_start=w.week_start.isoformat(),
        week_end=w.week_end.isoformat(),
        article_ids=list(w.article_ids),
    )
    return d


@cli.command("reaudit", context_settings=CONTEXT)
@click.argument("outlet_id")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def reaudit_cmd(state: State, outlet_id: str, as_json: bool) -> None:
    """Crawl and audit one outlet now.

    Example: auditor reaudit laodong
    """
    _outlet_ids(state, (outlet_id,))
    store = state.store()
    report, outcome = jobs.reaudit(
        state.config, store, outlet_id, between=lambda: _classify_after_crawl(state, store)
    )
    _print_crawl([report], as_json)
    _print_outcome(state, outcome, as_json)
    if report.status != "ok":
        sys.exit(1)


# -- export ---------------------------------------------------------------------------------


def _export_options(f):
    f = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write here instead of standard output.",
    )(f)
    f = click.option(
        "--labels",
        type=click.Choice(["vi", "en"]),
        help="Human header labels instead of machine ids.",
    )(f)
    f = click.option("--from", "first", metavar="DATE", help="From this date.")(f)
    return click.option("--to", "last", metavar="DATE", help="Up to this date.")(f)


@cli.group("export", context_settings=CONTEXT)
def export_group() -> None:
    """Write the latest audit as CSV (UTF-8 with BOM, opens in Excel).

    Example: auditor export weekly --labels vi -o tuan.csv
    """


@export_group.command("weekly", context_settings=CONTEXT)
@_export_options
@pass_state
def export_weekly(state: State, output, labels, first, last) -> None:
    """One row per outlet, column and week.

    Example: auditor export weekly --from 2017-10-01 --to 2017-12-31 -o audit.csv
    """
    rows = jobs.weekly_export(
        state.config, state.store(), _parse_day(first, "--from"), _parse_day(last, "--to")
    )
    _write(output, export_mod.to_csv(export_mod.WEEKLY, rows, labels))


@export_group.command("outlets", context_settings=CONTEXT)
@_export_options
@pass_state
def export_outlets(state: State, output, labels, first, last) -> None:
    """One row per outlet: each column found or not, first article, on time, weeks met.

    Example: auditor export outlets --labels vi -o don-vi.csv
    """
    column_ids = [c.id for c in state.config.campaign.columns]
    rows = jobs.outlets_export(state.config, state.store())
    names = {c.id: c.name for c in state.config.campaign.columns}
    _write(output, export_mod.to_csv(export_mod.outlet_columns(column_ids), rows, labels, names))


@export_group.command("articles", context_settings=CONTEXT)
@_export_options
@pass_state
def export_articles(state: State, output, labels, first, last) -> None:
    """Every stored article with its columns and the evidence that put it there.

    Example: auditor export articles --from 2017-09-01 -o bai-viet.csv
    """
    tz = ZoneInfo(state.config.timezone)
    start = _parse_day(first, "--from")
    end = _parse_day(last, "--to")
    rows = jobs.articles_export(
        state.store(),
        datetime.combine(start, datetime.min.time(), tz) if start else None,
        audit.as_of_instant(end, tz) if end else None,
    )
    _write(output, export_mod.to_csv(export_mod.ARTICLES, rows, labels))


def _write(output: Path | None, text: str) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    tmp = output.with_name(output.name + ".part")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, output)
    click.echo(f"wrote {output}", err=True)


# -- status and demo ------------------------------------------------------------------------


@cli.command("status", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def status_cmd(state: State, as_json: bool) -> None:
    """Per outlet: the last crawl (when, how long, requests, new/updated, error), the next
    scheduled run and the consecutive failures.

    Example: auditor status --json
    """
    rows = jobs.status_rows(state.store())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        click.echo("Nothing crawled yet: run `auditor crawl`.")
        return
    click.echo(
        render(
            (
                "outlet",
                "last crawl (UTC)",
                "took",
                "status",
                "failures",
                "requests",
                "new/upd",
                "next run (UTC)",
                "error",
            ),
            [
                (
                    r["id"],
                    r["last_crawl_at"],
                    f"{r['seconds']}s" if r["seconds"] is not None else "",
                    r["last_status"],
                    r["consecutive_failures"],
                    r["requests"],
                    f"{r['new_articles'] or 0}/{r['updated_articles'] or 0}",
                    r["next_run"] or "",
                    _short(r["last_error"] or "", 60),
                )
                for r in rows
            ],
        )
    )


@cli.command("demo", context_settings=CONTEXT)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep demo.db and demo-config.yaml in this folder to explore.",
)
def demo_cmd(keep: Path | None) -> None:
    """Crawl and audit a fake union outlet served on 127.0.0.1; prints the weekly table.

    Example: auditor demo --keep demo && auditor --config demo/demo-config.yaml \\
    --db demo/demo.db export weekly --labels vi
    """
    from auditor import demo

    click.echo(demo.run(keep))


# -- the topic classifier -------------------------------------------------------------------


@cli.group("model", context_settings=CONTEXT)
def model_group() -> None:
    """Train, evaluate and describe the topic classifier.

    Example: auditor model evaluate my-articles.jsonl --json
    """


@model_group.command("train", context_settings=CONTEXT)
@click.option(
    "--data",
    "files",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="FILE",
    help="More labelled JSON lines to train on.",
)
@click.option(
    "--from-store",
    is_flag=True,
    help="Also learn from the store: column articles as weak labels, people's corrections first.",
)
@click.option("--force", is_flag=True, help="Keep the new model even if it scores worse.")
@pass_state
def model_train(state: State, files: tuple[Path, ...], from_store: bool, force: bool) -> None:
    """Train on the shipped data (and more); refuse a model that is worse on held-out data.

    Example: auditor model train --from-store
    """
    store = state.store() if from_store else None
    if sys.stderr.isatty():
        with click.progressbar(length=classify.FOLDS + 1, label="Training", file=sys.stderr) as bar:
            outcome = topics.train_and_compare(
                state.models(), files, store, force, progress=lambda _: bar.update(1)
            )
    else:
        outcome = topics.train_and_compare(
            state.models(),
            files,
            store,
            force,
            progress=lambda step: log.info("training: %s", step),
        )
    before = outcome.before["macro_f1"] if outcome.before else "-"
    click.echo(f"held-out macro-F1: before {before}, after {outcome.after['macro_f1']}")
    _print_scores(outcome.after)
    if not outcome.saved:
        click.echo(outcome.reason, err=True)
        sys.exit(1)
    click.echo(f"saved model {outcome.model.version} in {state.models()}")


@model_group.command("evaluate", context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@pass_state
def model_evaluate(state: State, file: Path, as_json: bool) -> None:
    """Score the model on labelled JSON lines: {"title", "summary"|"text", "label"|"labels"}.

    Example: auditor model evaluate real-articles.jsonl
    """
    result = classify.evaluate(state.model(), classify.read_jsonl(file))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_scores(result)


def _print_scores(result: dict) -> None:
    click.echo(
        render(
            ("topic", "precision", "recall", "F1", "support"),
            [
                (
                    label,
                    f"{s['precision']:.3f}",
                    f"{s['recall']:.3f}",
                    f"{s['f1']:.3f}",
                    s["support"],
                )
                for label, s in result["per_label"].items()
            ],
        )
    )
    click.echo(f"macro-F1 {result['macro_f1']:.4f} over {result['items']} items")
    if "confusion" in result:
        predicted = sorted({k for row in result["confusion"].values() for k in row})
        click.echo("confusion (rows: true topic; columns: predicted)")
        click.echo(
            render(
                ("", *predicted),
                [
                    (gold, *(row.get(p, 0) for p in predicted))
                    for gold, row in result["confusion"].items()
                ],
            )
        )


@model_group.command("info", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="The whole sidecar as JSON.")
@pass_state
def model_info(state: State, as_json: bool) -> None:
    """Versions, thresholds, training data and scores of the current model.

    Example: auditor model info
    """
    sidecar = state.model().sidecar
    if as_json:
        click.echo(json.dumps(sidecar, ensure_ascii=False, indent=2))
        return
    for key in (
        "version",
        "trained_at",
        "sklearn_version",
        "python_version",
        "auditor_version",
        "training_items",
        "training_data_sha256",
        "thresholds",
    ):
        click.echo(f"{key}: {sidecar.get(key)}")
    for name in ("cross_validated", "heldout"):
        if name in sidecar:
            click.echo(f"{name}:")
            _print_scores(sidecar[name])


@cli.command("classify", context_settings=CONTEXT)
@click.option("--outlet", metavar="ID", help="Only this outlet's articles.")
@click.option("--all", "everything", is_flag=True, help="Classify again every article.")
@pass_state
def classify_cmd(state: State, outlet: str | None, everything: bool) -> None:
    """Tag stored articles with the columns' topics (those the current model has not seen).

    Example: auditor classify --outlet laodong
    """
    if outlet:
        _outlet_ids(state, (outlet,))
    n = topics.classify_stored(state.store(), state.model(), outlet, everything)
    click.echo(f"classified {n} articles")


@cli.command("label", context_settings=CONTEXT)
@click.argument("article_id", type=int)
@click.argument("labels", nargs=-1, required=True, metavar="TOPIC...")
@click.option("--by", default=lambda: os.environ.get("USER", ""), help="Who corrects.")
@pass_state
def label_cmd(state: State, article_id: int, labels: tuple[str, ...], by: str) -> None:
    """Record a person's topics for one article; they win over the model.

    Example: auditor label 1234 thiet_che_cong_doan
    """
    chosen = topics.check_labels(labels)
    state.store().correct(article_id, chosen, by, datetime.now().astimezone())
    click.echo(f"article {article_id}: {', '.join(chosen)}")


# -- homepage checks and discovery --------------------------------------------------------


@cli.command("banner", context_settings=CONTEXT)
@click.option("--outlet", "outlets", multiple=True, metavar="ID", help="Only this outlet.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def banner_cmd(state: State, outlets: tuple[str, ...], as_json: bool) -> None:
    """Check now whether each homepage shows the campaign banner (text, alt, file name, OCR).

    Example: auditor banner --outlet laodong
    """
    ids = _outlet_ids(state, outlets)
    results = checks.check_banners(state.config, state.store(), ids)
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=2))
    else:
        click.echo(
            render(
                ("outlet", "banner", "where", "evidence"),
                [
                    (
                        r.outlet_id,
                        r.verdict,
                        r.location or r.image_url,
                        _short(r.evidence or r.error, 80),
                    )
                    for r in results
                ],
            )
        )
    if any(r.verdict == "unknown" for r in results):
        sys.exit(1)


@cli.command("discover", context_settings=CONTEXT)
@click.argument("url", required=False)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Refresh what the store knows of every enabled outlet.",
)
@click.option("--id", "outlet_id", default="", help="Id to put in the snippet.")
@click.option(
    "--kind",
    type=click.Choice(["website", "newspaper", "magazine"]),
    default="website",
    show_default=True,
)
@pass_state
def discover_cmd(
    state: State, url: str | None, everything: bool, outlet_id: str, kind: str
) -> None:
    """Find an outlet's feeds, WordPress API and column sections; print a config snippet.

    Example: auditor discover https://congdoan.example.vn/ --id ldld-mau
    """
    if bool(url) == everything:
        raise click.UsageError("give a URL, or --all")
    fetcher = Fetcher(state.config.http)
    try:
        if url:
            found = discover_mod.discover(url, state.config.campaign, fetcher.client())
            click.echo(discover_mod.snippet(found, kind, outlet_id), nl=False)
            return
        store = state.store()
        rows = []
        for outlet in [o for o in state.config.outlets if o.enabled]:
            found = discover_mod.discover(outlet.url, state.config.campaign, fetcher.client())
            store.save_sections(outlet.id, found.sections, datetime.now().astimezone())
            rows.append(
                (
                    outlet.id,
                    len(found.feeds),
                    found.api_root or "-",
                    ", ".join(sorted({x.column_id for x in found.sections})) or "-",
                    _short("; ".join(found.errors), 50),
                )
            )
        click.echo(render(("outlet", "feeds", "WordPress API", "column sections", "errors"), rows))
    finally:
        fetcher.close()


# -- running unattended -------------------------------------------------------------------


@cli.command("schedule", context_settings=CONTEXT)
@click.option("--list", "show", is_flag=True, help="Show the jobs and their next run times.")
@pass_state
def schedule_cmd(state: State, show: bool) -> None:
    """Run the scheduler in the foreground: crawls, banner checks, weekly audit and digest,
    monthly CSVs. SIGINT/SIGTERM stop it cleanly.

    Example: auditor schedule --list
    """
    from auditor import schedule

    state.config  # noqa: B018 - validate before anything starts
    if show:
        click.echo(
            render(
                ("job", "next run", "last run (UTC)", "last status"),
                schedule.listing(state.config_path, state.db_path),
            )
        )
        return
    daemon = schedule.Daemon(state.config_path, state.db_path, state.models_dir)
    sys.exit(daemon.run())


@cli.command("alerts", context_settings=CONTEXT)
@click.option("--week", metavar="YYYY-Www", help="The week to report (default: the last one).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@pass_state
def alerts_cmd(state: State, week: str | None, dry_run: bool) -> None:
    """Send the weekly digest now: missed columns, banners gone, outlets unreachable.

    Example: auditor alerts --dry-run
    """
    now = datetime.now().astimezone()
    week = week or audit.week_of(now - timedelta(days=7), ZoneInfo(state.config.timezone))
    store = state.store()
    digest = alerts.build_digest(state.config, store, week, now)
    sent = alerts.send(state.config, digest, dry_run=dry_run)
    click.echo(
        "\n".join(sent)
        if sent
        else "no channel configured (alerts.recipients, "
        "alerts.webhook_url); the digest would be:\n" + alerts.render(digest)
    )
