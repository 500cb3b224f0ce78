"""The WordPress side of one outlet's crawl: find the REST API, list terms and posts (full,
or incremental with modified_after), and decide when a closed API sends us to the feeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from auditor.crawl.outlet import OutletCrawl
from auditor.errors import FetchError, WordPressError
from auditor.fetch import Client
from auditor.parse import wordpress as wp
from auditor.rules.coverage import REST
from auditor.types import BEGINNING, Coverage, Fetched, Harvest

# A REST answer that means "no API for you" rather than "something broke": fall back to feeds.
BLOCKED_STATUSES = frozenset({401, 403, 404, 410, 501, 503})


def api_root(crawl: OutletCrawl, homepage: Fetched | None) -> str:
    """The outlet's REST root: from its config, its homepage, what was found before, or a
    probe; "" for none."""
    h, client, outlet, state = crawl.h, crawl.client, crawl.outlet, crawl.state
    if outlet.wordpress is False:
        return ""
    if isinstance(outlet.wordpress, str) and outlet.wordpress != "auto":
        h.api_root, h.api_note = outlet.wordpress, "from config"
        return outlet.wordpress
    found = wp.api_from_homepage(homepage) if homepage else None
    if found:
        h.api_root, h.api_note = found, "advertised by the homepage"
        return found
    if state.api_root:
        return state.api_root
    if state.api_note:  # probed before and found nothing: do not knock every time
        return ""
    root = probe_roots(client, outlet.url)
    if root:
        h.api_root, h.api_note = root, "found by probing"
        return root
    # only a site that answered can be said to have no API; one never reached (or answering
    # only server errors) says nothing, and is probed again next time
    if any(r.status is not None and r.status < 500 for r in client.records):
        h.api_note = "no WordPress REST API found"
    return ""


def probe_roots(client: Client, url: str) -> str:
    """The first of the site's usual REST roots (/wp-json/, ?rest_route=/) that answers as
    WordPress does; "" for none. The crawl and `discover` knock the same way."""
    for root in wp.candidate_roots(url):
        with client.purpose("discovery"):
            if wp.probe(client.get, root):
                return root
    return ""


def read_rest(crawl: OutletCrawl, root: str) -> bool:
    """List terms and posts through REST; False (with the reason noted) to fall back."""
    h, settings, started = crawl.h, crawl.settings, crawl.now()
    try:
        terms = _list_terms(crawl.client, root, settings.max_rest_pages)
        listing, full, cursor = _list_posts(crawl, root, started)
    except (FetchError, WordPressError) as e:
        _rest_failed(h, e)
        return False
    by_id = {(t.kind, t.term_id): t for t in terms}
    posts = wp.parse_posts(listing.items, by_id, h.outlet.url)
    h.terms, h.rest_terms_complete = terms, True
    h.articles += [(p, "") for p in posts]
    modified = [p.modified for p in posts if p.modified]
    h.rest_cursor = max([*modified, *([cursor] if cursor else [])], default=None)
    if not listing.complete:
        h.errors.append(
            f"REST listing stopped at page {listing.pages} "
            f"(max_rest_pages {settings.max_rest_pages})"
        )
        return True
    ignored = cursor is not None and any(m < cursor for m in modified)
    full = full or ignored
    h.full_listing = full
    if full:
        h.rest_ids = frozenset(p.wp_id for p in posts if p.wp_id is not None)
    start = BEGINNING if full else cursor
    h.coverage += [Coverage(c.id, start, started, "rest", REST) for c in settings.campaign.columns]
    return True


def _list_terms(client: Client, root: str, max_pages: int) -> list:
    terms = []
    for kind, route in (("category", "wp/v2/categories"), ("tag", "wp/v2/tags")):
        listing = wp.list_collection(
            _paged(client), wp.page_url(root, route, wp.TERM_FIELDS), max_pages
        )
        terms += wp.parse_terms(listing.items, kind)
    return terms


def _list_posts(crawl: OutletCrawl, root: str, started: datetime):
    state = crawl.state
    stale = started - (state.last_full_listing or started) >= crawl.settings.full_listing_every
    due = (
        state.last_full_listing is None
        or state.rest_cursor is None
        or (stale and not crawl.settings.poll)
    )
    # a minute of overlap: modified_after is exclusive and clocks round to the second
    since = None if due else state.rest_cursor - timedelta(minutes=1)
    params = {} if due else {"modified_after": wp.gmt_param(since), "orderby": "modified"}
    listing = wp.list_collection(
        _paged(crawl.client),
        wp.page_url(root, "wp/v2/posts", wp.POST_FIELDS, **params),
        crawl.settings.max_rest_pages,
    )
    return listing, due, since


def _paged(client: Client) -> Callable[[str], Fetched]:
    """client.get for one collection: its first page is the listing, the rest paging."""
    calls = [0]

    def get(url: str) -> Fetched:
        calls[0] += 1
        with client.purpose("listing" if calls[0] == 1 else "paging"):
            return client.get(url)

    return get


def _rest_failed(h: Harvest, e: Exception) -> None:
    blocked = isinstance(e, WordPressError) or (
        isinstance(e, FetchError) and e.status in BLOCKED_STATUSES
    )
    reason = getattr(e, "reason", None) or getattr(e, "message", str(e))
    code = wp.error_code(e) if isinstance(e, FetchError) else ""
    reason = f"{reason} {code}".strip()
    if blocked:
        h.notes.append(f"REST API unusable ({reason}); audited from feeds")
    else:
        h.errors.append(f"REST listing failed: {reason}")
