"""The lifecycle decision table: one test per row (bot/planner.py's docstring)."""

from __future__ import annotations

import pytest

from bot.planner import IssueState, PullState, Situation, content_hash, plan
from bot.proposal import FileChange, Proposal
from rewriters.findings import Finding, Fix


def _finding(code: str = "GC105", fp: str = "GC105:Dockerfile:aaa") -> Finding:
    fix = Fix((), "`GOSUMDB=off` removed")
    return Finding(
        code, "goproxy-bypass", "error", 2, 2, 1, 1, "m", True, True, fix, fingerprint=fp
    )


def _proposal(*fps: str, after: str = "FROM golang:1.22\n") -> Proposal:
    findings = tuple(_finding(fp=fp) for fp in fps)
    files = (FileChange("Dockerfile", "FROM golang:1.22\nENV GOSUMDB=off\n", after, findings),)
    return Proposal("acme/api", "main", files if fps else (), "cfg", "0.1.0")


P = _proposal("GC105:Dockerfile:aaa")
P_NEW = _proposal("GC105:Dockerfile:aaa", "GC101:Dockerfile:bbb", after="FROM golang:1.22\n#\n")


def _pr(number: int = 7, *, open: bool = True, merged: bool = False, **kw: object) -> PullState:
    return PullState(number, open, merged, "sha", **kw)  # type: ignore[arg-type]


ROWS = [
    pytest.param(Situation("r", None), ("noop",), id="nothing-to-propose"),
    pytest.param(Situation("r", P), ("open-pr",), id="findings-no-pr-open"),
    pytest.param(
        Situation("r", P, may_open=False, budget_reason="10 new PRs this hour"),
        ("held-back",),
        id="findings-budget-spent-held-back",
    ),
    pytest.param(
        Situation("r", P, [_pr(fingerprints=P.fingerprints, content=content_hash(P))]),
        ("noop",),
        id="open-pr-equal-zero-writes",
    ),
    pytest.param(
        Situation("r", P_NEW, [_pr(fingerprints=P.fingerprints, content=content_hash(P))]),
        ("update-pr",),
        id="open-pr-proposal-changed-update",
    ),
    pytest.param(
        Situation("r", P, [_pr(content="other")]),
        ("update-pr",),
        id="open-pr-file-or-base-changed-update",
    ),
    pytest.param(
        Situation("r", P, [_pr(content=content_hash(P), foreign_commits=True)]),
        ("stop",),
        id="maintainer-pushed-stop-once",
    ),
    pytest.param(
        Situation("r", P_NEW, [_pr(foreign_commits=True, stopped=True)]),
        ("noop",),
        id="maintainer-pushed-already-told",
    ),
    pytest.param(
        Situation(
            "r",
            P,
            [_pr(content=content_hash(P), foreign_commits=True, stopped=True, handback=True)],
        ),
        ("update-pr",),
        id="handed-back-update",
    ),
    pytest.param(
        Situation("r", P, [_pr(open=False, fingerprints=P.fingerprints)]),
        ("noop",),
        id="closed-unmerged-stays-closed",
    ),
    pytest.param(
        Situation("r", P_NEW, [_pr(open=False, fingerprints=P.fingerprints)]),
        ("open-pr",),
        id="new-finding-after-decline-opens-new",
    ),
    pytest.param(
        Situation("r", P, [_pr(open=False, merged=True, fingerprints=P.fingerprints)]),
        ("open-pr",),
        id="merged-remembers-nothing",
    ),
    pytest.param(
        Situation(
            "r",
            P,
            [_pr(open=False, stopped=True, branch_exists=False, fingerprints=P.fingerprints)],
        ),
        ("open-pr",),
        id="branch-deleted-after-stop-is-hand-back-not-decline",
    ),
    pytest.param(
        Situation("r", P, [_pr(open=False, stopped=True, fingerprints=P.fingerprints)]),
        ("noop",),
        id="closed-after-stop-branch-kept-is-a-decline",
    ),
    pytest.param(Situation("r", None, [_pr()]), ("close-pr",), id="fixed-by-hand-close"),
    pytest.param(Situation("r", _proposal(), [_pr()]), ("close-pr",), id="empty-proposal-close"),
    pytest.param(
        Situation("r", None, config_error="body"), ("open-issue",), id="broken-config-open-issue"
    ),
    pytest.param(
        Situation("r", None, config_error="new", config_issue=IssueState(3, True, "old")),
        ("update-issue",),
        id="broken-config-changed-update-issue",
    ),
    pytest.param(
        Situation("r", None, config_error="same", config_issue=IssueState(3, True, "same")),
        ("noop",),
        id="broken-config-same-noop",
    ),
    pytest.param(
        Situation("r", P, [_pr()], config_error="b"),
        ("open-issue",),
        id="broken-config-leaves-prs-alone",
    ),
    pytest.param(
        Situation("r", P, config_issue=IssueState(3, True, "x")),
        ("close-issue", "open-pr"),
        id="config-fixed-close-issue",
    ),
]


@pytest.mark.parametrize(("situation", "kinds"), ROWS)
def test_decision_table(situation: Situation, kinds: tuple[str, ...]) -> None:
    assert plan(situation).kinds == kinds


def test_new_pr_after_decline_links_it_and_carries_the_declines() -> None:
    s = Situation("r", P_NEW, [_pr(4, open=False, fingerprints=P.fingerprints)])
    (action,) = plan(s).actions
    assert action.linked_pr == 4
    assert action.declined == P.fingerprints
    assert action.proposal is not None
    assert action.proposal.fingerprints == P_NEW.fingerprints  # one file, proposed whole


def test_declines_accumulate_through_markers() -> None:
    old = _pr(2, open=False, fingerprints=("GC101:Dockerfile:bbb",))
    newer = _pr(5, open=False, fingerprints=("GC105:Dockerfile:aaa",), declined=("x",))
    assert plan(Situation("r", P_NEW, [newer, old])).kinds == ("noop",)


def test_content_hash_ignores_order_and_sees_text() -> None:
    assert content_hash(P) == content_hash(_proposal("GC105:Dockerfile:aaa"))
    assert content_hash(P) != content_hash(_proposal("GC105:Dockerfile:aaa", after="x\n"))
