"""The shape of the house, checked: parts in folders, imports one way, no cycles, small modules.

import-linter holds the direction between the parts (``[tool.importlinter]`` in
pyproject.toml, run by tests/core/test_qt_boundary.py). These checks add what a
layers contract does not see: a cycle between two modules of one part, a module that
has grown past what can be read in one sitting, and a folder that does not say what
it holds and what it may import.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planner"
MAX_LINES = 800
CORE_PARTS = ("calendars", "planning", "storage", "text", "travel", "settings")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """planner modules ``path`` imports, wherever the import stands (inside functions and
    ``if TYPE_CHECKING:`` too: a type two modules need belongs lower down)."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = {f"{base}.{alias.name}" for alias in node.names} & modules
            found.update(submodules)
            # ``from package import submodule`` needs the submodule, not the package's
            # own code (which runs first for any submodule import anyway).
            if len(submodules) < len(node.names):
                found.add(base)
    return {name for name in found if name in modules and name != me}


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    names = set(files)
    return {name: imported_modules(path, names) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_relative_imports_are_resolved(tmp_path, monkeypatch):
    package = tmp_path / "planner" / "core" / "part"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from . import a\n")
    (package / "a.py").write_text("from .b import thing\nfrom ..model import X\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    names = {
        "planner.core.part",
        "planner.core.part.a",
        "planner.core.part.b",
        "planner.core.model",
    }
    assert imported_modules(package / "a.py", names) == {
        "planner.core.part.b",
        "planner.core.model",
    }
    assert imported_modules(package / "__init__.py", names) == {"planner.core.part.a"}


def test_no_module_is_too_long_to_read_in_one_sitting():
    sizes = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8").count("\n")
        for path in PACKAGE.rglob("*.py")
    }
    assert {path: n for path, n in sizes.items() if n > MAX_LINES} == {}


def test_each_part_of_the_core_says_what_it_holds_and_may_import():
    for part in CORE_PARTS:
        init = PACKAGE / "core" / part / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init} has no docstring"
        assert "May import" in doc, f"{init} does not say what it may import"


BROAD = {"Exception", "BaseException"}


def broad_handlers_that_hide(path: Path) -> list[int]:
    """Lines of ``except Exception`` (or BaseException, or a bare ``except:``) whose body
    neither raises again nor keeps the traceback in the log.

    A broad catch is sometimes right (a library failing on hostile input must cost
    the user one event, not the calendar), but it also catches planner's own bugs; so
    it must log the traceback (``log_failure``, ``logger.exception``, or a logging call
    with ``exc_info``) or re-raise.
    """
    hiding = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ExceptHandler):
            continue
        caught = node.type
        names = (
            {caught.id}
            if isinstance(caught, ast.Name)
            else {e.id for e in caught.elts if isinstance(e, ast.Name)}
            if isinstance(caught, ast.Tuple)
            else set()
        )
        if caught is not None and not names & BROAD:
            continue
        keeps = False
        for inner in ast.walk(ast.Module(body=node.body, type_ignores=[])):
            if isinstance(inner, ast.Raise):
                keeps = True
            elif isinstance(inner, ast.Call):
                func = inner.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in {"log_failure", "exception"} or any(
                    k.arg == "exc_info" for k in inner.keywords
                ):
                    keeps = True
        if not keeps:
            hiding.append(node.lineno)
    return hiding


def test_no_broad_except_hides_a_bug():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := broad_handlers_that_hide(path))
    }
    assert found == {}


def test_the_broad_except_check_sees_what_it_should(tmp_path):
    code = tmp_path / "sample.py"
    code.write_text(
        "try:\n    x()\nexcept Exception:\n    pass\n"  # hides: line 3
        "try:\n    x()\nexcept (OSError, BaseException):\n    y = 1\n"  # hides: line 7
        "try:\n    x()\nexcept:\n    pass\n"  # hides: line 11
        "try:\n    x()\nexcept Exception as e:\n    log_failure(log, 'x', e)\n"
        "try:\n    x()\nexcept Exception:\n    log.warning('x', exc_info=True)\n"
        "try:\n    x()\nexcept BaseException:\n    undo()\n    raise\n"
        "try:\n    x()\nexcept ValueError:\n    pass\n"
    )
    assert broad_handlers_that_hide(code) == [3, 7, 11]
