"""Shared fixtures. Every server here listens on 127.0.0.1; nothing reaches further."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from auditor.fakesite import FakeSite, Server

GUARD = Path(__file__).parent / "guard"
sys.path.insert(0, str(GUARD))
import sitecustomize as guard  # noqa: E402  (the loopback guard, shared with subprocesses)
from ci_skips import pytest_runtest_makereport  # noqa: E402, F401  (the skip rule)

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session", autouse=True)
def loopback_subprocesses():
    """Python processes the tests start install the same guard (tests/guard)."""
    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", guard.ENV)}
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), saved["PYTHONPATH"]]))
    os.environ[guard.ENV] = "1"
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail any test that resolves or connects beyond 127.0.0.1."""
    connect, connect_ex, getaddrinfo = guard.guarded(
        socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
    )
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def serve():
    """serve(site) → a running Server; all are stopped after the test."""
    servers = []

    def start(site: FakeSite) -> Server:
        server = Server(site).__enter__()
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.__exit__(None, None, None)
