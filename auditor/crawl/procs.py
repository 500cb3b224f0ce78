"""Harvesting on more than one core: outlets split into shards that share no site, all but
the first harvested in forked processes that send each Harvest back as it is done.

A crawl of many outlets is bound by CPU (parsing, in one interpreter under one lock)
long before the network: one process per core, each with its own threads, is what lets
a second core help. The main process keeps the store: it takes the locks, reads each
outlet's state, harvests its own shard and writes every Harvest, so nothing about the
store changes. Politeness still holds: every site is in one shard only, so one process
spaces all the requests to it.

Processes are forked, never spawned: the child has the parent's modules and Fetcher
(validators, robots.txt rules) without importing or pickling them. A fork is made only on
Linux, while the process has a single thread, and when no other crawl holds one of the
outlets; otherwise (the scheduler's job threads, say) the crawl stays in one process.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from auditor.fetch import Fetcher, outlet_urls
from auditor.rules.redirects import host_key, own_hosts
from auditor.types import Harvest, Outlet, OutletState

log = logging.getLogger("auditor.crawl.procs")

MAX_AUTO = 4  # processes when http.processes is 0 (auto): past that, SQLite writes bind
MIN_SHARD = 16  # outlets below which a process of their own costs more than it gives
# The main process's shard against a helper's. It also writes every Harvest, yet on the
# peer benchmark an equal share was fastest, cold and warm (0.6 and 1.4 measured slower,
# 2026-12-02): the writes leave its harvest threads the time they wait on the network.
MAIN_SHARE = 1.0


def process_count(setting: int, workers: int, outlets: int, cpus: int | None = None) -> int:
    """How many processes harvest: http.processes (0: one per core this process may run
    on, at most MAX_AUTO), never more than the workers (http.concurrency, shared out among
    them), nor so many that a shard falls below MIN_SHARD outlets."""
    wanted = setting or min(cpus or usable_cpus(), MAX_AUTO)
    return max(1, min(wanted, workers, outlets // MIN_SHARD))


def usable_cpus() -> int:
    """The cores this process may run on (its affinity), not all the machine has."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Linux only (elsewhere the system's frameworks may not survive a fork), and one
    thread: with others running, a lock one of them held stays held in the child."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def plan(
    outlets: list[Outlet],
    known: dict[str, list[str]],
    count: int,
    workers: int,
    main_share: float = MAIN_SHARE,
) -> tuple[list[list[Outlet]], list[int]]:
    """The shards (the first the main process's; none empty but maybe that one) and the
    workers of each. count is cut to the host groups there are."""
    groups = host_groups(outlets, known)
    shards = split(outlets, groups, min(count, len(groups)), main_share)
    shards = shards[:1] + [s for s in shards[1:] if s]
    return shards, share_workers(workers, shards)


def host_groups(
    outlets: list[Outlet], known: dict[str, list[str]] | None = None
) -> list[list[Outlet]]:
    """Outlets joined when they share a site: the registered domain of a configured URL,
    of a host their redirects may reach (redirect_hosts), or of a URL earlier crawls found
    for them (known: feeds, API root, sections). Config order within each group."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keys = {
        o.id: sorted(_sites(o, (known or {}).get(o.id, ()))) or [f"outlet:{o.id}"] for o in outlets
    }
    for outlet in outlets:
        first = root(keys[outlet.id][0])
        for key in keys[outlet.id][1:]:
            parent[root(key)] = first
    groups: dict[str, list[Outlet]] = {}
    for outlet in outlets:
        groups.setdefault(root(keys[outlet.id][0]), []).append(outlet)
    return list(groups.values())


def _sites(outlet: Outlet, known: Iterable[str]) -> set[str]:
    hosts = own_hosts([*outlet_urls(outlet), *known]) | {host_key(h) for h in outlet.redirect_hosts}
    return {site_of(h) for h in hosts if h}


# second-level labels under which a country's sites register (com.vn, gov.vn, ...)
SECOND_LEVEL = frozenset(
    [
        "ac",
        "co",
        "com",
        "edu",
        "gov",
        "health",
        "info",
        "int",
        "ltd",
        "net",
        "name",
        "org",
        "pro",
        "biz",
    ]
)


def site_of(host: str) -> str:
    """A host's registered domain, near enough without the public suffix list: the last
    two labels, three under a country's com/gov/org…; an IP address is its own site.
    Subdomains of one site land in one shard, whatever a redirect between them does."""
    labels = host.split(".")
    if host.replace(".", "").isdigit() or ":" in host or len(labels) <= 2:
        return host
    keep = 3 if len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def split(
    outlets: list[Outlet], groups: list[list[Outlet]], count: int, main_share: float = MAIN_SHARE
) -> list[list[Outlet]]:
    """count shards of whole groups (of outlets); shard 0 (the main process's) weighted
    main_share of the others. Each keeps the outlets' order (robots.txt is read ahead in
    it)."""
    if count <= 1:
        return [list(outlets)]
    weights = [main_share] + [1.0] * (count - 1)
    position = {o.id: i for i, o in enumerate(outlets)}
    loads = [0.0] * count
    shards: list[list[Outlet]] = [[] for _ in range(count)]
    for group in sorted(groups, key=len, reverse=True):
        k = min(range(count), key=lambda i: _load_after(loads[i], len(group), weights[i]))
        loads[k] += len(group)
        shards[k] += group
    return [sorted(s, key=lambda o: position[o.id]) for s in shards]


def _load_after(load: float, more: int, weight: float) -> float:
    return (load + more) / weight if weight > 0 else float("inf")


def share_workers(workers: int, shards: list[list[Outlet]]) -> list[int]:
    """http.concurrency shared out by shard size, never more in all: one for each shard
    that has outlets, the rest by largest remainders (with latency the bound, every shard
    then ends at about the same time). An empty shard gets none."""
    filled = [i for i, s in enumerate(shards) if s]
    counts = [1 if s else 0 for s in shards]
    spare = workers - len(filled)
    total = sum(len(s) for s in shards) or 1
    exact = {i: spare * len(shards[i]) / total for i in filled}
    for i in filled:
        counts[i] += int(exact[i])
    for i in sorted(filled, key=lambda i: int(exact[i]) - exact[i]):
        if sum(counts) >= workers:
            break
        counts[i] += 1
    return counts


@dataclass
class Split:
    """How one crawl's outlets are shared out: the main process's workers; the locked
    outlets whose states are to be read and handed out, in that order; the helpers; the
    outlets still to lock; the main process's outlets, in order (its robots.txt lane)."""

    workers: int
    ready: list[Outlet]
    helpers: list[Helper]
    pending: list[Outlet]
    lane: list[Outlet]


def interleave(shards: list[list[Outlet]]) -> list[Outlet]:
    """One outlet of each shard in turn: every process has work from the first states on."""
    return [o for row in itertools.zip_longest(*shards) for o in row if o is not None]


class Helper:
    """One forked process harvesting a shard. The main process gives it each outlet's
    state as it reads it (give), and each Harvest sent back resolves the outlet's Future.
    Every helper is forked before any is listened to: a fork is made with one thread."""

    def __init__(
        self,
        outlets: list[Outlet],
        run_shard: Callable,
        lost: Callable,
        earlier: Iterable[Helper] = (),
    ):
        self.outlets = {o.id: o for o in outlets}
        self.futures = {o.id: Future() for o in outlets}
        self.lost = lost
        self.fresh_robots: dict = {}
        self._results, results_in = multiprocessing.Pipe(duplex=False)
        words, self._words = multiprocessing.Pipe(duplex=False)
        # the earlier helpers' pipes, as this process holds them: the child closes its
        # copies, so that each helper sees EOF as soon as this process is gone
        theirs = [end for h in earlier for end in (h._results, h._words)]
        context = multiprocessing.get_context("fork")
        self.process = context.Process(
            target=_child, args=(run_shard, outlets, results_in, words, theirs), daemon=True
        )
        self.process.start()
        results_in.close()  # the child's ends: EOF on ours once the child is gone
        words.close()
        self._listener = threading.Thread(target=self._listen, daemon=True)

    def listen(self) -> None:
        self._listener.start()

    def give(self, outlet: Outlet, state: OutletState) -> None:
        self._say(("work", outlet.id, state))

    def end(self) -> None:
        """Nothing more to give."""
        self._say(("end",))

    def stop(self) -> None:
        self._say(("stop",))

    def _say(self, word: tuple) -> None:
        with contextlib.suppress(OSError):  # the child is gone: its outlets say so
            self._words.send(word)

    def _listen(self) -> None:
        try:
            while True:
                kind, payload = self._results.recv()
                if kind == "harvest":
                    self.futures.pop(payload.outlet.id).set_result(payload)
                elif kind == "robots":
                    self.fresh_robots = payload
        except (EOFError, OSError):
            pass
        except Exception:  # a message that does not unpickle: the outlets left say so
            log.exception("a crawl process sent what could not be read; it is stopped")
            self.process.kill()  # it must not go on crawling outlets about to be unlocked
            self.process.join()
        for outlet_id, future in list(self.futures.items()):
            future.set_result(self.lost(self.outlets[outlet_id]))
        self.futures.clear()

    def join(self) -> None:
        if self._listener.ident is not None:
            self._listener.join()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self._results.close()
        self._words.close()


def _child(run_shard: Callable, outlets: list[Outlet], results, words, theirs: list) -> None:
    """The forked process. Ctrl-C reaches the whole process group: the child leaves it to
    the parent, which says stop, so that the child's threads end as the parent's do."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in theirs:
        end.close()
    run_shard(outlets, results, words)


def run_shard(
    fetcher: Fetcher,
    workers: int,
    harvest_one: Callable,
    lane_of: Callable,
    outlets: list[Outlet],
    results,
    words,
) -> None:
    """Harvest the outlets given, in threads, as the main process does its own; send each
    Harvest when done, then the robots.txt read (the main process stores them)."""
    by_id = {o.id: o for o in outlets}
    sending = threading.Lock()

    def send(future: Future) -> None:
        with sending:
            _send(results, future.result())

    with (
        ThreadPoolExecutor(max_workers=workers) as pool,  # its part of http.concurrency
        lane_of(fetcher, workers, outlets) as lane,
    ):
        for word in _words(words, fetcher):
            pool.submit(harvest_one, by_id[word[1]], lane.take, word[2]).add_done_callback(send)
        threading.Thread(target=_stop_on_word, args=(words, fetcher), daemon=True).start()
    results.send(("robots", fetcher.fresh_robots))
    fetcher.close()


def _words(words, fetcher: Fetcher) -> Iterator[tuple]:
    """The work the main process gives, until it says end; stop (or its going away)
    stops the fetcher."""
    while True:
        try:
            word = words.recv()
        except (EOFError, OSError):
            fetcher.stop.set()
            return
        if word[0] == "work":
            yield word
            continue
        if word[0] == "stop":
            fetcher.stop.set()
        return


def _send(results, h: Harvest) -> None:
    """Pickling comes before any byte is written: a Harvest that does not pickle makes its
    outlet's crawl an error, not a hang."""
    try:
        results.send(("harvest", h))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as e:
        lost = Harvest(h.outlet, started=h.started, finished=h.finished)
        lost.errors.append(f"internal error: the harvest could not be passed on: {e}")
        results.send(("harvest", lost))


def _stop_on_word(words, fetcher: Fetcher) -> None:
    with contextlib.suppress(EOFError, OSError):  # EOF: the parent is gone, stop as well
        if words.recv()[0] != "stop":
            return
    fetcher.stop.set()


def lost_harvest(now: Callable[[], datetime]) -> Callable[[Outlet], Harvest]:
    def lost(outlet: Outlet) -> Harvest:
        h = Harvest(outlet, started=now(), finished=now())
        h.errors.append("internal error: the crawl process ended before this outlet was done")
        return h

    return lost
