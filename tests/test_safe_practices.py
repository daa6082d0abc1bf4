"""The whole GC2xx catalogue on the plain single-stage Go image of issue 9.

A ``FROM golang:1.22-alpine`` / ``COPY . .`` / ``RUN go build`` / ``CMD ["./myapp"]`` file, with
go.mod and go.sum next to it and no ``.dockerignore``, follows none of the safe practices.
``gocomply check`` must name each missing practice it has, and the practices the rule table can
fix must come with a fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

PLAIN = (
    'FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o myapp .\nCMD ["./myapp"]\n'
)

GO_MOD = "module example.com/myapp\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n"
GO_SUM = (
    "github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\n"
    "github.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=\n"
)


@pytest.fixture
def plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "Dockerfile").write_text(PLAIN)
    (tmp_path / "go.mod").write_text(GO_MOD)
    (tmp_path / "go.sum").write_text(GO_SUM)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, dict[str, object]]:
    main(["check", "--format", "json", *args, "Dockerfile"])
    doc = json.loads(capsys.readouterr().out)
    (file,) = doc["files"]
    assert file["error"] is None and file["skipped"] is None
    return {f["code"]: f for f in file["findings"]}


# The practices this file is missing, by rule, and whether the rule table allows a fix here.
MISSING = {
    "GC201": "dependency-layer",
    "GC202": "toolchain-in-runtime",
    "GC203": "runs-as-root",
    "GC204": "implicit-target-platform",
    "GC206": "build-cache",
    "GC208": "dockerignore",
}


def test_check_reports_every_missing_practice(
    plain: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _findings(capsys)
    assert {c: found[c]["name"] for c in MISSING if c in found} == MISSING
    # nothing here asks for a secret, a cgo runtime or a pinned digest the CLI cannot resolve
    # offline: GC205 and GC207 stay silent
    assert "GC205" not in found and "GC207" not in found


def _applicability(f: dict[str, object]) -> object:
    fix = f["fix"]
    return fix.get("applicability") if isinstance(fix, dict) else None


def test_fixable_practices_come_with_fixes(plain: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _findings(capsys)
    # with go.mod and go.sum in the context, the dependency layer and the cache mounts are
    # safe fixes: the build produces the same binary at the same path
    assert _applicability(found["GC201"]) == "safe"
    assert _applicability(found["GC206"]) == "safe"
    # a runtime stage, a user and a .dockerignore change how the image runs or is stamped
    for code in ("GC202", "GC203", "GC208"):
        assert _applicability(found[code]) == "unsafe", code
    # cgo is only implicitly off on golang:alpine: cross-compiling is reported, not rewritten
    assert found["GC204"]["fix"] is None and "CGO_ENABLED=0" in str(found["GC204"]["note"])


def test_fix_applies_only_the_safe_practices_by_default(
    plain: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fix", "Dockerfile"]) in (0, 1)
    capsys.readouterr()
    assert (plain / "Dockerfile").read_text() == (
        "FROM golang:1.22-alpine\n"
        "WORKDIR /src\n"
        "COPY go.mod go.sum ./\n"
        "RUN --mount=type=cache,target=/go/pkg/mod go mod download\n"
        "COPY . .\n"
        "RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build"
        " go build -o myapp .\n"
        'CMD ["./myapp"]\n'
    )
    assert not (plain / ".dockerignore").exists()  # GC208 is unsafe: not without opting in
