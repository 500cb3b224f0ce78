"""Frozen values passed between the layers. No behaviour beyond small derived fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The start of "everything the outlet ever published": a complete listing covers from here.
BEGINNING = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Banner:
    text: str
    required_for: tuple[str, ...] = ("newspaper", "website")


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    start: date
    end: date
    min_articles_per_week: int
    columns: tuple[ColumnSpec, ...]
    banner: Banner | None = None
    count: str = "column"  # column | column_on_topic: what meets the weekly quota

    def column(self, column_id: str) -> ColumnSpec:
        return next(c for c in self.columns if c.id == column_id)


@dataclass(frozen=True)
class ColumnOverride:
    """An operator's word on where a column lives: kind is category, tag, feed or url_prefix."""

    column_id: str
    kind: str
    value: str


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    kind: str
    url: str
    feeds: tuple[str, ...] | None = None
    wordpress: str | bool = "auto"
    enabled: bool = True
    overrides: tuple[ColumnOverride, ...] = ()
    group: str = ""
    crawl_interval_s: int | None = None  # overrides schedule.crawl_interval_s
    redirect_hosts: tuple[str, ...] = ()  # other hosts a redirect may lead to (redirects.py)


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str = "auditor/0.1 (directive 1476/TLD compliance monitor)"
    contact: str = ""
    timeout_s: float = 30.0
    max_body_mb: float = 20.0
    concurrency: int = 8
    processes: int = 0  # harvesting processes; 0: one per core, at most 4 (crawl/procs.py)
    per_host_delay_s: float = 1.0
    retries: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    max_redirects: int = 5
    read_timeout_s: float = 10.0  # silence on the socket this long ends the request
    max_feed_pages: int = 30
    max_rest_pages: int = 500
    max_section_pages: int = 10
    max_article_pages: int = 60  # article pages read per crawl to date undated listing items
    obey_robots: bool = True


@dataclass(frozen=True)
class CrawlSettings:
    full_listing_every_days: float = 7.0
    classify: bool = True  # tag new articles with the topic model after each crawl


@dataclass(frozen=True)
class ScheduleSettings:
    crawl_interval_s: int = 21600
    jitter_s: int = 600
    homepage_interval_s: int = 86400
    max_backoff_s: int = 86400  # repeated failures push the next crawl later, up to this
    misfire_grace_s: int = 3600
    lock_ttl_s: int = 1800  # a crawl lock older than this is taken over
    lock_wait_s: int = 600  # how long a crawl waits for an outlet another process crawls
    reports_dir: str = "reports"  # monthly CSVs (the directive's monthly evaluation)
    workers: int = 4


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    tls: str = "starttls"  # starttls | ssl | none
    username: str = ""
    password_env: str = ""  # the name of the environment variable holding the password
    sender: str = ""
    timeout_s: float = 30.0


@dataclass(frozen=True)
class AlertSettings:
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    recipients: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group or "default", emails)
    webhook_url: str = ""
    unreachable_days: int = 3
    dry_run: bool = False


@dataclass(frozen=True)
class LogSettings:
    level: str = "INFO"
    json: bool = False


@dataclass(frozen=True)
class Config:
    timezone: str
    store_path: str
    http: HttpSettings
    campaign: Campaign
    outlets: tuple[Outlet, ...]
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    logging: LogSettings = field(default_factory=LogSettings)
    source: str = ""

    def outlet(self, outlet_id: str) -> Outlet:
        return next(o for o in self.outlets if o.id == outlet_id)


@dataclass(frozen=True)
class Term:
    """A WordPress category or tag, or a feed item's category."""

    kind: str  # category | tag
    name: str
    slug: str = ""
    term_id: int | None = None
    link: str = ""


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    published: datetime | None
    source: str  # rest | rss
    guid: str = ""
    wp_id: int | None = None
    modified: datetime | None = None
    summary: str = ""
    text: str = ""
    terms: tuple[Term, ...] = ()
    aliases: tuple[str, ...] = ()  # other URLs the same article was seen under


@dataclass(frozen=True)
class RequestRecord:
    url: str
    status: int | None
    bytes: int
    elapsed_ms: int
    at: datetime
    error: str = ""
    attempt: int = 1
    # why it was asked: robots, discovery, listing, paging, article or retry (labels.PURPOSES)
    purpose: str = "listing"


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass(frozen=True)
class ColumnSource:
    """Where an outlet keeps a column, and why we think so."""

    column_id: str
    kind: str  # category | tag | feed | url_prefix
    value: str
    rule: str
    evidence: str


@dataclass(frozen=True)
class Coverage:
    """The auditor saw every article of one column published in [start, end)."""

    column_id: str
    start: datetime
    end: datetime
    source: str
    scope: str = ""  # why this listing shows the column's articles (kept on the coverage row)


@dataclass(frozen=True)
class CoverageSpan:
    """A stored coverage row: the span [start, end] one source proved of one column."""

    id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CoverageJoin:
    """How a new covered span is stored (coverage.join_span decides): a new row when
    `keep` is None, else the stored row `keep` widened to `coverage`'s start and end, and
    the other stored rows it swallowed (`drop`) deleted."""

    coverage: Coverage
    keep: int | None = None
    drop: tuple[int, ...] = ()


@dataclass(frozen=True)
class FeedRead:
    """A feed read with no column attached: what it covers is decided once the whole crawl
    is seen (coverage.py), because only then is it known which column each item is in."""

    url: str
    start: datetime  # the oldest item, or BEGINNING when the whole history was seen
    end: datetime
    items: tuple[Article, ...]
    dropped: tuple[Article, ...] = ()  # entries skipped for want of a link (url "")


@dataclass(frozen=True)
class ColumnLink:
    column_id: str
    rule: str
    evidence: str


# Not frozen, unlike its neighbours: an audit at 2,000,000 articles makes 315,000 of them,
# and a frozen dataclass's __init__ (object.__setattr__ per field) took four times as long,
# 0.4 s of the audit's 10 s target. Nothing changes one once the rules have made it.
@dataclass
class WeekResult:
    outlet_id: str
    column_id: str
    week: str
    week_start: date
    week_end: date
    articles: int
    required: int
    status: str  # met | missed | in_progress | unknown
    article_ids: tuple[int, ...] = ()
    on_topic: int | None = None  # articles of the column on its topic; None: not classified
    covered_by: str = ""  # the listings that showed the whole week (judged weeks)


@dataclass(frozen=True)
class ColumnSummary:
    outlet_id: str
    column_id: str
    exists: str  # yes | no | unknown
    found_by: str
    first_article: date | None
    timeliness: str  # on_time | late | unknown | ""
    weeks_met: int
    weeks_missed: int
    weeks_unknown: int
    weeks_in_progress: int
    off_topic: int | None = None  # filed in the column but not on its topic
    on_topic_elsewhere: int | None = None  # on the column's topic, filed in no column
    finding: str = ""

    @property
    def weeks_judged(self) -> int:
        return self.weeks_met + self.weeks_missed


@dataclass(frozen=True)
class FeedSeen:
    url: str
    column_id: str = ""  # "" for a site-wide feed
    title: str = ""


@dataclass(frozen=True)
class SectionSeen:
    """A menu or section link whose text names a column: where a non-WordPress site keeps it."""

    column_id: str
    url: str
    evidence: str


@dataclass(frozen=True)
class NewCrawl:
    """One crawl's own row (`crawls`), every value decided by the crawl (crawl/save.py)."""

    outlet_id: str
    started: datetime
    finished: datetime | None
    status: str
    error: str
    notes: str
    requests: int
    requests_by: dict[str, int]
    bytes: int
    retry_after: float | None
    listing: str  # the complete listing of the columns it saw (rules/terms.py), or ""


@dataclass(frozen=True)
class OutletUpdate:
    """What one crawl changes on its outlet's row; None leaves the stored value as it is
    (a crawl that did not learn it does not forget it)."""

    outlet: Outlet
    crawled_at: datetime
    status: str
    error: str
    failures: int  # failed crawls in a row (planning.consecutive_failures)
    api: tuple[str, str] | None = None  # (API root, note)
    feeds: tuple[tuple[str, str], ...] | None = None  # (feed URL, column id), sorted
    full_listing_at: datetime | None = None
    homepage_at: datetime | None = None
    rest_cursor: datetime | None = None


@dataclass
class Harvest:
    """Everything one crawl of one outlet learnt, written to the store in one transaction."""

    outlet: Outlet
    started: datetime
    finished: datetime | None = None
    records: list[RequestRecord] = field(default_factory=list)
    validators: dict[str, dict] = field(default_factory=dict)
    api_root: str = ""
    api_note: str = ""
    feeds: list[FeedSeen] = field(default_factory=list)
    sections: list[SectionSeen] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    rest_terms_complete: bool = False
    articles: list[tuple[Article, str]] = field(default_factory=list)  # (article, feed URL)
    coverage: list[Coverage] = field(default_factory=list)
    unscoped: list[FeedRead] = field(default_factory=list)  # feeds whose scope is not yet known
    announced: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # section pages
    # (column id, feeds announced by its section page) that were read as site feeds
    menu_links: int = 0  # menu links on the homepage read in this crawl
    not_modified: list[str] = field(default_factory=list)  # sources answered 304
    full_listing: bool = False
    rest_ids: frozenset[int] | None = None  # ids of a complete REST listing
    rest_cursor: datetime | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    retry_after: float | None = None  # the longest Retry-After a server asked for
    stopped: bool = False  # cut short by a stop request: not written at all
    homepage_read: bool = False
    # feed items still undated → the span of the listing that showed them (UTC)
    undated_spans: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)
    skipped: int = 0  # feed entries left out (no usable link), reasons in notes
    # (column id, source) whose stored coverage this crawl showed unfounded (feedcrawl.py)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.errors:
            return "ok"
        reached = any(r.status is not None and r.status < 400 for r in self.records)
        return "partial" if reached and (self.articles or self.not_modified) else "error"

    def requests_by(self) -> dict[str, int]:
        """How many requests the crawl made for each purpose (labels.PURPOSES)."""
        counts: dict[str, int] = {}
        for r in self.records:
            counts[r.purpose] = counts.get(r.purpose, 0) + 1
        return counts


# -- what the store hands to the rules and the crawl ----------------------------------------


@dataclass(frozen=True)
class ColumnFacts:
    """What the store knows of one column of one outlet."""

    column_id: str
    found_by: str  # evidence of where the column lives; "" when not found
    articles: tuple[tuple[int, datetime], ...]  # (article id, published UTC)
    coverage: tuple[tuple[datetime, datetime], ...]  # UTC intervals fully seen
    on_topic: frozenset[int] | None = None  # ids of the column's articles on its topic
    elsewhere: tuple[tuple[int, datetime], ...] = ()  # on-topic articles in no column
    listing: str = ""  # a complete listing of the outlet's categories/tags/menu, and when
    placed: str = ""  # the operator's word on where the column is, not yet seen there
    sources: tuple[tuple[datetime, datetime, str], ...] = ()  # coverage with its listing
    undated: tuple[tuple[datetime, datetime], ...] = ()  # spans of undated articles (undated.py)


@dataclass(frozen=True)
class OutletState:
    """What the store remembers of an outlet between crawls (the crawl starts from it)."""

    api_root: str = ""
    api_note: str = ""
    feeds: tuple[str, ...] = ()
    column_feeds: tuple[tuple[str, str], ...] = ()  # (url, column id) found before
    last_full_listing: datetime | None = None
    rest_cursor: datetime | None = None
    coverage_end: dict[str, datetime] | None = None  # latest end per source
    consecutive_failures: int = 0
    sections: tuple[tuple[str, str], ...] = ()  # (column id, url) found on menus
    dated_urls: frozenset[str] = frozenset()  # stored articles that have a date
    article_columns: dict[str, frozenset[str]] | None = None  # canonical URL → columns
    homepage_at: datetime | None = None  # when a crawl last read the homepage
    terms: tuple[Term, ...] = ()  # categories and tags seen before (REST ones with slugs)


@dataclass(frozen=True)
class CrawlRecord:
    """One stored crawl of an outlet, as status, the digest and the scheduler read it."""

    started_at: datetime | None
    finished_at: datetime | None
    status: str  # ok | partial | error | …
    error: str
    requests: int | None = None
    requests_by: dict[str, int] = field(default_factory=dict)  # purpose → count (labels.PURPOSES)
    new_articles: int | None = None
    updated_articles: int | None = None
    retry_after: float | None = None  # seconds a server asked the next crawl to wait

    @property
    def seconds(self) -> float | None:
        """How long it took, to the tenth of a second."""
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 1)


@dataclass(frozen=True)
class OutletStatus:
    """What `auditor status` shows of an outlet (fields in the order --json gives them)."""

    id: str
    name: str
    kind: str
    url: str
    group: str
    api_root: str
    api_note: str
    feeds: tuple[tuple[str, str], ...]  # (url, column id or "")
    last_crawl_at: datetime | None
    last_status: str
    last_error: str
    last_full_listing_at: datetime | None
    rest_cursor: datetime | None
    consecutive_failures: int
    homepage_at: datetime | None
    articles: int  # live ones
    undated: int  # live ones still without a date
    last_reached: datetime | None  # the last crawl that was not an error
    requests: int | None  # of the last crawl
    requests_by: dict[str, int]  # the last crawl's requests by purpose (labels.PURPOSES)
    seconds: float | None  # the last crawl's duration
    new_articles: int | None
    updated_articles: int | None
    retry_after: float | None
    next_run: datetime | None  # the scheduler's plan
    column_listing: str  # the last complete listing of the columns, and when ("" if none)


@dataclass(frozen=True)
class BannerSeen:
    """One stored banner check, as the rules over days read it."""

    checked_at: datetime
    verdict: str  # present | absent | unknown


@dataclass(frozen=True)
class FiledArticle:
    """A live article with the columns it is filed in (the reports' topic findings)."""

    id: int
    title: str
    url: str
    published: datetime | None
    columns: tuple[str, ...]
