"""The layers stay where they are: SQL only in auditor/store/, read by name, no raw query
offered to the rest, and the CLI package without an import loop."""

import ast
import re
from pathlib import Path

import pytest

from auditor.store import Store

PACKAGE = Path(__file__).parent.parent / "auditor"
STORE = PACKAGE / "store"

# SQL as it is written in a string: a statement's own shape, in any case
SQL = re.compile(
    r"\bselect\b[\s\S]+\bfrom\b|\binsert\s+(?:or\s+\w+\s+)?into\b|\bupdate\s+\w+\s+set\b"
    r"|\bdelete\s+from\b|\b(?:create|drop|alter)\s+(?:unique\s+)?(?:table|index|view|trigger)\b"
    r"|\bpragma\s+\w+|\bbegin\s+immediate\b",
    re.IGNORECASE,
)
DATABASE_MODULES = {"sqlite3", "sqlite_utils"}
RAW_CALLS = {"execute", "executemany", "executescript", "query", "q", "_q"}


def outside_the_store() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if STORE not in p.parents)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes: prose may say "select … from" without being SQL."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def sql_in(path: Path) -> list[str]:
    """Where the module writes SQL, imports a database library or calls a raw query."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    return [f"line {n.lineno}: {what}" for n in ast.walk(tree) if (what := _finding(n, prose))]


def _finding(node: ast.AST, prose: set[int]) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        sql = id(node) not in prose and SQL.search(node.value)
        return f"SQL {node.value[:60]!r}" if sql else ""
    if isinstance(node, ast.Import | ast.ImportFrom):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
        found = [n for n in names if (n or "").split(".")[0] in DATABASE_MODULES]
        return f"imports {found[0]}" if found else ""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return f"calls .{node.func.attr}()" if node.func.attr in RAW_CALLS else ""
    return ""


@pytest.mark.parametrize(
    "path", outside_the_store(), ids=lambda p: str(p.relative_to(PACKAGE.parent))
)
def test_no_sql_outside_the_store(path):
    assert sql_in(path) == [], path


def test_the_check_sees_sql_and_the_store_has_some(tmp_path):
    """The check above would catch SQL: it finds the store's own, and a planted query."""
    assert sql_in(STORE / "reads.py")
    planted = tmp_path / "planted.py"
    planted.write_text('rows = store._q("select id from articles where outlet_id = ?")\n')
    assert len(sql_in(planted)) == 2
    prose = tmp_path / "prose.py"
    prose.write_text('"""Select the outlets from the config."""\nLABEL = "articles"\n')
    assert sql_in(prose) == []


def test_the_store_offers_no_raw_query():
    """Callers ask the store by name; a raw query is private to the store's package."""
    public = {name for name in dir(Store) if not name.startswith("_")}
    assert not public & {"q", "query", "execute", "sql", "raw"}, public
    assert hasattr(Store, "_q")


def test_the_cli_modules_import_only_their_base():
    """No loop: a command module imports auditor.cli.base, never the package or a sibling."""
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        if path.name in ("__init__.py", "base.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("auditor.cli"):
                assert node.module == "auditor.cli.base", (path.name, node.module)
            if isinstance(node, ast.ImportFrom) and node.module == "auditor":
                assert "cli" not in {a.name for a in node.names}, path.name
