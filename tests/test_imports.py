"""The import graph of ``bot/`` and ``rewriters/`` has no cycles, and the library never imports
the bot.

Every ``import`` statement counts, wherever it is: at module level, inside a function (a lazy
import) or under ``if TYPE_CHECKING:`` — a cycle hidden by laziness is still two modules that
cannot be understood, tested or moved apart. Only statically named modules are edges:
`rewriters.registry.all_rules` discovering ``rewriters/rules/`` through `importlib` is the one
designed inversion (rules register themselves; the registry names no rule).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "rewriters")


@dataclass(frozen=True)
class Edge:
    target: str
    line: int  # where the importing module names it


def module_names(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """Dotted module name → source file, for every ``.py`` under ``packages``."""
    out: dict[str, Path] = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(root: Path, packages: Iterable[str]) -> dict[str, dict[str, Edge]]:
    """module → {imported module → first edge}, for imports of modules under ``packages``.

    ``from a import b`` is an edge to ``a.b`` when that is a module, else to ``a``.
    """
    mods = module_names(root, packages)
    graph: dict[str, dict[str, Edge]] = {m: {} for m in mods}
    for module, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path, node)
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names
                ]
            for t in targets:
                if t in mods and t != module:
                    graph[module].setdefault(t, Edge(t, node.lineno))
    return graph


def find_cycle(graph: Mapping[str, Mapping[str, Edge]]) -> list[tuple[str, Edge]] | None:
    """One cycle as (module, edge to the next) steps, or None when the graph is acyclic."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[tuple[str, Edge]] = []

    def visit(m: str) -> list[tuple[str, Edge]] | None:
        state[m] = 1
        for target, edge in sorted(graph.get(m, {}).items()):
            path.append((m, edge))
            if state.get(target) == 1:
                start = next(i for i, (n, _) in enumerate(path) if n == target)
                return path[start:]
            if target not in state:
                found = visit(target)
                if found is not None:
                    return found
            path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found is not None:
                return found
    return None


def describe(cycle: list[tuple[str, Edge]], root: Path = ROOT) -> str:
    mods = module_names(root, PACKAGES)
    steps = []
    for m, edge in cycle:
        where = mods[m].relative_to(root) if m in mods else m
        steps.append(f"  {m} imports {edge.target}  ({where}:{edge.line})")
    return "import cycle:\n" + "\n".join(steps)


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph(ROOT, PACKAGES))
    assert cycle is None, describe(cycle)


def test_rewriters_never_imports_bot() -> None:
    mods = module_names(ROOT, ("rewriters",))
    bad = []
    for module, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            bad += [
                f"{module} imports {n} (line {node.lineno})"
                for n in names
                if n == "bot" or n.startswith("bot.")
            ]
    assert not bad, "\n".join(bad)


# --------------------------------------------------------------------------- the checker itself

CASES = [
    pytest.param({"p/a.py": "import p.b\n", "p/b.py": "x = 1\n"}, None, id="acyclic"),
    pytest.param(
        {"p/a.py": "from p import b\n", "p/b.py": "from p.a import x\n"},
        ["p.a", "p.b"],
        id="module-level",
    ),
    pytest.param(
        {
            "p/a.py": "from p.b import y\n",
            "p/b.py": "def f():\n    from p.c import z\n",
            "p/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import p.a\n",
        },
        ["p.a", "p.b", "p.c"],
        id="lazy-and-type-checking",
    ),
    pytest.param(
        {"p/__init__.py": "", "p/q/__init__.py": "", "p/q/a.py": "from . import b\n"}
        | {"p/q/b.py": "from ..q.a import x\n"},
        ["p.q.a", "p.q.b"],
        id="relative",
    ),
    pytest.param(
        {"p/a.py": "import importlib\nimportlib.import_module('p.b')\n", "p/b.py": "import p.a\n"},
        None,
        id="dynamic-import-is-no-edge",
    ),
]


@pytest.mark.parametrize(("files", "expect"), CASES)
def test_find_cycle(tmp_path: Path, files: dict[str, str], expect: list[str] | None) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    cycle = find_cycle(import_graph(tmp_path, ("p",)))
    assert (None if cycle is None else sorted(m for m, _ in cycle)) == expect
