"""Read a report's figures from the store: the same reads as `export weekly` and
`export outlets` (auditor.jobs), plus the crawl, banner and topic rows around them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from auditor import jobs
from auditor.report import judge
from auditor.report.kinds import family
from auditor.report.model import (
    ArticleNote,
    ColumnView,
    OutletView,
    Report,
    Span,
    TopicShare,
    WeekRef,
)
from auditor.rules.banner_days import banner_summary
from auditor.store import Store, iso
from auditor.types import Config, CrawlRecord, FiledArticle

ISSUES = ("never_opened", "opened_late", "fell_silent", "banner_absent", "unreachable")


def gather(config: Config, store: Store, span: Span, now: datetime) -> Report:
    weekly = jobs.weekly_export(config, store, span.first, span.last)
    outlet_rows = jobs.outlets_export(config, store)
    latest = store.latest_runs()
    weeks = sorted(
        {WeekRef(r["week"], _day(r["week_start"]), _day(r["week_end"])) for r in weekly},
        key=lambda w: w.start,
    )
    stored = {r["id"]: r for r in store.outlet_rows()}  # read once: it counts articles
    outlets = [
        _outlet(config, store, span, oid, latest, weekly, outlet_rows, stored.get(oid, {}))
        for oid in _outlet_ids(config, latest)
    ]
    campaign = config.campaign
    followups = sorted(
        (f for o in outlets for f in judge.followups(o, campaign.start, weeks)),
        key=lambda f: (ISSUES.index(f.issue), f.outlet_name, f.column),
    )
    shares, notes = _topics(config, store, outlets, weeks)
    as_ofs = [o.as_of for o in outlets if o.as_of]
    return Report(
        span=span,
        campaign_id=campaign.id,
        campaign_title=campaign.title,
        deadline=campaign.start,
        quota=campaign.min_articles_per_week,
        columns=[(c.id, c.name) for c in campaign.columns],
        weeks=weeks,
        outlets=outlets,
        followups=followups,
        topic_shares=shares,
        notes=notes,
        weekly_rows=weekly,
        outlet_rows=outlet_rows,
        as_of=max(as_ofs) if as_ofs else "",
        generated=now,
        disabled=sum(not o.enabled and o.id not in latest for o in config.outlets),
    )


def _outlet_ids(config: Config, latest: dict[str, int]) -> list[str]:
    """Every enabled outlet, and any other that has an audit: an enabled outlet never
    audited is shown as not checked rather than left out."""
    ids = [o.id for o in config.outlets if o.enabled or o.id in latest]
    return ids + sorted(set(latest) - set(ids))


def _outlet(config, store, span, oid, latest, weekly, outlet_rows, stored) -> OutletView:
    known = {o.id: o for o in config.outlets}
    conf = known.get(oid)
    name = conf.name if conf else stored.get("name") or oid
    kind = conf.kind if conf else stored.get("kind") or "website"
    group = conf.group if conf else ""
    last = store.latest_crawl(oid)
    reached = store.last_success(oid) is not None
    view = OutletView(
        id=oid,
        name=name,
        kind=kind,
        family=family(kind, group, name),
        group=group,
        reached=reached,
        audited=oid in latest,
        last_crawl_at=iso(last.started_at) or "" if last else "",
        last_status=last.status if last else "",
        last_error=last.error if last else "",
        unreachable_since=_unreachable_since(store, oid, last),
    )
    if view.audited:
        view.as_of = store.audit_run(latest[oid])["as_of"]
        export_row = next((r for r in outlet_rows if r["outlet_id"] == oid), {})
        raw = {r["column_id"]: r for r in store.column_rows({oid: latest[oid]})}
        rows = [r for r in weekly if r["outlet_id"] == oid]
        failed = last is not None and last.status == "error"
        view.columns = [
            _column(cid, cname, raw.get(cid, {}), export_row, rows, reached, failed)
            for cid, cname in ((c.id, c.name) for c in config.campaign.columns)
        ]
        view.banner = _banner(config, store, span, view, export_row)
    view.verdict, view.reasons = judge.verdict(view)
    return view


def _column(cid, cname, raw, export_row, rows, reached, failed) -> ColumnView:
    mine = [r for r in rows if r["column_id"] == cid]
    counts: dict[str, int] = {}
    for r in mine:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    prefix = cid + "__"
    return ColumnView(
        column_id=cid,
        name=cname,
        exists=judge.existence(raw.get("exists_"), reached, failed) if raw else "unknown",
        found_by=export_row.get(prefix + "found_by") or "",
        first_article=export_row.get(prefix + "first_article") or "",
        timeliness=export_row.get(prefix + "timeliness") or "",
        counts=counts,
        met_to_date=export_row.get(prefix + "weeks_met"),
        judged_to_date=export_row.get(prefix + "weeks_judged"),
        statuses={r["week"]: r["status"] for r in mine},
        articles={r["week"]: r["articles"] for r in mine},
    )


def _banner(config, store, span, view, export_row):
    tz = ZoneInfo(config.timezone)
    campaign = config.campaign
    required = bool(campaign.banner) and view.kind in campaign.banner.required_for
    as_of = datetime.fromisoformat(view.as_of)
    first = max(span.first, campaign.start)
    last = min(span.last, campaign.end, as_of.astimezone(tz).date())
    rows = store.banner_seen(view.id, as_of)
    summary = banner_summary(rows, first, last, tz)
    state = judge.banner_state(rows, first, last, tz)
    return judge.banner_view(required, state, summary, export_row.get("banner_share"))


def _unreachable_since(store: Store, oid: str, last: CrawlRecord | None) -> str:
    """The first failed crawl after the last one that got through (the alerts' reading)."""
    if last is None or last.status != "error":
        return ""
    return store.failing_since(oid)


def _topics(config, store, outlets, weeks) -> tuple[list[TopicShare], list[ArticleNote]]:
    """Per column: filed articles on topic; off-topic ones filed in it; on-topic ones in no
    column. Over the weeks of the period, up to each outlet's audit date."""
    shares = {c.id: TopicShare(c.id) for c in config.campaign.columns}
    notes: list[ArticleNote] = []
    if not weeks:
        return list(shares.values()), notes
    tz = ZoneInfo(config.timezone)
    start = datetime.combine(weeks[0].start, time(), tz)
    end = datetime.combine(weeks[-1].end + timedelta(days=1), time(), tz)
    for o in (o for o in outlets if o.audited):
        until = min(end, datetime.fromisoformat(o.as_of))
        topics = store.topics_of(o.id)
        for share in shares.values():
            share.classified = share.classified or bool(topics)
        for a in store.filed_articles(o.id, start, until):
            notes += _notes_for(a, o, topics, shares)
    return list(shares.values()), notes


def _notes_for(a: FiledArticle, o: OutletView, topics: dict, shares: dict) -> list[ArticleNote]:
    filed = [c for c in a.columns if c in shares]
    labels = topics.get(a.id)
    out = []
    for cid in filed:
        share = shares[cid]
        share.filed += 1
        if labels is None:
            continue
        if cid in labels:
            share.on_topic += 1
        else:
            out.append(_note("off_topic", a, o, cid))
    if not filed and labels:
        out += [_note("elsewhere", a, o, cid) for cid in shares if cid in labels]
    return out


def _note(finding: str, a: FiledArticle, o: OutletView, cid: str) -> ArticleNote:
    return ArticleNote(finding, o.id, o.name, cid, a.title, a.url, iso(a.published))


def _day(text: str) -> date:
    return date.fromisoformat(text)
