"""Pure parts of the executor: one commit per rule family."""

from __future__ import annotations

import pytest

from bot.executor import commit_plan
from bot.proposal import FileChange, Proposal
from rewriters.findings import Finding, Fix

A0, A1, A2 = "FROM golang\nENV GOSUMDB=off\nRUN go build\n", "FROM golang\nRUN go build\n", "x\n"


def _finding(code: str) -> Finding:
    fix = Fix((), "fix")
    return Finding(code, "n", "error", 1, 1, 1, 1, "m", True, True, fix, fingerprint=f"{code}:x:1")


def test_one_commit_per_family_in_order() -> None:
    both = FileChange(
        "Dockerfile", A0, A2, (_finding("GC105"), _finding("GC201")), (("GC1", A1), ("GC2", A2))
    )
    only2 = FileChange("b.Dockerfile", "a\n", "b\n", (_finding("GC206"),), (("GC2", "b\n"),))
    p = Proposal("acme/api", "main", (both, only2), "cfg", "0")
    assert commit_plan(p) == [
        (("GC105",), {"Dockerfile": A1}),
        (("GC201", "GC206"), {"Dockerfile": A2, "b.Dockerfile": "b\n"}),
    ]


def test_without_family_texts_everything_is_one_commit() -> None:
    f = FileChange("Dockerfile", A0, A2, (_finding("GC105"), _finding("GC201")))
    p = Proposal("acme/api", "main", (f,), "cfg", "0")
    assert commit_plan(p) == [(("GC105", "GC201"), {"Dockerfile": A2})]


def test_files_under_github_workflows_are_reported_not_changed() -> None:
    from bot.scan import FileReport

    finding = {
        "code": "GC105",
        "name": "goproxy-bypass",
        "severity": "error",
        "line": 2,
        "column": 5,
        "message": "m",
        "fix": "`GOSUMDB=off` removed",
        "applicability": "safe",
        "fix_applied": True,
        "note": None,
        "fingerprint": "GC105:x:1",
    }
    report = FileReport(
        ".github/workflows/ci.Dockerfile",
        (Finding.from_dict(finding),),
        "diff",
        None,
        None,
        ("GC105",),
        (),
        A0,
        A1,
        (("GC1", A1),),
    )
    p = Proposal.from_reports("acme/api", "main", [report], "cfg", "0")
    assert p.empty and p.applied == ()
    ((path, f),) = p.suggestions
    assert path.startswith(".github/workflows/")
    assert f.note is not None and "workflows" in f.note


def test_side_files_go_into_the_commit_of_their_rules_family() -> None:
    from rewriters.edits import SideFile

    ignore = SideFile(".dockerignore", None, ".git\n", (("GC208", ".git\n"),))
    # a second Dockerfile of the same context: its text of the file holds the first one's too
    later = SideFile(".dockerignore", ".git\n", ".git\nbin\n", (("GC208", ".git\nbin\n"),))
    f = FileChange(
        "Dockerfile",
        A0,
        A1,
        (_finding("GC105"), _finding("GC208")),
        (("GC1", A1), ("GC2", A1)),
        (ignore,),
    )
    g = FileChange("b.Dockerfile", "a\n", "a\n", (_finding("GC208"),), (("GC2", "a\n"),), (later,))
    p = Proposal("acme/api", "main", (f, g), "cfg", "0")
    assert [f.path for f in p.changes] == ["Dockerfile", "b.Dockerfile"]  # g: only its side file
    assert commit_plan(p) == [
        (("GC105",), {"Dockerfile": A1}),
        (("GC208",), {"Dockerfile": A1, "b.Dockerfile": "a\n", ".dockerignore": ".git\nbin\n"}),
    ]
    flat = Proposal(
        "acme/api", "main", (FileChange("Dockerfile", A0, A0, (), (), (ignore,)),), "c", "0"
    )
    assert commit_plan(flat) == [((), {".dockerignore": ".git\n"})]


def test_scan_report_round_trips_side_files_and_threads_them_across_dockerfiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.config import RepoConfig
    from bot.github import TreeEntry
    from bot.scan import FileReport, analyze_repo, file_report, plan_files
    from rewriters import engine
    from rewriters.edits import Edit
    from rewriters.registry import Fix, Rule, RuleDoc, Violation

    def check(doc, ctx):  # type: ignore[no-untyped-def]
        bc = ctx.build_context
        if bc.has_dockerignore:
            return
        yield Violation(
            doc.instructions[0].span,
            "m",
            Fix((Edit.create_file(bc.dockerignore_path, ".git\n"),), "d"),
        )

    rule = Rule(
        "GC299", "t", "warning", "safe", check, RuleDoc("a.", "b", "c", "d"), "tests", "c", None
    )
    entries = [
        TreeEntry(p, "blob", "s" + p, "100644")
        for p in ("svc/go.mod", "svc/Dockerfile", "svc/Dockerfile.dev")
    ]
    files = plan_files(entries)
    texts = {
        p: "FROM golang:1.22\nRUN go build\n" for p in ("svc/Dockerfile", "svc/Dockerfile.dev")
    }
    monkeypatch.setattr(engine, "all_rules", lambda: (rule,))
    first, second = analyze_repo(texts, files, RepoConfig(), {})
    # the first Dockerfile creates svc/.dockerignore; the second sees it and proposes nothing
    assert [s.path for s in first.side_files] == ["svc/.dockerignore"] and first.changed
    assert second.side_files == () and not second.changed
    report = file_report(first)
    assert "--- /dev/null\n+++ b/svc/.dockerignore\n" in report.diff
    again = FileReport.from_dict(report.as_dict())
    assert again == report and again.side_files == first.side_files
