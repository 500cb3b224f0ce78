"""Fleet benchmark: N simulated WordPress outlets on loopback, a cold crawl then a warm one.

Each outlet has its own address (127.x.y.z), a WordPress-like REST API (categories, the
campaign's three columns, a year of posts), three feeds and a homepage advertising them,
and answers after a fixed latency. `auditor crawl` runs as a command, cold (empty store)
then warm (nothing changed). Reported: wall time against the bound that latency,
concurrency and politeness set for the requests it made; requests by kind; bytes; peak
memory of the crawl process.

    python3 bench/bench_fleet.py                       # N = 100 and 1,000 (hours at 1 s politeness)
    python3 bench/bench_fleet.py --outlets 10 --posts 120 --per-host-delay 0.2   # a quick check

Targets (issue 14): cold within 2x of the bound; warm <= 10 % of cold bytes and <= 25 % of
cold time; peak memory <= 300 MB at 1,000. Results: bench/results/fleet.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date

# bench/ for sites.py, and the checkout itself: a fresh clone runs without installing
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sites  # the bench folder is not a package: found through sys.path


def main() -> None:
    args = parse_args()
    result = {"machine": sites.machine(), "settings": vars(args), "fleets": {}}
    for n in args.outlets:
        result["fleets"][str(n)] = run_fleet(n, args)
        report(n, result["fleets"][str(n)])
    print("written:", sites.write_result(args.name, result))


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--outlets", type=int, nargs="+", default=[100, 1000])
    p.add_argument("--posts", type=int, default=600, help="posts per outlet over a year")
    p.add_argument("--latency", type=float, default=0.1, help="seconds per response")
    p.add_argument("--concurrency", type=int, default=8, help="http.concurrency")
    p.add_argument("--per-host-delay", type=float, default=1.0, help="http.per_host_delay_s")
    p.add_argument("--name", default="fleet", help="bench/results/NAME.json")
    return p.parse_args()


def run_fleet(n: int, args) -> dict:
    spec = {"posts": args.posts, "first": date(2018, 9, 1), "last": date(2019, 8, 31), "feeds": 3}
    with sites.LoopbackFleet(spec, n, args.latency) as fleet, tempfile.TemporaryDirectory() as tmp:
        config, db = os.path.join(tmp, "fleet.yaml"), os.path.join(tmp, "fleet.db")
        outlets = [sites.outlet_entry(i, fleet.url(i)) for i in range(n)]
        http = {"concurrency": args.concurrency, "per_host_delay_s": args.per_host_delay}
        sites.write_config(config, outlets, http, {"classify": False})
        fleet.stats()
        runs = {}
        for phase in ("cold", "warm"):
            child = sites.run_child(
                sites.auditor_argv(config, db, "-q", "crawl", "--json"), sites.auditor_env()
            )
            stats = fleet.stats()
            runs[phase] = {
                "wall_s": child["wall_s"],
                "peak_mb": child["peak_mb"],
                "helpers_peak_mb": child["helpers_peak_mb"],
                "exit": child["exit"],
                "bound_s": round(bound(stats["per_host"], args), 2),
                **{k: v for k, v in stats.items() if k != "per_host"},
                "requests_per_outlet_max": max(stats["per_host"], default=0),
                "articles": count_articles(db),
            }
            if child["exit"] not in (0, 1):
                runs[phase]["stderr"] = child["stderr"]
        return runs


def bound(per_host: list[int], args) -> float:
    """The least wall time for these requests: one at a time per host, starts spaced by
    the politeness delay (or the latency, if longer), `concurrency` outlets at once."""
    step = max(args.per_host_delay, args.latency)
    serial = [args.latency + (k - 1) * step for k in per_host if k]
    if not serial:
        return 0.0
    return max(sum(serial) / args.concurrency, max(serial))


def count_articles(db: str) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def report(n: int, runs: dict) -> None:
    cold, warm = runs["cold"], runs["warm"]
    print(f"N = {n}")
    for phase, r in runs.items():
        print(
            f"  {phase}: {r['wall_s']:.1f} s (bound {r['bound_s']:.1f} s, "
            f"{r['wall_s'] / max(r['bound_s'], 1e-9):.2f}x), {r['requests']} requests "
            f"{r['by_kind']}, {r['bytes'] / 1e6:.2f} MB, peak {r['peak_mb']} MB "
            f"(+ {r['helpers_peak_mb']} MB in the largest crawl helper), "
            f"{r['articles']} articles, exit {r['exit']}"
        )
    print(
        f"  warm/cold: bytes {warm['bytes'] / max(cold['bytes'], 1):.1%}, "
        f"time {warm['wall_s'] / max(cold['wall_s'], 1e-9):.1%}"
    )


if __name__ == "__main__":
    main()
