"""Audit at scale: a store of N outlets and M articles over two campaign years, then the
time and peak memory of `audit`, `export weekly|outlets|articles`, `status`, `classify --all`.

The store is built the way real crawls build it: `auditor.crawl.run.crawl` reads simulated
WordPress outlets (bench/sites.py, fakesite's model) through an in-memory transport
instead of sockets, and the store's own code writes what it finds; every post is in one of
six categories, three of them the campaign's columns, and the REST listing is complete.
Crawling 2,000,000 articles that way takes over an hour, so only the first TEMPLATES
outlets are crawled; each further outlet is a copy, in SQL and in one transaction, of the
rows the crawl wrote for one of them (every table that names the outlet, with its own id,
host and article ids). The rows are the store's own, written by its own code; only their
number is multiplied. Each command then runs as a separate `python -m auditor` process.

    python3 bench/bench_scale.py                        # 20 outlets, 40,000 articles
    python3 bench/bench_scale.py --outlets 100 --articles 200000
    python3 bench/bench_scale.py --full                 # 1,000 outlets, 2,000,000 articles
    python3 bench/bench_scale.py --full --keep DIR      # keep the store; --reuse runs on it

Targets at 2 M (issue 14): audit <= 10 s, <= 500 MB; export weekly <= 10 s, <= 100 MB;
export articles <= 60 s, <= 100 MB; status <= 2 s; classify >= 2,000/s, <= 500 MB.
Results: bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections import OrderedDict
from datetime import UTC, date, datetime

# bench/ for sites.py, and the checkout itself: a fresh clone runs without installing
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sites  # the bench folder is not a package: found through sys.path

FIRST, LAST = date(2017, 9, 20), date(2019, 9, 30)  # the two campaign years of sites.CAMPAIGN
AS_OF = "2019-10-15"
TEMPLATES = 20  # outlets crawled for real; the others are copies of their rows
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = {
    "audit": ["audit", "--as-of", AS_OF],
    "export weekly": ["export", "weekly", "-o", "{tmp}/weekly.csv"],
    "export outlets": ["export", "outlets", "-o", "{tmp}/outlets.csv"],
    "export articles": ["export", "articles", "-o", "{tmp}/articles.csv"],
    "status": ["status", "--json"],
    "classify --all": ["classify", "--all"],
}


def main() -> None:
    args = parse_args()
    if args.full:
        args.outlets, args.articles = 1000, 2_000_000
    result = {"machine": sites.machine(), "settings": vars(args), "steps": {}}
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or scratch
        os.makedirs(tmp, exist_ok=True)
        config, db = os.path.join(tmp, "scale.yaml"), os.path.join(tmp, "scale.db")
        result["build"] = reuse_or_build(config, db, args)
        print(
            f"store: {args.outlets} outlets, {result['build']['articles']:,} articles, "
            f"{result['build']['db_mb']} MB, built in {result['build']['wall_s']:.0f} s"
        )
        for name, argv in COMMANDS.items():
            argv = [a.format(tmp=tmp) for a in argv]
            command = [*sites.auditor_argv(config, db, "--models", args.models), "-q", *argv]
            child = sites.run_child(command, sites.auditor_env())
            step = {k: child[k] for k in ("wall_s", "cpu_s", "peak_mb", "exit")}
            if child["exit"] != 0:
                step["stderr"] = child["stderr"]
            result["steps"][name] = step
            rate = ""
            if name == "classify --all":
                step["articles_per_s"] = round(result["build"]["articles"] / child["wall_s"])
                rate = f", {step['articles_per_s']:,} articles/s (process start included)"
            print(
                f"  {name}: {child['wall_s']:.2f} s ({child['cpu_s']:.2f} s CPU), "
                f"peak {child['peak_mb']} MB{rate}, "
                f"exit {child['exit']}"
            )
    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print("written:", sites.write_result(args.name, result))


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--outlets", type=int, default=20)
    p.add_argument("--articles", type=int, default=40_000, help="in all, spread evenly")
    p.add_argument("--full", action="store_true", help="1,000 outlets and 2,000,000 articles")
    p.add_argument(
        "--crawled", type=int, default=TEMPLATES, help="outlets crawled; the others copied"
    )
    p.add_argument("--models", default=os.path.join(ROOT, "models"))
    p.add_argument("--keep", default="", help="build the store in this folder and keep it")
    p.add_argument("--name", default="scale", help="bench/results/NAME.json")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: run the commands on the store built there before (a pristine copy "
        "of it, so audit runs and predictions of an earlier bench do not pile up)",
    )
    return p.parse_args()


class LazySites(OrderedDict):
    """host → FakeSite, made on first use; only the few being crawled are kept in memory."""

    def __init__(self, per_outlet: int, keep: int = 8):
        super().__init__()
        self.per_outlet, self.keep = per_outlet, keep

    def __missing__(self, host: str):
        site = sites.make_site(int(host.split(".")[0][1:]), self.per_outlet, FIRST, LAST)
        self[host] = site
        while len(self) > self.keep:
            self.popitem(last=False)
        return site


def reuse_or_build(config: str, db: str, args) -> dict:
    """Build the store; with --keep, also keep a pristine copy and the build's figures,
    which --reuse copies back instead of building again."""
    pristine, record = db + ".built", db + ".build.json"
    if args.reuse and os.path.exists(pristine) and os.path.exists(record):
        shutil.copyfile(pristine, db)
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(db + suffix)
        with open(record, encoding="utf-8") as f:
            return {**json.load(f), "reused": True}
    for path in (db, db + "-wal", db + "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
    build = build_store(config, db, args)
    if args.keep:
        shutil.copyfile(db, pristine)
        with open(record, "w", encoding="utf-8") as f:
            json.dump(build, f)
    return build


def build_store(config_path: str, db: str, args) -> dict:
    from auditor import config as config_mod
    from auditor.crawl.run import crawl
    from auditor.fetch import Fetcher
    from auditor.store import Store

    per_outlet = max(1, args.articles // args.outlets)
    pages = per_outlet // 100 + 2
    outlets = [sites.outlet_entry(i, f"http://o{i}.bench.test/") for i in range(args.outlets)]
    http = {"concurrency": 2, "per_host_delay_s": 0, "retries": 0, "max_rest_pages": pages}
    crawled = max(1, getattr(args, "crawled", TEMPLATES))
    sites.write_config(config_path, outlets[:crawled], http, {"classify": False})
    config = config_mod.load(config_path)
    adapter = sites.InMemoryAdapter(LazySites(per_outlet))
    store = Store(db)
    fetcher = Fetcher(config.http, store.validators(), robots=store.robots())
    fetcher.mount("http://", adapter)
    started = time.perf_counter()
    as_of = datetime(2019, 10, 14, tzinfo=UTC)
    reports = crawl(config, store, fetcher=fetcher, now=lambda: as_of)
    crawl_s = time.perf_counter() - started
    copy_outlets(store, args.outlets, crawled)
    wall = time.perf_counter() - started
    sites.write_config(config_path, outlets, http, {"classify": False})
    count = store._q("SELECT count(*) AS n FROM articles")[0]["n"]
    store.close()
    failed = [r for r in reports if r.status != "ok"]
    if failed:
        print(f"warning: {len(failed)} outlets not ok, e.g. {failed[0]}", file=sys.stderr)
    return {
        "wall_s": round(wall, 1),
        "crawl_s": round(crawl_s, 1),
        "outlets_crawled": min(crawled, args.outlets),
        "articles": count,
        "requests": adapter.count,
        "outlets_not_ok": len(failed),
        "db_mb": round(os.path.getsize(db) / 1e6, 1),
    }


# Columns that point at a row of another table, and that table: offset like its id.
_REFS = {"article_id": "articles", "crawl_id": "crawls"}


def copy_outlets(store, outlets: int, crawled: int = TEMPLATES) -> None:
    """Outlets crawled.. as copies of the crawled ones' rows, in one transaction: outlet k
    copies outlet k % crawled with its own id, name and host, and its articles and crawls
    get ids of their own (old id + round × the crawled outlets' largest id)."""
    if outlets <= crawled:
        return
    conn = store.db.conn
    top = {t: conn.execute(f"SELECT max(id) FROM {t}").fetchone()[0] or 0 for t in _REFS.values()}
    tables = [
        t
        for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if "outlet_id" in [c[0] for c in _columns(conn, t)]
    ]
    with store.transaction():
        for k in range(crawled, outlets):
            t, rnd = k % crawled, k // crawled
            old, new = sites.outlet_entry(t, ""), sites.outlet_entry(k, "")
            hosts = (f"o{t}.bench.test", f"o{k}.bench.test")
            for table in ["outlets", *tables]:
                _copy_rows(conn, table, old, new, hosts, {n: rnd * top[n] for n in top})
            _copy_rows(conn, "http_cache", old, new, hosts, {}, "url LIKE ?", f"%//{hosts[0]}/%")
            _copy_rows(conn, "robots", old, new, hosts, {}, "origin LIKE ?", f"%//{hosts[0]}")


def _columns(conn, table: str) -> list[tuple[str, str, int]]:
    return [(r[1], r[2].upper(), r[5]) for r in conn.execute(f"PRAGMA table_info({table})")]


def _copy_rows(conn, table, old, new, hosts, offsets, where="", like="") -> None:
    cols = _columns(conn, table)
    names = [c[0] for c in cols]
    exprs, params = [], []
    for name, kind, pk in cols:
        if table == "outlets" and name in ("id", "name"):
            exprs.append("?")
            params.append(new[name])
        elif name == "outlet_id":
            exprs.append("?")
            params.append(new["id"])
        elif name == "id" and table in offsets:
            exprs.append(f"id + {offsets[table]}")
        elif name in _REFS and _REFS[name] in offsets:
            exprs.append(f"{name} + {offsets[_REFS[name]]}")
        elif name == "id" and pk:
            exprs.append("NULL")  # a fresh rowid
        elif kind == "TEXT" or not kind:
            exprs.append(f'replace("{name}", ?, ?)')
            params += hosts
        else:
            exprs.append(f'"{name}"')
    if not where:
        where = "id = ?" if table == "outlets" else "outlet_id = ?"
        like = old["id"]
    cols_sql = ", ".join(f'"{n}"' for n in names)
    conn.execute(
        f"INSERT INTO {table} ({cols_sql}) SELECT {', '.join(exprs)} FROM {table} WHERE {where}",
        (*params, like),
    )


if __name__ == "__main__":
    main()
