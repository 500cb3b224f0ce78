"""auditor.jobs, the work the CLI and the scheduler share, on a store filled through the
crawl layer with a fake client (no server): which runs are kept, which run each outlet's
export comes from, what the exports and the status say."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fakeclient import RSS, rss
from test_crawl_layer import CAMPAIGN, NOW, config, post, rest_site, wp_harvest, wp_outlet

from auditor import jobs
from auditor.crawl.save import save_harvest
from auditor.store import Store

# posts 1–6 on 3–8 Oct 2017 (week 40), 8 and 9 on 12 and 13 Oct (week 41), 09:00 local
POSTS = [post(i, 2 + i) for i in range(1, 7)] + [post(8, 12), post(9, 13)]
END_OF_16_OCT = datetime(2017, 10, 16, 17, 0, tzinfo=UTC)  # 17 Oct 00:00 in Hà Nội
END_OF_9_OCT = datetime(2017, 10, 9, 17, 0, tzinfo=UTC)


@pytest.fixture
def cfg():
    return replace(config(), outlets=(wp_outlet(),))


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "s.db")
    site = {**rest_site(POSTS), "/feed/": (rss([]), RSS)}
    save_harvest(store, wp_harvest(site, store, NOW), CAMPAIGN)
    yield store
    store.close()


def at(when: datetime):
    return lambda: when


def test_an_audit_judges_every_column_and_keeps_the_run(cfg, store):
    outcome = jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW))
    assert outcome.as_of == END_OF_16_OCT
    judged = {(w.column_id, w.week): (w.status, w.articles) for w in outcome.weeks}
    assert judged[("tc", "2017-W40")] == ("met", 6)
    assert judged[("tc", "2017-W41")] == ("met", 2)
    assert judged[("tc", "2017-W42")] == ("in_progress", 0)  # 17 Oct is inside it
    assert judged[("dh", "2017-W41")] == ("missed", 0)  # a complete listing, no such column
    assert [(s.column_id, s.exists, s.finding) for s in outcome.summaries] == [
        ("tc", "yes", "column_exists"),
        ("dh", "no", "no_column"),
    ]
    [run] = store.audit_runs()
    assert (run["id"], run["ran_at"], run["as_of"]) == (
        outcome.run_id,
        NOW.isoformat(),
        END_OF_16_OCT.isoformat(),
    )
    assert run["outlets"] == '["cd"]' and run["campaign_id"] == "1476"


def test_without_as_of_the_audit_is_as_of_when_it_runs(cfg, store):
    outcome = jobs.run_audit(cfg, store, now=at(NOW))
    assert outcome.as_of == NOW
    assert store.audit_runs()[0]["as_of"] == NOW.isoformat()


def test_reauditing_keeps_the_past(cfg, store):
    first = jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW))
    second = jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW + timedelta(hours=1)))
    assert second.run_id == first.run_id + 1
    assert [r["id"] for r in store.audit_runs()] == [first.run_id, second.run_id]


def test_run_day_is_the_local_day_the_run_judged_up_to(cfg, store):
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    assert jobs.run_day({"as_of": END_OF_16_OCT.isoformat()}, tz) == date(2017, 10, 16)
    # one second later is already the 17th that the run judged up to the end of
    later = (END_OF_16_OCT + timedelta(seconds=1)).isoformat()
    assert jobs.run_day({"as_of": later}, tz) == date(2017, 10, 17)


def test_pick_runs_prefers_the_latest_as_of_date_not_the_newest_run(cfg, store):
    present = jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW)).run_id
    past = jobs.run_audit(cfg, store, as_of=END_OF_9_OCT, now=at(NOW + timedelta(hours=1))).run_id
    assert jobs.pick_runs(cfg, store) == {"cd": present}
    assert jobs.pick_runs(cfg, store, as_of=date(2017, 10, 9)) == {"cd": past}
    assert jobs.pick_runs(cfg, store, run_id=past) == {"cd": past}


def test_pick_runs_says_what_is_stored_when_nothing_fits(cfg, store):
    with pytest.raises(jobs.NoAuditRun, match="run `auditor audit` first"):
        jobs.pick_runs(cfg, store)
    jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW))
    with pytest.raises(
        jobs.NoAuditRun, match=r"no audit run as of 2017-10-10; stored runs: 1 \(as of 2017-10-16\)"
    ):
        jobs.pick_runs(cfg, store, as_of=date(2017, 10, 10))
    with pytest.raises(
        jobs.NoAuditRun, match=r"no audit run 7; stored runs: 1 \(as of 2017-10-16\)"
    ):
        jobs.pick_runs(cfg, store, run_id=7)


def test_describe_runs_names_each_exported_run(cfg, store):
    run = jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW)).run_id
    assert jobs.describe_runs(cfg, store, {"cd": run}) == [
        f"exporting audit run {run} (as of 2017-10-16, ran at 2017-10-20 10:00 "
        "Asia/Ho_Chi_Minh) for 1 outlet(s): cd"
    ]
    assert jobs.describe_runs(cfg, store, {}) == []


def test_weekly_export_in_campaign_column_order_with_names_and_links(cfg, store):
    jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW))
    rows = jobs.weekly_export(cfg, store, date(2017, 10, 9), date(2017, 10, 15))
    assert [(r["column_id"], r["week"], r["status"], r["articles"]) for r in rows] == [
        ("tc", "2017-W41", "met", 2),
        ("dh", "2017-W41", "missed", 0),
    ]
    assert rows[0]["outlet_name"] == "Công đoàn tỉnh"
    assert rows[0]["column_name"] == "Thiết chế Công đoàn"
    assert rows[0]["article_urls"] == (
        "https://cd.example.vn/2017/10/12/bai-8 https://cd.example.vn/2017/10/13/bai-9"
    )


def test_an_export_before_any_audit_says_so(cfg, store):
    with pytest.raises(jobs.NoAuditRun, match="no audit run is stored yet"):
        jobs.weekly_export(cfg, store)
    with pytest.raises(jobs.NoAuditRun, match="no audit run is stored yet"):
        jobs.outlets_export(cfg, store)


def test_status_rows_carry_the_last_crawl_and_the_next_planned_run(store):
    planned = datetime(2017, 10, 20, 9, 30, tzinfo=UTC)
    store.set_schedule("crawl:cd", planned)
    [row] = jobs.status_rows(store)
    assert row.id == "cd" and row.articles == 8
    assert (row.new_articles, row.updated_articles) == (8, 0)
    assert row.seconds == 0.0  # the fake crawl starts and ends at the same instant
    assert row.next_run == planned
    assert row.column_listing == "REST categories and tags read at 2017-10-20T03:00:00+00:00"


def test_the_audit_pauses_the_garbage_collector_and_sets_it_back(cfg, store, monkeypatch):
    """Paused while the weeks pile up (issue 14), on again afterwards, also after a
    failure; left off when it was off."""
    import gc

    from auditor.rules import audit

    seen = []
    judge = audit.audit_column
    monkeypatch.setattr(audit, "audit_column", lambda *a: seen.append(gc.isenabled()) or judge(*a))
    assert gc.isenabled()
    jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW))
    assert seen and not any(seen) and gc.isenabled()
    monkeypatch.setattr(audit, "audit_column", lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW))
    assert gc.isenabled()
    gc.disable()
    try:
        with jobs.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
