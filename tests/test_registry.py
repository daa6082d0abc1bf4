"""Meta-tests: every rule is registered once, documented in four sections, and tested."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from rewriters.registry import DOC_SECTIONS, RuleDefinitionError, all_rules, find_rule, parse_doc

RULES = all_rules()
TESTS = Path(__file__).parent / "rules"


def test_codes_and_names_are_unique() -> None:
    assert RULES, "no rules discovered"
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("r", RULES, ids=[r.code for r in RULES])
def test_rule_is_documented_and_tested(r: object) -> None:
    from rewriters.registry import Rule

    assert isinstance(r, Rule)
    assert r.doc.summary.endswith(".")
    assert r.commit and not r.commit[0].isupper()  # its commit subject comes from the module
    assert "```dockerfile" in r.doc.example, "the example shows a Dockerfile"
    # "Fix safety" names the rule's applicability as a word ("unsafe" does not count as "safe")
    assert re.search(rf"\b{r.fix}\b", r.doc.fix_safety, re.IGNORECASE), r.doc.fix_safety[:80]
    module = r.module.rsplit(".", 1)[-1]
    test_file = TESTS / f"test_{module}.py"
    assert test_file.exists(), f"{r.code} needs {test_file}"
    tree = ast.parse(test_file.read_text(encoding="utf-8"))
    names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert "test_fix" in names or r.fix == "none", f"{test_file} needs parametrized fix cases"
    assert "test_noop" in names, f"{test_file} needs parametrized noop cases"


def test_find_rule_by_code_or_name() -> None:
    assert find_rule("gc105") is find_rule("goproxy-bypass") is not None
    assert find_rule("nope") is None


def test_docstring_sections_are_enforced() -> None:
    good = "\n\n".join(f"## {t}\n\ntext" for t in DOC_SECTIONS)
    assert parse_doc("Title.\n\n" + good, "m").what == "text"
    with pytest.raises(RuleDefinitionError):
        parse_doc("Title.\n\n## What it does\n\ntext\n", "m")
    with pytest.raises(RuleDefinitionError):
        parse_doc(None, "m")
