"""The engine with fixes to a file other than the Dockerfile (the context's .dockerignore)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rewriters.context import BuildContext, RuleContext
from rewriters.document import Document
from rewriters.edits import Edit, SideFile, Span
from rewriters.engine import analyze
from rewriters.registry import Fix, Rule, RuleDoc, Violation

DOC = RuleDoc("Does x.", "Bad.", "```dockerfile\nFROM x\n```", "Safe.")
TEXT = "FROM golang:1.22\nRUN go build ./...\n"


def ignore_rule(lines: str, *, also_dockerfile: bool = False) -> Rule:
    """Fires while the context's .dockerignore lacks ``.git``; its fix adds ``lines``
    (creating the file when it is absent, appending otherwise)."""

    def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
        bc = ctx.build_context
        text = bc.dockerignore or ""
        if ".git" in text.splitlines():
            return
        path = bc.dockerignore_path
        if bc.has_dockerignore:
            sep = "" if not text or text.endswith("\n") else "\n"
            edits = [Edit.insert(len(text), sep + lines, path)]
        else:
            edits = [Edit.create_file(path, lines)]
        if also_dockerfile:
            edits.append(Edit.insert(0, "# syntax=docker/dockerfile:1\n"))
        ins = doc.instructions[0]
        yield Violation(ins.span, "no .dockerignore keeps .git out", Fix(tuple(edits), "add it"))

    return Rule("GC990", "test-ignore", "warning", "safe", check, DOC, "tests")  # type: ignore[arg-type]


ABSENT = BuildContext(files=frozenset({"go.mod", "go.sum"}), known=True, has_dockerignore=False)
EXISTING = BuildContext(
    files=frozenset({"go.mod"}), known=True, has_dockerignore=True, dockerignore="bin"
)


@pytest.mark.parametrize(
    ("bc", "lines", "before", "after"),
    [
        pytest.param(ABSENT, ".git\n", None, ".git\n", id="create"),
        pytest.param(EXISTING, ".git\n", "bin", "bin\n.git\n", id="append"),
        pytest.param(ABSENT, ".git\n*.md\n!README.md\n", None, None, id="exception-ok"),
    ],
)
def test_good_dockerignore_is_applied(
    bc: BuildContext, lines: str, before: str | None, after: str | None
) -> None:
    result = analyze(TEXT, build_context=bc, rules=[ignore_rule(lines)])
    assert result.refused == ()
    assert result.new_text == TEXT and result.changed
    (side,) = result.side_files
    assert side.path == ".dockerignore" and side.before == before
    assert side.after == (after if after is not None else lines)
    assert side.steps == (("GC990", side.after),)
    (finding,) = result.findings
    assert finding.fix_applied


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        pytest.param(".git\n*\n", "would exclude go.mod", id="star-excludes-go-mod"),
        pytest.param(".git\ngo.sum\n", "would exclude go.sum", id="go-sum"),
        pytest.param(".git\nvendor/\n", "would exclude vendor/modules.txt", id="vendor"),
        pytest.param(".git\n**/*.txt\n", "would exclude vendor/modules.txt", id="vendor-glob"),
        pytest.param(".git\nDocker*\n", "would exclude Dockerfile", id="dockerfile"),
        pytest.param(".git\n[\n", "not valid", id="malformed"),
        pytest.param(".git\n!\n", "not valid", id="lone-bang"),
    ],
)
def test_bad_dockerignore_is_refused_and_the_finding_kept(lines: str, reason: str) -> None:
    rule = ignore_rule(lines, also_dockerfile=True)
    result = analyze(TEXT, build_context=ABSENT, rules=[rule])
    assert result.side_files == () and not result.changed
    assert result.new_text == TEXT  # the rule's Dockerfile edit is dropped with it
    ((code, why),) = result.refused
    assert code == "GC990" and reason in why
    (finding,) = result.findings
    assert not finding.fix_applied and finding.note and reason in finding.note


@pytest.mark.parametrize(
    ("bc", "reason"),
    [
        pytest.param(BuildContext(known=True), "unknown", id="existence-unknown"),
        pytest.param(
            BuildContext(known=True, has_dockerignore=True), "could not be read", id="unread"
        ),
    ],
)
def test_side_file_in_an_unknown_state_is_refused(bc: BuildContext, reason: str) -> None:
    result = analyze(TEXT, build_context=bc, rules=[ignore_rule(".git\n")])
    assert result.side_files == ()
    assert reason in result.refused[0][1]


def test_create_over_an_existing_file_is_refused() -> None:
    def creates(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
        if ctx.build_context.dockerignore == ".git\n":
            return
        edit = Edit.create_file(".dockerignore", ".git\n")
        yield Violation(doc.instructions[0].span, "x", Fix((edit,), "d"))

    rule = Rule("GC990", "t", "warning", "safe", creates, DOC, "tests")  # type: ignore[arg-type]
    result = analyze(TEXT, build_context=EXISTING, rules=[rule])
    assert "already exists" in result.refused[0][1] and result.side_files == ()


def test_dockerfile_and_side_edits_apply_together_in_a_context_dir() -> None:
    bc = BuildContext(files=frozenset({"go.mod"}), known=True, dir="svc", has_dockerignore=False)
    result = analyze(
        TEXT,
        path="svc/Dockerfile",
        build_context=bc,
        rules=[ignore_rule(".git\n", also_dockerfile=True)],
    )
    assert result.refused == ()
    assert result.new_text == "# syntax=docker/dockerfile:1\n" + TEXT
    assert result.side_files == (
        SideFile("svc/.dockerignore", None, ".git\n", (("GC990", ".git\n"),)),
    )


def test_excluding_the_dockerfile_is_judged_relative_to_the_context() -> None:
    bc = BuildContext(known=True, dir="svc", has_dockerignore=False)
    # "svc/Dockerfile" relative to the context is "Dockerfile": excluding it is refused ...
    bad = analyze(
        TEXT, path="svc/Dockerfile", build_context=bc, rules=[ignore_rule(".git\nDockerfile\n")]
    )
    assert "would exclude Dockerfile" in bad.refused[0][1]
    # ... and a pattern naming the repository path does not match inside the context
    ok = analyze(TEXT, path="svc/Dockerfile", build_context=bc, rules=[ignore_rule(".git\nsvc\n")])
    assert ok.refused == () and ok.side_files[0].after == ".git\nsvc\n"


def test_edit_to_an_untracked_file_is_refused() -> None:
    def other(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
        yield Violation(doc.instructions[0].span, "x", Fix((Edit(Span(0, 0), "x", "go.mod"),), "d"))

    rule = Rule("GC990", "t", "warning", "safe", other, DOC, "tests")  # type: ignore[arg-type]
    result = analyze(TEXT, build_context=EXISTING, rules=[rule])
    assert "go.mod" in result.refused[0][1] and result.side_files == ()
