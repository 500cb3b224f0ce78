"""robots.txt read ahead of the crawls, on a lane of its own (crawl/run.py, and each crawl
process of crawl/procs.py, keeps one)."""

from __future__ import annotations

import math
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait

from auditor.fetch import Client, Fetcher, outlet_urls
from auditor.types import Outlet


class RobotsLane:
    """robots.txt read ahead of the crawls, on a lane of its own: an outlet's crawl then
    starts with its rules known, and the per-host delay after them already spent, instead
    of spending its first turn on them. Each host still gets one request at a time
    (Fetcher.turn); the request is the outlet's own, recorded on its client.

    How far ahead: far enough that per_host_delay_s has passed when the crawl comes, for
    crawls of up to PACE outlets a second per worker; at most CAP outlets, since each
    keeps its connection open until its crawl (file descriptors are finite)."""

    PACE, CAP = 20, 256

    def __init__(self, fetcher: Fetcher, workers: int, outlets: list[Outlet]):
        self.fetcher = fetcher
        workers = max(workers, 1)
        self.pool = ThreadPoolExecutor(max_workers=workers)
        self.lanes: dict[str, tuple[Client, Future | None]] = {}
        self.upcoming = iter(outlets)
        self.lock = threading.Lock()
        delay = fetcher.settings.per_host_delay_s
        lead = workers * (2 + math.ceil(self.PACE * delay))
        for _ in range(min(lead, self.CAP)):
            self._next()

    def __enter__(self) -> RobotsLane:
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _next(self) -> None:
        with self.lock:
            outlet = next(self.upcoming, None)
            if outlet is None or outlet.id in self.lanes:
                return
            client, ready, urls = self.fetcher.client(outlet), None, outlet_urls(outlet)
            # rules stored by an earlier run need no request: read where first asked for,
            # not all at once as the lane starts (a lead of 88 outlets a process with
            # per_host_delay_s 1 held a warm poll's first request back by 0.1 s)
            fetch = self.fetcher.settings.obey_robots and not self.fetcher.robots_known(urls)
            if fetch and not self.fetcher.stop.is_set():
                ready = self.pool.submit(self.fetcher.warm_robots, client, urls)
            self.lanes[outlet.id] = (client, ready)

    def take(self, outlet: Outlet) -> Client:
        """The outlet's client, once its rules are read (if the lane got to it); the lane
        moves one outlet on."""
        with self.lock:
            client, ready = self.lanes.pop(outlet.id, None) or (self.fetcher.client(outlet), None)
        self._next()
        if ready is not None:
            wait([ready])
        return client
