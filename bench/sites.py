"""Simulated union outlets for the benchmarks, built on auditor/fakesite.py's WordPress model.

* ``make_site`` – one deterministic WordPress-like outlet: the campaign's three columns as
  categories, other categories, posts spread over a period.
* ``render`` – what that outlet answers to one GET (fakesite's own handler, without a socket).
* ``LoopbackFleet`` – many outlets, each on its own loopback address 127.x.y.z (Linux routes
  all of 127.0.0.0/8 to lo), served by one asyncio process with a fixed latency per
  response; it counts requests, statuses and bytes per kind and per host.
* ``InMemoryAdapter`` – a requests transport serving the same outlets with no socket at all,
  to build big stores through the crawler's and the store's own code quickly.
"""

from __future__ import annotations

import asyncio
import io
import json
import multiprocessing
import os
import random
import socket
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter

from auditor.fakesite import FakePost, FakeSite, Handler

COLUMNS = {  # the campaign's columns as WordPress categories: id → (name, slug)
    11: ("Công đoàn vì lợi ích đoàn viên", "loi-ich-doan-vien"),
    12: ("Thiết chế Công đoàn", "thiet-che-cong-doan"),
    13: ("Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII", "dai-hoi-cong-doan"),
}
OTHER = {21: ("Tin tức", "tin-tuc"), 22: ("Pháp luật", "phap-luat"), 23: ("Văn hoá", "van-hoa")}
_TEXT = "công đoàn người lao động doanh nghiệp chăm lo đời sống việc làm tập thể"
WORDS = _TEXT.split()


def host_for(index: int) -> str:
    """Outlet number index (0-based) → its own loopback address, never 127.0.0.1."""
    n = index + 2
    return f"127.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def make_site(index: int, posts: int, first: date, last: date, feeds: int = 1) -> FakeSite:
    """posts articles spread over [first, last], half in the columns, the rest elsewhere;
    a homepage advertising the REST API and `feeds` feeds (the main one, then columns')."""
    rng = random.Random(index)
    site = FakeSite(name=f"Công đoàn mẫu {index}", categories={**COLUMNS, **OTHER})
    if feeds > 1:
        paths = ["/feed/"] + [f"/category/{slug}/feed/" for _, slug in COLUMNS.values()]
        site.routes["/"] = _homepage(paths[:feeds])
    span = (last - first).days * 86400
    start = datetime.combine(first, datetime.min.time(), UTC)
    for i in range(1, posts + 1):
        when = start + timedelta(seconds=rng.randrange(span))
        category = rng.choice([11, 12, 13, 21, 22, 23])
        title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
        site.posts.append(FakePost(i, f"{title} {i}", when, (category,), content=title))
    return site


def _homepage(feed_paths: list[str]):
    def route(h) -> None:
        links = "".join(
            f'<link rel="alternate" type="application/rss+xml" href="{h.base}{p}">'
            for p in feed_paths
        )
        html = (
            f'<!doctype html><html><head><meta charset="utf-8"><title>{h.site.name}</title>'
            f'{links}<link rel="https://api.w.org/" href="{h.api_root()}"></head>'
            f"<body><h1>{h.site.name}</h1></body></html>"
        )
        link = f'<{h.api_root()}>; rel="https://api.w.org/"'
        h.send(200, html.encode(), "text/html; charset=UTF-8", {"Link": link})

    return route


# -- one answer, without a socket -----------------------------------------------------------


class _Headers(dict):
    def get(self, key, default=None):
        return super().get(key.lower(), default)


def render(site: FakeSite, path: str, host: str, headers: dict | None = None) -> tuple:
    """(status, headers, body) that fakesite's handler sends for GET path on host."""
    shim = Handler.__new__(Handler)
    shim.site, shim.path = site, path
    shim.headers = _Headers({k.lower(): v for k, v in (headers or {}).items()})
    shim.headers["host"] = host
    answer = {}

    def send(status, body, ctype, extra=None):
        answer.update(status=status, body=body, headers={"Content-Type": ctype, **(extra or {})})

    shim.send = send
    shim.do_GET()
    site.log.clear()  # fakesite keeps a log for tests; a benchmark would only grow it
    return answer["status"], answer["headers"], answer["body"]


def kind_of(path: str) -> str:
    """What a request is for, to count requests per kind."""
    p = urlsplit(path)
    if p.path == "/robots.txt":
        return "robots"
    if p.path.startswith("/wp-json") or "rest_route" in p.query:
        return "rest"
    if p.path.endswith("/feed/") or "feed=" in p.query:
        return "feed"
    return "homepage" if p.path == "/" else "other"


# -- in memory: a requests transport --------------------------------------------------------


class _Raw(io.BytesIO):
    def read1(self, size=-1, decode_content=True):  # what fetch.py reads with
        return super().read1(size)

    def release_conn(self):
        pass


class InMemoryAdapter(BaseAdapter):
    def __init__(self, sites: dict[str, FakeSite]):
        super().__init__()
        self.sites = sites
        self.count = 0

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        self.count += 1
        status, headers, body = render(
            self.sites[parts.hostname], request.path_url, parts.netloc, dict(request.headers)
        )
        response = requests.Response()
        response.status_code, response.url, response.request = status, request.url, request
        response.headers.update(headers)
        response.raw = _Raw(body)
        return response

    def close(self):
        pass


# -- on loopback: one asyncio process, one listening socket per outlet ----------------------


class LoopbackFleet:
    """Outlets 0..n-1 served on their own addresses and one common port, in a child process.

    Stats come back over a pipe: requests per kind and status, bytes, requests per host.
    """

    def __init__(self, sites_spec: dict, n: int, latency_s: float):
        self.spec, self.n, self.latency = sites_spec, n, latency_s
        self.port = 0  # the child binds and says which port it got
        self._pipe, child = multiprocessing.Pipe()
        self._proc = multiprocessing.Process(
            target=_serve, args=(child, sites_spec, n, latency_s), daemon=True
        )

    def url(self, index: int) -> str:
        return f"http://{host_for(index)}:{self.port}/"

    def __enter__(self) -> LoopbackFleet:
        self._proc.start()
        reply = self._pipe.recv()  # ("ready", port) once every socket listens
        if not (isinstance(reply, tuple) and reply[0] == "ready"):
            raise RuntimeError(f"fleet server failed: {reply}")
        self.port = reply[1]
        return self

    def stats(self, reset: bool = True) -> dict:
        self._pipe.send(("stats", reset))
        return self._pipe.recv()

    def change(self, index: int) -> None:
        """A new post on outlet index (for warm runs that should see one change)."""
        self._pipe.send(("change", index))
        self._pipe.recv()

    def __exit__(self, *exc) -> None:
        self._pipe.send(("stop", False))
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()


def _serve(pipe, spec: dict, n: int, latency: float) -> None:
    try:
        sites = [make_site(i, **spec) for i in range(n)]
        asyncio.run(_main(pipe, sites, latency))
    except Exception as e:  # reported to the parent, which raises
        pipe.send(f"{type(e).__name__}: {e}")


async def _listen(sites, latency, stats) -> tuple[int, list]:
    """One port on every outlet's address. The first address binds port 0 (the kernel
    picks a free one as it binds: nothing can take it in between); when that port is taken
    on another address, everything is closed and tried again with a fresh one."""
    for _ in range(20):
        first = socket.socket()
        first.bind((host_for(0), 0))
        port = first.getsockname()[1]
        servers = []
        try:
            for i, site in enumerate(sites):
                handler = _handler(site, f"{host_for(i)}:{port}", latency, stats)
                where = {"sock": first} if i == 0 else {"host": host_for(i), "port": port}
                servers.append(await asyncio.start_server(handler, backlog=64, **where))
            return port, servers
        except OSError:
            first.close()
            for server in servers:
                server.close()
    raise RuntimeError("no port free on every loopback address of the fleet")


async def _main(pipe, sites, latency) -> None:
    stats = _Stats()
    port, servers = await _listen(sites, latency, stats)
    pipe.send(("ready", port))
    loop = asyncio.get_running_loop()
    while True:
        command, arg = await loop.run_in_executor(None, pipe.recv)
        if command == "stats":
            pipe.send(stats.snapshot())
            if arg:
                stats.__init__()
        elif command == "change":
            site = sites[arg]
            newest = max(p.date for p in site.posts) + timedelta(minutes=1)
            site.posts.append(FakePost(len(site.posts) + 1, "Tin mới", newest, (11,)))
            pipe.send("ok")
        else:
            break
    for server in servers:
        server.close()


class _Stats:
    def __init__(self):
        self.requests, self.bytes, self.per_host = Counter(), 0, Counter()
        self.first_at = self.last_at = None  # time.monotonic(): one clock for every process

    def arrived(self) -> None:
        if self.first_at is None:
            self.first_at = time.monotonic()

    def add(self, host: str, kind: str, status: int, size: int) -> None:
        self.requests[f"{kind} {status}"] += 1
        self.per_host[host] += 1
        self.bytes += size
        self.last_at = time.monotonic()

    def snapshot(self) -> dict:
        by_kind = Counter()
        for key, count in self.requests.items():
            by_kind[key.split()[0]] += count
        return {
            "requests": sum(self.requests.values()),
            "by_kind": dict(sorted(by_kind.items())),
            "by_kind_status": dict(sorted(self.requests.items())),
            "bytes": self.bytes,
            "per_host": list(self.per_host.values()),
            "first_request_at": self.first_at,
            "last_answer_at": self.last_at,
        }


def _handler(site: FakeSite, host: str, latency: float, stats: _Stats):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                stats.arrived()
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
                status, extra, body = render(site, path, host, headers)
                await asyncio.sleep(latency)
                head_out = f"HTTP/1.1 {status} {_REASONS.get(status, 'X')}\r\n" + "".join(
                    f"{k}: {v}\r\n" for k, v in {**extra, "Content-Length": len(body)}.items()
                )
                data = head_out.encode("latin-1", "replace") + b"\r\n" + body
                writer.write(data)
                await writer.drain()
                stats.add(host, kind_of(path), status, len(data))
                if headers.get("Connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        except asyncio.CancelledError:
            pass  # the fleet is stopping with this connection still open: nothing to report
        finally:
            writer.close()

    return handle


_REASONS = {
    200: "OK",
    304: "Not Modified",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
}


_COMPILED: set[str] = set()


def _compile_once(package: str) -> None:
    import compileall

    if package not in _COMPILED:
        compileall.compile_dir(package, quiet=1)
        _COMPILED.add(package)


# -- the machine and the results ------------------------------------------------------------


def machine() -> dict:
    load = os.getloadavg()
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "load_average_1_5_15": [round(x, 2) for x in load],
        "python": os.sys.version.split()[0],
        "when_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def write_result(name: str, result: dict) -> str:
    """bench/results/NAME.json (or under $BENCH_RESULTS, where the tests put theirs)."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    folder = os.environ.get("BENCH_RESULTS") or here
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return path


def run_child(argv: list[str], env: dict | None = None, cwd: str | None = None) -> dict:
    """Run a command; its wall time, exit code and peak memory.

    The peak is the child's own VmHWM (see ``auditor_argv``): rusage from wait4 would not
    do, since Linux carries the parent's high-water mark across fork and exec into the
    child's ru_maxrss, so a big benchmark process would inflate every figure.
    """
    import subprocess
    import tempfile

    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r", suffix=".status") as peak,
    ):
        env = {**(env or os.environ), "BENCH_STATUS_FILE": peak.name}
        started, used, at = time.perf_counter(), _children_cpu(), time.monotonic()
        proc = subprocess.run(argv, env=env, cwd=cwd, stdout=out, stderr=err, check=False)
        wall = time.perf_counter() - started
        ended = time.monotonic()
        cpu = _children_cpu() - used  # the child's own CPU time: what the load cannot inflate
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": round(wall, 3),
            "cpu_s": round(cpu, 3),
            "started_at": at,
            "ended_at": ended,
            "exit": proc.returncode,
            **_peaks(peak.read()),
            "stdout": out.read(),
            "stderr": err.read()[-2000:],
        }


def timeline(started: float, ended: float, stats: dict) -> dict:
    """A run's wall time in three parts, from the fleet's first and last request (one
    clock, time.monotonic, for every process): its start-up before the first request, the
    span of its requests, and what it did after the last answer."""
    first, last = stats.get("first_request_at"), stats.get("last_answer_at")
    if first is None or last is None:
        return {}
    return {
        "to_first_request_s": round(first - started, 3),
        "requests_span_s": round(last - first, 3),
        "after_last_answer_s": round(ended - last, 3),
    }


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peaks(status: str) -> dict:
    """peak_mb: the process's own peak; helpers_peak_mb: its largest forked helper's."""
    found = {"peak_mb": None, "helpers_peak_mb": None}
    for line in status.splitlines():
        name = {"VmHWM:": "peak_mb", "HelperHWM:": "helpers_peak_mb"}.get(line.split(":")[0] + ":")
        if name:
            found[name] = round(int(line.split()[1]) / 1024, 1)  # kB
    return found


# -- a config for simulated outlets ---------------------------------------------------------

CAMPAIGN = {
    "id": "bench",
    "title": "benchmark campaign (two years)",
    "start": "2017-09-20",
    "end": "2019-09-30",
    "min_articles_per_week": 2,
    "columns": [
        {"id": "loi_ich_doan_vien", "name": COLUMNS[11][0]},
        {"id": "thiet_che_cong_doan", "name": COLUMNS[12][0]},
        {"id": "dai_hoi_cong_doan", "name": COLUMNS[13][0]},
    ],
}


def write_config(path: str, outlets: list[dict], http: dict, crawl: dict | None = None) -> None:
    import yaml

    data = {
        "timezone": "Asia/Ho_Chi_Minh",
        "http": http,
        "crawl": crawl or {},
        "campaign": CAMPAIGN,
        "outlets": outlets,
    }
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, allow_unicode=True, sort_keys=False)


def outlet_entry(index: int, url: str, **extra) -> dict:
    return {
        "id": f"o{index:05d}",
        "name": f"Công đoàn mẫu {index}",
        "kind": "website",
        "url": url,
        **extra,
    }


# `python -m auditor ...`, and at exit its /proc/self/status (VmHWM: its peak memory) is
# copied to the file run_child names, with the largest peak of the crawl processes it
# forked (their ru_maxrss counts the pages they share with it: an upper bound)
_AUDITOR = (
    "import atexit, os, resource, runpy, sys\n"
    "def _peak():\n"
    "    with open('/proc/self/status') as s, open(os.environ['BENCH_STATUS_FILE'], 'w') as f:\n"
    "        f.write(s.read())\n"
    "        kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "        f.write(f'HelperHWM: {kb} kB\\n')\n"
    "if os.environ.get('BENCH_STATUS_FILE'): atexit.register(_peak)\n"
    "sys.argv[0] = 'auditor'\n"
    "runpy.run_module('auditor', run_name='__main__', alter_sys=True)\n"
)


def auditor_argv(config: str, db: str, *command: str) -> list[str]:
    import sys

    return [sys.executable, "-c", _AUDITOR, "--config", config, "--db", db, *command]


def auditor_env() -> dict:
    """The checkout this file sits in first on the path, so the bench measures it; its
    bytecode compiled first, as pip install does, so that no timed run pays for compiling
    (a shell with PYTHONDONTWRITEBYTECODE set would otherwise compile every run)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    _compile_once(os.path.join(root, "auditor"))
    env = dict(os.environ)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env
