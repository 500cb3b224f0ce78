"""Writes the seed files sites/*.json (run once; the JSON files are committed).

Three outlets shaped like real union sites, posts in Vietnamese written by the team:
  pretty  – pretty permalinks; ~160 posts (two REST pages); draft, private, scheduled and
            trashed posts; a post in two columns; Sunday 23:30 / Monday 00:15 posts;
            titles with – and “quotes”; two columns whose category an editor created twice
            ("cong doan vi loi ich doan vien" beside "Công đoàn vì lợi ích đoàn viên",
            "THIẾT CHẾ CÔNG ĐOÀN" beside "Thiết chế công đoàn"), with posts in each and one
            post in both spellings.
  plain   – no pretty permalinks (REST only at ?rest_route=); its category is spelt
            "thiet che cong doan" (no diacritics, lower case); another uses an alias.
  closed  – anonymous REST blocked by a must-use plugin: read from its feeds, with a
            column long enough to need several feed pages.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = ZoneInfo("UTC")
HERE = Path(__file__).parent
BANNER = "Chào mừng đại hội công đoàn các cấp và Đại hội Công đoàn Việt Nam lần thứ XII"

TITLES = {
    "li": [
        "LĐLĐ tỉnh ký thỏa thuận ưu đãi với siêu thị cho đoàn viên",
        "Đoàn viên được giảm giá vé xe dịp Tết",
        "CĐCS chăm lo bữa ăn ca cho công nhân",
        "Ngân hàng cho đoàn viên vay ưu đãi lãi suất",
        "Phòng khám ưu đãi cho đoàn viên công đoàn",
    ],
    "tc": [
        "Khởi công nhà ở cho công nhân KCN",
        "Nhà trẻ công đoàn đón con công nhân",
        "Siêu thị công đoàn mở thêm điểm bán",
        "Thiết chế công đoàn: sân chơi cho người lao động",
    ],
    "dh": [
        "Đại hội CĐCS điểm nhiệm kỳ 2017-2022",
        "Đoàn viên góp ý dự thảo Điều lệ Công đoàn Việt Nam",
        "Thi đua chào mừng Đại hội XII Công đoàn Việt Nam",
    ],
    "ts": [
        "Tập huấn an toàn vệ sinh lao động",
        "Hội nghị người lao động năm 2017",
        "Tăng lương tối thiểu vùng từ 2018",
    ],
}
TITLES["li2"], TITLES["tc2"] = TITLES["li"], TITLES["tc"]


def post(key, cat_keys, when: datetime, status="publish", title=None, tags=()):
    first = cat_keys[0]
    n = int(key.split("-")[-1]) if key.split("-")[-1].isdigit() else 0
    title = title or f"{TITLES[first][n % len(TITLES[first])]} (bài {key})"
    return {
        "key": key,
        "title": title,
        "content": f"<p>{title}. Nội dung bài viết.</p>",
        "status": status,
        "categories": list(cat_keys),
        "tags": list(tags),
        "date_local": when.strftime("%Y-%m-%d %H:%M:%S"),
        "date_gmt": when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }


def weekly(prefix, cat, start: datetime, weeks: int, per_week, hour=8):
    posts = []
    for w in range(weeks):
        for k in range(per_week(w)):
            when = start + timedelta(weeks=w, days=k * 2, hours=hour + k)
            posts.append(post(f"{prefix}-{cat}-{w}-{k}", [cat], when))
    return posts


def pretty() -> dict:
    start = datetime(2017, 9, 18, tzinfo=VN)
    posts = []
    posts += weekly("p", "li", start, 17, lambda w: 0 if w == 6 else 2 + w % 2)
    posts += weekly(
        "p",
        "tc",
        start + timedelta(weeks=1),
        16,
        lambda w: 0 if w in (4, 5) else 1 if w == 9 else 2,
    )
    posts += weekly("p", "dh", start + timedelta(weeks=4), 13, lambda w: 2)
    posts += weekly("p", "ts", start, 17, lambda w: 3, hour=14)
    # the duplicate categories: week 6 of the benefits column is filled by the second only
    posts += weekly("p", "li2", start + timedelta(weeks=6), 4, lambda w: 2 if w == 0 else 1, 11)
    posts += weekly("p", "tc2", start + timedelta(weeks=10), 2, lambda w: 1, hour=12)
    posts += [
        # W43 has only the Sunday 23:30 post; W44 has the Monday 00:15 post and one more
        post("p-sunday-late", ["tc"], datetime(2017, 10, 29, 23, 30, tzinfo=VN)),
        post("p-monday-early", ["tc"], datetime(2017, 10, 30, 0, 15, tzinfo=VN)),
        post("p-monday-other", ["tc"], datetime(2017, 11, 1, 9, 0, tzinfo=VN)),
        post(
            "p-two-columns",
            ["li", "tc"],
            datetime(2017, 11, 8, 10, tzinfo=VN),
            title="Nhà ở xã hội và ưu đãi – “hai trong một” cho đoàn viên",
        ),
        post("p-draft", ["li"], datetime(2017, 11, 9, 10, tzinfo=VN), status="draft"),
        post("p-private", ["li"], datetime(2017, 11, 9, 11, tzinfo=VN), status="private"),
        post("p-future", ["li"], datetime(2030, 1, 7, 9, tzinfo=VN), status="future"),
        post("p-trash", ["tc"], datetime(2017, 11, 10, 9, tzinfo=VN), status="trash"),
        post(
            "p-both-spellings",
            ["li", "li2"],
            datetime(2017, 12, 13, 10, tzinfo=VN),
            title="Đoàn viên mua hàng giảm giá (bài ở cả hai chuyên mục trùng tên)",
        ),
        post(
            "p-edited",
            ["li"],
            datetime(2017, 12, 5, 9, tzinfo=VN),
            title="Bài sẽ được sửa sau khi đăng",
        ),
    ]
    return {
        "title": "LĐLĐ tỉnh Thử nghiệm",
        "pretty": True,
        "block_rest": False,
        "banner": BANNER,
        "posts": posts,
        "categories": {
            "li": {
                "name": "Công đoàn vì lợi ích đoàn viên",
                "slug": "cong-doan-vi-loi-ich-doan-vien",
            },
            "tc": {"name": "Thiết chế công đoàn", "slug": "thiet-che-cong-doan"},
            "dh": {"name": "Hướng tới Đại hội XII", "slug": "huong-toi-dai-hoi-xii"},
            "ts": {"name": "Thời sự", "slug": "thoi-su"},
            "li2": {
                "name": "cong doan vi loi ich doan vien",
                "slug": "cong-doan-vi-loi-ich-doan-vien-2",
            },
            "tc2": {"name": "THIẾT CHẾ CÔNG ĐOÀN", "slug": "thiet-che-cong-doan-2"},
        },
    }


def plain() -> dict:
    start = datetime(2017, 9, 25, tzinfo=VN)
    posts = weekly("q", "tc", start, 10, lambda w: 1 if w == 3 else 2)
    posts += weekly("q", "li", start, 10, lambda w: 2 if w % 3 else 1)
    posts += weekly("q", "ts", start, 10, lambda w: 1, hour=15)
    return {
        "title": "Công đoàn ngành Thử nghiệm",
        "pretty": False,
        "block_rest": False,
        "banner": "Chào mừng Đại hội Đoàn TNCS Hồ Chí Minh",
        "posts": posts,
        "categories": {
            "tc": {"name": "thiet che cong doan", "slug": "thiet-che-cong-doan"},
            "li": {"name": "Vì lợi ích đoàn viên", "slug": "vi-loi-ich-doan-vien"},
            "ts": {"name": "Tin tức", "slug": "tin-tuc"},
        },
    }


def closed() -> dict:
    start = datetime(2017, 9, 18, tzinfo=VN)
    posts = weekly("c", "li", start, 16, lambda w: 3 if w % 2 else 2)  # 40 posts
    posts += weekly("c", "tc", start + timedelta(weeks=8), 8, lambda w: 2)  # 16 posts
    posts += weekly("c", "ts", start, 16, lambda w: 1, hour=16)
    return {
        "title": "Báo Lao động Thử nghiệm",
        "pretty": True,
        "block_rest": True,
        "banner": BANNER,
        "posts": posts,
        "categories": {
            "li": {
                "name": "Công đoàn vì lợi ích đoàn viên",
                "slug": "cong-doan-vi-loi-ich-doan-vien",
            },
            "tc": {"name": "Thiết chế Công đoàn", "slug": "thiet-che-cong-doan"},
            "ts": {"name": "Xã hội", "slug": "xa-hoi"},
        },
    }


if __name__ == "__main__":
    (HERE / "sites").mkdir(exist_ok=True)
    for name, build in (("pretty", pretty), ("plain", plain), ("closed", closed)):
        path = HERE / "sites" / f"{name}.json"
        path.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(path, len(build()["posts"]), "posts")
