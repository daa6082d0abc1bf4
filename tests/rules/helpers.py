"""Shared helpers for rule tests: run one rule through the real engine (with verification)."""

from __future__ import annotations

from rewriters.context import BuildContext
from rewriters.engine import FileResult, analyze
from rewriters.options import Options
from rewriters.registry import find_rule


def run_rule(
    code: str, text: str, options: Options | None = None, build_context: BuildContext | None = None
) -> FileResult:
    r = find_rule(code)
    assert r is not None, code
    result = analyze(text, options=options, build_context=build_context, rules=[r])
    assert result.error is None, result.error
    return result


def assert_fix(
    code: str,
    before: str,
    after: str,
    options: Options | None = None,
    build_context: BuildContext | None = None,
) -> FileResult:
    """``before`` has findings of ``code`` and the verified fix produces exactly ``after``."""
    result = run_rule(code, before, options, build_context)
    assert [f.code for f in result.findings if f.code == code], "rule did not fire"
    assert result.refused == (), result.refused
    assert result.new_text == after
    again = run_rule(code, after, options, build_context)
    assert again.new_text == after, "second pass changed the file"
    return result


def assert_noop(
    code: str, text: str, options: Options | None = None, build_context: BuildContext | None = None
) -> None:
    result = run_rule(code, text, options, build_context)
    assert [f for f in result.findings if f.code == code] == []
    assert result.new_text == text


def assert_report_only(
    code: str, text: str, options: Options | None = None, build_context: BuildContext | None = None
) -> FileResult:
    result = run_rule(code, text, options, build_context)
    assert [f.code for f in result.findings if f.code == code], "rule did not fire"
    assert result.new_text == text
    return result
