"""Banner checks and non-WordPress columns against portals served on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, timedelta

import pytest
from portals import BANNER_TEXT, Portal, banner_png, page
from test_crawl import write_config

from auditor import ocr
from auditor.cli import main
from auditor.fakesite import FakeSite
from auditor.store import Store


def ocr_or_skip():
    """Without Tesseract the OCR test is skipped; with CI set, tests/ci_skips.py makes
    that skip a failure."""
    why = ocr.available()
    if why:
        pytest.skip(f"OCR test skipped: {why}")


def portal_sites(serve):
    text = serve(Portal().site)
    split = serve(
        Portal(
            "<div class='slider'><b>Chào mừng</b> <span>Đại hội</span><br/>"
            "Công đoàn <i>Việt Nam</i> lần thứ&nbsp;XII</div>"
        ).site
    )
    similar = serve(
        Portal("<div class='banner'>Chào mừng Đại hội Đoàn TNCS Hồ Chí Minh lần thứ XII</div>").site
    )
    image_site = Portal('<div class="banner"><img src="/img/b1.png" width="1000" alt=""></div>')
    image_site.site.routes["/img/b1.png"] = lambda h: h.send(200, banner_png(), "image/png")
    image = serve(image_site.site)
    return {"text": text, "split": split, "similar": similar, "image": image}


def banner_config(tmp_path, servers) -> str:
    outlets = "".join(
        f'- {{id: {k}, name: "{k}", kind: website, url: "{s.url}/"}}\n' for k, s in servers.items()
    )
    outlets += '- {id: down, name: "down", kind: website, url: "http://127.0.0.1:9/"}\n'
    return write_config(tmp_path, outlets, http="{timeout_s: 3, per_host_delay_s: 0, retries: 0}")


def test_banner_verdicts_with_evidence(tmp_path, serve, capsys):
    ocr_or_skip()
    config = banner_config(tmp_path, portal_sites(serve))
    db = tmp_path / "a.db"
    assert main(["-q", "--config", config, "--db", str(db), "banner", "--json"]) == 1
    got = {r["outlet_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert got["text"]["verdict"] == "present" and "marquee" in got["text"]["location"]
    assert BANNER_TEXT in got["text"]["evidence"]
    assert got["split"]["verdict"] == "present" and "slider" in got["split"]["location"]
    assert got["similar"]["verdict"] == "absent"
    assert got["image"]["verdict"] == "present" and "OCR" in got["image"]["location"]
    assert got["image"]["image_url"].endswith("/img/b1.png")
    assert "LẦN THỨ XII" in got["image"]["ocr_text"]
    assert got["down"]["verdict"] == "unknown" and "connection failed" in got["down"]["error"]
    stored = Store(db)._q("SELECT outlet_id, verdict FROM banner_checks")
    assert len(stored) == 5


def test_without_tesseract_the_evidence_says_why(tmp_path, serve, capsys, monkeypatch):
    servers = portal_sites(serve)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    config = banner_config(tmp_path, servers)
    assert main(["-q", "--config", config, "--db", str(tmp_path / "a.db"), "banner", "--json"]) == 1
    got = {r["outlet_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert got["image"]["verdict"] == "unknown"
    assert "Tesseract is not installed" in got["image"]["error"]
    assert got["text"]["verdict"] == "present"  # everything else still works


def expected_counts(portal: Portal) -> dict:
    """Per column and ISO week (Vietnam time): how many articles the portal published."""
    counts: dict = {}
    for column, items in (
        ("thiet_che_cong_doan", portal.institution),
        ("loi_ich_doan_vien", portal.benefit),
        ("dai_hoi_cong_doan", portal.congress),
    ):
        for _, _, when in items:
            year, week, _ = when.isocalendar()
            key = (column, f"{year}-W{week:02d}")
            counts[key] = counts.get(key, 0) + 1
    return counts


def audit_weekly(config, db, capsys) -> list[dict]:
    args = ["-q", "--config", config, "--db", str(db)]
    assert main([*args, "crawl"]) == 0
    assert main([*args, "audit", "--as-of", "2017-11-30"]) == 0
    capsys.readouterr()
    assert main([*args, "export", "weekly"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))


def check_counts(rows, portal, as_of=date(2017, 11, 30)):
    """Every column and every week from the campaign's first Monday to as_of, nothing
    else: each section is read whole (listings to their last page, the own feed from its
    first item), so a finished week is met or missed, never unknown; the week of as_of is
    in progress, with what it has so far."""
    counts = expected_counts(portal)
    expected, monday = {}, date(2017, 9, 25)
    while monday <= as_of:
        year, number, _ = monday.isocalendar()
        week = f"{year}-W{number:02d}"
        for column in ("thiet_che_cong_doan", "loi_ich_doan_vien", "dai_hoi_cong_doan"):
            n = counts.get((column, week), 0)
            done = monday + timedelta(days=6) <= as_of
            expected[(column, week)] = (
                n,
                ("met" if n >= 2 else "missed") if done else "in_progress",
            )
        monday += timedelta(days=7)
    got = {(r["column_id"], r["week"]): (int(r["articles"]), r["status"]) for r in rows}
    assert len(got) == len(rows)
    assert got == expected


def test_menu_sections_are_audited_from_listings_feeds_and_article_pages(tmp_path, serve, capsys):
    portal = Portal()
    server = serve(portal.site)
    config = write_config(tmp_path, f'- {{id: p, name: P, kind: website, url: "{server.url}/"}}\n')
    rows = audit_weekly(config, tmp_path / "a.db", capsys)
    check_counts(rows, portal)
    assert "/chuyen-muc/thiet-che-cong-doan/trang-3.html" in portal.site.log
    evidence = Store(tmp_path / "a.db")._q("SELECT column_id, evidence FROM column_sources")
    assert any("Thiết chế CĐ" in e["evidence"] for e in evidence)


def test_discover_snippet_audits_the_portal(tmp_path, serve, capsys):
    portal = Portal()
    server = serve(portal.site)
    config = write_config(tmp_path, "[]\n")
    assert main(["-q", "--config", config, "discover", f"{server.url}/", "--id", "mau"]) == 0
    snippet = capsys.readouterr().out
    assert "thiet_che_cong_doan: {section:" in snippet
    assert "loi_ich_doan_vien: {feed:" in snippet and "loi-ich.rss" in snippet
    assert "wordpress: false" in snippet
    pasted = tmp_path / "pasted"
    pasted.mkdir()
    config = write_config(pasted, snippet.replace("  - id:", "- id:").replace("\n    ", "\n  "))
    rows = audit_weekly(config, pasted / "a.db", capsys)
    check_counts(rows, portal)


def test_common_feed_path_is_found(tmp_path, serve):
    site = FakeSite(rest="off", routes={"/": lambda h: page(h, "<p>Trang chủ không có RSS</p>")})
    server = serve(site)
    config = write_config(tmp_path, f'- {{id: x, name: X, kind: website, url: "{server.url}/"}}\n')
    assert main(["-q", "--config", config, "--db", str(tmp_path / "a.db"), "crawl"]) == 0
    assert "/feed/" in site.log


def test_banner_share_over_the_campaign_in_the_outlet_export(tmp_path, serve, capsys):
    from datetime import UTC, datetime

    from auditor import config as config_mod
    from auditor.crawl import banner as checks

    server = serve(Portal().site)
    path = write_config(tmp_path, f'- {{id: p, name: P, kind: website, url: "{server.url}/"}}\n')
    config = config_mod.load(path)
    store = Store(tmp_path / "a.db")
    for day in (2, 3, 4):  # three daily checks in October 2017, as the scheduler would run
        when = datetime(2017, 10, day, 3, tzinfo=UTC)
        checks.check_banners(config, store, now=lambda when=when: when)
    store.save_banner_check("p", datetime(2017, 10, 5, 3, tzinfo=UTC), "absent")
    args = ["-q", "--config", path, "--db", str(tmp_path / "a.db")]
    assert main([*args, "crawl"]) == 0
    assert main([*args, "audit", "--as-of", "2017-10-31"]) == 0
    capsys.readouterr()
    assert main([*args, "export", "outlets"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert (row["banner_days_checked"], row["banner_days_present"], row["banner_share"]) == (
        "4",
        "3",
        "0.75",
    )
    assert (row["banner_first_seen"], row["banner_last_seen"]) == ("2017-10-02", "2017-10-04")


def test_discover_all_refreshes_the_store(tmp_path, serve, capsys):
    server = serve(Portal().site)
    path = write_config(tmp_path, f'- {{id: p, name: P, kind: website, url: "{server.url}/"}}\n')
    db = tmp_path / "a.db"
    assert main(["-q", "--config", path, "--db", str(db), "discover", "--all"]) == 0
    assert "thiet_che_cong_doan" in capsys.readouterr().out
    found = {r["column_id"] for r in Store(db)._q("SELECT column_id FROM sections")}
    assert found == {"thiet_che_cong_doan", "loi_ich_doan_vien", "dai_hoi_cong_doan"}
