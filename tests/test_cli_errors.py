"""Bad invocations: each ends with one line naming the thing and the problem, the right exit
code (2 a person's error, 1 a run that finished with failures), and never a traceback."""

from __future__ import annotations

import pytest

from auditor.cli import main

# name → (arguments, exit code, text the last line of stderr must hold). In the arguments,
# CFG, DB, DIR and the UPPER-CASE names of files are replaced by the paths the fixture makes.
CASES = {
    "config file missing": (["--config", "nope.yaml", "status"], 2, "config file not found"),
    "YAML syntax error names file and line": (
        ["--config", "BADYAML", "status"],
        2,
        "bad.yaml, line 4",
    ),
    "broken YAML refused before --db is created": (
        ["--config", "BADYAML", "--db", "NEWDB", "status"],
        2,
        "not valid YAML",
    ),
    "bad key refused by classify before the store": (
        ["--config", "BADKEY", "--db", "NEWDB", "classify"],
        2,
        "outlets[0].kind",
    ),
    "bad key refused by label before the store": (
        ["--config", "BADKEY", "--db", "NEWDB", "label", "1", "khac"],
        2,
        "outlets[0].kind",
    ),
    "bad key refused by model info": (["--config", "BADKEY", "model", "info"], 2, "kind"),
    "config is a folder": (["--config", "DIR", "status"], 2, "cannot read"),
    "config is not UTF-8": (["--config", "BIN", "status"], 2, "cannot read"),
    "--db in a missing folder": (
        ["--db", "/no/such/dir/x.db", "status"],
        2,
        "folder /no/such/dir does not exist",
    ),
    "--db is a folder": (["--db", "DIR", "status"], 2, "is a folder"),
    "--db is not a database": (["--db", "BIN", "status"], 2, "not a database"),
    "-o in a missing folder": (
        ["export", "weekly", "-o", "/no/such/dir/x.csv"],
        2,
        "folder /no/such/dir does not exist",
    ),
    "-o is a folder": (["export", "weekly", "-o", "DIR"], 2, "is a folder"),
    "bad --from date": (["export", "weekly", "--from", "2017-13-01"], 2, "2017-13-01"),
    "inverted --from/--to": (
        ["export", "articles", "--from", "2017-12-01", "--to", "2017-10-01"],
        2,
        "before --from",
    ),
    "unknown --labels": (["export", "weekly", "--labels", "fr"], 2, "'fr'"),
    "label of an unknown article": (["label", "999999", "khac"], 2, "no article with id 999999"),
    "label with an unknown topic": (["label", "1", "sport"], 2, "topics must be some of"),
    "label khac with a topic": (
        ["label", "1", "khac", "loi_ich_doan_vien"],
        2,
        "khac (none of the topics) cannot go with loi_ich_doan_vien",
    ),
    "label of a non-number": (["label", "abc", "khac"], 2, "'abc' is not a valid integer"),
    "evaluate an empty file": (["model", "evaluate", "EMPTY"], 2, "no labelled lines"),
    "evaluate a binary file": (["model", "evaluate", "BIN"], 2, "not UTF-8"),
    "evaluate garbage": (["model", "evaluate", "GARBAGE"], 2, "garbage.jsonl:1: not JSON"),
    "evaluate a JSON array line": (
        ["model", "evaluate", "ARRAY"],
        2,
        "array.jsonl:1: expected a JSON object",
    ),
    "evaluate a missing file": (["model", "evaluate", "nope.jsonl"], 2, "does not exist"),
    "train on a binary file": (["model", "train", "--data", "BIN"], 2, "not UTF-8"),
    "--models folder without a model": (["--models", "DIR", "model", "info"], 2, "--models"),
    "reaudit of an unknown outlet": (["reaudit", "no-such-id"], 2, "no outlet 'no-such-id'"),
    "audit --outlet unknown": (["audit", "--outlet", "nope"], 2, "no outlet 'nope'"),
    "audit --as-of not a date": (["audit", "--as-of", "2017-02-30"], 2, "2017-02-30"),
    "banner --outlet unknown": (["banner", "--outlet", "nope"], 2, "no outlet 'nope'"),
    "discover of a non-URL": (["discover", "congdoan"], 2, "expected an http(s) address"),
    "discover with nothing": (["discover"], 2, "give a URL, or --all"),
    "discover of an unreachable site": (["discover", "http://127.0.0.1:9/"], 1, "127.0.0.1:9"),
    "init into a file": (["init", "BIN"], 2, "is a file"),
    "init over an existing config": (["init", "DIR"], 2, "already exists; not overwritten"),
    "unknown command": (["nosuch"], 2, "No such command"),
    "alerts for a bad week": (["alerts", "--week", "soon", "--dry-run"], 2, "soon"),
    "nothing to export yet": (["--db", "NEWDB", "export", "weekly"], 1, "no audit run"),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    assert main(["-q", "demo", "--keep", str(base / "demo")]) == 0
    files = {
        "CFG": base / "demo" / "demo-config.yaml",
        "DB": base / "demo" / "demo.db",
        "DIR": base / "demo",
        "BADYAML": base / "bad.yaml",
        "BADKEY": base / "badkey.yaml",
        "BIN": base / "binary.bin",
        "EMPTY": base / "empty.jsonl",
        "GARBAGE": base / "garbage.jsonl",
        "ARRAY": base / "array.jsonl",
    }
    (files["DIR"] / "config.yaml").write_text("# mine\n", encoding="utf-8")
    files["BADYAML"].write_text(
        "timezone: Asia/Ho_Chi_Minh\ncampaign:\n  id: x\n  title: a: b\noutlets: []\n",
        encoding="utf-8",
    )
    good = files["CFG"].read_text(encoding="utf-8")
    files["BADKEY"].write_text(good.replace("kind: website", "kind: radio"), encoding="utf-8")
    files["BIN"].write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01 not text")
    files["EMPTY"].write_text("", encoding="utf-8")
    files["GARBAGE"].write_text("this is not json\n", encoding="utf-8")
    files["ARRAY"].write_text("[1, 2]\n", encoding="utf-8")
    return files


@pytest.mark.parametrize("args,code,message", CASES.values(), ids=CASES.keys())
def test_bad_invocation(world, args, code, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no config.yaml here unless a case names one
    paths = {k: str(v) for k, v in world.items()}
    paths["NEWDB"] = str(tmp_path / "new.db")
    argv = [paths.get(a, a) for a in args]
    if "--config" not in argv:
        argv = ["--config", paths["CFG"], *argv]
    if "--db" not in argv:
        argv = ["--db", paths["DB"], *argv]
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    last = err.strip().splitlines()[-1]
    assert message in last, err
    if code == 2:
        assert not (tmp_path / "new.db").exists()  # refused before the store was touched


def test_a_bug_is_one_line_and_its_traceback_only_with_v(monkeypatch, capsys, tmp_path):
    from auditor import cli, shipped

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(shipped, "config_file", broken)
    assert main(["init"]) == cli.EX_BUG
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "internal error" in err and "ZeroDivisionError" in err and "-v" in err
    assert main(["-v", "init"]) == cli.EX_BUG
    assert "Traceback" in capsys.readouterr().err


def test_the_table_is_big_enough():
    assert len(CASES) >= 25
