"""Vietnamese end to end, times in the campaign's zone, and the model's view in the
articles export. Expected words are written here, not read from auditor.labels."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from auditor import labels
from auditor.cli import main
from auditor.store import Store

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# every machine id a value cell of an export can carry, and English words beside them
ENGLISH = {
    "met", "missed", "in_progress", "in progress", "unknown", "yes", "no", "NO", "on_time",
    "late", "column_exists", "column_mostly_off_topic", "no_column",
    "no_column_but_topic_published_elsewhere", "no_column_and_no_topic_content", "ok",
    "error", "skipped", "stopped", "partial", "not_checked", "not_reached", "website",
    "newspaper", "magazine", "rest", "rss", "feed", "present", "absent", "khac",
}  # fmt: skip
ID_COLUMNS = {"Mã đơn vị", "Mã chuyên mục", "Mã bài", "Địa chỉ", "Các bài", "Phiên bản mô hình"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labels") / "demo"
    assert main(["-q", "demo", "--keep", str(folder)]) == 0
    args = ["--config", str(folder / "demo-config.yaml"), "--db", str(folder / "demo.db")]
    assert main([*args, "label", "3", "dai_hoi_cong_doan"]) == 0
    return args, folder / "demo.db"


def export(capsys, args, *more) -> list[dict]:
    capsys.readouterr()
    assert main([*args, "export", *more]) == 0
    text = capsys.readouterr().out
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def english_cells(rows: list[dict]) -> list[tuple[str, str]]:
    found = []
    for row in rows:
        for column, cell in row.items():
            if column in ID_COLUMNS:
                continue
            words = {cell.strip(), *re.split(r"[\s,;:()]+", cell)}
            if words & ENGLISH or re.search(r"\b[a-z]+_[a-z_]+\b", cell):
                found.append((column, cell))
    return found


def test_weekly_in_vietnamese_has_no_english_value(demo, capsys):
    rows = export(capsys, demo[0], "weekly", "--labels", "vi")
    assert rows and english_cells(rows) == []
    assert {r["Kết quả"] for r in rows} == {"đạt", "không đạt", "đang diễn ra"}


def test_weekly_keeps_machine_ids_by_default(demo, capsys):
    rows = export(capsys, demo[0], "weekly")
    assert {r["status"] for r in rows} == {"met", "missed", "in_progress"}


def test_outlets_in_vietnamese(demo, capsys):
    [row] = export(capsys, demo[0], "outlets", "--labels", "vi")
    assert english_cells([row]) == []
    benefits = "Công đoàn vì lợi ích đoàn viên"
    assert row[f"{benefits}: Có chuyên mục"] == "có"
    assert row[f"{benefits}: Đúng hạn"] == "đúng hạn"
    assert row[f"{benefits}: Nhận định"] == "Có chuyên mục"
    congress = "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII"
    assert row[f"{congress}: Có chuyên mục"] == "không"
    assert "không có bài nào" in row[f"{congress}: Nhận định"]
    assert row["Loại hình"] == "trang thông tin điện tử"
    assert row["Tình trạng thu thập"] == "thành công"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d", row["Lần thu thập gần nhất (giờ Asia/Ho_Chi_Minh)"]
    )


def test_articles_show_the_model_and_the_person_in_local_time(demo, capsys):
    args, db = demo
    store = Store(db)
    stored = {r["id"]: r for r in store._q("SELECT id, published FROM articles")}
    predicted = {r["article_id"]: r for r in store._q("SELECT * FROM predictions")}
    store.close()
    rows = export(capsys, args, "articles")
    by_id = {int(r["article_id"]): r for r in rows}
    for article_id, row in by_id.items():
        utc = datetime.fromisoformat(stored[article_id]["published"])
        assert datetime.fromisoformat(row["published"]) == utc
        assert row["published"].endswith("+07:00")
        assert row["model_version"] == predicted[article_id]["model_version"]
        probs = json.loads(predicted[article_id]["probabilities"])
        assert row["topic_probabilities"].split() == [f"{k}={v:.2f}" for k, v in probs.items()]
        assert row["topics"].split() == json.loads(predicted[article_id]["labels"])
    assert by_id[3]["person_topics"] == "dai_hoi_cong_doan"
    assert [r["person_topics"] for i, r in by_id.items() if i != 3] == [""] * (len(by_id) - 1)

    vi = export(capsys, args, "articles", "--labels", "vi")
    assert english_cells(vi) == []
    header = "Ngày đăng (giờ Asia/Ho_Chi_Minh)"
    first = next(r for r in vi if r["Mã bài"] == "3")
    utc = datetime.fromisoformat(stored[3]["published"])
    assert first[header] == utc.astimezone(VN).strftime("%Y-%m-%d %H:%M")
    assert first["Chủ đề (người gán)"] == "Đại hội công đoàn"
    assert "Lợi ích đoàn viên: " in first["Xác suất từng chủ đề"]


def test_vocabulary_has_the_values_others_will_emit():
    assert labels.value("existence", "unknown", "vi") == "chưa rõ"
    assert labels.value("week", "not_reached", "vi") == "không truy cập được"
    assert labels.value("finding", "not_checked", "vi").startswith("Chưa kiểm tra")
    assert labels.value("timeliness", "late", "vi") == "trễ hạn"
    assert labels.value("week", "met", None) == "met"  # machine ids without a language
    for kind, words in labels.VALUES["vi"].items():
        for machine_id, text in words.items():
            assert text != machine_id, (kind, machine_id)


def test_evidence_keeps_names_and_addresses_as_they_are():
    text = "category 'Tag name category', slug tag-name, id 3 matched by name without diacritics"
    assert labels.evidence(text) == (
        "chuyên mục 'Tag name category', đường dẫn rút gọn tag-name, mã 3 khớp theo "
        "tên viết không dấu"
    )


def test_status_json_is_data_and_tables_show_local_time(demo, capsys):
    args, _ = demo
    capsys.readouterr()
    assert main([*args, "status", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert isinstance(row["feeds"], list) and "grp" not in row and "group" in row
    assert row["last_crawl_at"].endswith("+00:00")  # UTC under --json
    assert main([*args, "status"]) == 0
    table = capsys.readouterr().out
    assert "(Asia/Ho_Chi_Minh)" in table and "+00:00" not in table and "UTC" not in table
    local = datetime.fromisoformat(row["last_crawl_at"]).astimezone(VN)
    assert local.strftime("%Y-%m-%d %H:%M") in table


def test_audit_and_schedule_list_speak_one_zone(demo, capsys, tmp_path):
    # its own copy of the store: an audit as of today would change what the other
    # tests of this module export, in whatever order they run
    args, db = demo
    copy = tmp_path / "demo.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    args = [args[0], args[1], "--db", str(copy)]
    for extra in ([], ["--as-of", "2017-11-30"]):
        capsys.readouterr()
        assert main(["-q", *args, "audit", *extra]) == 0
        first = capsys.readouterr().out.splitlines()[0]
        assert first.endswith("(Asia/Ho_Chi_Minh)") and "UTC" not in first, first
    assert "as of 2017-12-01 00:00 (Asia/Ho_Chi_Minh)" in first
    assert main([*args, "schedule", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "(Asia/Ho_Chi_Minh)" in listing and "+07" not in listing and "UTC" not in listing


def test_report_evidence_in_the_page_language():
    from auditor.report.page import evidence_words
    from auditor.report.vocab import Words

    text = "category 'THIẾT CHẾ CÔNG ĐOÀN', slug thiet-che, id 11 matched by name"
    vi = evidence_words(text, Words("vi"))
    assert "'THIẾT CHẾ CÔNG ĐOÀN'" in vi and "khớp theo" in vi and "matched" not in vi
    assert evidence_words(text, Words("en")) == text
