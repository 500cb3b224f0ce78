"""The tests' own guard: no name resolution or connection beyond loopback, in the test
process and in the Python processes it starts; and a skip fails a CI run."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest


@pytest.mark.parametrize("host", ["192.0.2.1", "10.0.0.1", "example.org"])
def test_no_connection_beyond_loopback(host):
    with socket.socket() as s, pytest.raises(OSError, match=r"only loopback|resolve"):
        s.connect((host, 80))
    with socket.socket() as s, pytest.raises(OSError):
        s.connect_ex((host, 80))


def test_no_name_resolution_beyond_loopback():
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.org", 80)
    assert socket.getaddrinfo("127.0.0.1", 80)


def test_subprocesses_inherit_the_guard():
    code = (
        "import socket\n"
        "try:\n    socket.getaddrinfo('example.org', 80)\nexcept socket.gaierror as e:\n"
        "    print('refused', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.startswith("refused"), out


def test_a_skip_fails_when_ci_is_set(pytester, monkeypatch):
    pytester.makeconftest("from ci_skips import pytest_runtest_makereport  # noqa: F401\n")
    pytester.makepyfile("import pytest\n\ndef test_skipped():\n    pytest.skip('no tool here')\n")
    for value, failed in (("true", 1), ("1", 1), ("yes", 1), ("", 0), ("0", 0)):
        monkeypatch.setenv("CI", value)
        result = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider")
        result.assert_outcomes(failed=failed, skipped=1 - failed)
