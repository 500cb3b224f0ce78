"""Running unattended: scheduling decisions, locks, alerts."""

from __future__ import annotations

import json
import random
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from test_crawl import big_site, write_config

from auditor import alerts
from auditor import config as config_mod
from auditor.cli import main
from auditor.crawl.run import crawl
from auditor.rules import planning
from auditor.store import Store

NOW = datetime(2017, 10, 2, 3, 0, tzinfo=UTC)


class Zero(random.Random):
    def uniform(self, a, b):
        return a


NEXT = {
    "plain interval": (0, None, 6 * 3600),
    "one failure doubles": (1, None, 12 * 3600),
    "many failures are capped": (9, None, 24 * 3600),
    "retry-after pushes later": (0, 30 * 3600, 30 * 3600),
    "retry-after shorter than the interval changes nothing": (0, 60, 6 * 3600),
}


@pytest.mark.parametrize("failures,retry_after,seconds", NEXT.values(), ids=NEXT.keys())
def test_next_crawl(failures, retry_after, seconds):
    when = planning.next_crawl(NOW, 6 * 3600, 600, failures, retry_after, 24 * 3600, Zero())
    assert when == NOW + timedelta(seconds=seconds)


def test_jitter_spreads_outlets():
    rng = random.Random(1)
    times = {planning.next_crawl(NOW, 3600, 600, 0, None, 86400, rng) for _ in range(20)}
    assert len(times) == 20
    assert all(NOW + timedelta(hours=1) <= t <= NOW + timedelta(hours=1, minutes=10) for t in times)


def test_resume_keeps_future_plans_and_spreads_overdue_ones():
    future = NOW + timedelta(hours=2)
    assert planning.resume_at(NOW, future, 600, Zero()) == future
    assert planning.resume_at(NOW, NOW - timedelta(days=3), 600, Zero()) == NOW + timedelta(
        seconds=1
    )


def test_locks_block_others_and_expire(tmp_path):
    store = Store(tmp_path / "a.db")
    assert store.acquire_lock("crawl:x", "me", 60, NOW) is None
    holder = store.acquire_lock("crawl:x", "you", 60, NOW)
    assert holder["owner"] == "me"
    assert store.acquire_lock("crawl:x", "you", 60, NOW + timedelta(seconds=61)) is None
    store.release_lock("crawl:x", "you")
    assert store._q("SELECT count(*) AS n FROM locks")[0]["n"] == 0


def test_locks_taken_together_leave_the_held_ones_to_their_holder(tmp_path):
    store = Store(tmp_path / "a.db")
    assert store.acquire_locks(["crawl:b"], "you", 60, NOW) == {}
    held = store.acquire_locks(["crawl:a", "crawl:b", "crawl:c"], "me", 60, NOW)
    assert list(held) == ["crawl:b"] and held["crawl:b"]["owner"] == "you"
    owners = {r["name"]: r["owner"] for r in store._q("SELECT name, owner FROM locks")}
    assert owners == {"crawl:a": "me", "crawl:b": "you", "crawl:c": "me"}
    assert store.acquire_locks(["crawl:a"], "me", 60, NOW) == {}  # its own: kept


def test_lock_of_a_dead_process_is_taken_over(tmp_path):
    import subprocess

    dead = subprocess.Popen(["true"])
    dead.wait()
    store = Store(tmp_path / "a.db")
    store.db["locks"].insert(
        {
            "name": "crawl:x",
            "owner": "gone",
            "host": socket.gethostname(),
            "pid": dead.pid,
            "acquired_at": NOW.isoformat(),
            "expires_at": (NOW + timedelta(hours=1)).isoformat(),
        }
    )
    assert store.acquire_lock("crawl:x", "me", 60, NOW) is None


def test_crawl_of_a_locked_outlet_waits_then_says_so(tmp_path, serve):
    server = serve(big_site())
    path = write_config(
        tmp_path,
        f'- {{id: g, name: G, kind: website, url: "{server.url}/"}}\n',
        extra="schedule: {lock_wait_s: 2}\n",
    )
    config = config_mod.load(path)
    store = Store(tmp_path / "a.db")
    other = Store(tmp_path / "a.db")
    assert other.acquire_lock("crawl:g", "someone-else", 3600, datetime.now(UTC)) is None
    naps, clock = [], [0.0]  # a clock that moves only when the crawl naps

    def nap(seconds):
        naps.append(seconds)
        clock[0] += seconds

    [report] = crawl(config, store, sleep=nap, clock=lambda: clock[0])
    assert report.status == "skipped" and "another process" in report.error
    assert naps == [1, 1, 1]  # lock_wait_s: 2, asked once a second, given up past it
    other.release_lock("crawl:g", "someone-else")
    [report] = crawl(config, store)
    assert report.status == "ok"


class Receiver(BaseHTTPRequestHandler):
    got: ClassVar[list] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Receiver.got.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_digest_by_email_and_webhook(tmp_path, serve, capsys):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    class Keep(Sink):
        messages: ClassVar[list] = []

        async def handle_DATA(self, server, session, envelope):
            Keep.messages.append(envelope)
            return "250 OK"

    class Bound(Controller):
        """aiosmtpd on a socket the test has already bound: no port picked, then lost."""

        def __init__(self, handler, sock):
            super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1])
            self.sock = sock

        def _create_server(self):
            return self.loop.create_server(self._factory_invoker, sock=self.sock)

    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port = listening.getsockname()[1]
    smtp = Bound(Keep(), listening)
    smtp.start()
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        server = serve(big_site())
        outlets = f'- {{id: g, name: "LĐLĐ G", kind: website, url: "{server.url}/", group: ldld}}\n'
        extra = (
            f"alerts:\n  smtp: {{host: 127.0.0.1, port: {port}, tls: none, "
            "sender: auditor@example.org}\n"
            "  recipients: {ldld: [ban.tuyengiao@example.org]}\n"
            f"  webhook_url: http://127.0.0.1:{hook.server_address[1]}/hook\n"
        )
        path = write_config(tmp_path, outlets, extra=extra)
        db = str(tmp_path / "a.db")
        args = ["-q", "--config", path, "--db", db]
        assert main([*args, "crawl"]) == 0
        assert main([*args, "audit", "--as-of", "2017-12-20"]) == 0
        capsys.readouterr()
        assert main([*args, "alerts", "--week", "2017-W41", "--dry-run"]) == 0
        dry = capsys.readouterr().out
        assert "dry run" in dry and "Hướng tới Đại hội" in dry
        assert not Keep.messages and not Receiver.got
        assert main([*args, "alerts", "--week", "2017-W41"]) == 0
        [message] = Keep.messages
        assert message.rcpt_tos == ["ban.tuyengiao@example.org"]
        import email

        mail = email.message_from_bytes(message.content, policy=email.policy.default)
        assert "2017-W41" in mail["Subject"]
        assert "Hướng tới Đại hội" in mail.get_content()
        [payload] = Receiver.got
        assert payload["week"] == "2017-W41"
        assert payload["outlets"][0]["outlet_id"] == "g"
        assert "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII" in payload["outlets"][0]["missed"]
    finally:
        smtp.stop()
        hook.shutdown()
        hook.server_close()


def test_digest_lists_unreachable_outlets(tmp_path):
    path = write_config(
        tmp_path,
        '- {id: d, name: D, kind: website, url: "http://127.0.0.1:9/"}\n',
        http="{timeout_s: 1, retries: 0, per_host_delay_s: 0}",
    )
    config = config_mod.load(path)
    store = Store(tmp_path / "a.db")
    t0 = datetime(2017, 10, 1, tzinfo=UTC)
    crawl(config, store, now=lambda: t0)
    crawl(config, store, now=lambda: t0 + timedelta(days=4))
    digest = alerts.build_digest(config, store, "2017-W40", t0 + timedelta(days=4))
    [alert] = digest.outlets
    assert alert.unreachable_since.startswith("2017-10-01")
    assert "Không truy cập được" in alerts.render(digest)


def test_json_log_lines_carry_the_outlet(tmp_path, serve, capsys):
    server = serve(big_site())
    path = write_config(tmp_path, f'- {{id: g, name: G, kind: website, url: "{server.url}/"}}\n')
    assert main(["--log-json", "--config", path, "--db", str(tmp_path / "a.db"), "crawl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    crawled = [e for e in lines if e.get("outlet") == "g" and e["logger"] == "auditor.crawl.run"]
    assert crawled and crawled[0]["level"] == "INFO" and "new" in crawled[0]["message"]


def test_train_from_the_store(tmp_path, serve, capsys):
    import shutil

    from test_classify import MODELS, topical_site

    models = tmp_path / "models"
    shutil.copytree(MODELS, models)
    server = serve(topical_site())
    path = write_config(tmp_path, f'- {{id: t, name: T, kind: website, url: "{server.url}/"}}\n')
    args = ["-q", "--models", str(models), "--config", path, "--db", str(tmp_path / "a.db")]
    assert main([*args, "crawl"]) == 0
    capsys.readouterr()
    assert main([*args, "model", "train", "--from-store", "--force"]) == 0
    out = capsys.readouterr().out
    assert "held-out macro-F1: before" in out and "saved model" in out
    sidecar = json.loads((models / "classifier.json").read_text(encoding="utf-8"))
    assert sidecar["store_items"] == 3  # the three articles filed in the benefits column
