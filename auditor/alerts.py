"""The weekly digest: one message per recipient group when a week closes, not one per change.

This module reads the store for the rules of alert_rules.py (what to tell per outlet),
renders the message and sends it. Channels: e-mail through SMTP (recipients per outlet
group, "default" for the rest) and a generic JSON webhook. Dry run prints what would be sent.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
from dataclasses import asdict
from datetime import datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from auditor.fetch import post_json
from auditor.rules.alerts import (
    Digest,
    OutletAlert,
    banner_went_missing,
    not_reached,
    sort_columns,
    unreachable_since,
    week_bounds,
)
from auditor.store import Store
from auditor.types import Config, Outlet

__all__ = ["Digest", "OutletAlert", "build_digest", "render", "send", "week_bounds"]

log = logging.getLogger("auditor.alerts")


def build_digest(config: Config, store: Store, week: str, now: datetime) -> Digest:
    """Everything that fell short in the week, and everything the auditor could not see
    (the rules are in alert_rules.py; this reads what they need from the store)."""
    start, end = week_bounds(week, ZoneInfo(config.timezone))
    latest = store.latest_runs()
    enabled = [o for o in config.outlets if o.enabled]
    alerts = []
    for outlet in enabled:
        a = _outlet_alert(config, store, outlet, latest.get(outlet.id), week, now)
        _banner(a, config, store, outlet, start, min(end, now))
        if not a.empty:
            alerts.append(a)
    return Digest(week, alerts, len(enabled))


def _outlet_alert(
    config: Config, store: Store, outlet: Outlet, run_id: int | None, week: str, now: datetime
) -> OutletAlert:
    a = OutletAlert(outlet.id, outlet.name, outlet.group)
    verdicts = store.week_verdicts(run_id, outlet.id, week) if run_id is not None else {}
    sort_columns(a, verdicts, {c.id: c.name for c in config.campaign.columns})
    last = store.latest_crawl(outlet.id)
    a.not_reached = not_reached(last)
    failing = store.failing_since(outlet.id) if last and last.status == "error" else ""
    a.unreachable_since = unreachable_since(last, failing, now, config.alerts.unreachable_days)
    return a


def _banner(
    a: OutletAlert, config: Config, store: Store, outlet: Outlet, start: datetime, end: datetime
) -> None:
    banner = config.campaign.banner
    required = banner is not None and outlet.kind in banner.required_for
    checks = store.banner_seen(outlet.id, end) if required else []
    a.banner = banner_went_missing(required, checks, start, end)


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
