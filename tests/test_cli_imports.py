"""The local commands never import the App stack.

`gocomply check` on one file should cost what parsing and checking it costs, not the import of
SQLAlchemy, requests and the PR renderer: `bot.cli_app` registers the App's commands with the
standard library only and imports their stack inside the command (and `bot.logging` imports
structlog only when an event passes the level). Each case runs a fresh interpreter, so the
modules found in ``sys.modules`` afterwards are exactly what that command loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.catalogue import WITHOUT_GC2

ROOT = Path(__file__).resolve().parents[1]

# What a local command must not load: the App stack and its heavy dependencies.
APP_STACK = (
    "sqlalchemy",
    "requests",
    "github",  # PyGithub, should it ever be installed
    "jwt",
    "git",
    "structlog",
    "bot.github",
    "bot.store",
    "bot.sweep",
    "bot.scan",
    "bot.pr_body",
    "bot.remediate",
    "bot.executor",
    "bot.scorecard",
    "bot.auth",
)

_PROBE = """
import contextlib, io, json, sys
from bot import cli
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = cli.main(sys.argv[1:])
loaded = sorted(m for m in {stack!r} if m in sys.modules)
print(json.dumps({{"code": code, "loaded": loaded}}))
"""


def _probe(*argv: str) -> tuple[int, list[str]]:
    """Exit code of ``gocomply ARGV`` in a fresh interpreter, and which APP_STACK it loaded."""
    # Run from the repository root so its own code is imported; no App settings from outside.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOCOMPLY_")}
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(stack=APP_STACK), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    return int(data["code"]), list(data["loaded"])


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM golang:1.22\nENV GOPROXY=direct\nRUN go build -o /app .\n")
    return path


@pytest.mark.parametrize(
    ("argv", "exit_code"),
    [
        pytest.param(("check", "{file}"), 1, id="check"),
        pytest.param(("check", "--format", "sarif", "{file}"), 1, id="check-sarif"),
        pytest.param(("check", "--format", "json", "{file}"), 1, id="check-json"),
        # machinery tests leave the GC2 family out (tests/catalogue.py): the exit code of `fix`
        # says whether findings remain, and GC2 rules report on this single-stage file
        pytest.param(("fix", "--diff", *WITHOUT_GC2, "{file}"), 0, id="fix-diff"),
        pytest.param(("fix", *WITHOUT_GC2, "{file}"), 0, id="fix"),
        pytest.param(("explain", "GC105"), 0, id="explain"),
        pytest.param(("rules",), 0, id="rules"),
        pytest.param(("--version",), 0, id="version"),
    ],
)
def test_local_commands_do_not_import_the_app_stack(
    argv: tuple[str, ...], exit_code: int, dockerfile: Path
) -> None:
    code, loaded = _probe(*(a.format(file=dockerfile) for a in argv))
    assert code == exit_code
    assert loaded == []


def test_app_command_imports_its_stack() -> None:
    # The probe sees the stack when it is loaded: scan-org without settings fails (exit 2)
    # after importing what it needs.
    code, loaded = _probe("scan-org", "--org", "acme", "--dry-run")
    assert code == 2
    assert {"bot.github", "bot.store", "sqlalchemy", "structlog"} <= set(loaded)


def test_verbose_check_logs_through_structlog(dockerfile: Path) -> None:
    # Lazy logging still logs: -v makes the first info event import structlog.
    code, loaded = _probe("check", "-v", str(dockerfile))
    assert (code, loaded) == (1, ["structlog"])
