"""The values a report is drawn from: read once from the store, then rendered twice
(HTML and XLSX), so both files always show the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Span:
    kind: str  # monthly | period
    first: date
    last: date

    @property
    def stem(self) -> str:
        if self.kind == "monthly":
            return f"report-{self.first:%Y-%m}"
        return f"report-{self.first.isoformat()}-to-{self.last.isoformat()}"


@dataclass(frozen=True)
class WeekRef:
    week: str  # 2017-W39
    start: date
    end: date


@dataclass
class ColumnView:
    column_id: str
    name: str
    exists: str  # yes | no | unknown
    found_by: str = ""
    first_article: str = ""
    timeliness: str = ""  # on_time | late | ""
    counts: dict[str, int] = field(default_factory=dict)  # status → weeks, in the period
    met_to_date: int | None = None  # from `export outlets`: the whole campaign so far
    judged_to_date: int | None = None
    statuses: dict[str, str] = field(default_factory=dict)  # week → status, in the period
    articles: dict[str, int] = field(default_factory=dict)  # week → articles counted

    @property
    def met(self) -> int:
        return self.counts.get("met", 0)

    @property
    def missed(self) -> int:
        return self.counts.get("missed", 0)

    @property
    def judged(self) -> int:
        return self.met + self.missed


@dataclass
class BannerView:
    required: bool
    verdict: str = "unknown"  # present | absent | unknown | not_required, over the period
    absent_since: str = ""
    days_checked: int = 0
    days_present: int = 0
    share: float | None = None  # in the period
    share_to_date: float | None = None  # from `export outlets`


@dataclass
class OutletView:
    id: str
    name: str
    kind: str
    family: str
    group: str
    reached: bool  # at least one crawl got through, ever
    audited: bool
    last_crawl_at: str = ""
    last_status: str = ""
    last_error: str = ""
    unreachable_since: str = ""
    as_of: str = ""
    columns: list[ColumnView] = field(default_factory=list)
    banner: BannerView = field(default_factory=lambda: BannerView(False))
    verdict: str = "not_checked"  # full | partial | none | not_checked
    reasons: list[tuple[str, dict]] = field(default_factory=list)  # (vocab key, fields)


@dataclass(frozen=True)
class FollowUp:
    issue: str  # never_opened | opened_late | fell_silent | banner_absent | unreachable
    outlet_id: str
    outlet_name: str
    column: str = ""
    since: str = ""
    detail: str = ""  # from the store: an error message, evidence (untrusted text)
    weeks: int = 0


@dataclass(frozen=True)
class ArticleNote:
    finding: str  # off_topic | elsewhere
    outlet_id: str
    outlet_name: str
    column_id: str
    title: str
    url: str
    published: str


@dataclass
class TopicShare:
    column_id: str
    filed: int = 0
    on_topic: int = 0
    classified: bool = False

    @property
    def share(self) -> float | None:
        return round(self.on_topic / self.filed, 3) if self.classified and self.filed else None


@dataclass
class Report:
    span: Span
    campaign_id: str
    campaign_title: str
    deadline: date
    quota: int
    columns: list[tuple[str, str]]  # (id, name) in the campaign's order
    weeks: list[WeekRef]
    outlets: list[OutletView]
    followups: list[FollowUp]
    topic_shares: list[TopicShare]
    notes: list[ArticleNote]
    weekly_rows: list[dict]  # exactly the rows of `export weekly` for the span
    outlet_rows: list[dict]  # exactly the rows of `export outlets`
    as_of: str
    generated: datetime
    disabled: int = 0  # outlets in the config without an address yet

    def by_verdict(self) -> dict[str, list[OutletView]]:
        out: dict[str, list[OutletView]] = {
            v: [] for v in ("full", "partial", "none", "not_checked")
        }
        for o in self.outlets:
            out[o.verdict].append(o)
        return out
