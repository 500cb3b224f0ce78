"""Shared fixtures. Every server here listens on 127.0.0.1; nothing reaches further."""

from __future__ import annotations

import socket

import pytest

from auditor.fakesite import FakeSite, Server

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")):
        raise RuntimeError(f"test tried to reach {host!r}: only loopback is allowed")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail any test that opens a connection beyond 127.0.0.1."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


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
