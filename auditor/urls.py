"""URL identity: one article per outlet and canonical URL. Pure."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|zarsrc|mc_cid|mc_eid|_ga|ref|amp)$", re.I)
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# A crawl's save asks for the same few URLs' forms many times (keys, matching, columns):
# the answers are kept, for addresses of ordinary length only (an outlet's bytes decide
# how long a URL is, and what is kept must stay small).
_CACHED_LENGTH = 2048


def canonical_url(url: str, base: str = "") -> str:
    """Scheme and host lower-cased, default port, fragment, tracking parameters and a
    trailing slash dropped, remaining parameters sorted."""
    if len(url) <= _CACHED_LENGTH and len(base) <= _CACHED_LENGTH:
        return _canonical_kept(url, base)
    return _canonical(url, base)


def url_key(url: str) -> str:
    """Identity of a URL beyond canonical_url: http and https, www. or not, are one page."""
    return _url_key_kept(url) if len(url) <= _CACHED_LENGTH else _url_key(url)


def _canonical(url: str, base: str = "") -> str:
    url = urljoin(base, url.strip()) if base else url.strip()
    # the fragment goes, and with it any space it left at the end ("/bai #top")
    parts = urlsplit(url.split("#", 1)[0].rstrip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets, or the port would be misread
        host = f"[{host}]"
    if parts.port and str(parts.port) != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _url_key(url: str) -> str:
    parts = urlsplit(canonical_url(url))
    host = parts.netloc.removeprefix("www.")
    return f"{host}{parts.path}" + (f"?{parts.query}" if parts.query else "")


_canonical_kept = functools.lru_cache(maxsize=8192)(_canonical)
_url_key_kept = functools.lru_cache(maxsize=8192)(_url_key)


def join_url(base: str, href: str) -> str | None:
    """href from a page resolved against the page's URL; None when urllib refuses it
    (an unbalanced "[" in the host), so one bad link never stops a page being read."""
    if not href or not href.strip():
        return None  # urljoin would give the page itself
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None


def web_url(url: str, base: str = "") -> str | None:
    """The canonical http(s) URL of a link from an outlet, or None when it is not one
    (a "urn:" id, "javascript:", an unbalanced "[" that urllib refuses)."""
    if not url.strip():
        return None
    try:
        found = canonical_url(url, base)
        parts = urlsplit(found)
    except ValueError:
        return None
    return found if parts.scheme in ("http", "https") and parts.hostname else None


def wp_post_id(url: str) -> int | None:
    """The post id of a WordPress short link such as https://site/?p=123 (RSS guids)."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key == "p" and value.isdigit():
            return int(value)
    return None


def with_params(url: str, **params: object) -> str:
    """url with these query parameters set (replacing any of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path, urlencode(query, safe="/,"), parts.fragment)
    )


def same_site(url: str, site: str) -> bool:
    def host(u: str) -> str:
        return (urlsplit(u).hostname or "").lower().removeprefix("www.")

    return host(url) == host(site)


def under_prefix(url: str, prefix: str) -> bool:
    a, b = canonical_url(url), canonical_url(prefix)
    return a == b or a.startswith(b.rstrip("/") + "/")
