"""Peer benchmark: the same feeds polled by the `reader` library and by `auditor crawl`.

Each feed is one outlet on its own loopback address (127.x.y.z), answering after a fixed
latency; both tools poll every feed cold (empty store), then warm (nothing changed). The
server counts every request by kind (feed, homepage, robots, ...) and status.

    pip install '.[bench]'          # reader, a bench-only dependency
    python3 bench/bench_peer.py     # 300 feeds, 50 ms, 8 workers (the issue's setting)
    python3 bench/bench_peer.py --feeds 30   # a quick check

The auditor runs with the shipped per-host politeness (http.per_host_delay_s 1 s) unless
--per-host-delay says otherwise; reader has none. Results: bench/results/peer.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date

# bench/ for sites.py, and the checkout itself: a fresh clone runs without installing
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sites  # the bench folder is not a package: found through sys.path


def main() -> None:
    args = parse_args()
    spec = {"posts": 10, "first": date(2018, 1, 1), "last": date(2018, 3, 31)}
    result = {"machine": sites.machine(), "settings": vars(args), "runs": {}}
    with (
        sites.LoopbackFleet(spec, args.feeds, args.latency) as fleet,
        tempfile.TemporaryDirectory() as tmp,
    ):
        feeds = [fleet.url(i) + "feed/" for i in range(args.feeds)]
        fleet.stats()
        result["runs"]["reader"] = run_reader(feeds, args.workers, tmp, fleet)
        result["runs"]["auditor"] = run_auditor(feeds, args, tmp, fleet)
    report(result)
    print("written:", sites.write_result(args.name, result))


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--feeds", type=int, default=300)
    p.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    p.add_argument("--workers", type=int, default=8, help="reader workers = http.concurrency")
    p.add_argument("--per-host-delay", type=float, default=1.0, help="auditor's politeness")
    p.add_argument("--name", default="peer", help="bench/results/NAME.json")
    return p.parse_args()


def run_reader(feeds: list[str], workers: int, tmp: str, fleet) -> dict:
    try:
        from reader import make_reader
    except ImportError:
        sys.exit("reader is not installed: pip install '.[bench]' (or pip install reader)")
    import reader as reader_pkg

    r = make_reader(os.path.join(tmp, "reader.sqlite"))
    for url in feeds:
        r.add_feed(url)
    runs = {"version": reader_pkg.__version__}
    for phase in ("cold", "warm"):
        started = time.perf_counter()
        r.update_feeds(workers=workers, scheduled=False)  # every feed, as auditor crawl
        runs[phase] = {"wall_s": round(time.perf_counter() - started, 3), **fleet.stats()}
    runs["entries"] = r.get_entry_counts().total
    r.close()
    return runs


def run_auditor(feeds: list[str], args, tmp: str, fleet) -> dict:
    config, db = os.path.join(tmp, "peer.yaml"), os.path.join(tmp, "peer.db")
    outlets = [
        sites.outlet_entry(i, url.removesuffix("feed/"), feeds=[url], wordpress=False)
        for i, url in enumerate(feeds)
    ]
    http = {"concurrency": args.workers, "per_host_delay_s": args.per_host_delay}
    sites.write_config(config, outlets, http, {"classify": False})
    runs = {}
    for phase in ("cold", "warm"):
        child = sites.run_child(sites.auditor_argv(config, db, "-q", "crawl"), sites.auditor_env())
        if child["exit"] not in (0, 1):
            sys.exit(f"auditor crawl failed: {child['stderr']}")
        runs[phase] = {
            "wall_s": child["wall_s"],
            "peak_mb": child["peak_mb"],
            "exit": child["exit"],
            **fleet.stats(),
        }
    return runs


def report(result: dict) -> None:
    m, s = result["machine"], result["settings"]
    print(
        f"machine: {m['cpus']} cpus, {m['cpu']}, load {m['load_average_1_5_15']}, {m['when_utc']}"
    )
    print(f"{s['feeds']} feeds, {s['latency'] * 1000:.0f} ms latency, {s['workers']} workers")
    reader, auditor = result["runs"]["reader"], result["runs"]["auditor"]
    for phase in ("cold", "warm"):
        a, r = auditor[phase], reader[phase]
        print(
            f"{phase}: reader {r['wall_s']:.2f} s, {r['requests']} requests {r['by_kind']} | "
            f"auditor {a['wall_s']:.2f} s, {a['requests']} requests {a['by_kind']} | "
            f"ratio {a['wall_s'] / r['wall_s']:.2f}x"
        )
    print("statuses:", {k: v["by_kind_status"] for k, v in auditor.items() if k != "exit"})


if __name__ == "__main__":
    main()
