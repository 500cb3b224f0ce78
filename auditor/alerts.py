"""The weekly digest: one message per recipient group when a week closes, not one per change.

It lists, per outlet: the columns that missed the week, a banner that went missing, and
outlets that could not be reached for `alerts.unreachable_days`. Channels: e-mail through
SMTP (recipients per outlet group, "default" for the rest) and a generic JSON webhook.
Dry run prints what would be sent.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from auditor.fetch import post_json
from auditor.store import Store, from_iso
from auditor.types import Config

log = logging.getLogger("auditor.alerts")


@dataclass
class OutletAlert:
    outlet_id: str
    outlet_name: str
    group: str
    missed: list[str] = field(default_factory=list)  # column names
    banner_missing: bool = False
    unreachable_since: str = ""

    @property
    def empty(self) -> bool:
        return not (self.missed or self.banner_missing or self.unreachable_since)


@dataclass
class Digest:
    week: str
    outlets: list[OutletAlert]

    def groups(self) -> dict[str, list[OutletAlert]]:
        out: dict[str, list[OutletAlert]] = {}
        for o in self.outlets:
            out.setdefault(o.group or "default", []).append(o)
        return out


def build_digest(config: Config, store: Store, week: str, now: datetime) -> Digest:
    latest = store.latest_runs()
    names = {c.id: c.name for c in config.campaign.columns}
    alerts = []
    for outlet in (o for o in config.outlets if o.enabled):
        a = OutletAlert(outlet.id, outlet.name, outlet.group)
        if outlet.id in latest:
            a.missed = [
                names.get(r["column_id"], r["column_id"])
                for r in store.q(
                    "SELECT column_id FROM week_results WHERE run_id = ? AND outlet_id = ? AND "
                    "week = ? AND status = 'missed'",
                    (latest[outlet.id], outlet.id, week),
                )
            ]
        a.banner_missing = _banner_went_missing(store, outlet.id, now)
        a.unreachable_since = _unreachable_since(
            store, outlet.id, now, config.alerts.unreachable_days
        )
        if not a.empty:
            alerts.append(a)
    return Digest(week, alerts)


def _banner_went_missing(store: Store, outlet_id: str, now: datetime) -> bool:
    """Seen before, and absent in every check of the last seven days."""
    checks = [c for c in store.banner_checks(outlet_id, now) if c["verdict"] != "unknown"]
    recent = [c for c in checks if from_iso(c["checked_at"]) >= now - timedelta(days=7)]
    earlier = [c for c in checks if from_iso(c["checked_at"]) < now - timedelta(days=7)]
    return (
        bool(recent)
        and all(c["verdict"] == "absent" for c in recent)
        and any(c["verdict"] == "present" for c in earlier)
    )


def _unreachable_since(store: Store, outlet_id: str, now: datetime, days: int) -> str:
    last = store.last_crawl(outlet_id)
    if last is None or last["status"] != "error":
        return ""
    ok = store.last_success(outlet_id)
    first_fail = store.q(
        "SELECT min(started_at) AS at FROM crawls WHERE outlet_id = ? AND "
        "status = 'error' AND (? IS NULL OR started_at > ?)",
        (outlet_id, ok, ok),
    )[0]["at"]
    if first_fail and from_iso(first_fail) <= now - timedelta(days=days):
        return first_fail
    return ""


def render(digest: Digest, alerts: list[OutletAlert] | None = None) -> str:
    """The message, in Vietnamese with English beside it."""
    alerts = digest.outlets if alerts is None else alerts
    lines = [f"Báo cáo tuần {digest.week} — Công văn 1476/TLĐ (weekly digest)", ""]
    if not alerts:
        lines.append("Không có vấn đề nào. (Nothing to report.)")
    for a in alerts:
        lines.append(f"* {a.outlet_name} ({a.outlet_id})")
        for name in a.missed:
            lines.append(f"  - Chuyên mục “{name}” không đủ 2 bài/tuần (missed the quota)")
        if a.banner_missing:
            lines.append("  - Banner chào mừng Đại hội không còn trên trang chủ (banner gone)")
        if a.unreachable_since:
            lines.append(f"  - Không truy cập được từ {a.unreachable_since} (unreachable)")
    return "\n".join(lines) + "\n"


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
