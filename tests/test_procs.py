"""A crawl harvested in forked processes (crawl/procs.py): outlets shared out so that no
host is in two processes, each process given its part of http.concurrency (never more
outlets at once in all), a helper process that dies costing only its own outlets
(recorded as errors), and a crawl in two processes that ends with the same verdicts as a
crawl in one. Nothing here is timed."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import wait
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_crawl import CATEGORIES, write_config

from auditor.crawl import procs
from auditor.fakesite import FakePost, FakeSite, Server
from auditor.types import Harvest, Outlet, OutletState

ROOT = Path(__file__).parent.parent


def outlet(name: str, url: str, feeds=None, redirect_hosts=()) -> Outlet:
    return Outlet(name, name, "website", url, feeds, redirect_hosts=tuple(redirect_hosts))


# -- sharing out ------------------------------------------------------------------------------


def test_outlets_that_share_a_site_through_any_of_their_urls_are_one_group():
    a = outlet("a", "https://a.vn/")
    b = outlet("b", "https://b.vn/", feeds=("https://www.a.vn/feed/",))  # a's host, www aside
    c = outlet("c", "https://c.vn/", feeds=("https://b.vn:8080/rss",))  # b's, by way of a port
    d = outlet("d", "https://d.vn/")
    e = outlet("e", "https://e.vn/", redirect_hosts=("d.vn",))  # its redirects may reach d
    f = outlet("f", "https://f.vn/")
    g = outlet("g", "https://tin.g.com.vn/")
    h = outlet("h", "https://g.com.vn/")  # g's site: a subdomain redirect stays in one shard
    i = outlet("i", "https://i.vn/")
    j = outlet("j", "https://j.vn/")  # i's API, as an earlier crawl found it
    groups = procs.host_groups([a, b, c, d, e, f, g, h, i, j], {"j": ["https://api.i.vn/wp-json/"]})
    assert [[o.id for o in g] for g in groups] == [
        ["a", "b", "c"],
        ["d", "e"],
        ["f"],
        ["g", "h"],
        ["i", "j"],
    ]


def test_a_site_is_its_registered_domain_near_enough():
    assert procs.site_of("www.laodong.vn") == "laodong.vn"
    assert procs.site_of("ldld.hanoi.gov.vn") == "hanoi.gov.vn"
    assert procs.site_of("congdoan.com.vn") == "congdoan.com.vn"
    assert procs.site_of("a.b.example.org") == "example.org"
    assert procs.site_of("127.0.0.2") == "127.0.0.2"  # addresses are their own sites
    assert procs.site_of("localhost") == "localhost"


def test_no_site_is_in_two_shards_and_every_outlet_is_in_one():
    outlets = [outlet(f"o{i}", f"https://site{i % 7}.vn/o{i}/") for i in range(50)]
    outlets += [outlet(f"p{i}", f"https://p{i}.vn/") for i in range(30)]
    shards, workers = procs.plan(outlets, {}, 3, 8)
    assert sorted(o.id for s in shards for o in s) == sorted(o.id for o in outlets)
    hosts = [{o.url.split("/")[2] for o in s} for s in shards]
    for k, mine in enumerate(hosts):
        for other in hosts[k + 1 :]:
            assert not mine & other
    for shard in shards:  # the config's order, kept (robots.txt is read ahead in it)
        assert shard == sorted(shard, key=outlets.index)
    assert sum(workers) == 8 and all(workers)


def test_fewer_sites_than_processes_make_fewer_shards_never_an_empty_helper():
    outlets = [outlet(f"o{i}", f"https://site{i % 2}.vn/o{i}/") for i in range(64)]
    shards, workers = procs.plan(outlets, {}, 4, 8)
    assert all(shards[1:]) and len(shards) <= 2
    assert sum(workers) <= 8


def test_the_main_process_shard_is_weighted_against_a_helpers():
    outlets = [outlet(f"o{i}", f"https://o{i}.vn/") for i in range(100)]
    main, helper = procs.split(outlets, procs.host_groups(outlets), 2, main_share=0.6)
    assert len(main) + len(helper) == 100
    assert abs(len(main) - 100 * 0.6 / 1.6) <= 1  # 0.6 of the helper's, to an outlet


def shards_of(*sizes):
    return [
        [outlet(f"{n}-{i}", f"https://{n}-{i}.vn/") for i in range(k)] for n, k in enumerate(sizes)
    ]


def test_concurrency_is_shared_out_by_shard_size_and_never_exceeded():
    assert procs.share_workers(8, shards_of(112, 188)) == [3, 5]
    assert procs.share_workers(8, shards_of(100, 100, 100)) == [3, 3, 2]
    assert sum(procs.share_workers(16, shards_of(5, 70, 25))) == 16
    assert procs.share_workers(8, shards_of(0, 40)) == [0, 8]  # an empty shard gets none
    for workers, sizes in [(4, (1, 40, 40, 40)), (3, (1, 1, 40)), (5, (3, 3, 3, 90))]:
        shares = procs.share_workers(workers, shards_of(*sizes))
        assert sum(shares) == workers and all(shares), (workers, sizes, shares)


def test_how_many_processes():
    assert procs.process_count(0, workers=8, outlets=300, cpus=2) == 2  # one per core
    assert procs.process_count(0, workers=8, outlets=300, cpus=64) == procs.MAX_AUTO
    assert procs.process_count(3, workers=8, outlets=300, cpus=2) == 3  # as configured
    assert procs.process_count(1, workers=8, outlets=300, cpus=8) == 1
    assert procs.process_count(4, workers=2, outlets=300, cpus=8) == 2  # a slot each at least
    assert procs.process_count(0, workers=8, outlets=20, cpus=8) == 1  # too few to share
    assert procs.process_count(0, workers=8, outlets=2 * procs.MIN_SHARD, cpus=8) == 2


def test_interleave_gives_every_process_work_from_the_first_states_on():
    a, b, c = (
        [outlet(f"{n}{i}", f"https://{n}{i}.vn/") for i in range(k)]
        for n, k in (("a", 3), ("b", 1), ("c", 2))
    )
    assert [o.id for o in procs.interleave([a, b, c])] == ["a0", "b0", "c0", "a1", "c1", "a2"]


# -- a helper process ---------------------------------------------------------------------------


def _harvest_then_die(outlets, results, words):
    """A helper that harvests what it is given until the second outlet, then dies."""
    for n, word in enumerate(iter(words.recv, ("end",))):
        if n == 1:
            os._exit(3)
        outlet = next(o for o in outlets if o.id == word[1])
        results.send(("harvest", Harvest(outlet, started=datetime(2018, 1, 1, tzinfo=UTC))))


def test_a_helper_that_dies_costs_only_its_own_outlets_each_an_error_that_says_so():
    outlets = [outlet(f"o{i}", f"https://o{i}.vn/") for i in range(4)]
    helper = procs.Helper(outlets, _harvest_then_die, procs.lost_harvest(lambda: datetime.now(UTC)))
    helper.listen()
    for o in outlets:
        helper.give(o, OutletState())
    futures = dict(helper.futures)
    helper.end()
    wait(futures.values(), timeout=30)
    helper.join()
    done = {i: f.result() for i, f in futures.items()}
    assert done["o0"].errors == []  # harvested before the helper died: kept
    for i in ("o1", "o2", "o3"):
        assert done[i].status == "error"
        assert "crawl process ended before this outlet was done" in done[i].errors[0]


class _Unpicklable:
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def test_a_harvest_that_does_not_pickle_is_an_error_for_its_outlet_not_a_hang():
    import multiprocessing

    theirs, ours = multiprocessing.Pipe(duplex=False)
    h = Harvest(outlet("o", "https://o.vn/"), started=datetime(2018, 1, 1, tzinfo=UTC))
    h.notes.append(_Unpicklable())  # type: ignore[arg-type]
    procs._send(ours, h)
    kind, sent = theirs.recv()
    assert kind == "harvest" and sent.outlet.id == "o"
    assert "could not be passed on" in sent.errors[0]


# -- a whole crawl in two processes --------------------------------------------------------------


def small_site(i: int) -> FakeSite:
    site = FakeSite(name=f"Công đoàn {i}", categories=dict(CATEGORIES))
    first = datetime(2017, 9, 18, 9, tzinfo=UTC)
    for n in range(1, 13):
        when = first + timedelta(days=3 * n + i % 3, hours=n)
        site.posts.append(FakePost(n, f"Bài {n} của đơn vị {i}", when, categories=(10 + n % 3,)))
    return site


@pytest.fixture
def fleet():
    """34 outlets, each on its own loopback address (as real outlets are on their own hosts)."""
    servers = [Server(small_site(i), address=f"127.0.0.{i + 2}").__enter__() for i in range(34)]
    yield servers
    for s in servers:
        s.__exit__(None, None, None)


def auditor(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.slow
def test_a_crawl_in_two_processes_writes_what_a_crawl_in_one_writes(tmp_path, fleet):
    entries = "".join(
        f'- {{id: o{i:02d}, name: "Đơn vị {i}", kind: website, url: "{s.url}/"}}\n'
        for i, s in enumerate(fleet)
    )
    exports = {}
    for processes in (1, 2):
        folder = tmp_path / f"p{processes}"
        folder.mkdir()
        config = write_config(folder, entries)
        text = Path(config).read_text(encoding="utf-8")
        Path(config).write_text(
            text.replace("http: {", f"http: {{processes: {processes}, "), encoding="utf-8"
        )
        db = str(folder / "a.db")
        crawled = auditor("--config", config, "--db", db, "-vv", "crawl")
        assert crawled.returncode == 0, crawled.stderr[-3000:]
        said = f"harvesting in {processes} processes" in crawled.stderr
        assert said == (processes > 1), crawled.stderr[-3000:]  # one process says nothing
        audited = auditor("--config", config, "--db", db, "audit", "--as-of", "2017-12-20")
        assert audited.returncode in (0, 1), audited.stderr[-3000:]
        out = folder / "weekly.csv"
        exported = auditor("--config", config, "--db", db, "export", "weekly", "-o", str(out))
        assert exported.returncode == 0, exported.stderr[-3000:]
        exports[processes] = out.read_text(encoding="utf-8")
    assert exports[2] == exports[1]
    assert exports[1].count("\n") > 34  # every outlet's weeks, not an empty table


# -- outlets at once ---------------------------------------------------------------------------


def test_no_more_outlets_fetched_at_once_than_http_concurrency(tmp_path, serve):
    """http.concurrency bounds the outlets fetched at once, whatever the crawl's processes
    and lanes (robots.txt is not asked for here: the feed is what is counted)."""
    import threading
    import time

    from auditor import config as config_mod
    from auditor.crawl.run import crawl
    from auditor.store import Store

    lock, in_flight, peak = threading.Lock(), [0], [0]

    def slow_feed(h):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.02)  # long enough for the others to pile up, were they allowed to
        with lock:
            in_flight[0] -= 1
        h.feed("/feed/", {})

    servers = []
    for i in range(10):
        site = small_site(i)
        site.routes["/feed/"] = slow_feed
        servers.append(serve(site))
    entries = "".join(
        f'- {{id: o{i}, name: "Đơn vị {i}", kind: website, url: "{s.url}/", '
        f'feeds: ["{s.url}/feed/"], wordpress: false}}\n'
        for i, s in enumerate(servers)
    )
    config = config_mod.load(write_config(tmp_path, entries))
    config = replace(config, http=replace(config.http, concurrency=3))
    store = Store(tmp_path / "a.db")
    try:
        reports = crawl(config, store, poll=True)
    finally:
        store.close()
    assert [r.status for r in reports] == ["ok"] * 10
    assert 1 <= peak[0] <= 3


def test_the_urls_earlier_crawls_found_are_known_to_the_sharing_out(tmp_path, serve):
    from auditor import config as config_mod
    from auditor.config import select_outlets
    from auditor.crawl.run import crawl
    from auditor.store import Store

    server = serve(small_site(0))
    path = write_config(
        tmp_path, f'- {{id: o0, name: "Đơn vị", kind: website, url: "{server.url}/"}}\n'
    )
    config = config_mod.load(path)
    assert [o.id for o in select_outlets(config, ["o0", "o0"])] == ["o0"]  # named twice: once
    store = Store(tmp_path / "a.db")
    try:
        crawl(config, store)
        known = store.known_urls()
    finally:
        store.close()
    assert f"{server.url}/wp-json/" in known["o0"]  # the API root the homepage announced
    assert f"{server.url}/feed/" in known["o0"]  # and its feed
