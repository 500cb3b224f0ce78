"""Result files written safely: `-` is stdout, links followed, devices and pipes written in
place, regular files replaced whole, a missing folder said in one line."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from auditor import outfile
from auditor.cli import main
from auditor.errors import InputError


def test_dash_is_standard_output(tmp_path, monkeypatch, capfdbinary):
    monkeypatch.chdir(tmp_path)
    assert outfile.write_text("-", "đạt\n") == "standard output"
    assert capfdbinary.readouterr().out == "đạt\n".encode()
    assert not (tmp_path / "-").exists()


def test_regular_file_is_replaced_whole_and_keeps_its_mode(tmp_path):
    target = tmp_path / "a.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    outfile.write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]  # no temporary file left


def test_new_file_gets_the_usual_mode(tmp_path):
    target = tmp_path / "new.csv"
    outfile.write_text(target, "x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~outfile._umask()


def test_a_link_is_followed_to_its_target_and_stays_a_link(tmp_path):
    real = tmp_path / "reports" / "real.csv"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    where = outfile.write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    assert str(real) in where  # says which file it wrote


def test_a_dangling_link_writes_its_target(tmp_path):
    link = tmp_path / "latest.csv"
    link.symlink_to(tmp_path / "made.csv")
    outfile.write_text(link, "x")
    assert link.is_symlink() and (tmp_path / "made.csv").read_text(encoding="utf-8") == "x"


def test_a_loop_of_links_is_refused(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(InputError, match="loop"):
        outfile.write_text(a, "x")


def test_a_device_is_written_in_place_never_replaced(tmp_path):
    before = os.stat("/dev/null")
    outfile.write_text("/dev/null", "x")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_full_device_is_one_error_line(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.fail("/dev/full is missing on this Linux machine")
    with pytest.raises(InputError, match="/dev/full: cannot write"):
        outfile.write_text("/dev/full", "x" * 100_000)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    outfile.write_text(fifo, "through the pipe")
    reader.join(timeout=30)
    assert got == ["through the pipe"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_missing_folder_and_folder_target_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match=f"folder {tmp_path / 'nope'} does not exist"):
        outfile.write_text(tmp_path / "nope" / "x.csv", "x")
    with pytest.raises(InputError, match="is a folder"):
        outfile.write_text(tmp_path, "x")


def test_export_dash_writes_stdout(tmp_path, monkeypatch, capfdbinary):
    demo = tmp_path / "demo"
    assert main(["-q", "demo", "--keep", str(demo)]) == 0
    capfdbinary.readouterr()
    monkeypatch.chdir(tmp_path)
    args = ["--config", str(demo / "demo-config.yaml"), "--db", str(demo / "demo.db")]
    assert main([*args, "export", "weekly", "-o", "-"]) == 0
    out = capfdbinary.readouterr().out.decode("utf-8")
    assert out.startswith("\ufeffoutlet_id,") and not (tmp_path / "-").exists()
