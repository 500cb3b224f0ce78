"""Loopback-only networking for the tests and for every Python process they start.

The test session puts this folder on PYTHONPATH and sets AUDITOR_TESTS_LOOPBACK_ONLY, so a
subprocess (`python -m auditor schedule` in the daemon tests) installs the same guard at
start-up as the test process does. Name resolution, connect and connect_ex all refuse any
address outside 127.0.0.0/8 and ::1.
"""

from __future__ import annotations

import ipaddress
import os
import socket

ENV = "AUDITOR_TESTS_LOOPBACK_ONLY"
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower().rstrip(".") in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(host: object) -> None:
    raise ConnectionRefusedError(f"test tried to reach {host!r}: only loopback is allowed")


def guarded(real_connect, real_connect_ex, real_getaddrinfo):
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
            _refuse(address[0])
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
            _refuse(address[0])
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not is_loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, f"test tried to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    return connect, connect_ex, getaddrinfo


def install() -> None:
    connect, connect_ex, getaddrinfo = guarded(
        socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
    )
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo


if os.environ.get(ENV):
    install()
