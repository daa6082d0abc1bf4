"""rewriters.findings: one Finding type from the engine to the proposal, and its persisted form."""

from __future__ import annotations

from typing import Any

import pytest

from bot.proposal import Proposal
from bot.scan import FileReport, file_report
from rewriters.engine import analyze
from rewriters.findings import Finding, Fix, fingerprint
from rewriters.options import Options

TEXT = (
    "FROM golang:1.22\n"
    "# gocomply:ignore GC105\n"
    "ENV GOSUMDB=off\n"
    "ENV GOFLAGS=-insecure GOPROXY=direct\n"
    "RUN go build ./...\n"
)
PERSISTED_KEYS = [
    "code",
    "name",
    "severity",
    "line",
    "end_line",
    "column",
    "message",
    "fixable",
    "fix_applied",
    "fix",
    "applicability",
    "note",
    "fingerprint",
]


def _result(text: str = TEXT, path: str = "svc/Dockerfile") -> Any:
    return analyze(text, path=path, options=Options(unsafe_fixes=frozenset({"GC105"})))


def test_the_engine_fingerprints_every_finding() -> None:
    r = _result()
    assert r.findings, "the sample must produce findings"
    for f in r.findings:
        assert f.fingerprint == fingerprint(f.code, "svc/Dockerfile", TEXT[f.start : f.end])


def test_the_scan_and_the_proposal_carry_the_engine_findings() -> None:
    r = _result()
    report = file_report(r)
    p = Proposal.from_reports("acme/svc", "main", [report], "cfg", "0")
    assert report.findings == tuple(f.persisted() for f in r.findings)
    assert p.files[0].findings is report.findings
    # a fresh scan and the same scan read back from the store are equal
    assert FileReport.from_dict(report.as_dict()) == report


def test_persisted_form_keys_and_round_trip() -> None:
    r = _result()
    for f in r.findings:
        d = f.to_dict()
        assert list(d) == PERSISTED_KEYS
        back = Finding.from_dict(d)
        assert back == f.persisted() == back.persisted()
        assert back.to_dict() == d
        assert (back.suggestion, back.applicability) == (f.suggestion, f.applicability)
    report = file_report(r)
    assert FileReport.from_dict(report.as_dict()).as_dict() == report.as_dict()


@pytest.mark.parametrize(
    ("stored", "expect"),
    [
        pytest.param(
            {"code": "GC105", "name": "n", "severity": "error", "line": 3, "column": 5}
            | {"message": "m", "fix": "removed", "applicability": "unsafe", "fix_applied": False},
            (3, True, "unsafe", True),
            id="row-without-end-line",
        ),
        pytest.param(
            {"code": "GC001", "name": "n", "severity": "info", "line": 2, "end_line": 2}
            | {"column": 1, "message": "m", "fixable": False, "fix": None, "fix_applied": False},
            (2, False, None, False),
            id="no-fix",
        ),
    ],
)
def test_from_dict_reads_older_rows(
    stored: dict[str, Any], expect: tuple[int, bool, str | None, bool]
) -> None:
    f = Finding.from_dict(stored)
    assert (f.end_line, f.fixable, f.applicability, f.suggestion) == expect
    assert f.fix is None or f.fix == Fix((), stored["fix"], stored["applicability"])


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param(("GC105", "D", "ENV  GOSUMDB=off"), ("GC105", "D", "ENV GOSUMDB=off"), True),
        pytest.param(("GC105", "D", "ENV GOSUMDB=off"), ("GC105", "E", "ENV GOSUMDB=off"), False),
        pytest.param(("GC105", "D", "ENV GOSUMDB=off"), ("GC101", "D", "ENV GOSUMDB=off"), False),
        pytest.param(("GC105", "D", "ENV GOSUMDB=off"), ("GC105", "D", "ENV GOSUMDB=0"), False),
    ],
)
def test_fingerprint_identity(a: tuple[str, str, str], b: tuple[str, str, str], same: bool) -> None:
    assert (fingerprint(*a) == fingerprint(*b)) is same
    assert fingerprint(*a).startswith(f"{a[0]}:{a[1]}:")
