"""The weekly digest: one message per recipient group when a week closes, not one per change.

It tells the whole truth about the week, per outlet: columns that missed it; outlets not
reached (and unreachable for `alerts.unreachable_days`); columns whose week is unknown or
was not judged; a banner absent or not checked. "Nothing to report" only when every enabled
outlet was judged and nothing fell short. Channels: e-mail through
SMTP (recipients per outlet group, "default" for the rest) and a generic JSON webhook.
Dry run prints what would be sent.
"""

from __future__ import annotations

import json
import logging
import os
import re
import smtplib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from auditor.fetch import post_json
from auditor.store import Store, from_iso
from auditor.types import Config

log = logging.getLogger("auditor.alerts")


@dataclass
class OutletAlert:
    outlet_id: str
    outlet_name: str
    group: str
    missed: list[str] = field(default_factory=list)  # column names, the week proven short
    unknown: list[str] = field(default_factory=list)  # column names, the week not seen whole
    not_judged: list[str] = field(default_factory=list)  # column names, no audit of the week
    not_reached: str = ""  # why the outlet could not be read ("" when its last crawl did)
    banner: str = ""  # absent | not_checked | "" (seen, or not required of this outlet)
    unreachable_since: str = ""

    @property
    def empty(self) -> bool:
        return not (
            self.missed
            or self.unknown
            or self.not_judged
            or self.not_reached
            or self.banner
            or self.unreachable_since
        )


@dataclass
class Digest:
    week: str
    outlets: list[OutletAlert]  # only those with something to say
    judged: int = 0  # enabled outlets considered

    def groups(self) -> dict[str, list[OutletAlert]]:
        out: dict[str, list[OutletAlert]] = {}
        for o in self.outlets:
            out.setdefault(o.group or "default", []).append(o)
        return out


def week_bounds(week: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00, local time, of an ISO week "YYYY-Www";
    ValueError for anything else."""
    match = _WEEK.fullmatch(week or "")
    if not match:
        raise ValueError(f"expected a week like 2017-W43, got {week!r}")
    monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    start = datetime.combine(monday, time(), tz)
    return start, datetime.combine(monday + timedelta(days=7), time(), tz)


_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def build_digest(config: Config, store: Store, week: str, now: datetime) -> Digest:
    """Everything that fell short in the week, and everything the auditor could not see:
    silence is never reported as good news."""
    tz = ZoneInfo(config.timezone)
    start, end = week_bounds(week, tz)
    latest = store.latest_runs()
    names = {c.id: c.name for c in config.campaign.columns}
    enabled = [o for o in config.outlets if o.enabled]
    alerts = []
    for outlet in enabled:
        a = OutletAlert(outlet.id, outlet.name, outlet.group)
        _weeks(a, store, latest.get(outlet.id), week, names)
        a.not_reached = _not_reached(store, outlet.id)
        a.banner = _banner(config, store, outlet, start, min(end, now))
        a.unreachable_since = _unreachable_since(
            store, outlet.id, now, config.alerts.unreachable_days
        )
        if not a.empty:
            alerts.append(a)
    return Digest(week, alerts, len(enabled))


def _weeks(a: OutletAlert, store: Store, run_id: int | None, week: str, names: dict) -> None:
    status = {}
    if run_id is not None:
        status = {
            r["column_id"]: r["status"]
            for r in store.q(
                "SELECT column_id, status FROM week_results WHERE run_id = ? AND "
                "outlet_id = ? AND week = ?",
                (run_id, a.outlet_id, week),
            )
        }
    for column_id, name in names.items():
        verdict = status.get(column_id)
        if verdict == "missed":
            a.missed.append(name)
        elif verdict == "unknown":
            a.unknown.append(name)
        elif verdict != "met":  # in progress as of the run, or no run judged the week
            a.not_judged.append(name)


def _not_reached(store: Store, outlet_id: str) -> str:
    last = store.last_crawl(outlet_id)
    if last is None:
        return "never crawled"
    if last["status"] == "error":
        return f"last crawl {last['started_at']} failed: {last['error']}"
    return ""


def _banner(config: Config, store: Store, outlet, start: datetime, end: datetime) -> str:
    """absent: every check that could see the homepage in the week found no banner;
    not_checked: no such check in the week."""
    banner = config.campaign.banner
    if banner is None or outlet.kind not in banner.required_for:
        return ""
    seen = [
        c["verdict"]
        for c in store.banner_checks(outlet.id, end)
        if from_iso(c["checked_at"]) >= start and c["verdict"] in ("present", "absent")
    ]
    if not seen:
        return "not_checked"
    return "absent" if all(v == "absent" for v in seen) else ""


def _unreachable_since(store: Store, outlet_id: str, now: datetime, days: int) -> str:
    last = store.last_crawl(outlet_id)
    if last is None or last["status"] != "error":
        return ""
    first_fail = store.failing_since(outlet_id)
    if first_fail and from_iso(first_fail) <= now - timedelta(days=days):
        return first_fail
    return ""


def render(digest: Digest, alerts: list[OutletAlert] | None = None) -> str:
    """The message, in Vietnamese with English beside it."""
    alerts = digest.outlets if alerts is None else alerts
    lines = [f"Báo cáo tuần {digest.week} — Công văn 1476/TLĐ (weekly digest)", ""]
    if not alerts:
        lines.append(
            f"Không có vấn đề nào: {digest.judged} đơn vị đều đã được xét và đạt. "
            "(Nothing to report: every enabled outlet was judged and met.)"
        )
    for a in alerts:
        lines.append(f"* {a.outlet_name} ({a.outlet_id})")
        lines += _outlet_lines(a)
    return "\n".join(lines) + "\n"


def _outlet_lines(a: OutletAlert) -> list[str]:
    out = []
    if a.not_reached:
        out.append(f"  - Chưa truy cập được (not reached): {a.not_reached}")
    if a.unreachable_since:
        out.append(f"  - Không truy cập được từ {a.unreachable_since} (unreachable)")
    for name in a.missed:
        out.append(f"  - Chuyên mục “{name}” không đủ 2 bài/tuần (missed the quota)")
    for name in a.unknown:
        out.append(
            f"  - Chuyên mục “{name}”: chưa rõ, chưa xem được trọn tuần "
            "(unknown: the auditor did not see the whole week)"
        )
    for name in a.not_judged:
        out.append(
            f"  - Chuyên mục “{name}”: tuần này chưa được xét "
            "(not judged: no audit run covers this week)"
        )
    if a.banner == "absent":
        out.append("  - Không thấy banner chào mừng Đại hội trên trang chủ (banner absent)")
    if a.banner == "not_checked":
        out.append("  - Chưa kiểm tra được banner trong tuần (banner not checked)")
    return out


def send(config: Config, digest: Digest, dry_run: bool = False) -> list[str]:
    """Send the digest on every configured channel; returns what was (or would be) sent."""
    sent = []
    for group, alerts in digest.groups().items():
        to = _recipients(config, group)
        if not to:
            continue
        body = render(digest, alerts)
        if dry_run or config.alerts.dry_run:
            sent.append(f"e-mail to {', '.join(to)} (dry run):\n{body}")
            continue
        _email(config, to, f"[auditor] Tuần {digest.week}: {len(alerts)} đơn vị cần chú ý", body)
        sent.append(f"e-mail to {', '.join(to)}")
    if config.alerts.webhook_url:
        payload = {"week": digest.week, "outlets": [asdict(a) for a in digest.outlets]}
        if dry_run or config.alerts.dry_run:
            sent.append(
                f"webhook {config.alerts.webhook_url} (dry run):\n"
                + json.dumps(payload, ensure_ascii=False, indent=2)
            )
        else:
            post_json(config.alerts.webhook_url, payload, config.http)
            sent.append(f"webhook {config.alerts.webhook_url}")
    return sent


def _recipients(config: Config, group: str) -> tuple[str, ...]:
    table = dict(config.alerts.recipients)
    return table.get(group) or table.get("default") or ()


def _email(config: Config, to: tuple[str, ...], subject: str, body: str) -> None:
    smtp = config.alerts.smtp
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(body)
    client_class = smtplib.SMTP_SSL if smtp.tls == "ssl" else smtplib.SMTP
    with client_class(smtp.host, smtp.port, timeout=smtp.timeout_s) as client:
        if smtp.tls == "starttls":
            client.starttls()
        if smtp.username:
            client.login(smtp.username, os.environ.get(smtp.password_env, ""))
        client.send_message(message)
    log.info("digest e-mailed to %s", ", ".join(to))
