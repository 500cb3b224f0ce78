"""`auditor report`: HTML and XLSX from a store built over loopback outlets, checked
against the CSV exports of the same store, and the page rendered by a real browser."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from expect import VN
from test_crawl import big_site, feed_only_site, read_csv, run, write_config

from auditor import export
from auditor.fakesite import FakePost, FakeSite, Server
from auditor.report import fmt, judge
from auditor.report.vocab import WORDS
from auditor.store import Store

AS_OF = "2017-12-20"
SCRIPT_TITLE = "<script>alert(1)</script> Tin công đoàn"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/","bấm")'
PERIOD = ("2017-09-20", "2018-04-20")


def hostile_site() -> FakeSite:
    site = big_site()
    site.posts += [
        # REST sends titles as HTML: &lt; is a literal "<" in the title
        FakePost(
            900,
            "&lt;script&gt;alert(1)&lt;/script&gt; Tin công đoàn",
            datetime(2017, 10, 10, 9, tzinfo=VN),
            (10,),
        ),
        FakePost(901, FORMULA_TITLE, datetime(2017, 10, 11, 9, tzinfo=VN), (11,)),
    ]
    return site


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """Three outlets (one unreachable) crawled, classified, banner-checked and audited."""
    folder = tmp_path_factory.mktemp("seeded")

    def down(h):
        h.send(500, b"<html>Internal Server Error</html>", "text/html")

    broken = FakeSite(routes={"/": down, "/feed/": down, "/robots.txt": down})
    with Server(hostile_site()) as good, Server(feed_only_site()) as feedy, Server(broken) as bad:
        config = write_config(
            folder,
            f"""
            - {{id: good, name: "LĐLĐ Thử nghiệm", kind: website, url: "{good.url}/",
               group: ldld}}
            - {{id: feedy, name: "Báo Thử", kind: newspaper, url: "{feedy.url}/",
               wordpress: false, feeds: ["{feedy.url}/feed/"], group: bao-chi}}
            - {{id: broken, name: "Công đoàn Hỏng", kind: website, url: "{bad.url}/",
               group: cd-nganh}}
            """,
        )
        db = folder / "audit.db"
        assert run(config, db, "crawl") == 1  # one outlet is down, the others are stored
    store = Store(db)
    script_id = store._q("SELECT id FROM articles WHERE title LIKE '<script>%'")[0]["id"]
    # a person marks it off topic, and its address turns hostile: the list shows it as text
    assert run(config, db, "label", str(script_id), "khac") == 0
    with store.transaction():
        store.db.execute(
            "UPDATE articles SET url = 'javascript:alert(2)' WHERE id = ?", (script_id,)
        )
    for day, verdict in (
        ("2017-10-02", "present"),
        ("2017-10-03", "present"),
        ("2017-10-20", "absent"),
        ("2017-10-25", "absent"),
    ):
        store.save_banner_check("good", datetime.fromisoformat(f"{day}T03:00:00+00:00"), verdict)
    store.close()
    assert run(config, db, "audit", "--as-of", AS_OF) == 0
    return config, db, folder


def csv_export(config, db, folder, what: str, *args) -> list[dict]:
    out = folder / f"{what}-{'-'.join(args) or 'all'}.csv"
    assert run(config, db, "export", what, *args, "-o", str(out)) == 0
    return read_csv(out)


def make_report(config, db, out: Path, *args) -> tuple[Path, Path]:
    assert run(config, db, "report", *args, "-o", str(out)) == 0
    [html] = out.glob("*.html")
    [xlsx] = out.glob("*.xlsx")
    return html, xlsx


class Cells(HTMLParser):
    """The matrix cells and the summary groups of a report page."""

    def __init__(self):
        super().__init__()
        self.column = self.outlet = self.group = ""
        self.cells: dict[tuple[str, str, str], tuple[str, str]] = {}
        self.groups: dict[str, list[str]] = {}
        self.in_li = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-column" in a:
            self.column = a["data-column"]
        elif tag == "tr" and "data-outlet" in a:
            self.outlet = a["data-outlet"]
        elif tag == "td" and "data-week" in a:
            status = a["class"].removeprefix("s-")
            self.cells[(self.outlet, self.column, a["data-week"])] = (status, a["data-articles"])
        elif tag == "div" and a.get("id", "").startswith("sum-"):
            self.group = a["id"].removeprefix("sum-")
            self.groups[self.group] = []
        elif tag == "li" and self.group:
            self.in_li = True
            self.groups[self.group].append("")

    def handle_endtag(self, tag):
        if tag == "li":
            self.in_li = False
        elif tag == "ul":
            self.group = ""

    def handle_data(self, data):
        if self.in_li:
            self.groups[self.group][-1] += data


def parse(html: Path) -> Cells:
    p = Cells()
    p.feed(html.read_text(encoding="utf-8"))
    return p


def sheet(xlsx: Path, name: str) -> list[dict]:
    ws = openpyxl.load_workbook(xlsx)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize(
    "args, first, last",
    [
        (("period", "--from", PERIOD[0], "--to", PERIOD[1]), *PERIOD),
        (("monthly", "--month", "2017-10"), "2017-10-01", "2017-10-31"),
    ],
    ids=["phase summary", "monthly evaluation"],
)
def test_figures_equal_the_csv_exports(seeded, tmp_path, args, first, last):
    config, db, folder = seeded
    html, xlsx = make_report(config, db, tmp_path, *args)
    weekly = csv_export(config, db, folder, "weekly", "--from", first, "--to", last)
    outlets = {r["outlet_id"]: r for r in csv_export(config, db, folder, "outlets")}
    assert weekly and {r["outlet_id"] for r in weekly} == {"good", "feedy", "broken"}

    # the HTML matrix: one cell per CSV row, same status, same article count
    cells = parse(html).cells
    assert cells == {
        (r["outlet_id"], r["column_id"], r["week"]): (r["status"], r["articles"]) for r in weekly
    }
    # every sheet: header frozen, filters on, widths set
    for ws in openpyxl.load_workbook(xlsx):
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws.column_dimensions["A"].width >= 6
    # the XLSX weekly sheet is the CSV's rows (all but the URLs), value for value
    key_of = {export.label(k, "vi", {}): k for k in export.WEEKLY}
    sheet_rows = sheet(xlsx, "Số liệu tuần")
    assert len(sheet_rows) == len(weekly)
    for got, want in zip(sheet_rows, weekly, strict=True):
        assert {key_of[h]: "" if v is None else str(v) for h, v in got.items()} == {
            key_of[h]: want[key_of[h]] for h in got
        }
    # the classifier's share per column: its on-topic articles over all it filed, as the
    # weekly CSV counts them (the default count: every article of the column)
    shares = {
        r["Chuyên mục"]: r["Tiêu đề"]
        for r in sheet(xlsx, "Phân loại")
        if r["Loại"] == "Tỷ lệ bài đúng chủ đề"
    }
    names = {r["column_id"]: r["column_name"] for r in weekly}
    for cid, name in names.items():
        mine = [r for r in weekly if r["column_id"] == cid]
        on = sum(int(r["on_topic"] or 0) for r in mine)
        assert shares[name] == f"{on}/{sum(int(r['articles']) for r in mine)}"
    assert any(r["on_topic"] for r in weekly)  # the crawl did classify
    # per outlet and column: weeks met in the period (from the weekly CSV) and to date
    # (from the outlets CSV)
    for row in sheet(xlsx, "Từng đơn vị"):
        if not row["Chuyên mục"]:
            continue
        oid = row["Mã đơn vị"]
        cid = next(
            c
            for c, n in (
                ("loi_ich_doan_vien", "Công đoàn vì lợi ích đoàn viên"),
                ("thiet_che_cong_doan", "Thiết chế Công đoàn"),
                ("dai_hoi_cong_doan", "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII"),
            )
            if n == row["Chuyên mục"]
        )
        mine = [r for r in weekly if r["outlet_id"] == oid and r["column_id"] == cid]
        met = sum(r["status"] == "met" for r in mine)
        judged = sum(r["status"] in ("met", "missed") for r in mine)
        assert row["Số tuần đạt / đã xét (trong kỳ): Đạt"] == met
        assert row["Số tuần đạt / đã xét (trong kỳ): Tuần"] == judged
        assert (
            str(row["Số tuần đạt / đã xét (từ đầu đợt): Đạt"]) == outlets[oid][f"{cid}__weeks_met"]
        )
        assert (
            str(row["Số tuần đạt / đã xét (từ đầu đợt): Tuần"])
            == outlets[oid][f"{cid}__weeks_judged"]
        )


def test_unreachable_outlet_is_not_checked_never_not_compliant(seeded, tmp_path):
    config, db, _ = seeded
    html, xlsx = make_report(config, db, tmp_path, "period", "--from", PERIOD[0], "--to", PERIOD[1])
    groups = parse(html).groups
    assert [g for g in groups["not_checked"] if g.startswith("Công đoàn Hỏng")]
    assert not any("Hỏng" in n for v in ("full", "partial", "none") for n in groups[v])
    verdicts = {r["Mã đơn vị"]: r["Tóm tắt"] for r in sheet(xlsx, "Tóm tắt")}
    assert verdicts["broken"] == "Chưa kiểm tra được"
    assert verdicts["good"] in ("Thực hiện một phần", "Thực hiện đầy đủ")
    follow = sheet(xlsx, "Cần đôn đốc")
    assert [
        r for r in follow if r["Mã đơn vị"] == "broken" and r["Vấn đề"].startswith("Không truy")
    ]
    # an unreachable outlet is never said to lack a column
    assert not [r for r in follow if r["Mã đơn vị"] == "broken" and "Chưa mở" in r["Vấn đề"]]
    # the good outlet has no congress column (proven by a complete listing), and lost its
    # banner on 20 Oct
    assert [r for r in follow if r["Mã đơn vị"] == "good" and r["Vấn đề"] == "Chưa mở chuyên mục"]
    banner = [r for r in follow if r["Mã đơn vị"] == "good" and "banner" in r["Vấn đề"]]
    assert [r["Từ"] for r in banner] == ["2017-10-20"]


def test_outlet_text_is_escaped_and_never_a_formula(seeded, tmp_path):
    config, db, _ = seeded
    html, xlsx = make_report(config, db, tmp_path, "period", "--from", PERIOD[0], "--to", PERIOD[1])
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tin công đoàn" in page
    assert "javascript:" not in re.sub(r"<span class=\"url\">[^<]*</span>|>[^<]*<", "><", page)
    assert 'href="javascript' not in page.lower()
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("http://", "https://", "#o-")) for h in hrefs)
    book = openpyxl.load_workbook(xlsx)
    texts = [c for ws in book for row in ws.iter_rows() for c in row if c.value == FORMULA_TITLE]
    assert texts and all(c.data_type == "s" for c in texts)
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8")


def test_english_labels_and_default_folder_from_anywhere(seeded, tmp_path, monkeypatch):
    config, db, folder = seeded
    monkeypatch.chdir(tmp_path)  # not the clone: fonts and models come from the package
    assert run(config, db, "report", "monthly", "--month", "2017-11", "--labels", "en") == 0
    html = folder / "reports" / "report-2017-11-en.html"
    page = html.read_text(encoding="utf-8")
    for words in ("Not checked", "Week-by-week compliance", "Classifier findings"):
        assert words in page
    assert "Chưa kiểm tra được" not in page
    assert (folder / "reports" / "report-2017-11-en.xlsx").exists()


def test_the_monthly_job_writes_the_reports_beside_its_csvs(seeded, tmp_path, monkeypatch):
    from auditor import schedule

    config, db, _ = seeded
    copy = tmp_path / "copy.db"  # the job audits again: keep the shared store as it was
    source, target = sqlite3.connect(db), sqlite3.connect(copy)
    source.backup(target)  # a consistent copy, whatever sits in the WAL
    source.close()
    target.close()
    monkeypatch.chdir(tmp_path)  # schedule.reports_dir is "reports", relative
    monkeypatch.setattr(schedule, "utcnow", lambda: datetime(2017, 11, 1, 2, tzinfo=VN))
    daemon = schedule.Daemon(config, str(copy))
    store = Store(copy)
    try:
        daemon.monthly_job(store)
    finally:
        store.close()
    made = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert made == [
        "2017-10-outlets.csv",
        "2017-10-weekly.csv",
        "report-2017-10.html",
        "report-2017-10.xlsx",
    ]
    page = (tmp_path / "reports" / "report-2017-10.html").read_text(encoding="utf-8")
    assert "Đánh giá tháng 10/2017" in page


def test_every_key_has_both_languages():
    assert set(WORDS["vi"]) == set(WORDS["en"])


@pytest.mark.parametrize(
    "url, linked",
    [
        ("https://laodong.vn/a?b=1&c=2", True),
        ("http://127.0.0.1:8000/x", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/", False),
        ("", False),
    ],
)
def test_only_http_links(url, linked):
    html = fmt.link(url, "<b>tiêu đề</b>")
    assert ("<a " in html) is linked
    assert "<b>" not in html


@pytest.mark.parametrize(
    "statuses, silent",
    [
        (["met", "missed", "missed", "met"], ("d1", 2)),
        (["missed", "unknown", "missed", "met", "missed"], ("d0", 2)),
        (["missed", "met", "missed"], None),
        (["met", "missed", "missed", "missed", "met", "missed", "missed"], ("d5", 2)),
        (["in_progress"], None),
    ],
)
def test_silence_is_two_missed_weeks_in_a_row(statuses, silent):
    weeks = [(f"w{i}", f"d{i}", s) for i, s in enumerate(statuses)]
    assert judge.silent_streak(weeks) == silent


def test_a_no_needs_a_crawl_that_got_through():
    assert judge.existence(1, False, True) == "yes"
    assert judge.existence(0, True, False) == "no"
    assert judge.existence(0, True, True) == "unknown"
    assert judge.existence(0, False, False) == "unknown"
    assert judge.existence(None, True, False) == "unknown"
    assert judge.existence("unknown", True, False) == "unknown"


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_a_real_browser_renders_the_page_offline_without_script(seeded, tmp_path):
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    from PIL import Image

    config, db, _ = seeded
    html, _ = make_report(config, db, tmp_path, "period", "--from", PERIOD[0], "--to", PERIOD[1])
    page = html.read_text(encoding="utf-8")
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in page
    assert "<script" not in page.lower() and 'http-equiv="Content-Security-Policy"' in page
    png = tmp_path / "report.png"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = html.resolve().as_uri()
    subprocess.run(
        [browser, *flags, f"--screenshot={png}", "--window-size=1100,2400", url],
        check=True,
        capture_output=True,
        timeout=180,
    )
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:200])  # pixels darker than light grey
    assert dark > 0.02 * image.width * image.height  # text, tables and charts, not a blank page
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", url],
        check=True,
        capture_output=True,
        timeout=180,
        text=True,
    ).stdout
    assert "Tóm tắt" in dom and "Bảng theo dõi từng tuần" in dom
    assert dom.count('class="chart"') >= 3 and 'src="data:image/svg+xml;base64,' in dom
    assert "<script" not in dom.lower()  # the hostile title stayed text: no script element


@pytest.mark.slow
def test_pdf_beside_the_page_when_a_browser_is_installed(seeded, tmp_path, monkeypatch, capsys):
    from auditor.report import pdf

    config, db, _ = seeded
    if pdf.find_browser() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    assert (
        run(config, db, "report", "monthly", "--month", "2017-10", "--pdf", "-o", str(tmp_path))
        == 0
    )
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == ["report-2017-10.html", "report-2017-10.pdf", "report-2017-10.xlsx"]
    assert (tmp_path / "report-2017-10.pdf").read_bytes().startswith(b"%PDF-")
    # without a browser: the page and workbook are written, the PDF is refused in one line
    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    capsys.readouterr()
    assert (
        run(
            config,
            db,
            "report",
            "monthly",
            "--month",
            "2017-10",
            "--pdf",
            "-o",
            str(tmp_path / "b"),
        )
        == 1
    )
    assert "no PDF" in capsys.readouterr().err
    assert sorted(p.suffix for p in (tmp_path / "b").iterdir()) == [".html", ".xlsx"]


def _outlet(columns, banner="present", reached=True, audited=True):
    from auditor.report.model import BannerView, ColumnView, OutletView

    cols = [
        ColumnView(f"c{i}", f"C{i}", exists, counts=dict(zip(("met", "missed"), c, strict=True)))
        for i, (exists, c) in enumerate(columns)
    ]
    view = OutletView("x", "X", "website", "provincial", "", reached, audited, columns=cols)
    view.banner = BannerView(banner != "not_required", banner)
    return view


VERDICTS = {
    "every judged week met, banner present: full": (
        _outlet([("yes", (3, 0)), ("yes", (2, 0)), ("yes", (1, 0))]),
        "full",
    ),
    "banner not required counts as met": (
        _outlet([("yes", (3, 0))], banner="not_required"),
        "full",
    ),
    "one missed week: partly": (_outlet([("yes", (3, 1)), ("yes", (2, 0))]), "partial"),
    "banner never checked: partly, not full": (_outlet([("yes", (3, 0))], "unknown"), "partial"),
    "nothing met, no banner: not compliant": (
        _outlet([("yes", (0, 4)), ("no", (0, 4))], "absent"),
        "none",
    ),
    "nothing met but banner present: partly": (_outlet([("no", (0, 4))], "present"), "partial"),
    "never reached: not checked": (_outlet([("unknown", (0, 0))], reached=False), "not_checked"),
    "never audited: not checked": (_outlet([], audited=False), "not_checked"),
    "reached, no week judged: not checked": (_outlet([("yes", (0, 0))]), "not_checked"),
}


@pytest.mark.parametrize("outlet, expected", VERDICTS.values(), ids=VERDICTS.keys())
def test_summary_groups(outlet, expected):
    assert judge.verdict(outlet)[0] == expected


def test_charts_take_any_outlet_name():
    from auditor.report import charts

    names = ["Công đoàn 😀 工会", "$x^2$ \\ <script>", "Đ" * 200]
    svg = charts.ranking("Xếp hạng", names, [("Chuyên mục", [3, 2, 1])], "Số tuần")
    assert svg.startswith(b"<?xml") and b"<script" not in svg
