"""The WordPress REST API: discovery, URL building, pagination, JSON → articles and terms.

Parsing is pure; the network is reached only through a fetch.Client passed in.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin

from auditor.errors import FetchError, WordPressError
from auditor.text import as_published, clean, html_to_text
from auditor.types import Article, Fetched, Term
from auditor.urls import web_url, with_params

API_REL = "https://api.w.org/"
PER_PAGE = 100
POST_FIELDS = "id,date_gmt,modified_gmt,link,title,excerpt,content,categories,tags,guid"
TERM_FIELDS = "id,name,slug,link,count"
_BLOCKING_CODES = (
    "rest_disabled",
    "rest_cannot_access",
    "rest_forbidden",
    "rest_not_logged_in",
    "rest_login_required",
    "rest_no_route",
)
_LINK_ITEM = re.compile(r"<([^>]+)>\s*;([^,]*(?:,(?!\s*<)[^,]*)*)")


# -- discovery ------------------------------------------------------------------------------


def api_from_link_header(value: str, base: str) -> str | None:
    """The API root advertised as `Link: <…/wp-json/>; rel="https://api.w.org/"`."""
    for target, params in _LINK_ITEM.findall(value or ""):
        if re.search(r'rel\s*=\s*"?' + re.escape(API_REL), params):
            return _join(base, target.strip())
    return None


def _join(base: str, href: str) -> str | None:
    """href resolved against base; None when urllib refuses it (an unbalanced "[")."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None


class _LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.api: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and (a.get("rel") or "").strip() == API_REL and a.get("href"):
            self.api = self.api or a["href"]


def api_from_html(html: str, base: str) -> str | None:
    finder = _LinkFinder()
    finder.feed(html)
    return _join(base, finder.api) if finder.api else None


def api_from_homepage(page: Fetched) -> str | None:
    found = api_from_link_header(page.headers.get("link", ""), page.final_url)
    if found:
        return found
    return api_from_html(page.body[:2_000_000].decode("utf-8", "replace"), page.final_url)


def site_base(site_url: str) -> str:
    return site_url if site_url.endswith("/") else site_url + "/"


def candidate_roots(site_url: str) -> list[str]:
    """Where the API lives when nothing advertises it: pretty permalinks, then ?rest_route=."""
    base = site_base(site_url)
    return [urljoin(base, "wp-json/"), with_params(base, rest_route="/")]


def route_url(api_root: str, route: str, **params: object) -> str:
    """URL of a REST route under either root form (…/wp-json/ or …/?rest_route=/)."""
    route = route.strip("/")
    if "rest_route=" in api_root:
        return with_params(api_root, rest_route="/" + route, **params)
    return with_params(api_root.rstrip("/") + "/" + route, **params)


# -- JSON → values --------------------------------------------------------------------------


def decode_json(page: Fetched) -> object:
    """JSON of a REST answer, or WordPressError saying why it is not one."""
    text = page.body.decode("utf-8-sig", "replace").strip()
    if not text.startswith(("[", "{")):
        kind = (
            "HTML"
            if text[:200].lower().lstrip().startswith(("<!doctype", "<html"))
            else "something else"
        )
        raise WordPressError(page.url, f"{kind} instead of JSON")
    try:
        payload = json.loads(text)
    except ValueError as e:
        raise WordPressError(page.url, f"broken JSON: {e}") from None
    if isinstance(payload, dict) and payload.get("code") in _BLOCKING_CODES:
        raise WordPressError(page.url, f"API answered {payload['code']}")
    return payload


def error_code(error: FetchError) -> str:
    try:
        payload = json.loads(error.body.decode("utf-8-sig", "replace"))
    except ValueError:
        return ""
    return payload.get("code", "") if isinstance(payload, dict) else ""


def parse_terms(items: list, kind: str) -> list[Term]:
    terms = []
    for item in items:
        if not isinstance(item, dict) or "id" not in item:
            continue
        terms.append(
            Term(
                kind,
                as_published(html.unescape(str(item.get("name", "")))),  # as published
                str(item.get("slug", "")),
                _int(item.get("id")),
                str(item.get("link", "")),
            )
        )
    return terms


def parse_posts(items: list, terms: dict[tuple[str, int], Term], site: str) -> list[Article]:
    posts = []
    for item in items:
        url = web_url(str(item.get("link") or ""), site) if isinstance(item, dict) else None
        if url is None:
            continue
        linked = [
            terms.get(("category", i)) or Term("category", "", "", i)
            for i in _ids(item.get("categories"))
        ]
        linked += [terms.get(("tag", i)) or Term("tag", "", "", i) for i in _ids(item.get("tags"))]
        posts.append(
            Article(
                url=url,
                title=html_to_text(_rendered(item.get("title"))),
                published=parse_gmt(item.get("date_gmt")),
                modified=parse_gmt(item.get("modified_gmt")),
                source="rest",
                guid=clean(_rendered(item.get("guid"))),
                wp_id=_int(item.get("id")),
                summary=html_to_text(_rendered(item.get("excerpt"))),
                text=html_to_text(_rendered(item.get("content"))),
                terms=tuple(t for t in linked if t.term_id is not None),
            )
        )
    return posts


def parse_gmt(value: object) -> datetime | None:
    """WordPress *_gmt fields are UTC without an offset; "0000-00-00…" means unset."""
    if not isinstance(value, str) or not value or value.startswith("0000"):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _rendered(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("rendered", ""))
    return str(value or "")


def _int(value: object) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: 1e999 reads as infinity
        return None


def _ids(value: object) -> list[int | None]:
    """Term ids of a post: a list of numbers; anything else an outlet sends lists none."""
    return [_int(i) for i in value] if isinstance(value, list) else []


# -- listing --------------------------------------------------------------------------------


@dataclass
class Listing:
    items: list
    pages: int
    complete: bool


def list_collection(
    get: Callable[[str], Fetched], url_for_page: Callable[[int], str], max_pages: int
) -> Listing:
    """Every page of a collection, following X-WP-TotalPages.

    The end is a short page, the announced last page, an empty list, or the 400
    `rest_post_invalid_page_number` that WordPress answers past the last page.
    """
    items: list = []
    page = 1
    while True:
        url = url_for_page(page)
        try:
            fetched = get(url)
        except FetchError as e:
            if page > 1 and e.status == 400 and error_code(e) == "rest_post_invalid_page_number":
                return Listing(items, page - 1, True)
            raise
        payload = decode_json(fetched)
        if not isinstance(payload, list):
            raise WordPressError(url, "expected a JSON list")
        items.extend(payload)
        total = _int(fetched.headers.get("x-wp-totalpages"))
        if (
            not payload
            or (total is not None and page >= total)
            or (total is None and len(payload) < PER_PAGE)
        ):
            return Listing(items, page, True)
        if page >= max_pages:
            return Listing(items, page, False)
        page += 1


def page_url(api_root: str, route: str, fields: str, **params: object) -> Callable[[int], str]:
    def build(page: int) -> str:
        return route_url(api_root, route, per_page=PER_PAGE, page=page, _fields=fields, **params)

    return build


def probe(get: Callable[[str], Fetched], root: str) -> bool:
    """True when root answers like a WordPress REST API (a JSON list of categories)."""
    try:
        payload = decode_json(get(route_url(root, "wp/v2/categories", per_page=1, _fields="id")))
    except (FetchError, WordPressError):
        return False
    return isinstance(payload, list)


def gmt_param(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
