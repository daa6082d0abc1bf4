"""Rules share facts through the library modules, never through each other (DESIGN.md, Rules):
no module in rewriters/rules imports another rule module, and bot/scorecard.py imports nothing
from rewriters.rules (its pinning definition is rewriters.gocmd's)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = sorted(p for p in (ROOT / "rewriters" / "rules").glob("*.py") if p.name != "__init__.py")


def imported_modules(path: Path, package: str | None = None) -> set[str]:
    """Every module ``path`` imports, absolute (relative imports resolved against its package,
    by default the one its place under the repository root names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if package is None:
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            # `from rewriters.rules import unpinned_go_tool` imports a rule module too
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def rule_imports(path: Path, package: str | None = None) -> set[str]:
    return {
        m
        for m in imported_modules(path, package)
        if m.startswith("rewriters.rules.") or m == "rewriters.rules"
    }


def test_rules_are_found() -> None:
    assert len(RULES) >= 7
    assert {p.stem for p in RULES} >= {"unpinned_go_tool", "go_get_in_build"}


@pytest.mark.parametrize("path", RULES, ids=[p.stem for p in RULES])
def test_no_rule_imports_another_rule(path: Path) -> None:
    assert rule_imports(path) == set()


def test_scorecard_imports_nothing_from_rules() -> None:
    assert rule_imports(ROOT / "bot" / "scorecard.py") == set()


def test_the_check_sees_every_import_form(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    ugt, ggb = "rewriters.rules.unpinned_go_tool", "rewriters.rules.go_get_in_build"
    cases = {
        "from rewriters.rules.unpinned_go_tool import is_pinned\n": ugt,
        "import rewriters.rules.go_get_in_build\n": ggb,
        "from rewriters.rules import go_get_in_build\n": ggb,
        "from . import go_get_in_build\n": ggb,
        "from .unpinned_go_tool import is_pinned\n": ugt,
        "def f() -> None:\n    from rewriters.rules import unpinned_go_tool\n": ugt,
    }
    for source, module in cases.items():
        probe.write_text(source, encoding="utf-8")
        assert module in rule_imports(probe, "rewriters.rules"), source
    probe.write_text("from rewriters.gocmd import is_pinned\nfrom . import x\n", encoding="utf-8")
    assert rule_imports(probe, "rewriters") == set()
