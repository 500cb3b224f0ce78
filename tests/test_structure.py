"""The shape of the package (issue 15): the store only stores, rules and crawl
modules never reach into the store, Harvest is written by the crawl alone, and the
modules import each other without a cycle."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"
SQL = re.compile(
    r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(TABLE|INDEX))\b",
    re.I | re.S,
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "_shipped" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, known: dict) -> set[str]:
    """Modules imported at module level (imports inside functions run later and
    cannot make an import cycle)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                package = name if path.name == "__init__.py" else name.rpartition(".")[0]
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, node.module])
            subs = {f"{base}.{a.name}" for a in node.names} & known.keys()
            # `from pkg import sub` loads sub, and pkg only as far as it already is
            out.update(subs if len(subs) == len(node.names) else {base, *subs})
    return {m for m in out if m in known and m != name}


def _strings(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_sql_outside_the_store():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for name, path in _modules().items()
        if not name.startswith("auditor.store")
        for line, text in _strings(path)
        if SQL.search(text)
    ]
    assert offenders == []


def test_the_store_has_no_public_raw_query():
    from auditor.store import Store

    public = {n for n in dir(Store) if not n.startswith("_")}
    assert not public & {"q", "query", "execute", "sql", "raw"}


def test_crawl_and_rules_never_import_the_store():
    known = _modules()
    offenders = sorted(
        f"{name} imports {m}"
        for name, path in known.items()
        if name.startswith(("auditor.crawl", "auditor.rules", "auditor.parse"))
        for m in _all_imports(path)
        if m == "auditor.store" or m.startswith("auditor.store.")
    )
    assert offenders == []


def _all_imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def test_harvest_is_written_only_by_the_crawl():
    offenders = []
    for name, path in _modules().items():
        if name.startswith("auditor.crawl") or name == "auditor.types":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                base = node.func.value
                if node.func.attr in {"append", "extend", "add", "update", "setdefault", "pop"}:
                    targets = [base]
            for t in targets:
                if isinstance(t, ast.Subscript):
                    t = t.value
                if (
                    isinstance(t, ast.Attribute)
                    and isinstance(t.value, ast.Name)
                    and t.value.id in {"h", "harvest"}
                ):
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert offenders == []


def test_no_import_cycle():
    known = _modules()
    graph = {name: _imports(name, path, known) for name, path in known.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_store_is_what_the_crawl_asks_for():
    """The crawl is handed a CrawlStore (auditor/ports.py); the real store must have each
    of its methods with the same parameters."""
    import inspect

    from auditor.ports import CrawlStore
    from auditor.store import Store

    wanted = {n for n, v in vars(CrawlStore).items() if callable(v) and not n.startswith("_")}
    assert len(wanted) > 15
    for name in sorted(wanted):
        have = inspect.signature(getattr(Store, name)).parameters
        need = inspect.signature(getattr(CrawlStore, name)).parameters
        assert list(have) == list(need), name
