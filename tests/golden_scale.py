"""Golden output of the commands the scale benchmark times, on a small store (issue 14).

The faster code must write, byte for byte, what the slower code wrote. The store
(tests/data/scale_golden/store.db) was crawled once by the real crawler from three simulated
outlets (bench/sites.py), then given the cases a crawl of those outlets never writes:
removed and undated articles, a title that looks like a formula, a person's topic
correction, banner checks and a failed last crawl. `outputs()` runs, on a copy of it,
`classify --all`, `audit --as-of`, every `export` (plain and with Vietnamese labels) and
`status --json`; the test compares each with the files beside the store.

Regenerate the expected files (only from code whose output is known right, e.g. main before
a change that must not alter output):

    PYTHONPATH=$PWD python tests/golden_scale.py --write           # expected outputs
    PYTHONPATH=$PWD python tests/golden_scale.py --store --write   # the store too, first
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tests" / "data" / "scale_golden"
AS_OF = "2018-02-15"
RUNS = {
    "classify.txt": ["classify", "--all"],
    "audit.txt": ["audit", "--as-of", AS_OF],
    "weekly.csv": ["export", "weekly", "-o", "{out}"],
    "weekly-vi.csv": ["export", "weekly", "--labels", "vi", "-o", "{out}"],
    "weekly-span.csv": ["export", "weekly", "--from", "2017-11-01", "--to", "2017-12-31"],
    "outlets.csv": ["export", "outlets", "-o", "{out}"],
    "outlets-vi.csv": ["export", "outlets", "--labels", "vi", "-o", "{out}"],
    "articles.csv": ["export", "articles", "-o", "{out}"],
    "articles-vi.csv": ["export", "articles", "--labels", "vi", "-o", "{out}"],
    "articles-span.csv": ["export", "articles", "--from", "2017-10-01", "--to", "2017-10-31"],
    "status.json": ["status", "--json"],
}
# What differs from one run to the next whatever the code: wall-clock instants.
_CLOCK = {"audit_runs": ("ran_at",), "predictions": ("at",)}
TABLES = ("audit_runs", "week_results", "column_results", "predictions")


def outputs(work: Path) -> dict[str, bytes]:
    """Every command's output, and the result tables, on a copy of the store in work."""
    from auditor.cli import cli

    db = work / "store.db"
    shutil.copyfile(HERE / "store.db", db)
    base = ["--config", str(HERE / "config.yaml"), "--db", str(db)]
    base += ["--models", str(ROOT / "models"), "-q"]
    got = {}
    for name, argv in RUNS.items():
        out = work / name
        argv = [a.format(out=out) for a in argv]
        result = CliRunner().invoke(cli, [*base, *argv], catch_exceptions=False)
        assert result.exit_code == 0, (name, result.output)
        got[name] = out.read_bytes() if "{out}" in RUNS[name] else result.stdout_bytes
    got["tables.json"] = _tables(db)
    # the model's version is when it was trained, not what the code wrote: retraining the
    # same data must not change a golden file
    version = json.loads((ROOT / "models" / "classifier.json").read_text())["version"].encode()
    return {name: out.replace(version, MODEL_VERSION) for name, out in got.items()}


MODEL_VERSION = b"<model version>"


def _tables(db: Path) -> bytes:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    data = {}
    for table in TABLES:
        rows = [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4")]
        for r in rows:
            for k in _CLOCK.get(table, ()):
                r.pop(k)
        data[table] = rows
    conn.close()
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def build_store() -> None:
    """Crawl three simulated outlets into a fresh store, then add the rare cases."""
    sys.path.insert(0, str(ROOT / "bench"))
    import sites

    from auditor import config as config_mod
    from auditor.crawl.run import crawl
    from auditor.fetch import Fetcher
    from auditor.store import Store

    HERE.mkdir(parents=True, exist_ok=True)
    db = HERE / "store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    outlets = [sites.outlet_entry(i, f"http://o{i}.bench.test/") for i in range(3)]
    http = {"concurrency": 1, "per_host_delay_s": 0, "retries": 0, "max_rest_pages": 8}
    sites.write_config(str(HERE / "config.yaml"), outlets, http, {"classify": False})
    config = config_mod.load(str(HERE / "config.yaml"))
    made = {
        f"o{i}.bench.test": sites.make_site(i, 400, date(2017, 9, 20), date(2018, 1, 31))
        for i in range(3)
    }
    store = Store(db)
    fetcher = Fetcher(config.http, store.validators(), robots=store.robots())
    fetcher.mount("http://", sites.InMemoryAdapter(made))
    crawled_at = datetime(2018, 2, 10, tzinfo=UTC)
    crawl(config, store, fetcher=fetcher, now=lambda: crawled_at)
    _rare_cases(store, config)
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.conn.execute("VACUUM")
    store.close()


def _rare_cases(store, config) -> None:
    from auditor.crawl import save as crawlsave

    at = datetime(2018, 2, 11, tzinfo=UTC)
    x = store.db.conn.execute
    with store.transaction():
        x("UPDATE articles SET removed_at = '2018-02-10T00:00:00+00:00' WHERE id % 37 = 0")
        x(
            "UPDATE articles SET published = NULL, undated_from = '2017-11-01T00:00:00+00:00',"
            " undated_to = '2017-11-20T00:00:00+00:00' WHERE id % 41 = 0"
        )
        x("UPDATE articles SET title = '=HYPERLINK(\"x\")' || title WHERE id % 53 = 0")
        x("UPDATE articles SET title = title || ', \"quoted\"; đ' WHERE id % 59 = 0")
        x(
            "INSERT INTO crawls (outlet_id, started_at, finished_at, status, error, notes, "
            "requests, bytes, new_articles, updated_articles, listing) VALUES ('o00002', "
            "'2018-02-12T00:00:00+00:00', '2018-02-12T00:00:30+00:00', 'error', "
            "'timeout', '', 3, 0, 0, 0, '')"
        )
        x(
            "UPDATE outlets SET last_status = 'error', last_error = 'timeout', "
            "consecutive_failures = 1, last_crawl_at = '2018-02-12T00:00:00+00:00' "
            "WHERE id = 'o00002'"
        )
    store.correct(7, ["loi_ich_doan_vien"], "tester", at)
    store.correct(8, [], "tester", at)
    for day, verdict in ((1, "present"), (5, "absent"), (9, "present")):
        when = datetime(2017, 10, day, 3, tzinfo=UTC)
        store.save_banner_check("o00000", when, verdict, evidence="text", location="header")
    for outlet in config.outlets:  # the columns again, now that articles changed
        with store.transaction():
            crawlsave.relink(store, outlet, config.campaign)


def main(argv: list[str]) -> None:
    import tempfile

    if "--store" in argv:
        build_store()
    with tempfile.TemporaryDirectory() as work:
        got = outputs(Path(work))
    if "--write" in argv:
        for name, data in got.items():
            (HERE / name).write_bytes(data)
        print(f"wrote {len(got)} files under {HERE}")
    else:
        for name, data in got.items():
            same = (HERE / name).read_bytes() == data
            print(f"{name}: {'same' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main(sys.argv[1:])
