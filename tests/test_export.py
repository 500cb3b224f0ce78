import csv
import io

import pytest

from auditor.cli import main
from auditor.export import WEEKLY, safe_cell, to_csv


def test_formula_cells_are_neutralised():
    for bad in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert safe_cell(bad).startswith("'")
    assert safe_cell("Công đoàn") == "Công đoàn"
    assert safe_cell(3) == 3


def test_bom_crlf_and_labels():
    text = to_csv(
        WEEKLY,
        [{"outlet_id": "a", "status": "met", "outlet_name": "=cmd|' /C calc'!A0"}],
        labels="vi",
    )
    assert text.startswith("\ufeffMã đơn vị,Tên đơn vị,")
    assert "\r\n" in text
    row = list(csv.reader(io.StringIO(text[1:])))[1]
    assert row[1].startswith("'=")


def test_a_plain_export_guards_formulas_and_writes_none_empty():
    """Without labels every cell goes through one row-wide guard (issue 14): the same
    cells as safe_cell gives, None empty, numbers as they are."""
    rows = [{"outlet_id": "=1+2", "outlet_name": None, "articles": 3, "covered_by": "-x"}]
    row = list(csv.reader(io.StringIO(to_csv(WEEKLY, rows)[1:])))[1]
    assert row[:2] == ["'=1+2", ""]
    assert row[WEEKLY.index("articles")] == "3"
    assert row[WEEKLY.index("covered_by")] == "'-x"
    assert row[WEEKLY.index("week")] == ""


def test_demo_runs_offline(tmp_path, capsys):
    assert main(["-q", "demo", "--keep", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2017-W43" in out and "1 missed" in out
    assert "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII  no " in out
    config, db = str(tmp_path / "demo-config.yaml"), str(tmp_path / "demo.db")
    csv_path = tmp_path / "w.csv"
    assert (
        main(
            [
                "-q",
                "--config",
                config,
                "--db",
                db,
                "export",
                "weekly",
                "--from",
                "2017-10-23",
                "--to",
                "2017-10-29",
                "-o",
                str(csv_path),
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8")[1:])))
    assert {r["week"] for r in rows} == {"2017-W43"}
    assert {r["column_id"]: r["status"] for r in rows} == {
        "loi_ich_doan_vien": "met",
        "thiet_che_cong_doan": "missed",
        "dai_hoi_cong_doan": "missed",
    }
    assert main(["-q", "--config", config, "--db", db, "export", "outlets", "--labels", "en"]) == 0
    assert "Thiết chế Công đoàn: Column exists" in capsys.readouterr().out
    assert (
        main(
            [
                "-q",
                "--config",
                config,
                "--db",
                db,
                "export",
                "articles",
                "--from",
                "2017-10-23",
                "--to",
                "2017-10-29",
            ]
        )
        == 0
    )
    articles = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert articles and all(a["published"][:7] == "2017-10" for a in articles)
    filed = [a for a in articles if a["columns"] == "thiet_che_cong_doan"]
    assert len(filed) == 1 and "THIẾT CHẾ CÔNG ĐOÀN" in filed[0]["evidence"]


def test_every_command_is_in_the_readme():
    from pathlib import Path

    from auditor.cli import cli

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    cli.load_all()
    for name in cli.commands:
        assert f"`{name}" in readme, name


PLAIN_ROWS = {
    "a row with nothing to quote": {"outlet_id": "o1", "articles": 2, "status": "met"},
    "a comma in a cell": {"outlet_name": "Công đoàn, Hà Nội", "articles": 0},
    "a quote in a cell": {"outlet_name": 'Báo "Lao động"'},
    "line breaks in a cell": {"covered_by": "feed\r\nsite", "week": "a\nb"},
    "a formula and a float": {"outlet_id": "=cmd", "on_topic": 1.5, "required": True},
    "every cell empty": {},
}


@pytest.mark.parametrize("row", PLAIN_ROWS.values(), ids=PLAIN_ROWS)
def test_a_plain_row_is_what_csv_writes_of_its_guarded_cells(row):
    """Rows with nothing to quote are joined without csv's test of every character
    (issue 14); byte for byte what csv.writer writes of the guarded cells."""
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(WEEKLY)
    writer.writerow([safe_cell("" if row.get(c) is None else row.get(c)) for c in WEEKLY])
    assert to_csv(WEEKLY, [row]) == "\ufeff" + expected.getvalue()


def test_a_one_column_row_left_empty_is_quoted_as_csv_does():
    assert to_csv(["a"], [{}, {"a": ""}, {"a": "x"}]) == '\ufeffa\r\n""\r\n""\r\nx\r\n'
