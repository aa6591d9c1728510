"""The house rules of the code's shape, read from the source: layers import only downward
(``index`` <- ``qa`` <- ``tui``, ``evals``), no module imports form a cycle, and no module reads
another module's private attributes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "qa", "tui", "evals")
ALLOWED = {"index": set(), "qa": {"index"}, "tui": {"index", "qa"}, "evals": {"index", "qa"}}


def modules(root: Path = REPO) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Modules of ours that ``path`` imports anywhere (at the top or inside a function)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pkg import submodule` depends on the submodule (as `import pkg.submodule`
            # does); on the package itself only for names it defines
            names = [f"{node.module}.{a.name}" for a in node.names]
            if any(n not in known for n in names):
                names.append(node.module)
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out |= {n for n in names if n in known}
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def private_reads(path: Path, root: Path = REPO) -> list[str]:
    """``x._name`` where ``x`` is not self/cls/super() and no code of this file defines ``_name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            own.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            own.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")):
            continue
        value = node.value
        if isinstance(value, ast.Name) and value.id in ("self", "cls"):
            continue
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super":
            continue
        if node.attr not in own:
            bad.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return bad


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) for name, path in known.items()}


def test_no_import_cycles(graph):
    assert cycles(graph) == []


def test_layers_import_only_downward(graph):
    upward = [
        f"{a} imports {b}"
        for a, deps in graph.items()
        for b in deps
        if (la := a.split(".")[0]) != (lb := b.split(".")[0]) and lb not in ALLOWED[la]
    ]
    assert upward == []


def test_no_module_reads_another_modules_private_attributes():
    assert [bad for path in modules().values() for bad in private_reads(path)] == []


def test_the_checks_catch_what_they_look_for(tmp_path):
    # a cycle, an upward import and a private read, in a throwaway tree
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    (tmp_path / "index").mkdir()
    for package in PACKAGES[1:]:
        (tmp_path / package).mkdir()
    (tmp_path / "index" / "low.py").write_text("def f():\n    from qa import high\n", encoding="utf-8")
    (tmp_path / "qa" / "high.py").write_text(
        "import index.low\n\ndef g(app):\n    return app._engines\n", encoding="utf-8"
    )
    known = modules(tmp_path)
    graph = {name: imports(path, known) for name, path in known.items()}
    assert graph == {"index.low": {"qa.high"}, "qa.high": {"index.low"}}
    assert cycles(graph) == [["index.low", "qa.high"]]
    assert private_reads(tmp_path / "qa" / "high.py", tmp_path) == ["qa/high.py:4: app._engines"]
