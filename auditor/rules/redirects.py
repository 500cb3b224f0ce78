"""Where a redirect may take the crawler. Pure: hosts, a URL and addresses in, a verdict out.

An outlet's answer is untrusted, and a redirect is the outlet telling the crawler where to
connect next. Two rules keep that from being turned against the machine or other sites:

* never to a loopback, private, link-local or otherwise non-public address, unless the
  outlet itself is configured on such an address (a test site, an intranet portal);
* never to a host outside the outlet's own hosts (its URL, its configured feeds and API
  root, their ``www.`` twins and subdomains) unless the outlet's ``redirect_hosts`` lists it.

fetch.py resolves the target and asks ``redirect_problem``; tests ask it directly with
made-up addresses, so the decision is checked without connecting anywhere.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RedirectAllowance:
    """What this outlet may be redirected to beyond its own public hosts."""

    hosts: frozenset[str] = frozenset()  # the outlet's redirect_hosts, normalised
    private: bool = False  # the outlet is itself configured on a non-public address


def host_key(host: str) -> str:
    """A host as compared here: lower case, no trailing dot, no leading ``www.``."""
    return host.strip().lower().rstrip(".").removeprefix("www.")


def url_host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def own_hosts(urls: Iterable[str]) -> frozenset[str]:
    """The hosts of the URLs an outlet is configured with, as keys."""
    return frozenset(host_key(h) for h in map(url_host, urls) if h)


def is_public(address: str) -> bool:
    """True for a globally routable unicast address; False for anything else or nonsense."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def host_allowed(host: str, own: frozenset[str], extra: frozenset[str]) -> bool:
    """The host is one of the outlet's (or a subdomain of one), or explicitly allowed."""
    key = host_key(host)
    if not key:
        return False
    return any(key == allowed or key.endswith("." + allowed) for allowed in own | extra)


def target_problem(
    own: frozenset[str], target_url: str, allowance: RedirectAllowance = RedirectAllowance()
) -> str | None:
    """The part of the decision that needs no address: the scheme and the host."""
    try:
        parts = urlsplit(target_url)
        host = parts.hostname or ""
    except ValueError:
        return f"redirect to a malformed URL refused: {target_url!r}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"redirect to a non-HTTP URL refused: {target_url}"
    if not host_allowed(host, own, allowance.hosts):
        return (
            f"redirect to {host or target_url!r} refused: not one of the outlet's hosts "
            f"(add it to the outlet's redirect_hosts if it is theirs): {target_url}"
        )
    return None


def redirect_problem(
    own: frozenset[str],
    target_url: str,
    addresses: Iterable[str],
    allowance: RedirectAllowance = RedirectAllowance(),
) -> str | None:
    """Why following a redirect to target_url must not happen, or None if it may.

    ``addresses`` are what the target's host resolved to (empty if it did not resolve).
    """
    problem = target_problem(own, target_url, allowance)
    if problem:
        return problem
    host = url_host(target_url)
    addresses = list(addresses)
    if not addresses:
        return f"redirect to {host} refused: the host does not resolve: {target_url}"
    private = sorted({a for a in addresses if not is_public(a)})
    if private and not allowance.private:
        return (
            f"redirect to {host} refused: it resolves to a non-public address "
            f"({', '.join(private)}) and the outlet is not configured on one: {target_url}"
        )
    return None
