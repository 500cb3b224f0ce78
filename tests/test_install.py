"""Installed as a user would: build a wheel, install it in a fresh venv, run from an empty
folder. Offline: the venv sees this machine's packages (--system-site-packages), and pip
installs only the wheel (--no-index --no-deps)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JUNK = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", "*.db*"
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, wheel) with auditor installed from a wheel built from a copy of
    the source tree (building writes build/ and egg-info, which the tree should not get)."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=JUNK)
    dist = tmp / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, src]
    subprocess.run(build, check=True, cwd=tmp, capture_output=True)
    [wheel] = dist.glob("auditor-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
    bin_dir = venv / "bin"
    install = [bin_dir / "python", "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    subprocess.run(
        [*install, "--no-index", "--no-deps", "--ignore-installed", wheel],
        check=True,
        capture_output=True,
    )
    return bin_dir, wheel


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUDITOR_", "PYTHON"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [bin_dir / "auditor", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_wheel_carries_every_model_file_and_the_starter_config(installed):
    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        "auditor/_shipped/models/" + p.relative_to(ROOT / "models").as_posix()
        for p in (ROOT / "models").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "auditor/_shipped/models/classifier.joblib" in shipped
    assert shipped <= names
    assert "auditor/_shipped/config.yaml" in names


@pytest.mark.slow
def test_installed_auditor_works_from_an_empty_folder(installed, tmp_path):
    bin_dir, _ = installed
    empty = tmp_path / "empty"
    empty.mkdir()
    where = subprocess.run(
        [bin_dir / "python", "-c", "import auditor; print(auditor.__file__)"],
        cwd=empty,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "")},
    )
    assert where.stdout.startswith(str(bin_dir.parent)), where.stdout  # not the checkout

    demo = run(bin_dir, empty, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "54 articles classified by topic" in demo.stdout
    from auditor import demo as demo_here

    def without_ports(text: str) -> str:
        return re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)

    assert without_ports(demo.stdout.strip()) == without_ports(demo_here.run().strip())

    info = run(bin_dir, empty, "model", "info")
    assert info.returncode == 0, info.stderr
    assert "version:" in info.stdout and "heldout" in info.stdout

    made = run(bin_dir, empty, "init")
    assert made.returncode == 0, made.stderr
    written = (empty / "config.yaml").read_text(encoding="utf-8")
    assert written == (ROOT / "config.yaml").read_text(encoding="utf-8")  # comments too
    again = run(bin_dir, empty, "init")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert (empty / "config.yaml").read_text(encoding="utf-8") == written

    elsewhere = run(bin_dir, empty, "init", "etc/auditor")
    assert elsewhere.returncode == 0 and (empty / "etc/auditor/config.yaml").exists()
    assert sorted(p.name for p in empty.iterdir()) == ["config.yaml", "etc"]  # nothing else
