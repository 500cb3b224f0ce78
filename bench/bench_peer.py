"""Peer benchmark: the same feeds polled by the `reader` library and by `auditor crawl`.

Each feed is one outlet on its own loopback address (127.x.y.z), answering after a fixed
latency; both tools poll every feed cold (empty store), then warm (nothing changed). The
server counts every request by kind (feed, homepage, robots, ...) and status.

Measured two ways, each tool cold then warm:
* as commands: each poll is a fresh process, start-up and imports included (reader's is a
  three-line script calling update_feeds; the auditor's is `auditor crawl --poll`);
* in one process: the library calls alone, imports done before the clock starts
  (reader.update_feeds; auditor.crawl.run.crawl with poll=True).
Then `auditor crawl` without --poll, the full crawl (menus and feed history), for the
record: it asks what reader never does. The tools take turns, --repeat rounds (3), each on
fresh stores; the figures are each one's median round (a shared machine's load moves a
single run by a quarter).

    pip install '.[bench]'          # reader, a bench-only dependency
    python3 bench/bench_peer.py     # 300 feeds, 50 ms, 8 workers (the issue's setting)
    python3 bench/bench_peer.py --feeds 30   # a quick check

Like for like by default: neither tool spaces its requests to a host (reader has no such
setting; the auditor runs with http.per_host_delay_s 0), both ask one at a time per host.
That is the issue's own setting: its 1,200 requests in 15.9 s could not have been made
with the shipped 1 s spacing (four requests to each host take 3 s at least, eight hosts
at once: 112 s). --per-host-delay 1 measures the shipped politeness, which costs a cold
crawl at least that second between an outlet's robots.txt and its feed.
Results: bench/results/peer.json (or --name).
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
    result = {"machine": sites.machine(), "settings": vars(args), "runs": {}, "rounds": []}
    with sites.LoopbackFleet(spec, args.feeds, args.latency) as fleet:
        feeds = [fleet.url(i) + "feed/" for i in range(args.feeds)]
        fleet.stats()
        for _ in range(args.repeat):  # the two tools take turns, each round on fresh stores
            with tempfile.TemporaryDirectory() as tmp:
                result["rounds"].append(one_round(feeds, args, tmp, fleet))
    result["runs"] = medians(result["rounds"])
    result["machine"]["load_average_after"] = list(os.getloadavg())
    report(result)
    print("written:", sites.write_result(args.name, result))


def one_round(feeds: list[str], args, tmp: str, fleet) -> dict:
    config = write_auditor_config(feeds, args, tmp)
    return {
        "reader, command": run_reader_command(feeds, args.workers, tmp, fleet),
        "auditor, command": run_auditor(config, tmp, "poll", fleet, "crawl", "--poll"),
        "reader, in process": run_reader(feeds, args.workers, tmp, fleet),
        "auditor, in process": run_auditor_in_process(config, tmp, fleet),
        "auditor full crawl, command": run_auditor(config, tmp, "full", fleet, "crawl"),
    }


def medians(rounds: list[dict]) -> dict:
    """Per tool and phase: the round with the median wall time (its requests with it), and
    the best round: noise only ever slows a run, so best against best is the fair
    comparison when the medians are moved by a busy machine."""
    out = {}
    for name in rounds[0]:
        out[name] = dict(rounds[0][name])
        for phase in ("cold", "warm"):
            ranked = sorted((r[name][phase] for r in rounds), key=lambda x: x["wall_s"])
            out[name][phase] = {
                **ranked[len(ranked) // 2],
                "all_wall_s": [x["wall_s"] for x in ranked],
                "best_wall_s": ranked[0]["wall_s"],
            }
    return out


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--feeds", type=int, default=300)
    p.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    p.add_argument("--workers", type=int, default=8, help="reader workers = http.concurrency")
    p.add_argument(
        "--per-host-delay", type=float, default=0.0, help="auditor's spacing (shipped: 1)"
    )
    p.add_argument("--name", default="peer", help="bench/results/NAME.json")
    p.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    return p.parse_args()


def _reader():
    try:
        import reader
    except ImportError:
        sys.exit("reader is not installed: pip install '.[bench]' (or pip install reader)")
    return reader


def run_reader(feeds: list[str], workers: int, tmp: str, fleet) -> dict:
    reader_pkg = _reader()
    r = reader_pkg.make_reader(os.path.join(tmp, "reader-in-process.sqlite"))
    for url in feeds:
        r.add_feed(url)
    runs = {"version": reader_pkg.__version__}
    for phase in ("cold", "warm"):
        started, at = time.perf_counter(), time.monotonic()
        r.update_feeds(workers=workers, scheduled=False)  # every feed, as auditor crawl
        runs[phase] = _in_process(started, at, fleet.stats())
    runs["entries"] = r.get_entry_counts().total
    r.close()
    return runs


READER_POLL = (  # what a cron job polling with reader would run
    "import sys\n"
    "from reader import make_reader\n"
    "r = make_reader(sys.argv[1])\n"
    "r.update_feeds(workers=int(sys.argv[2]), scheduled=False)\n"
    "r.close()\n"
)


def run_reader_command(feeds: list[str], workers: int, tmp: str, fleet) -> dict:
    reader_pkg = _reader()
    db = os.path.join(tmp, "reader-command.sqlite")
    r = reader_pkg.make_reader(db)
    for url in feeds:
        r.add_feed(url)
    r.close()
    runs = {"version": reader_pkg.__version__}
    for phase in ("cold", "warm"):
        child = sites.run_child([sys.executable, "-c", READER_POLL, db, str(workers)])
        if child["exit"] != 0:
            sys.exit(f"reader failed: {child['stderr']}")
        runs[phase] = _command(child, fleet.stats())
    return runs


def write_auditor_config(feeds: list[str], args, tmp: str) -> str:
    config = os.path.join(tmp, "peer.yaml")
    outlets = [
        sites.outlet_entry(i, url.removesuffix("feed/"), feeds=[url], wordpress=False)
        for i, url in enumerate(feeds)
    ]
    http = {"concurrency": args.workers, "per_host_delay_s": args.per_host_delay}
    sites.write_config(config, outlets, http, {"classify": False})
    return config


def run_auditor(config: str, tmp: str, name: str, fleet, *command: str) -> dict:
    db = os.path.join(tmp, f"auditor-{name}.db")
    runs = {}
    for phase in ("cold", "warm"):
        child = sites.run_child(sites.auditor_argv(config, db, "-q", *command), sites.auditor_env())
        if child["exit"] not in (0, 1):
            sys.exit(f"auditor crawl failed: {child['stderr']}")
        run = _command(child, fleet.stats())
        runs[phase] = {"helpers_peak_mb": child["helpers_peak_mb"], "exit": child["exit"], **run}
    return runs


def run_auditor_in_process(config_path: str, tmp: str, fleet) -> dict:
    from auditor import config as config_mod
    from auditor.crawl.run import crawl
    from auditor.store import Store

    config = config_mod.load(config_path)
    store = Store(os.path.join(tmp, "auditor-in-process.db"))
    runs = {}
    for phase in ("cold", "warm"):
        started, at = time.perf_counter(), time.monotonic()
        crawl(config, store, poll=True)
        runs[phase] = _in_process(started, at, fleet.stats())
    store.close()
    return runs


def _command(child: dict, stats: dict) -> dict:
    timeline = sites.timeline(child["started_at"], child["ended_at"], stats)
    kept = {k: child[k] for k in ("wall_s", "cpu_s", "peak_mb")}
    return {**kept, **timeline, **stats}


def _in_process(started: float, at: float, stats: dict) -> dict:
    wall, ended = time.perf_counter() - started, time.monotonic()
    return {"wall_s": round(wall, 3), **sites.timeline(at, ended, stats), **stats}


def report(result: dict) -> None:
    m, s = result["machine"], result["settings"]
    print(
        f"machine: {m['cpus']} cpus, {m['cpu']}, load {m['load_average_1_5_15']}, {m['when_utc']}"
    )
    print(
        f"{s['feeds']} feeds, {s['latency'] * 1000:.0f} ms latency, {s['workers']} workers, "
        f"per-host delay {s['per_host_delay']} s, median of {s['repeat']} rounds"
    )
    runs = result["runs"]
    pairs = [("command", "reader, command", "auditor, command")]
    pairs += [("in process", "reader, in process", "auditor, in process")]
    pairs += [("full crawl", "reader, command", "auditor full crawl, command")]
    for label, r_key, a_key in pairs:
        for phase in ("cold", "warm"):
            r, a = runs[r_key][phase], runs[a_key][phase]
            print(
                f"{label:10} {phase}: reader {r['wall_s']:.2f} s, {r['requests']} requests "
                f"| auditor {a['wall_s']:.2f} s, {a['requests']} requests {a['by_kind']} "
                f"| median {a['wall_s'] / r['wall_s']:.2f}x, "
                f"best {a['best_wall_s'] / r['best_wall_s']:.2f}x  "
                f"(rounds: reader {r['all_wall_s']}, auditor {a['all_wall_s']})"
            )
            if "to_first_request_s" in r and "to_first_request_s" in a:
                print(f"{'':17}{_parts('reader', r)} | {_parts('auditor', a)}")


def _parts(who: str, run: dict) -> str:
    return (
        f"{who}: start-up {run['to_first_request_s']:.3f} s, requests "
        f"{run['requests_span_s']:.3f} s, after the last {run['after_last_answer_s']:.3f} s"
    )


if __name__ == "__main__":
    main()
