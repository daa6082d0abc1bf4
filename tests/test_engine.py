"""The engine: verified fixes, refusals with reasons, options, scope and parse errors."""

from __future__ import annotations

from collections.abc import Iterator

from rewriters.context import RuleContext
from rewriters.document import Document
from rewriters.edits import Edit, Span
from rewriters.engine import analyze, verify_step
from rewriters.options import Options
from rewriters.registry import Fix, Rule, RuleDoc, Violation, all_rules

DOC = RuleDoc("Does x.", "Bad.", "```dockerfile\nFROM x\n```", "Safe.")


def _rule(fn: object, fix: str = "safe") -> Rule:
    return Rule("GC900", "test-rule", "error", fix, fn, DOC, "tests")  # type: ignore[arg-type]


def test_fix_that_breaks_the_parse_is_refused_and_reported() -> None:
    def breaks(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
        ins = doc.instructions[1]
        # turns `ENV A=1` into `ENV A` which BuildKit rejects
        yield Violation(
            ins.span, "x", Fix((Edit(Span(ins.span.start + 5, ins.span.start + 7), ""),), "d")
        )

    text = "FROM alpine\nENV A=1\n"
    result = analyze(text, rules=[_rule(breaks)])
    assert result.new_text == text
    assert result.refused and "does not parse" in result.refused[0][1]
    (finding,) = result.findings
    assert not finding.fix_applied and finding.note and "fix not applied" in finding.note


def test_verify_step_detects_changes_outside_edits() -> None:
    before = "FROM alpine\nRUN a\nRUN b\n"
    after = "FROM alpine\nRUN a\nRUN c\n"
    # claims to edit only the first RUN, but the second changed
    reason = verify_step(before, after, [Edit(Span(12, 17), "RUN a")])
    assert reason is not None and "line 3" in reason


def test_non_converging_fix_is_refused() -> None:
    def grows(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
        ins = doc.instructions[-1]
        yield Violation(
            ins.span, "x", Fix((Edit(Span(ins.span.end, ins.span.end), "RUN x\n"),), "d")
        )

    result = analyze("FROM alpine\n", rules=[_rule(grows)])
    assert result.new_text == "FROM alpine\n"
    assert "does not converge" in result.refused[0][1]


def test_unsafe_fix_needs_opt_in() -> None:
    def unsafe(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
        ins = doc.instructions[1]
        if ins.name == "USER":
            return
        yield Violation(
            ins.span,
            "x",
            Fix((Edit(Span(ins.span.start, ins.span.start), "USER 65532\n"),), "d", "unsafe"),
        )

    text = "FROM alpine\nRUN a\n"
    r = _rule(unsafe, fix="unsafe")
    plain = analyze(text, rules=[r])
    assert (
        plain.new_text == text
        and plain.findings[0].note
        and "unsafe_fixes" in plain.findings[0].note
    )
    opted = analyze(text, rules=[r], options=Options(unsafe_fixes=("GC900",)))
    assert opted.new_text == "FROM alpine\nUSER 65532\nRUN a\n"


def test_rule_level_off_and_override() -> None:
    text = "FROM golang:1.22\nENV GOSUMDB=off\n"
    gc105 = [r for r in all_rules() if r.code == "GC105"]
    assert analyze(text, rules=gc105, options=Options(rules=(("GC105", "off"),))).findings == ()
    (f,) = analyze(text, rules=gc105, options=Options(rules=(("GC105", "warning"),))).findings
    assert f.severity == "warning"


def test_family_level_applies_unless_the_rule_has_its_own() -> None:
    text = "FROM golang:1.22\nENV GOSUMDB=off\n"
    off = Options(rules=(("GC1", "off"),))
    assert not [f for f in analyze(text, options=off).findings if f.code.startswith("GC1")]
    own = Options(rules=(("GC1", "off"), ("GC105", "info")))
    assert [
        (f.code, f.severity) for f in analyze(text, options=own).findings if f.code < "GC2"
    ] == [("GC105", "info")]


def test_parse_errors_are_results_not_exceptions() -> None:
    result = analyze("FROM x\nENV A\n")
    assert result.error is not None and "ENV must have two arguments" in result.error
    assert result.findings == () and result.new_text == result.text


def test_scope_go_skips_files_without_go() -> None:
    assert analyze("FROM nginx\nRUN echo hi\n", scope_all=False).skipped == "no Go build"
    assert analyze("FROM alpine\nRUN go build\n", scope_all=False).skipped is None
    assert analyze("FROM golang:1.22\n", scope_all=False).skipped is None


def test_a_crashing_rule_is_recorded_and_the_others_still_run() -> None:
    def boom(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
        raise KeyError("surprise")
        yield  # pragma: no cover

    from rewriters.registry import find_rule

    gc105 = find_rule("GC105")
    assert gc105 is not None
    result = analyze("FROM golang:1.22\nENV GOSUMDB=off\n", rules=[_rule(boom), gc105])
    assert result.new_text == "FROM golang:1.22\n"
    assert [f.code for f in result.findings] == ["GC105"]
    assert dict(result.refused)["GC900"].startswith("internal error in the rule (KeyError")
