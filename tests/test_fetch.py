"""HTTP semantics against real servers on 127.0.0.1."""

import threading
from datetime import timedelta

import pytest

from auditor.crawl.lane import RobotsLane
from auditor.errors import FetchError, NotModified, RobotsDenied
from auditor.fakesite import FakeSite
from auditor.fetch import Fetcher
from auditor.types import HttpSettings, Outlet

FAST = HttpSettings(
    timeout_s=2,
    max_body_mb=1,
    per_host_delay_s=0,
    retries=2,
    backoff_s=0.01,
    contact="kiemtra@example.org",
)


def client(settings=FAST, validators=None):
    return Fetcher(settings, validators).client()


def site_with(**routes):
    return FakeSite(routes={"/robots.txt": lambda h: h.send(404, b"", "text/plain"), **routes})


def counter_route(responses):
    """A route that answers from a list, one per call; it remembers what it saw."""
    seen = []

    def route(h):
        seen.append(dict(h.headers))
        status, body, headers = responses[min(len(seen), len(responses)) - 1]
        h.send(status, body, "text/plain", headers)

    route.seen = seen
    return route


def test_retries_5xx_and_honours_retry_after(serve):
    route = counter_route([(503, b"busy", {"Retry-After": "0"}), (200, b"ok", {})])
    server = serve(site_with(**{"/x": route}))
    c = client()
    assert c.get(server.url + "/x").body == b"ok"
    assert [r.status for r in c.records if r.url.endswith("/x")] == [503, 200]
    assert "kiemtra@example.org" in route.seen[0]["User-Agent"]


def test_gives_up_after_retries_with_clear_error(serve):
    server = serve(site_with(**{"/x": counter_route([(500, b"no", {})])}))
    c = client()
    with pytest.raises(FetchError, match="HTTP 500"):
        c.get(server.url + "/x")
    assert len([r for r in c.records if r.url.endswith("/x")]) == 3


def test_long_retry_after_is_not_waited_for(serve):
    server = serve(site_with(**{"/x": counter_route([(429, b"", {"Retry-After": "99999"})])}))
    with pytest.raises(FetchError) as e:
        client().get(server.url + "/x")
    assert e.value.status == 429 and e.value.retry_after == 99999


def test_body_size_cap(serve):
    big = b"x" * (1024 * 1024 + 10)
    server = serve(site_with(**{"/big": lambda h: h.send(200, big, "text/plain")}))
    with pytest.raises(FetchError, match="larger than 1 MB"):
        client().get(server.url + "/big")


def endless(h):
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.end_headers()
    try:
        for _ in range(100_000):
            h.wfile.write(b"<item>" * 1000)
    except OSError:
        pass


def test_endless_body_is_cut(serve):
    server = serve(site_with(**{"/endless": endless}))
    with pytest.raises(FetchError, match="cut off"):
        client().get(server.url + "/endless")


def trickler(done: threading.Event):
    """A body that never ends: a byte every 0.1 s until the test is over (or the client
    hangs up), so only the client's own deadline can end the read, however slow the
    machine."""

    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.end_headers()
        try:
            while not done.wait(0.1):
                h.wfile.write(b"x")
                h.wfile.flush()
        except OSError:
            pass

    return trickle


def test_trickling_body_is_cut_at_the_deadline(serve, request):
    done = threading.Event()
    request.addfinalizer(done.set)
    server = serve(site_with(**{"/slow": trickler(done)}))
    settings = HttpSettings(timeout_s=1, per_host_delay_s=0, retries=0)
    with pytest.raises(FetchError, match="still arriving"):
        client(settings).get(server.url + "/slow")


def test_no_answer_times_out(serve, request):
    released = threading.Event()  # the server stays mute until the test is over
    request.addfinalizer(released.set)
    server = serve(site_with(**{"/mute": lambda h: released.wait(60)}))
    settings = HttpSettings(timeout_s=0.5, per_host_delay_s=0, retries=0)
    with pytest.raises(FetchError, match="timed out"):
        client(settings).get(server.url + "/mute")


def test_redirect_loop(serve):
    def to(path):
        return lambda h: h.send(302, b"", "text/plain", {"Location": path})

    server = serve(site_with(**{"/a": to("/b"), "/b": to("/a")}))
    with pytest.raises(FetchError, match="redirects"):
        client().get(server.url + "/a")


def test_conditional_get(serve):
    def etagged(h):
        if h.headers.get("If-None-Match") == '"v1"':
            h.send(304, b"", "text/plain", {"ETag": '"v1"'})
        else:
            h.send(200, b"feed", "text/plain", {"ETag": '"v1"'})

    server = serve(site_with(**{"/feed": etagged}))
    first = client()
    first.get(server.url + "/feed", conditional=True)
    assert first.new_validators[server.url + "/feed"]["etag"] == '"v1"'
    second = client(validators=first.new_validators)
    with pytest.raises(NotModified):
        second.get(server.url + "/feed", conditional=True)
    assert second.records[-1].status == 304 and second.records[-1].error == ""


def test_robots_txt_is_obeyed(serve):
    robots = b"User-agent: *\nDisallow: /private/\n"
    server = serve(
        FakeSite(
            routes={
                "/robots.txt": lambda h: h.send(200, robots, "text/plain"),
                "/private/x": lambda h: h.send(200, b"secret", "text/plain"),
            }
        )
    )
    c = client()
    with pytest.raises(RobotsDenied):
        c.get(server.url + "/private/x")
    assert c.records[-1].error == "disallowed by robots.txt"


def test_robots_txt_server_error_closes_the_site(serve):
    server = serve(
        FakeSite(
            routes={
                "/robots.txt": lambda h: h.send(503, b"", "text/plain"),
                "/x": lambda h: h.send(200, b"ok", "text/plain"),
            }
        )
    )
    with pytest.raises(FetchError, match=r"robots\.txt unavailable"):
        client().get(server.url + "/x")


def test_connection_refused_is_a_fetch_error():
    settings = HttpSettings(timeout_s=1, per_host_delay_s=0, retries=0)
    with pytest.raises(FetchError, match="connection failed"):
        client(settings).get("http://127.0.0.1:9/")


def test_robots_txt_answered_by_an_html_page_means_no_rules(serve):
    # WordPress without rewrite rules serves its homepage at /robots.txt (seen on Debian's 6.1)
    page = b"<!doctype html><html><body>Disallow: /</body></html>"
    server = serve(
        FakeSite(
            routes={
                "/robots.txt": lambda h: h.send(200, page, "text/html; charset=UTF-8"),
                "/x": lambda h: h.send(200, b"ok", "text/plain"),
            }
        )
    )
    fetcher = Fetcher(FAST)
    assert fetcher.client().get(server.url + "/x").body == b"ok"
    assert fetcher.fresh_robots[server.url][1] == ""


def _site_closed_at_private(serve):
    """A site whose robots.txt closes /private/, and a Fetcher that has read it."""
    robots = b"User-agent: *\nDisallow: /private/\n"
    server = serve(
        FakeSite(
            routes={
                "/robots.txt": lambda h: h.send(200, robots, "text/plain"),
                "/x": lambda h: h.send(200, b"ok", "text/plain"),
            }
        )
    )
    first = Fetcher(FAST)
    first.client().get(server.url + "/x")
    return server, first


def test_robots_txt_is_remembered_for_a_day(serve):
    server, first = _site_closed_at_private(serve)
    server.site.log.clear()
    second = Fetcher(FAST, robots=first.fresh_robots)
    c = second.client()
    c.get(server.url + "/x")
    with pytest.raises(RobotsDenied):
        c.get(server.url + "/private/y")
    assert "/robots.txt" not in server.site.log


def test_rules_known_without_a_request_are_not_read_ahead_on_the_robots_lane(serve):
    """Stored rules still fresh are parsed where first asked for, not all at once as the
    lane starts; stale ones, and sites never read, are read ahead as before."""
    server, first = _site_closed_at_private(serve)
    [(read_at, _)] = first.fresh_robots.values()
    outlet = Outlet("o", "O", "website", server.url + "/")
    fresh = Fetcher(FAST, robots=first.fresh_robots, now=lambda: read_at + timedelta(hours=23))
    stale = Fetcher(FAST, robots=first.fresh_robots, now=lambda: read_at + timedelta(hours=25))
    assert fresh.robots_known([server.url + "/x"]) and not stale.robots_known([server.url + "/x"])
    assert not Fetcher(FAST).robots_known([server.url + "/x"])
    server.site.log.clear()
    with RobotsLane(fresh, 2, [outlet]) as lane:
        assert lane.lanes["o"][1] is None  # nothing submitted
        c = lane.take(outlet)
        with pytest.raises(RobotsDenied):  # the stored rules hold all the same
            c.get(server.url + "/private/y")
    with RobotsLane(stale, 2, [outlet]) as lane:
        assert lane.lanes["o"][1] is not None
        lane.take(outlet)
    assert server.site.log == ["/robots.txt"]  # the stale rules alone were read again


def test_no_credentials_are_sent_to_an_outlet(serve, tmp_path, monkeypatch):
    # a ~/.netrc naming the outlet's host, and a user:password written in its link:
    # neither reaches the outlet
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login ops password secret\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    route = counter_route([(200, b"ok", {})])
    server = serve(site_with(**{"/page": route}))
    c = client()
    c.get(server.url + "/page")
    c.get(server.url.replace("http://", "http://ops:secret@") + "/page?again=1")
    assert len(route.seen) == 2
    assert all("Authorization" not in headers for headers in route.seen)


def test_an_outlets_requests_to_one_host_share_one_connection(serve):
    ports = []

    def route(h):
        ports.append(h.client_address[1])  # the client's side of the TCP connection
        h.send(200, b"ok", "text/plain")

    server = serve(FakeSite(routes={"/robots.txt": route, "/a": route, "/b": route}))
    c = client()
    c.get(server.url + "/a")  # robots.txt first, then /a
    c.get(server.url + "/b")
    assert len(ports) == 3 and len(set(ports)) == 1
    c.close()


def test_the_environments_proxy_carries_requests_and_no_proxy_is_respected(serve, monkeypatch):
    asked = []

    def proxy_route(h):
        asked.append(h.path)  # a proxy is sent the whole address
        h.send(200, b"via proxy", "text/plain")

    proxy = serve(FakeSite(routes={"/robots.txt": proxy_route, "/tin": proxy_route}))
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    fetched = client().get("http://toa-soan.invalid/tin")
    assert fetched.body == b"via proxy"
    assert asked == ["http://toa-soan.invalid/robots.txt", "http://toa-soan.invalid/tin"]
    # an address NO_PROXY names is asked directly, never through the proxy
    direct = serve(site_with(**{"/tin": counter_route([(200, b"direct", {})])}))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert client().get(direct.url + "/tin").body == b"direct"
    assert len(asked) == 2
