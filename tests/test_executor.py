"""Pure parts of the executor: one commit per rule family."""

from __future__ import annotations

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
