"""The benchmarks still run, end to end, at a tiny size (their figures are not judged here)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def run(tmp_path, script, *args):
    env = {**os.environ, "BENCH_RESULTS": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_fleet_benchmark_runs(tmp_path):
    out = run(
        tmp_path, "bench_fleet.py", "--outlets", "2", "--posts", "30", "--per-host-delay", "0"
    )
    result = json.loads((tmp_path / "fleet.json").read_text())
    cold, warm = result["fleets"]["2"]["cold"], result["fleets"]["2"]["warm"]
    assert cold["exit"] == 0 and cold["articles"] == 60, out
    assert cold["by_kind"]["robots"] == 2 and cold["by_kind"]["rest"] >= 2
    assert warm["bytes"] < cold["bytes"] and cold["peak_mb"] > 0
    assert result["machine"]["cpus"]


@pytest.mark.slow
def test_scale_benchmark_runs(tmp_path):
    run(tmp_path, "bench_scale.py", "--outlets", "2", "--articles", "200")
    result = json.loads((tmp_path / "scale.json").read_text())
    assert result["build"]["articles"] == 200 and result["build"]["outlets_not_ok"] == 0
    for step in ("audit", "export weekly", "export articles", "status", "classify --all"):
        assert result["steps"][step]["exit"] == 0, result["steps"][step]


@pytest.mark.slow
def test_scale_benchmark_copies_outlets_with_their_own_ids_and_hosts(tmp_path):
    """Outlets beyond the crawled ones are copies of their rows, each under its own id,
    host and article ids; the commands run on them as on crawled ones."""
    import sqlite3

    keep = tmp_path / "store"
    run(
        tmp_path,
        "bench_scale.py",
        "--outlets",
        "3",
        "--articles",
        "300",
        "--crawled",
        "2",
        "--keep",
        str(keep),
    )
    result = json.loads((tmp_path / "scale.json").read_text())
    assert result["build"]["articles"] == 300 and result["build"]["outlets_crawled"] == 2
    assert all(step["exit"] == 0 for step in result["steps"].values()), result["steps"]
    with sqlite3.connect(keep / "scale.db.built") as db:
        copied = db.execute(
            "SELECT url FROM articles WHERE outlet_id = 'o00002' ORDER BY id"
        ).fetchall()
        template = db.execute(
            "SELECT url FROM articles WHERE outlet_id = 'o00000' ORDER BY id"
        ).fetchall()
        assert len(copied) == len(template) == 100
        assert [u.replace("o2.bench.test", "o0.bench.test") for (u,) in copied] == [
            u for (u,) in template
        ]
        assert all("//o2.bench.test/" in u for (u,) in copied)
        links = db.execute(
            "SELECT count(*) FROM article_columns ac JOIN articles a ON a.id = ac.article_id "
            "WHERE ac.outlet_id = 'o00002' AND a.outlet_id = 'o00002'"
        ).fetchone()[0]
        assert (
            links
            == db.execute(
                "SELECT count(*) FROM article_columns WHERE outlet_id = 'o00000'"
            ).fetchone()[0]
            > 0
        )
