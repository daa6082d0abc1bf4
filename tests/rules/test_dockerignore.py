"""GC208 dockerignore: whole-context copies with `.git` in the context, and the side-file fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rewriters.buildcontext import BuildContext
from rewriters.dockerignore import read_patterns
from rewriters.options import Options
from rewriters.rules.dockerignore import keeps_git_out
from tests.rules.helpers import POLICY_FOLLOWING, assert_noop, assert_report_only, run_rule

UNSAFE = Options(unsafe_fixes=("GC208",))
ROOT = Path(__file__).resolve().parents[2]
COPY_ALL = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"
MODULE = frozenset({"go.mod", "go.sum"})
NONE = BuildContext(files=MODULE, known=True, has_dockerignore=False)


def with_ignore(text: str, dir: str = "") -> BuildContext:
    return BuildContext(files=MODULE, known=True, has_dockerignore=True, dockerignore=text, dir=dir)


FIX = [
    pytest.param(COPY_ALL, NONE, None, ".git\n", id="no-dockerignore-creates-it"),
    pytest.param(COPY_ALL, with_ignore("bin\n"), "bin\n", "bin\n.git\n", id="append"),
    pytest.param(COPY_ALL, with_ignore("bin"), "bin", "bin\n.git\n", id="append-no-newline"),
    pytest.param(
        COPY_ALL, with_ignore("bin\r\n"), "bin\r\n", "bin\r\n.git\r\n", id="crlf-dockerignore"
    ),
    pytest.param(
        COPY_ALL, with_ignore(".*\n!.git\n"), ".*\n!.git\n", ".*\n!.git\n.git\n", id="re-included"
    ),
    pytest.param(
        COPY_ALL,
        with_ignore(".git\n!.git/HEAD\n"),
        ".git\n!.git/HEAD\n",
        ".git\n!.git/HEAD\n.git\n",
        id="part-re-included",
    ),
    pytest.param(
        COPY_ALL.replace("\n", "\r\n"), NONE, None, ".git\n", id="crlf-dockerfile-untouched"
    ),
    pytest.param("FROM golang:1.22\nADD . /src\n", NONE, None, ".git\n", id="add-dot"),
    pytest.param("FROM golang:1.22\nCOPY ./ /app/\n", NONE, None, ".git\n", id="copy-dot-slash"),
    pytest.param("FROM golang:1.22\nCOPY / /src\n", NONE, None, ".git\n", id="copy-root"),
    pytest.param("FROM golang:1.22\nCOPY * ./\n", NONE, None, ".git\n", id="star-wildcard"),
    pytest.param(
        'FROM golang:1.22\nCOPY [".", "/src"]\n', NONE, None, ".git\n", id="json-form-copy"
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY --chown=1000 --link . .\n", NONE, None, ".git\n", id="flags"
    ),
    pytest.param(
        "FROM golang:1.22\nRUN --mount=type=bind,target=/src go build -C /src -o /app .\n",
        NONE,
        None,
        ".git\n",
        id="bind-mount-of-the-context",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN git config --global url.x.insteadOf y\nCOPY . .\n",
        NONE,
        None,
        ".git\n",
        id="git-config-does-not-read-the-repository",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\n",
        with_ignore("bin\n", dir="svc"),
        "bin\n",
        "bin\n.git\n",
        id="context-in-a-subdirectory",
    ),
]


@pytest.mark.parametrize(("text", "bc", "before", "after"), FIX)
def test_fix(text: str, bc: BuildContext, before: str | None, after: str) -> None:
    result = run_rule("GC208", text, UNSAFE, bc)
    [finding] = [f for f in result.findings if f.code == "GC208"]
    assert finding.fix_applied and finding.severity == "info"
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert result.new_text == text  # the Dockerfile itself is never edited
    [side] = result.side_files
    assert side.path == bc.dockerignore_path
    assert (side.before, side.after) == (before, after)
    # the fixed context satisfies the rule
    fixed = bc.with_side_file(side.path, side.after)
    assert_noop("GC208", text, UNSAFE, fixed)


def test_subdirectory_context_names_its_own_file() -> None:
    result = run_rule("GC208", COPY_ALL, UNSAFE, with_ignore("bin\n", dir="svc"))
    assert [s.path for s in result.side_files] == ["svc/.dockerignore"]


POLICY_CONTEXT = with_ignore(".git\nbin/\n")

NOOP = [
    pytest.param(POLICY_FOLLOWING, POLICY_CONTEXT, id="policy-following"),
    pytest.param(COPY_ALL, with_ignore("**/.git\n"), id="double-star"),
    pytest.param(COPY_ALL, with_ignore(".git/\n"), id="trailing-slash"),
    pytest.param(COPY_ALL, with_ignore("/.git\n"), id="leading-slash"),
    pytest.param(COPY_ALL, with_ignore(".*\n"), id="dot-star"),
    pytest.param(COPY_ALL, with_ignore("*\n!go.mod\n!go.sum\n!cmd\n"), id="allow-list"),
    pytest.param(COPY_ALL, with_ignore("\ufeff# comment\r\n.git\r\n"), id="bom-crlf-comment"),
    pytest.param(
        "FROM golang:1.22\nCOPY go.mod go.sum ./\nCOPY cmd/ cmd/\nCOPY *.go ./\n",
        NONE,
        id="named-copies-only",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n"
        "FROM scratch\nCOPY --from=build . .\n",
        NONE,
        id="copy-from-a-stage",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN --mount=type=bind,from=build,target=/src true\n",
        NONE,
        id="bind-mount-of-a-stage",
    ),
    pytest.param("FROM golang:1.22\nONBUILD COPY . .\n", NONE, id="onbuild-copy"),
    pytest.param("FROM golang:1.22\nARG SRC\nCOPY $SRC .\n", NONE, id="variable-source"),
    pytest.param(COPY_ALL, BuildContext(), id="context-unknown"),
]


@pytest.mark.parametrize(("text", "bc"), NOOP)
def test_noop(text: str, bc: BuildContext) -> None:
    assert_noop("GC208", text, UNSAFE, bc)
    assert run_rule("GC208", text, UNSAFE, bc).side_files == ()


REPORT = [
    pytest.param(
        COPY_ALL,
        BuildContext(files=MODULE, known=True, has_dockerignore=True),
        "could not be read",
        id="unread",
    ),
    pytest.param(
        COPY_ALL,
        BuildContext(files=MODULE, known=True, has_dockerignore=None),
        "is not known",
        id="existence-unknown",
    ),
    pytest.param(COPY_ALL, with_ignore("[\n"), "fix the pattern first", id="malformed"),
    pytest.param(
        'FROM golang:1.22\nCOPY . .\nRUN go build -ldflags "-X main.v=$(git describe)" .\n',
        NONE,
        "line 3 runs git",
        id="git-describe",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN goreleaser build --snapshot\n",
        NONE,
        "line 3 runs git or goreleaser",
        id="goreleaser",
    ),
]


@pytest.mark.parametrize(("text", "bc", "note"), REPORT)
def test_report_only(text: str, bc: BuildContext, note: str) -> None:
    result = assert_report_only("GC208", text, UNSAFE, bc)
    [finding] = [f for f in result.findings if f.code == "GC208"]
    assert finding.note is not None and note in finding.note, finding.note
    assert result.side_files == ()


def test_engine_refuses_a_dockerignore_that_excludes_go_mod() -> None:
    """An allow-list that re-includes .git but not go.mod: appending .git would keep a file
    that drops go.mod, which the engine never writes."""
    result = run_rule("GC208", COPY_ALL, UNSAFE, with_ignore("*\n!.git\n"))
    [finding] = result.findings
    assert not finding.fix_applied and result.side_files == ()
    assert finding.note is not None and "exclude go.mod" in finding.note


def test_unsafe_fix_is_only_a_suggestion_without_opt_in() -> None:
    result = run_rule("GC208", COPY_ALL, None, NONE)
    [finding] = result.findings
    assert finding.suggestion and finding.note is not None
    assert "unsafe_fixes: [GC208]" in finding.note
    assert result.side_files == ()
    assert finding.line == 3
    assert "has no `.dockerignore`, so `COPY . .` on line 3" in finding.message


def test_reported_once_per_dockerfile() -> None:
    text = "FROM golang:1.22 AS a\nCOPY . .\nFROM golang:1.22\nADD . /src\n"
    assert [f.line for f in run_rule("GC208", text, None, NONE).findings] == [2]


@pytest.mark.parametrize(
    ("text", "out"),
    [
        (".git\n", True),
        (".git/\n", True),
        ("*\n", True),
        ("*\n!src\n", True),
        ("*\n!.git\n", False),
        (".git\n!.git/config\n", False),
        (".github\n", False),
        ("bin\n", False),
        ("", False),
    ],
)
def test_keeps_git_out(text: str, out: bool) -> None:
    assert keeps_git_out(read_patterns(text)) is out


# ------------------------------------------------------------------ through the CLI


def gocomply(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_fix_creates_the_dockerignore(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    (tmp_path / "go.sum").write_text("")
    dockerfile = COPY_ALL.replace("\n", "\r\n").encode()
    (tmp_path / "Dockerfile").write_bytes(dockerfile)
    (tmp_path / "Dockerfile.dev").write_bytes(dockerfile)

    safe = gocomply(tmp_path, "fix", "--select", "GC208", ".")
    assert not (tmp_path / ".dockerignore").exists(), safe.stderr  # unsafe: not without opt-in

    diff = gocomply(tmp_path, "fix", "--unsafe", "--select", "GC208", "--diff", ".")
    assert diff.stdout.count("+++ b/.dockerignore") == 1, diff.stdout  # two Dockerfiles, one file

    done = gocomply(tmp_path, "fix", "--unsafe", "--select", "GC208", ".")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".dockerignore").read_text() == ".git\n"
    assert (tmp_path / "Dockerfile").read_bytes() == dockerfile

    again = gocomply(tmp_path, "check", "--select", "GC208", ".")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "GC208" not in again.stdout


def test_cli_fix_appends_to_an_existing_dockerignore(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    (tmp_path / "Dockerfile").write_text(COPY_ALL)
    (tmp_path / ".dockerignore").write_text("# build output\nbin/\n")
    done = gocomply(tmp_path, "fix", "--unsafe", "--select", "GC208", ".")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".dockerignore").read_text() == "# build output\nbin/\n.git\n"


# ------------------------------------------------------------------ the App's repository pass


def test_two_dockerfiles_of_one_context_edit_the_file_once_in_the_app() -> None:
    """The App analyses a repository's Dockerfiles in turn and hands each the side files the
    earlier fixes left: the second Dockerfile sees `.git` excluded and proposes nothing."""
    from bot.config import RepoConfig
    from bot.github import TreeEntry
    from bot.scan import analyze_repo, plan_files

    entries = [
        TreeEntry("Dockerfile", "blob", "s1", "100644"),
        TreeEntry("Dockerfile.dev", "blob", "s2", "100644"),
        TreeEntry("go.mod", "blob", "s3", "100644"),
        TreeEntry(".dockerignore", "blob", "s4", "100644"),
    ]
    texts = {"Dockerfile": COPY_ALL, "Dockerfile.dev": COPY_ALL}
    config = RepoConfig(unsafe_fixes=("GC208",))
    first, second = analyze_repo(texts, plan_files(entries), config, {".dockerignore": "bin\n"})
    assert [(s.path, s.after) for s in first.side_files] == [(".dockerignore", "bin\n.git\n")]
    assert [f.code for f in first.findings if f.code == "GC208"] == ["GC208"]
    assert second.side_files == ()
    assert [f.code for f in second.findings if f.code == "GC208"] == []
    # without the opt-in both report it, and neither edits
    plain = analyze_repo(texts, plan_files(entries), RepoConfig(), {".dockerignore": "bin\n"})
    assert [[f.suggestion for f in r.findings if f.code == "GC208"] for r in plain] == [
        [True],
        [True],
    ]
    assert all(r.side_files == () for r in plain)
