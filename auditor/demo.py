"""`auditor demo`: a fake union outlet on 127.0.0.1, crawled and audited with the real code.

The outlet runs two of the three columns (the congress column is missing) for ten weeks
from 18 Sept 2017, and one week of "Thiết chế Công đoàn" is one article short.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from auditor import config, jobs
from auditor.classify import model as classify
from auditor.classify import stored as topics
from auditor.crawl.run import crawl
from auditor.errors import ModelError
from auditor.fakesite import FakePost, FakeSite, Server
from auditor.rules import audit
from auditor.store import Store
from auditor.table import render

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = date(2017, 11, 30)

CONFIG = """
timezone: Asia/Ho_Chi_Minh
http: {{timeout_s: 10, concurrency: 2, per_host_delay_s: 0, retries: 1}}
campaign:
  id: "1476/TLĐ"
  title: "Tuyên truyền lợi ích đoàn viên, thiết chế công đoàn và Đại hội XII"
  start: 2017-09-20
  end: 2018-09-30
  min_articles_per_week: 2
  columns:
    - {{id: loi_ich_doan_vien, name: "Công đoàn vì lợi ích đoàn viên"}}
    - {{id: thiet_che_cong_doan, name: "Thiết chế Công đoàn"}}
    - {{id: dai_hoi_cong_doan, name: "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII",
       aliases: ["Hướng tới Đại hội XII"]}}
outlets:
  - {{id: demo, name: "LĐLĐ tỉnh Mẫu (demo)", kind: website, url: "{url}/"}}
"""

BENEFIT = [
    "LĐLĐ tỉnh ký thỏa thuận ưu đãi với siêu thị cho đoàn viên",
    "Đoàn viên được giảm 10% giá vé xe khách dịp Tết",
    "CĐCS chăm lo bữa ăn ca cho công nhân KCN",
    "Ngân hàng cam kết cho đoàn viên vay ưu đãi",
]
INSTITUTION = [
    "Khởi công thiết chế công đoàn tại KCN phía Bắc",
    "Nhà trẻ công đoàn đón 200 cháu con công nhân",
    "Siêu thị công đoàn mở cửa phục vụ người lao động",
]
OTHER = ["Tập huấn an toàn vệ sinh lao động", "Hội nghị người lao động năm 2017"]


def build_site() -> FakeSite:
    site = FakeSite(
        name="LĐLĐ tỉnh Mẫu",
        categories={
            1: ("Công đoàn vì lợi ích đoàn viên", "cong-doan-vi-loi-ich-doan-vien"),
            2: ("THIẾT CHẾ CÔNG ĐOÀN", "thiet-che"),
            3: ("Thời sự", "thoi-su"),
        },
    )
    monday = datetime(2017, 9, 18, 8, 0, tzinfo=VN)
    n = 0
    for week in range(10):
        start = monday + timedelta(weeks=week)
        per_column = {1: 2 + week % 2, 2: 1 if week == 5 else 2, 3: 1}
        for category, count in per_column.items():
            titles = {1: BENEFIT, 2: INSTITUTION, 3: OTHER}[category]
            for k in range(count):
                n += 1
                site.posts.append(
                    FakePost(
                        n,
                        f"{titles[(week + k) % len(titles)]} (số {n})",
                        start + timedelta(days=k * 2, hours=category),
                        categories=(category,),
                        content=titles[(week + k) % len(titles)],
                    )
                )
    return site


def run(keep: Path | None = None) -> str:
    """Serve, crawl, audit; with keep, leave demo.db and demo-config.yaml in that folder."""
    with tempfile.TemporaryDirectory() as tmp, Server(build_site()) as server:
        folder = Path(keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        text = CONFIG.format(url=server.url)
        (folder / "demo-config.yaml").write_text(text, encoding="utf-8")
        cfg = config.parse(text)
        store = Store(folder / "demo.db")
        [report] = crawl(cfg, store)
        classified = _classify(store)
        outcome = jobs.run_audit(cfg, store, as_of=audit.as_of_instant(AS_OF, VN))
        store.close()
        return "\n".join(
            [
                f"Demo outlet served at {server.url}: crawl {report.status}, "
                f"{report.new} articles, {report.requests} requests; {classified}.",
                f"Weekly audit as of {AS_OF} (directive {cfg.campaign.id}, "
                f"at least {cfg.campaign.min_articles_per_week} articles a week):",
                "",
                weekly_table(cfg, outcome),
                "",
                summary_table(cfg, outcome),
            ]
        )


def _classify(store: Store) -> str:
    try:
        model = classify.load_or_rebuild(classify.locate())
    except ModelError as e:
        return f"not classified ({e})"
    return f"{topics.classify_stored(store, model)} articles classified by topic"


def weekly_table(cfg, outcome: jobs.AuditOutcome) -> str:
    columns = [c.id for c in cfg.campaign.columns]
    weeks = sorted({(w.week, w.week_start, w.week_end) for w in outcome.weeks})
    cell = {(w.week, w.column_id): f"{w.articles} {w.status}" for w in outcome.weeks}
    return render(
        ("week", "from", "to", *columns),
        [(wk, a, b, *(cell.get((wk, c), "") for c in columns)) for wk, a, b in weeks],
    )


def summary_table(cfg, outcome: jobs.AuditOutcome) -> str:
    return render(
        ("column", "exists", "first article", "on time", "met", "missed", "finding"),
        [
            (
                cfg.campaign.column(s.column_id).name,
                s.exists,
                s.first_article or "",
                s.timeliness or "-",
                s.weeks_met,
                s.weeks_missed,
                s.finding,
            )
            for s in outcome.summaries
        ],
    )
