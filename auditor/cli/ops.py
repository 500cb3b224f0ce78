"""Commands for homepages and unattended running: banner, discover, schedule, alerts."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from zoneinfo import ZoneInfo

import click

from auditor import alerts, clock, jobs
from auditor.cli.base import (
    CONTEXT,
    State,
    cli,
    json_option,
    outlet_ids,
    outlet_option,
    pass_state,
    short,
)
from auditor.crawl import banner as checks
from auditor.crawl import discover as discover_mod
from auditor.fetch import Fetcher
from auditor.rules import alerts as alert_rules
from auditor.rules import audit
from auditor.table import render

# -- homepage checks and discovery --------------------------------------------------------


@cli.command("banner", context_settings=CONTEXT)
@outlet_option
@json_option
@pass_state
def banner_cmd(state: State, outlets: tuple[str, ...], as_json: bool) -> None:
    """Check now whether each homepage shows the campaign banner (text, alt, file name, OCR).

    Example: auditor banner --outlet laodong
    """
    ids = outlet_ids(state, outlets)
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
                        short(r.evidence or r.error, 80),
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
    if url and not discover_mod.looks_like_url(url):
        raise click.BadParameter(f"expected an http(s) address, got {url!r}", param_hint="URL")
    if everything:
        _print_discoveries(jobs.discover_all(state.config, state.store()))
        return
    fetcher = Fetcher(state.config.http)
    try:
        found = discover_mod.discover(url, state.config.campaign, fetcher.client())
    finally:
        fetcher.close()
    if not found.reached:
        click.echo(f"error: {url}: {'; '.join(found.errors)}", err=True)
        sys.exit(1)
    click.echo(discover_mod.snippet(found, kind, outlet_id), nl=False)


def _print_discoveries(found: list) -> None:
    rows = [
        (
            outlet.id,
            len(d.feeds),
            d.api_root or "-",
            ", ".join(sorted({x.column_id for x in d.sections})) or "-",
            short("; ".join(d.errors), 50),
        )
        for outlet, d in found
    ]
    click.echo(render(("outlet", "feeds", "WordPress API", "column sections", "errors"), rows))


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
        zone = ZoneInfo(state.config.timezone).key
        click.echo(
            render(
                ("job", f"next run ({zone})", "last run", "last status"),
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
    now = clock.utcnow()
    tz = ZoneInfo(state.config.timezone)
    week = audit.week_of(now - timedelta(days=7), tz) if week is None else week
    try:
        alert_rules.week_bounds(week, tz)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--week") from None
    store = state.store()
    if not store.audit_runs():
        raise jobs.NoAuditRun("no audit run is stored yet: run `auditor audit` first")
    digest = alerts.build_digest(state.config, store, week, now)
    sent = alerts.send(state.config, digest, dry_run=dry_run)
    if sent:
        click.echo("\n".join(sent))
    elif not (state.config.alerts.recipients or state.config.alerts.webhook_url):
        click.echo(
            "no channel configured (alerts.recipients, alerts.webhook_url); "
            "the digest would be:\n" + alerts.render(digest)
        )
    else:
        click.echo(alerts.render(digest))
