"""The tests' own reading of the directive, written apart from auditor's code: given a fake
site's posts, which weekly rows should the CSV hold?"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKLY_KEYS = (
    "outlet_id",
    "outlet_name",
    "column_id",
    "column_name",
    "week",
    "week_start",
    "week_end",
    "articles",
    "required",
    "status",
)  # the columns the issue fixes
CAMPAIGN_FIRST_MONDAY = date(2017, 9, 25)  # first Monday on or after 20 Sept 2017
CAMPAIGN_END = date(2018, 9, 30)
COLUMNS = {
    "loi_ich_doan_vien": "Công đoàn vì lợi ích đoàn viên",
    "thiet_che_cong_doan": "Thiết chế Công đoàn",
    "dai_hoi_cong_doan": "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII",
}


def expected_weekly(
    site,
    outlet_id: str,
    outlet_name: str,
    column_cats: dict[str, set[int]],
    as_of: date,
    seen_from: datetime | None = None,
) -> list[dict]:
    """Rows of `export weekly`. seen_from: the oldest instant the auditor could see (a feed
    that shows only its latest items); None when it saw the whole history."""
    posts = [
        p
        for p in site.posts
        if p.status == "publish" and (seen_from is None or p.date >= seen_from)
    ]
    rows = []
    for column_id, name in COLUMNS.items():
        cats = column_cats.get(column_id, set())
        monday = CAMPAIGN_FIRST_MONDAY
        while monday <= as_of and monday + timedelta(days=6) <= CAMPAIGN_END:
            sunday = monday + timedelta(days=6)
            n = sum(
                1
                for p in posts
                if set(p.categories) & cats
                and monday <= p.date.astimezone(VN).date() <= sunday
                and p.date.astimezone(VN).date() <= as_of
            )
            if sunday > as_of:
                status = "in_progress"
            else:
                covered = seen_from is None or seen_from <= datetime.combine(
                    monday, datetime.min.time(), VN
                )
                status = "met" if n >= 2 else ("missed" if covered else "unknown")
            rows.append(_row(outlet_id, outlet_name, column_id, name, monday, n, status))
            monday += timedelta(days=7)
    return rows


def expected_weekly_feeds(
    outlet_id: str,
    outlet_name: str,
    own: dict[str, list[datetime]],
    home: list[tuple[datetime, bool]],
    as_of: date,
) -> list[dict]:
    """Rows of `export weekly` for an outlet read only from feeds that show their latest
    items. own: column → the instants of the items its own feed shows; home: the items of
    a feed that carries every section, each with whether its column can be told (some
    column's own feed shows it too).

    A column's week is seen whole when its own feed reaches back to the week's start, or
    when the home feed does and every item of it in the week whose column cannot be told
    lies inside what the column's own feed shows (that item could be the column's)."""
    home_oldest = min((t for t, _ in home), default=None)
    blind = [t for t, told in home if not told]
    rows = []
    for column_id, name in COLUMNS.items():
        seen = own.get(column_id, [])
        own_oldest = min(seen, default=None)
        monday = CAMPAIGN_FIRST_MONDAY
        while monday <= as_of and monday + timedelta(days=6) <= CAMPAIGN_END:
            sunday = monday + timedelta(days=6)
            start = datetime.combine(monday, datetime.min.time(), VN)
            end = start + timedelta(days=7)
            n = sum(1 for t in seen if start <= t < end and t.astimezone(VN).date() <= as_of)
            by_own = own_oldest is not None and own_oldest <= start
            by_home = (
                home_oldest is not None
                and home_oldest <= start
                and all(
                    own_oldest is not None and t >= own_oldest for t in blind if start <= t < end
                )
            )
            if sunday > as_of:
                status = "in_progress"
            else:
                status = "met" if n >= 2 else ("missed" if by_own or by_home else "unknown")
            rows.append(_row(outlet_id, outlet_name, column_id, name, monday, n, status))
            monday += timedelta(days=7)
    return rows


def expected_weekly_seen(
    outlet_id: str,
    outlet_name: str,
    seen: dict[str, list[datetime]],
    seen_whole_from: dict[str, datetime | None],
    as_of: date,
    seen_until: dict[str, datetime] | None = None,
) -> list[dict]:
    """Rows of `export weekly` when, per column, the auditor saw the articles at the
    instants `seen[column]` and saw the column whole from `seen_whole_from[column]` (None:
    its whole history; absent: never) until `seen_until[column]` (default: as_of)."""
    rows = []
    for column_id, name in COLUMNS.items():
        instants = seen.get(column_id, [])
        monday = CAMPAIGN_FIRST_MONDAY
        while monday <= as_of and monday + timedelta(days=6) <= CAMPAIGN_END:
            sunday = monday + timedelta(days=6)
            start = datetime.combine(monday, datetime.min.time(), VN)
            end = start + timedelta(days=7)
            n = sum(1 for t in instants if start <= t < end)
            whole = column_id in seen_whole_from and (
                seen_whole_from[column_id] is None or seen_whole_from[column_id] <= start
            )
            until = (seen_until or {}).get(column_id)
            whole = whole and (until is None or end <= until)
            if sunday > as_of:
                status = "in_progress"
            else:
                status = "met" if n >= 2 else ("missed" if whole else "unknown")
            rows.append(_row(outlet_id, outlet_name, column_id, name, monday, n, status))
            monday += timedelta(days=7)
    return rows


def _row(outlet_id, outlet_name, column_id, name, monday: date, n: int, status: str) -> dict:
    iso = monday.isocalendar()
    return {
        "outlet_id": outlet_id,
        "outlet_name": outlet_name,
        "column_id": column_id,
        "column_name": name,
        "week": f"{iso[0]}-W{iso[1]:02d}",
        "week_start": monday.isoformat(),
        "week_end": (monday + timedelta(days=6)).isoformat(),
        "articles": str(n),
        "required": "2",
        "status": status,
    }
