"""Where a redirect may lead: the pure decision on made-up addresses, then the wire on 127.0.0.1."""

import pytest

from auditor import config as config_mod
from auditor.errors import ConfigError, FetchError
from auditor.fakesite import FakeSite
from auditor.fetch import Fetcher
from auditor.rules.redirects import RedirectAllowance, is_public, own_hosts, redirect_problem
from auditor.types import HttpSettings, Outlet

OWN = own_hosts(["https://congdoan.example.vn/", "https://feeds.other-cdn.example.com/rss"])
PUBLIC = ["93.184.216.34"]

ALLOWED = {
    "the same host": ("https://congdoan.example.vn/a", PUBLIC, RedirectAllowance()),
    "the www twin, http to https": (
        "https://www.congdoan.example.vn/",
        PUBLIC,
        RedirectAllowance(),
    ),
    "a subdomain of the outlet": ("http://tin.congdoan.example.vn/x", PUBLIC, RedirectAllowance()),
    "the host of a configured feed": (
        "https://feeds.other-cdn.example.com/b",
        PUBLIC,
        RedirectAllowance(),
    ),
    "a host listed in redirect_hosts": (
        "https://moi.example.org/",
        PUBLIC,
        RedirectAllowance(hosts=frozenset({"moi.example.org"})),
    ),
    "loopback when the outlet itself is on loopback": (
        "http://congdoan.example.vn:8080/",
        ["127.0.0.1"],
        RedirectAllowance(private=True),
    ),
}

REFUSED = {
    "another host": ("https://evil.example.com/x", PUBLIC, RedirectAllowance(), "evil.example.com"),
    "a look-alike suffix": (
        "https://congdoan.example.vn.evil.example.com/",
        PUBLIC,
        RedirectAllowance(),
        "not one of the outlet's hosts",
    ),
    "a look-alike prefix": (
        "https://xcongdoan.example.vn/",
        PUBLIC,
        RedirectAllowance(),
        "xcongdoan.example.vn",
    ),
    "loopback from a public outlet": (
        "http://congdoan.example.vn/",
        ["127.0.0.1"],
        RedirectAllowance(),
        "127.0.0.1",
    ),
    "the cloud metadata address": (
        "http://congdoan.example.vn/latest/meta-data/",
        ["169.254.169.254"],
        RedirectAllowance(),
        "169.254.169.254",
    ),
    "a private address among public ones": (
        "http://tin.congdoan.example.vn/",
        ["93.184.216.34", "10.1.2.3"],
        RedirectAllowance(),
        "10.1.2.3",
    ),
    "an IPv4-mapped private IPv6 address": (
        "http://congdoan.example.vn/",
        ["::ffff:192.168.1.1"],
        RedirectAllowance(),
        "non-public",
    ),
    "IPv6 link-local": (
        "http://congdoan.example.vn/",
        ["fe80::1%eth0"],
        RedirectAllowance(),
        "fe80",
    ),
    "carrier-grade NAT": (
        "http://congdoan.example.vn/",
        ["100.64.0.1"],
        RedirectAllowance(),
        "100",
    ),
    "a host that does not resolve": (
        "http://tin.congdoan.example.vn/",
        [],
        RedirectAllowance(),
        "does not resolve",
    ),
    "a file URL": ("file:///etc/passwd", [], RedirectAllowance(private=True), "non-HTTP"),
    "another host even on a loopback outlet": (
        "http://127.0.0.2/",
        ["127.0.0.2"],
        RedirectAllowance(private=True),
        "127.0.0.2",
    ),
}


@pytest.mark.parametrize("target, addresses, allowance", ALLOWED.values(), ids=ALLOWED)
def test_redirects_allowed(target, addresses, allowance):
    assert redirect_problem(OWN, target, addresses, allowance) is None


@pytest.mark.parametrize("target, addresses, allowance, named", REFUSED.values(), ids=REFUSED)
def test_redirects_refused_name_the_target(target, addresses, allowance, named):
    problem = redirect_problem(OWN, target, addresses, allowance)
    assert problem is not None and named in problem
    assert "refused" in problem


def test_public_addresses():
    assert is_public("1.1.1.1") and is_public("2606:4700::1111")
    for address in ("127.0.0.1", "10.0.0.1", "172.16.0.1", "0.0.0.0", "::1", "224.0.0.1", "x"):
        assert not is_public(address), address


# -- on the wire: every connection goes to 127.0.0.1; other addresses are made up ----------

FAST = HttpSettings(timeout_s=2, per_host_delay_s=0, retries=2, backoff_s=0.01, obey_robots=False)


def redirecting(location):
    return FakeSite(
        routes={"/go": lambda h: h.send(302, b"", "text/plain", {"Location": location})}
    )


def outlet_at(url, **kw):
    return Outlet(id="o", name="O", kind="website", url=url, **kw)


def test_redirect_to_another_host_is_refused_before_connecting(serve):
    server = serve(redirecting("http://elsewhere.example.com/x"))
    resolved = []

    def resolve(host):
        resolved.append(host)
        return ["93.184.216.34"]

    client = Fetcher(FAST, resolve=resolve).client(outlet_at(server.url + "/"))
    with pytest.raises(FetchError, match=r"elsewhere\.example\.com") as caught:
        client.get(server.url + "/go")
    assert caught.value.status == 302
    assert len(client.records) == 1  # refused once, not retried
    assert "elsewhere.example.com" not in resolved  # refused on the name alone


def test_redirect_to_loopback_refused_when_the_outlet_is_public(serve):
    """The outlet's own host is made to look public; its redirect to localhost is refused."""
    server = serve(redirecting("/next"))
    server.site.routes["/next"] = lambda h: h.send(200, b"ok", "text/plain")

    def resolve(host):
        return ["127.0.0.1"] if host == "localhost" else ["93.184.216.34"]

    outlet = outlet_at(server.url + "/", redirect_hosts=("localhost",))
    port = server.url.rsplit(":", 1)[1]
    site = server.site
    site.routes["/go"] = lambda h: h.send(
        302, b"", "text/plain", {"Location": f"http://localhost:{port}/next"}
    )
    with pytest.raises(FetchError, match=r"localhost refused: it resolves to a non-public"):
        Fetcher(FAST, resolve=resolve).client(outlet).get(server.url + "/go")


def test_redirect_within_a_loopback_outlet_is_followed(serve):
    server = serve(redirecting("/next"))
    server.site.routes["/next"] = lambda h: h.send(200, b"ok", "text/plain")
    fetched = Fetcher(FAST).client(outlet_at(server.url + "/")).get(server.url + "/go")
    assert fetched.body == b"ok" and fetched.final_url.endswith("/next")


def test_a_client_without_an_outlet_keeps_to_the_requested_host(serve):
    server = serve(redirecting("http://127.0.0.2:9/x"))
    with pytest.raises(FetchError, match=r"127\.0\.0\.2"):
        Fetcher(FAST).client().get(server.url + "/go")


# -- the config key -------------------------------------------------------------------------

CONFIG = """
campaign: {{id: c, start: 2024-01-01, end: 2024-12-31, columns: [{{id: a, name: A}}]}}
outlets:
  - {{id: o, name: O, kind: website, url: "https://a.example.vn/", redirect_hosts: {hosts}}}
"""


def test_redirect_hosts_are_read_and_lower_cased():
    config = config_mod.parse(CONFIG.format(hosts="[Tin.Example.ORG, b.example.vn.]"))
    assert config.outlets[0].redirect_hosts == ("tin.example.org", "b.example.vn")


@pytest.mark.parametrize("bad", ['["https://x.example.vn/"]', '["x.example.vn:80"]', "x.vn", "[3]"])
def test_redirect_hosts_must_be_host_names(bad):
    with pytest.raises(ConfigError, match=r"outlets\[0\]\.redirect_hosts"):
        config_mod.parse(CONFIG.format(hosts=bad))
