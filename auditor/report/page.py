"""The report as one self-contained HTML page: no script, no external request (CSS, font
and charts inline, a Content-Security-Policy that forbids anything else)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from auditor import labels
from auditor.report import charts, series
from auditor.report.fmt import audit_date, day, esc, instant, link, pct
from auditor.report.model import OutletView, Report
from auditor.report.style import CSP, stylesheet
from auditor.report.vocab import FAMILIES, STATUSES, SYMBOLS, VERDICTS, Words

MAX_LISTED = 300  # articles per classifier list on the page; the workbook has them all


def title_of(report: Report, w: Words) -> str:
    s = report.span
    if s.kind == "monthly":
        return w("monthly_title", month=f"{s.first:%m/%Y}", campaign=report.campaign_id)
    return w(
        "period_title",
        first=day(s.first, w.lang),
        last=day(s.last, w.lang),
        campaign=report.campaign_id,
    )


def render(report: Report, w: Words, tz: ZoneInfo) -> str:
    title = title_of(report, w)
    body = [
        f"<h1>{esc(title)}</h1>",
        _meta(report, w, tz),
        _summary(report, w),
        _followups(report, w),
        _matrix(report, w),
        _details(report, w, tz),
        _charts(report, w),
        _classifier(report, w),
        _groups(report, w),
        f"<footer><p>{esc(w('footer'))}</p></footer>",
    ]
    return (
        f'<!doctype html>\n<html lang="{w.lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{stylesheet(title)}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _meta(report: Report, w: Words, tz: ZoneInfo) -> str:
    s = report.span
    return (
        f'<p class="meta">{esc(w("period"))}: {day(s.first, w.lang)} – {day(s.last, w.lang)}. '
        f"{esc(w('as_of'))}: {esc(audit_date(report.as_of, w.lang, tz))}. "
        f"{esc(w('generated'))}: {esc(instant(report.generated.isoformat(), w.lang, tz))}.</p>"
    )


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """head: plain words (escaped here); rows: cells already escaped / built."""
    ths = "".join(f"<th>{esc(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(_td(c) for c in r) + "</tr>" for r in rows)
    attr = f' class="{cls}"' if cls else ""
    return (
        f'<div class="scroll"><table{attr}><thead><tr>{ths}</tr></thead>'
        f"<tbody>{trs}</tbody></table></div>"
    )


def _td(cell: str) -> str:
    if cell.startswith("\x00n"):  # a number: right-aligned
        return f'<td class="n">{cell[2:]}</td>'
    return f"<td>{cell}</td>"


def num(value: object) -> str:
    return "\x00n" + esc("" if value is None else value)


def _reasons(o: OutletView, w: Words) -> str:
    return "; ".join(esc(w(key, **fields)) for key, fields in o.reasons)


# -- summary and follow-up ----------------------------------------------------------------


def _summary(report: Report, w: Words) -> str:
    groups = report.by_verdict()
    cards = []
    for v in VERDICTS:
        names = "".join(_summary_item(o, w) for o in groups[v])
        cards.append(
            f'<div class="card {v}" id="sum-{v}"><div class="big">{len(groups[v])}</div>'
            f'<div class="v-{v}">{esc(w(v))}</div><ul>{names}</ul></div>'
        )
    return (
        f'<section id="summary"><h2>{esc(w("summary"))}</h2>'
        f'<div class="cards">{"".join(cards)}</div><p>{esc(w("summary_note"))}</p>'
        + (f"<p>{esc(w('disabled_note', n=report.disabled))}</p>" if report.disabled else "")
        + "</section>"
    )


def _summary_item(o: OutletView, w: Words) -> str:
    """A name linking to its details; why, where it is short and matters most (an outlet
    not checked, or not compliant): the full reasons are in the details."""
    why = f" — {_reasons(o, w)}" if o.verdict in ("none", "not_checked") else ""
    return f'<li><a href="#o-{esc(o.id)}">{esc(o.name)}</a>{why}</li>'


def issue_text(f, report: Report, w: Words) -> str:
    if f.issue == "opened_late":
        return w("opened_late", deadline=day(report.deadline, w.lang))
    if f.issue == "fell_silent":
        return w("fell_silent", weeks=f.weeks)
    return w(f.issue)


def _followups(report: Report, w: Words) -> str:
    if not report.followups:
        inner = f"<p>{esc(w('followup_none'))}</p>"
    else:
        rows = [
            [
                esc(issue_text(f, report, w)),
                esc(f.outlet_name),
                esc(f.column),
                esc(day(f.since, w.lang)),
                esc(detail_words(f, w)),
            ]
            for f in report.followups
        ]
        head = [w("issue"), w("outlet"), w("column"), w("since"), w("detail")]
        inner = _table(head, rows)
    return f'<section id="followup"><h2>{esc(w("followup"))}</h2>{inner}</section>'


# -- matrix -------------------------------------------------------------------------------


def legend(w: Words) -> str:
    items = "".join(f'<span class="sym s-{s}">{SYMBOLS[s]}</span>{esc(w(s))}' for s in STATUSES)
    return f'<p class="legend"><b>{esc(w("legend"))}:</b>{items}</p>'


def _matrix(report: Report, w: Words) -> str:
    parts = [
        f'<section id="matrix"><h2>{esc(w("matrix"))}</h2>',
        f"<p>{esc(w('matrix_note', quota=report.quota))}</p>",
        legend(w),
    ]
    audited = [o for o in report.outlets if o.columns]
    for cid, name in report.columns:
        head = f'<th class="o">{esc(w("outlet"))}</th>' + "".join(
            f'<th class="w" title="{esc(x.week)}">{esc(x.week[2:])}</th>' for x in report.weeks
        )
        rows = "".join(_matrix_row(o, cid, report, w) for o in audited)
        parts.append(
            f'<h3>{esc(w("column"))}: {esc(name)}</h3><div class="scroll">'
            f'<table class="matrix" data-column="{esc(cid)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    parts.append("</section>")
    return "".join(parts)


def _matrix_row(o: OutletView, cid: str, report: Report, w: Words) -> str:
    column = next(c for c in o.columns if c.column_id == cid)
    cells = []
    for x in report.weeks:
        status = column.statuses.get(x.week)
        if status not in SYMBOLS:
            cells.append('<td class="s-none"></td>')
            continue
        n = column.articles.get(x.week, "")
        tip = f"{x.week}: {w(status)} ({n})"
        cells.append(
            f'<td class="s-{status}" data-week="{esc(x.week)}" data-articles="{esc(n)}" '
            f'title="{esc(tip)}">{SYMBOLS[status]}</td>'
        )
    return f'<tr data-outlet="{esc(o.id)}"><td class="o">{esc(o.name)}</td>{"".join(cells)}</tr>'


# -- per outlet ---------------------------------------------------------------------------


def _details(report: Report, w: Words, tz: ZoneInfo) -> str:
    parts = [f'<section id="details"><h2>{esc(w("details"))}</h2>']
    for o in report.outlets:
        parts.append(_outlet(o, w, tz))
    parts.append("</section>")
    return "".join(parts)


def _outlet(o: OutletView, w: Words, tz: ZoneInfo) -> str:
    head = (
        f'<h3 id="o-{esc(o.id)}">{esc(o.name)} <small>({esc(o.id)}; {esc(w(o.family))}'
        f"{'; ' + esc(o.group) if o.group else ''})</small> — "
        f'<span class="v-{o.verdict}">{esc(w(o.verdict))}</span></h3>'
    )
    rows = [
        [
            esc(c.name),
            esc(w("exists_" + c.exists)),
            esc(evidence_words(c.found_by, w)),
            esc(day(c.first_article, w.lang)),
            esc(timeliness_word(c.timeliness, w)),
            num(f"{c.met} / {c.judged}"),
            num(f"{_n(c.met_to_date)} / {_n(c.judged_to_date)}"),
        ]
        for c in o.columns
    ]
    table = ""
    if rows:
        table = _table(
            [
                w("column"),
                w("exists"),
                w("evidence"),
                w("first_article"),
                w("timeliness"),
                w("weeks_met_period"),
                w("weeks_met_to_date"),
            ],
            rows,
            "keep outlet",
        )
    b = o.banner
    banner = (
        f"<p>{esc(w('banner'))}: {esc(banner_word(b.verdict, w))}"
        + (
            f"; {esc(w('banner_share'))}: {pct(b.share, w.lang)} "
            f"({b.days_present}/{b.days_checked})"
            f"; {esc(w('banner_share_to_date'))}: {pct(_float(b.share_to_date), w.lang)}"
            if b.required
            else ""
        )
        + f". {esc(w('last_crawl'))}: {esc(crawl_text(o, w, tz))}</p>"
    )
    return (
        f'<div class="outlet-block" data-outlet="{esc(o.id)}">{head}'
        f"<p>{_reasons(o, w)}</p>{table}{banner}</div>"
    )


def timeliness_word(value: str, w: Words) -> str:
    """on_time / late, or unknown where the store could not tell (later stores say so)."""
    if value in ("on_time", "late"):
        return w(value)
    return w("exists_unknown") if value == "unknown" else value


def crawl_text(o: OutletView, w: Words, tz: ZoneInfo) -> str:
    status = o.last_status if o.last_status in ("ok", "partial", "error") else "none"
    parts = [instant(o.last_crawl_at, w.lang, tz), w("crawl_" + status), o.last_error]
    return " — ".join(p for p in parts if p)


def banner_word(verdict: str, w: Words) -> str:
    return w(
        {
            "present": "banner_present",
            "absent": "banner_absent_word",
            "unknown": "banner_unknown",
            "not_required": "banner_not_required",
        }[verdict]
    )


def _n(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def _float(value: object) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


# -- charts, classifier, groups -----------------------------------------------------------


def _charts(report: Report, w: Words) -> str:
    made = series.all_charts(report, w)
    if not made:
        inner = f"<p>{esc(w('no_data'))}</p>"
    else:
        inner = "".join(
            f'<div class="scroll"><img class="chart" alt="{esc(alt)}" '
            f'src="{charts.data_uri(svg)}"></div>'
            for alt, svg in made
        )
    return f'<section id="charts"><h2>{esc(w("charts"))}</h2>{inner}</section>'


def _classifier(report: Report, w: Words) -> str:
    names = dict(report.columns)
    shares = [
        [
            esc(names[s.column_id]),
            num(s.filed),
            num(s.on_topic if s.classified else "—"),
            num(pct(s.share, w.lang) if s.classified else w("not_classified")),
        ]
        for s in report.topic_shares
    ]
    parts = [
        f'<section id="classifier"><h2>{esc(w("classifier"))}</h2>'
        f"<p>{esc(w('classifier_note'))}</p>",
        _table(
            [w("column"), w("articles_in_column"), w("on_topic"), w("share_on_topic")],
            shares,
            "keep",
        ),
    ]
    for finding, key in (("off_topic", "off_topic_list"), ("elsewhere", "elsewhere_list")):
        notes = [n for n in report.notes if n.finding == finding]
        parts.append(f"<h3>{esc(w(key))} ({len(notes)})</h3>")
        if notes:
            rows = [
                [
                    esc(n.outlet_name),
                    esc(names.get(n.column_id, n.column_id)),
                    esc(day(n.published, w.lang)),
                    link(n.url, n.title or n.url),
                ]
                for n in notes[:MAX_LISTED]
            ]
            parts.append(
                _table(
                    [
                        w("outlet"),
                        w("topic" if finding == "elsewhere" else "column"),
                        w("published"),
                        w("title"),
                    ],
                    rows,
                    f"notes-{finding}",
                )
            )
            if len(notes) > MAX_LISTED:
                more = w("more_in_xlsx", n=len(notes) - MAX_LISTED)
                parts.append(f"<p>{esc(more)}</p>")
    parts.append("</section>")
    return "".join(parts)


def _groups(report: Report, w: Words) -> str:
    parts = [f'<section id="groups"><h2>{esc(w("by_family"))}</h2>']
    parts.append(_group_table(report, w, [(f, w(f)) for f in FAMILIES], lambda o: o.family))
    groups = sorted({o.group for o in report.outlets if o.group})
    if groups:
        parts.append(f"<h2>{esc(w('by_group'))}</h2>")
        parts.append(_group_table(report, w, [(g, g) for g in groups], lambda o: o.group))
    parts.append("</section>")
    return "".join(parts)


def _group_table(report: Report, w: Words, keys: list[tuple[str, str]], of) -> str:
    rows = []
    for key, label in keys:
        members = [o for o in report.outlets if of(o) == key]
        if not members:
            continue
        counts = [num(sum(o.verdict == v for o in members)) for v in VERDICTS]
        listing = ", ".join(f'<span class="v-{o.verdict}">{esc(o.name)}</span>' for o in members)
        rows.append([esc(label), num(len(members)), *counts, listing])
    head = [w("family"), w("count"), *(w(v) for v in VERDICTS), w("outlets")]
    return _table(head, rows, "groups")


def evidence_words(text: str, w: Words) -> str:
    """Evidence of a column ("category 'X' matched by name") in the page's language; names
    and addresses stay as published."""
    return labels.cell("found_by", text, w.lang) or ""


def detail_words(f, w: Words) -> str:
    """A follow-up's detail: evidence is put in words; an outlet's error stays as recorded."""
    return evidence_words(f.detail, w) if f.issue == "opened_late" else f.detail
