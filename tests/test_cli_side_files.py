"""``gocomply fix`` with a fix that also changes the build context's .dockerignore."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import git
import pytest

from bot import cli, fsio
from rewriters import engine
from tests.side_rules import HEADER, dockerignore_rule

TEXT = "FROM golang:1.22\r\nRUN go build -o /app .\r\n"  # CRLF: bytes must survive
ONLY_IGNORE = dockerignore_rule("GC990")
BOTH = dockerignore_rule("GC990", also_dockerfile=True)
IDENT = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.22\n")
    (tmp_path / "Dockerfile").write_bytes(TEXT.encode())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine, "all_rules", lambda: (ONLY_IGNORE,))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_fix_creates_dockerignore_with_a_new_files_mode(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0o022)
    try:
        code, _, err = run(capsys, "fix", ".")
    finally:
        os.umask(old)
    assert code == 0, err
    assert (repo / ".dockerignore").read_text() == ".git\n"
    assert stat.S_IMODE((repo / ".dockerignore").stat().st_mode) == 0o644
    assert (repo / "Dockerfile").read_bytes() == TEXT.encode()
    assert sorted(p.name for p in repo.iterdir()) == [".dockerignore", "Dockerfile", "go.mod"]
    # the written context satisfies the rule: a second run changes nothing
    run(capsys, "fix", ".")
    assert (repo / ".dockerignore").read_text() == ".git\n"


def test_fix_appends_to_an_existing_dockerignore(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".dockerignore").write_text("bin\n")
    (repo / ".dockerignore").chmod(0o600)
    code, _, err = run(capsys, "fix", ".")
    assert code == 0, err
    assert (repo / ".dockerignore").read_text() == "bin\n.git\n"
    assert stat.S_IMODE((repo / ".dockerignore").stat().st_mode) == 0o600


def test_diff_shows_a_created_file_from_dev_null_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "fix", "--diff", ".")
    assert code == 0 and "Would fix 1 finding." in err
    assert out == "--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1 @@\n+.git\n"
    assert not (repo / ".dockerignore").exists()
    # the diff is one `git apply` takes: it creates the file
    (repo / "fix.patch").write_text(out)
    subprocess.run(["git", "apply", "fix.patch"], cwd=repo, check=True)
    assert (repo / ".dockerignore").read_text() == ".git\n"


def test_diff_of_a_modified_dockerignore_and_the_dockerfile(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "all_rules", lambda: (BOTH,))
    (repo / ".dockerignore").write_text("bin\n")
    _, out, _ = run(capsys, "fix", "--diff", ".")
    assert out == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,3 @@\n+"
        + HEADER
        + " FROM golang:1.22\r\n RUN go build -o /app .\r\n"
        + "--- a/.dockerignore\n+++ b/.dockerignore\n@@ -1 +1,2 @@\n bin\n+.git\n"
    )


def test_two_dockerfiles_of_one_context_propose_the_file_once(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "Dockerfile.dev").write_bytes(TEXT.encode())
    _, out, _ = run(capsys, "fix", "--diff", ".")
    assert out.count("+++ b/.dockerignore") == 1


def test_side_file_of_a_context_in_a_subdirectory(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    svc = repo / "svc"
    svc.mkdir()
    (svc / "go.mod").write_text("module y\n")
    (svc / "Dockerfile").write_bytes(TEXT.encode())
    (repo / ".dockerignore").write_text(".git\n")  # the root context is already fine
    _, out, _ = run(capsys, "fix", "--diff", "svc")
    assert out.startswith("--- /dev/null\n+++ b/svc/.dockerignore\n")
    code, _, err = run(capsys, "fix", ".")
    assert code == 0, err
    assert (svc / ".dockerignore").read_text() == ".git\n"


def test_a_failed_write_leaves_no_file_half_written(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "all_rules", lambda: (BOTH,))
    real = fsio._prepare

    def fail_on_ignore(target: Path, data: bytes) -> str:
        if target.name == ".dockerignore":
            raise PermissionError(13, "Permission denied")
        return real(target, data)

    monkeypatch.setattr(fsio, "_prepare", fail_on_ignore)
    code, _, err = run(capsys, "fix", ".")
    assert code == 2
    assert "Dockerfile: error: could not write the fix: permission denied" in err
    assert (repo / "Dockerfile").read_bytes() == TEXT.encode()  # not replaced either
    assert sorted(p.name for p in repo.iterdir()) == ["Dockerfile", "go.mod"]  # no temporaries


def test_fix_commit_commits_the_created_dockerignore(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rewriters import registry

    registry.all_rules()
    rule = BOTH
    monkeypatch.setattr(registry, "_REGISTRY", {rule.code: rule})
    monkeypatch.setattr(engine, "all_rules", registry.all_rules)
    g = git.Repo.init(repo)
    g.git.add("-A")
    g.git.commit("-m", "init", env={**os.environ, **IDENT})
    for key, value in IDENT.items():
        monkeypatch.setenv(key, value)
    code, out, err = run(capsys, "fix", "--commit", ".")
    assert code == 0, err
    assert out.startswith("[gocomply/remediate ")
    files = sorted(g.head.commit.stats.files)
    assert files == [".dockerignore", "Dockerfile"]
    assert g.git.show("HEAD:.dockerignore") == ".git"
    assert not g.is_dirty(untracked_files=True)
