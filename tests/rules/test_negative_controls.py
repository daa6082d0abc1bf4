"""Negative controls for the whole catalog: files that follow RULES.md stay byte-identical."""

from __future__ import annotations

from pathlib import Path

from rewriters.context import BuildContext
from rewriters.engine import analyze
from tests.rules.helpers import POLICY_FOLLOWING

CONTEXT = BuildContext(
    files=frozenset({"go.mod", "go.sum"}),
    go_mod="module example.com/app\n\ngo 1.22\n",
    dockerignore=".git\n",
    has_dockerignore=True,
    known=True,
)


def test_policy_following_file_is_untouched_by_every_rule() -> None:
    result = analyze(POLICY_FOLLOWING, build_context=CONTEXT)
    assert result.error is None
    assert [f for f in result.findings if f.severity == "error"] == []
    assert result.new_text == POLICY_FOLLOWING


def test_clean_example_is_untouched_by_every_rule() -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / "clean-multistage" / "Dockerfile"
    text = path.read_bytes().decode("utf-8")
    result = analyze(text, build_context=CONTEXT)
    # GC209 reports its two tag-only FROMs (info, no edit without a digest from the registry):
    # an example file cannot carry a digest that stays current.
    assert [(f.code, f.severity, f.line, f.fixable) for f in result.findings] == [
        ("GC209", "info", 4, False),
        ("GC209", "info", 16, False),
    ]
    assert result.new_text == text
