"""The one orchestrator: outlets → fetch → parse → store.

Each outlet is harvested in a worker thread (HTTP only, nothing written), then the main
thread writes its Harvest in one transaction. One outlet's failure is recorded on its row
and never stops the others.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from auditor.clock import utcnow
from auditor.config import select_outlets
from auditor.crawl import catfeeds, procs
from auditor.crawl import feeds as feedcrawl
from auditor.crawl import sections as listings
from auditor.crawl import wordpress as rest
from auditor.crawl.lane import RobotsLane
from auditor.crawl.outlet import OutletCrawl, Settings
from auditor.crawl.save import save_harvest
from auditor.errors import FetchError, NotModified, ParseError
from auditor.fetch import Client, Fetcher
from auditor.labels import purposes_text
from auditor.parse import wordpress as wp
from auditor.parse.feeds import parse_feed
from auditor.parse.homepage import Page, decode_html, menu_sections, read_page
from auditor.ports import CrawlStore
from auditor.rules import coverage
from auditor.types import Config, FeedSeen, Fetched, Harvest, Outlet, OutletState
from auditor.urls import canonical_url, with_params

log = logging.getLogger("auditor.crawl.run")


@dataclass(frozen=True)
class CrawlReport:
    outlet_id: str
    status: str
    new: int
    updated: int
    requests: int
    error: str
    notes: str
    requests_by: dict[str, int] = field(default_factory=dict)  # purpose → requests


def crawl(
    config: Config,
    store: CrawlStore,
    outlet_ids: Iterable[str] | None = None,
    *,
    now: Callable[[], datetime] = utcnow,
    fetcher: Fetcher | None = None,
    on_done: Callable[[CrawlReport], None] | None = None,
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    poll: bool = False,
) -> list[CrawlReport]:
    """Crawl the outlets concurrently; each outlet under a lock in the store, so that two
    processes (the scheduler and a shell command) never crawl one outlet at once. poll:
    only what is new (outlet.Settings.poll)."""
    outlets = select_outlets(config, outlet_ids)
    own = fetcher is None
    fetcher = fetcher or Fetcher(
        config.http, store.validators(), robots=store.robots(), now=now, stop=stop
    )
    run = _Run(config, store, fetcher, now, on_done, poll, forkable=own)
    try:
        run.go(outlets, sleep, clock)
    except BaseException:
        fetcher.stop.set()
        raise
    finally:
        run.release_all()
        if own:
            fetcher.close()
    store.save_robots(fetcher.fresh_robots)
    return sorted(run.reports, key=lambda r: r.outlet_id)


class _Run:
    def __init__(self, config, store, fetcher, now, on_done, poll=False, forkable=False):
        self.config, self.store, self.fetcher, self.now = config, store, fetcher, now
        self.settings = Settings.of(config, poll=poll)  # what each outlet's crawl reads by
        self.on_done = on_done
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.reports: list[CrawlReport] = []
        self.held: set[str] = set()
        self.waiting_said: set[str] = set()
        self.forkable = forkable  # a fetcher the caller gave may not survive a fork

    def go(self, outlets: list[Outlet], sleep, clock=time.monotonic) -> None:
        deadline = clock() + self.config.schedule.lock_wait_s
        split = self._fork(outlets)
        try:
            with (
                ThreadPoolExecutor(split.workers) as pool,
                RobotsLane(self.fetcher, split.workers, split.lane) as self.robots,
            ):
                try:
                    self._harvest_all(split, pool, sleep, lambda: clock() > deadline)
                except BaseException:
                    self.fetcher.stop.set()  # the harvests still running end at once,
                    for helper in split.helpers:  # the helpers' too
                        helper.stop()
                    raise
        finally:
            self._end_helpers(split.helpers)

    def _harvest_all(self, split: procs.Split, pool, sleep, late: Callable[[], bool]) -> None:
        futures: dict = {}
        for helper in split.helpers:  # copied before the helper's listener may change them
            futures.update({f: helper.outlets[i] for i, f in helper.futures.items()})
            helper.listen()
        self._dispatch(split.ready, split.helpers, pool, futures)
        pending = split.pending
        while pending:
            pending = self._start(pending, pool, futures)
            self._collect(futures, block=False)
            if pending and (late() or self.fetcher.stop.is_set()):
                for o in pending:
                    self._report(
                        CrawlReport(
                            o.id, "skipped", 0, 0, 0, "another process is crawling this outlet", ""
                        )
                    )
                break
            if pending:
                sleep(1)
        self._collect(futures, block=True)

    def _fork(self, outlets: list[Outlet]) -> procs.Split:
        """Harvesting shared with forked processes when there are enough outlets and cores
        (procs.py). Only when every outlet's lock is free: one another crawl holds is
        crawled later, by this process, so its site must not be in a helper's shard."""
        workers = self.config.http.concurrency
        count = procs.process_count(self.config.http.processes, workers, len(outlets))
        if not self.forkable or count == 1 or not procs.can_fork():
            return procs.Split(workers, [], [], list(outlets), list(outlets))
        ready, waiting = self._lock(outlets)
        if waiting:
            return procs.Split(workers, ready, [], waiting, list(outlets))
        shards, shares = procs.plan(ready, self.store.known_urls(), count, workers)
        if len(shards) == 1:
            return procs.Split(workers, ready, [], [], ready)
        log.debug("harvesting in %d processes: %s outlets", len(shards), [len(s) for s in shards])
        lost = procs.lost_harvest(self.now)
        helpers: list[procs.Helper] = []
        for shard, n in zip(shards[1:], shares[1:], strict=True):
            work = partial(procs.run_shard, self.fetcher, n, self._harvest_one, RobotsLane)
            helpers.append(procs.Helper(shard, work, lost, earlier=helpers))
        # an empty shard 0: the main process only writes (at least one worker all the same)
        return procs.Split(max(shares[0], 1), procs.interleave(shards), helpers, [], shards[0])

    def _harvest_one(self, outlet: Outlet, client_for, state: OutletState) -> Harvest:
        return _safe_harvest(outlet, client_for, state, self.settings, self.now)

    def _end_helpers(self, helpers: list[procs.Helper]) -> None:
        for helper in helpers:
            helper.stop() if self.fetcher.stop.is_set() else helper.end()
        for helper in helpers:
            helper.join()
            self.fetcher.fresh_robots.update(helper.fresh_robots)

    def _lock(self, outlets: list[Outlet]) -> tuple[list[Outlet], list[Outlet]]:
        """Every outlet whose lock is free, locked (in one transaction); and those another
        process is crawling."""
        names = {o.id: f"crawl:{o.id}" for o in outlets}
        holders = self.store.acquire_locks(
            list(names.values()), self.owner, self.config.schedule.lock_ttl_s, self.now()
        )
        ready, waiting = [], []
        for outlet in outlets:
            holder = holders.get(names[outlet.id])
            if holder is not None:
                self._say_waiting(outlet, holder)
                waiting.append(outlet)
                continue
            self.held.add(names[outlet.id])
            ready.append(outlet)
        return ready, waiting

    def _dispatch(self, ready: list, helpers: list[procs.Helper], pool, futures: dict) -> None:
        """Each locked outlet's state, read after its lock (another crawl's writes are in
        by then), goes to its harvest as soon as it is read: the first requests leave while
        the later states are still being read."""
        helper_of = {o: h for h in helpers for o in h.outlets}
        for outlet in ready:
            state = self.store.outlet_state(outlet.id)
            if outlet.id in helper_of:
                helper_of[outlet.id].give(outlet, state)
            else:
                futures[pool.submit(self._harvest_one, outlet, self.robots.take, state)] = outlet

    def _start(self, outlets: list[Outlet], pool, futures: dict) -> list[Outlet]:
        """Start every outlet whose lock is free; returns those another process is
        crawling."""
        ready, waiting = self._lock(outlets)
        self._dispatch(ready, [], pool, futures)
        return waiting

    def _say_waiting(self, outlet: Outlet, holder: dict) -> None:
        if outlet.id not in self.waiting_said:
            self.waiting_said.add(outlet.id)
            log.warning(
                "%s: waiting: being crawled by pid %s on %s since %s",
                outlet.id,
                holder["pid"],
                holder["host"],
                holder["acquired_at"],
            )

    def _collect(self, futures: dict, block: bool) -> None:
        done = as_completed(list(futures)) if block else [f for f in futures if f.done()]
        for future in done:
            del futures[future]
            harvest = future.result()
            try:
                self._report(_save(self.store, harvest, self.config, self.settings.poll))
            finally:
                self._release(f"crawl:{harvest.outlet.id}")

    def _report(self, report: CrawlReport) -> None:
        self.reports.append(report)
        if self.on_done:
            self.on_done(report)

    def _release(self, lock: str) -> None:
        self.store.release_lock(lock, self.owner)
        self.held.discard(lock)

    def release_all(self) -> None:
        for lock in list(self.held):
            try:
                self._release(lock)
            except Exception:  # the store may be the reason we are unwinding
                log.exception("could not release %s", lock)


def _save(store: CrawlStore, h: Harvest, config: Config, poll: bool = False) -> CrawlReport:
    if h.stopped:
        log.warning("%s: stopped before the crawl finished; nothing written", h.outlet.id)
        return CrawlReport(h.outlet.id, "stopped", 0, 0, len(h.records), "stopped", "")
    counts = save_harvest(store, h, config.campaign, poll=poll)  # rules decide, the store writes
    error = "; ".join(h.errors)
    level = logging.INFO if h.status == "ok" else logging.WARNING
    log.log(
        level,
        "%s: %s, %d new, %d updated, %s%s",
        h.outlet.id,
        h.status,
        counts["new"],
        counts["updated"],
        requests_text(len(h.records), h.requests_by()),
        f" ({error})" if error else "",
    )
    return CrawlReport(
        h.outlet.id,
        h.status,
        counts["new"],
        counts["updated"],
        len(h.records),
        error,
        "; ".join(h.notes),
        h.requests_by(),
    )


def requests_text(total: int, by: dict[str, int]) -> str:
    """'5 requests (robots 1, discovery 1, listing 3)': what a crawl cost, and why."""
    parts = purposes_text(by)
    return f"{total} requests" + (f" ({parts})" if parts else "")


def _safe_harvest(
    outlet: Outlet,
    client_for: Callable[[Outlet], Client],
    state: OutletState,
    settings: Settings,
    now: Callable[[], datetime],
) -> Harvest:
    client = client_for(outlet)  # taken when the crawl starts: robots.txt read by then
    try:
        h = harvest(outlet, client, state, settings, now)
        h.stopped = client.fetcher.stop.is_set()
        h.retry_after = client.retry_after
        return h
    except Exception as e:  # a bug must not cost the other outlets their audit
        log.error("%s: internal error\n%s", outlet.id, traceback.format_exc())
        h = Harvest(outlet, started=now(), finished=now(), records=list(client.records))
        h.errors.append(f"internal error: {type(e).__name__}: {e}")
        return h
    finally:
        client.close()


def harvest(
    outlet: Outlet,
    client: Client,
    state: OutletState,
    settings: Settings,
    now: Callable[[], datetime],
) -> Harvest:
    """Everything the outlet shows now; HTTP only, nothing written."""
    crawl = OutletCrawl(Harvest(outlet, started=now()), client, state, settings, now)
    rest_ok = _read_outlet(crawl)
    if not rest_ok:
        _without_rest(crawl)
    _scope_feeds(crawl)
    h = crawl.h
    h.finished = now()
    h.records = list(client.records)
    h.validators = dict(client.new_validators)
    return h


def _read_outlet(crawl: OutletCrawl) -> bool:
    """The homepage when needed, the REST listing, the site's feeds and the feeds the
    operator placed; True when REST listed the site."""
    h, outlet = crawl.h, crawl.outlet
    homepage = _homepage(crawl) if _homepage_needed(crawl) else None
    page = _read_homepage(crawl, homepage)
    api_root = rest.api_root(crawl, homepage)
    rest_ok = bool(api_root) and rest.read_rest(crawl, api_root)
    # With a working REST listing the feed only adds its copies of recent posts: one
    # page. Without it, WordPress feeds are paged (None: if the feed says WordPress).
    paging = False if rest_ok else (True if api_root else None)
    placed = {canonical_url(o.value) for o in outlet.overrides if o.kind == "feed"}
    site_complete = False
    for url in [] if _feeds_redundant(h, rest_ok) else _site_feeds(crawl, page, api_root):
        if canonical_url(url) in placed:
            continue  # the operator says whose feed it is: read once, as that column's
        placed.add(canonical_url(url))  # one feed named twice (slash, tracking): once
        site_complete |= feedcrawl.read_feed(crawl, url, "", paging)
    for o in outlet.overrides:
        if o.kind == "feed":
            feedcrawl.read_feed(crawl, o.value, o.column_id, paging=None)
    if api_root and not rest_ok and not site_complete:
        catfeeds.read_category_feeds(crawl)
    return rest_ok


def _without_rest(crawl: OutletCrawl) -> None:
    """Without a REST listing the columns are read from the feeds found before, and from
    their section pages."""
    for url, column_id in crawl.state.column_feeds:
        # a guessed category feed, paged, a 404 only noted; asked again if it failed
        # for another column just before
        if url not in {f.url for f in crawl.h.feeds}:
            feedcrawl.read_feed(crawl, url, column_id, paging=True, guessed=True)
    # a guessed category feed proves its column only if shown to be its
    catfeeds.settle(crawl)
    listings.crawl_sections(crawl)


def _feeds_redundant(h: Harvest, rest_ok: bool) -> bool:
    """A complete REST listing (every post, so every column, up to now) leaves the site's
    feeds nothing to prove: they are copies of its newest posts. What a copy can add (a
    date for a post REST gives undated, another address of a post) is read when the
    homepage is (discovery, and its own schedule), or when REST listed an undated post;
    feeds the operator placed are always read."""
    undated = any(a.published is None for a, _ in h.articles if a.source == "rest")
    listed = rest_ok and not undated and any(c.source == "rest" for c in h.coverage)
    if listed and not h.homepage_read:
        log.debug("%s: site feeds not read: the REST listing covers every column", h.outlet.id)
    return listed and not h.homepage_read


def _scope_feeds(crawl: OutletCrawl) -> None:
    """Feeds read with no column attached cover what coverage.py can prove, nothing more."""
    h, state = crawl.h, crawl.state
    known = {url: set(columns) for url, columns in (state.article_columns or {}).items()}
    column_of = {canonical_url(f.url): f.column_id for f in h.feeds if f.column_id}
    for article, source in h.articles:
        column_id = column_of.get(canonical_url(source)) if source else None
        if column_id:
            known.setdefault(canonical_url(article.url), set()).add(column_id)
    found, own, notes = coverage.scope_feeds(
        h.unscoped, h.outlet.url, crawl.settings.campaign, h.outlet.overrides, h.announced, known
    )
    h.coverage += found
    # a column's own feed that answered 304 keeps the column it was given before
    own += [(url, c) for url, c in state.column_feeds if f"feed:{url}" in h.not_modified]
    seen = {(f.url, f.column_id) for f in h.feeds}
    h.feeds += [
        FeedSeen(url, column_id, "announced by its section page")
        for url, column_id in dict.fromkeys(own)
        if (url, column_id) not in seen
    ]
    h.notes += notes
    h.unscoped = []


def _homepage_needed(crawl: OutletCrawl) -> bool:
    """The homepage tells where the feeds, the API and the menus are; once known, it is
    re-read only as often as the full listing (large pages, and WordPress never says 304),
    and a poll reads it only to find the feeds or the API."""
    outlet, state = crawl.outlet, crawl.state
    knows_feeds = outlet.feeds is not None or bool(state.feeds)
    knows_api = outlet.wordpress is False or bool(state.api_root) or bool(state.api_note)
    stale = not crawl.settings.poll and (
        state.homepage_at is None
        or crawl.h.started - state.homepage_at >= crawl.settings.full_listing_every
    )
    return not (knows_feeds and knows_api) or stale


def _homepage(crawl: OutletCrawl) -> Fetched | None:
    h = crawl.h
    h.homepage_read = True
    try:
        with crawl.client.purpose("discovery"):
            return crawl.client.get(h.outlet.url, conditional=True)
    except NotModified:
        return None
    except FetchError as e:
        h.errors.append(f"homepage: {e.message}")
        return None


def _read_homepage(crawl: OutletCrawl, homepage: Fetched | None) -> Page | None:
    if homepage is None:
        return None
    page = read_page(decode_html(homepage.body, homepage.content_type), homepage.final_url)
    crawl.h.sections += menu_sections(page, crawl.settings.campaign)
    crawl.h.menu_links = sum(1 for link in page.links if link.region in ("nav", "menu"))
    return page


COMMON_FEED_PATHS = ("feed/", "rss/", "rss.xml", "feed.xml", "rss")


def _site_feeds(crawl: OutletCrawl, page: Page | None, api_root: str) -> list[str]:
    """Configured feeds; else those the homepage announces; else those found before; else,
    for WordPress, its main feed; else the first common feed path that answers a feed."""
    h, state = crawl.h, crawl.state
    if h.outlet.feeds is not None:
        return list(h.outlet.feeds)
    announced = [u for u in (page.feeds if page else []) if "comment" not in u.lower()]
    if announced:
        return announced[:5]
    if state.feeds:
        return list(state.feeds)
    base = wp.site_base(h.outlet.url)
    if api_root:
        return [with_params(base, feed="rss2") if "rest_route=" in api_root else base + "feed/"]
    if page is None:
        return []
    path = common_feed_path(crawl.client, base)
    if path is None:
        return []
    h.notes.append(f"feed found at the common path {path}")
    return [base + path]


def common_feed_path(client: Client, base: str) -> str | None:
    """The first of the usual feed paths that answers with a real feed."""
    for path in COMMON_FEED_PATHS:
        try:
            with client.purpose("discovery"):
                fetched = client.get(base + path)
            parse_feed(fetched.body, fetched.url, fetched.content_type)
        except (FetchError, ParseError):
            continue
        return path
    return None
