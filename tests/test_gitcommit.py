"""bot.gitcommit and ``gocomply fix --commit`` in real temporary git repositories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import git
import pytest

import bot.gitcommit as gitcommit
from bot import cli
from bot.gitcommit import SUBJECT_MAX, commit_message, rule_families
from rewriters import engine
from rewriters.document import Document
from rewriters.edits import Edit, Span
from rewriters.findings import Finding
from rewriters.registry import Fix, Rule, RuleDoc, Violation
from tests.catalogue import WITHOUT_GC2, machinery_rules

BAD = b"FROM golang:1.22\r\nENV GOPROXY=direct\r\nRUN go build -o /app .\r\n"
FIXED = b"FROM golang:1.22\r\nRUN go build -o /app .\r\n"


def _f(code: str, line: int, desc: str) -> Finding:
    fix = Fix((Edit(Span(0, 1), ""),), desc)
    return Finding(code, "x", "error", line, line, 1, 2, "m", True, True, fix)


def test_message_single_rule() -> None:
    msg = commit_message(
        ["GC105"],
        {
            "svc/Dockerfile": [_f("GC105", 4, "`GOSUMDB=off` removed"),
                               _f("GC105", 2, "`GOPROXY=direct` removed")],
            "Dockerfile": [_f("GC105", 3, "`GOPROXY=direct` → `https://proxy.corp.example`")],
        },
    )  # fmt: skip
    lines = msg.splitlines()
    assert lines[0] == "fix(docker): restore Go module proxy and checksum verification (GC105)"
    assert lines[1] == ""
    assert lines[2] == "Rules:"
    assert lines[3].startswith("- GC105 goproxy-bypass: ")
    assert lines[4:] == [
        "",
        "Changes:",
        "- Dockerfile:3: `GOPROXY=direct` → `https://proxy.corp.example` (GC105)",
        "- svc/Dockerfile:2: `GOPROXY=direct` removed (GC105)",
        "- svc/Dockerfile:4: `GOSUMDB=off` removed (GC105)",
    ]
    assert msg.endswith("\n")


@pytest.mark.parametrize(
    ("codes", "subject"),
    [
        (["GC105", "GC102"], "fix(docker): remove dangerous Go build settings (GC102, GC105)"),
        (["GC206", "GC201"], "fix(docker): apply safe Go build practices (GC201, GC206)"),
        (["GC105", "GC201"], "fix(docker): fix Go build findings (GC105, GC201)"),
        (["GC102"], "fix(docker): stop overriding GOROOT (GC102)"),
        (["GC999"], "fix(docker): fix Dockerfile findings (GC999)"),
        (
            ["GC101", "GC102", "GC103", "GC104", "GC105", "GC106", "GC107"],
            "fix(docker): remove dangerous Go build settings (GC1xx)",
        ),
    ],
)
def test_subjects(codes: list[str], subject: str) -> None:
    first = commit_message(codes, {}).splitlines()[0]
    assert first == subject
    assert len(first) <= SUBJECT_MAX


def test_message_is_deterministic() -> None:
    a = commit_message(["GC105"], {"b": [_f("GC105", 1, "x")], "a": [_f("GC105", 1, "y")]})
    b = commit_message(["GC105"], {"a": [_f("GC105", 1, "y")], "b": [_f("GC105", 1, "x")]})
    assert a == b


# --------------------------------------------------------------------------- real repositories


def _init(path: Path) -> git.Repo:
    repo = git.Repo.init(path, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "Test")
        cw.set_value("user", "email", "test@example.invalid")
        cw.set_value("core", "autocrlf", "false")
        cw.set_value("commit", "gpgsign", "false")
    return repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    r = _init(tmp_path)
    (tmp_path / "Dockerfile").write_bytes(BAD)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_bytes(b"FROM golang:1.22\nRUN go build .\n")
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    r.git.add(".")
    r.git.commit("-m", "initial")
    monkeypatch.chdir(tmp_path)
    return r


def test_fix_commit_creates_branch_and_commit(
    repo: git.Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["fix", *WITHOUT_GC2, "--commit", "."])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    assert repo.active_branch.name == "gocomply/remediate"
    commits = list(repo.iter_commits("main..gocomply/remediate"))
    assert len(commits) == 1
    c = commits[0]
    assert c.message.splitlines()[0] == (
        "fix(docker): restore Go module proxy and checksum verification (GC105)"
    )
    assert "- Dockerfile:2: `GOPROXY=direct` removed (GC105)" in str(c.message).splitlines()
    assert sorted(c.stats.files) == ["Dockerfile"]
    assert (tmp_path / "Dockerfile").read_bytes() == FIXED
    assert c.tree["Dockerfile"].data_stream.read() == FIXED  # CRLF committed as written
    assert not repo.is_dirty(untracked_files=True)
    assert out.splitlines() == [
        f"[gocomply/remediate {c.hexsha[:7]}] {c.message.splitlines()[0]}",
        "Fixed 1 finding. No findings remaining in 2 files.",
    ]


def test_refuses_dirty_tree(
    repo: git.Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("wip\n")
    assert cli.main(["fix", *WITHOUT_GC2, "--commit", "."]) == 2
    _out, err = capsys.readouterr()
    assert err == (
        "gocomply: error: the working tree has uncommitted changes (1 path); commit or stash "
        "them before `gocomply fix --commit`\n"
    )
    assert repo.active_branch.name == "main"
    assert (tmp_path / "Dockerfile").read_bytes() == BAD


def test_refuses_existing_branch_and_bad_names(
    repo: git.Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.create_head("gocomply/remediate")
    assert cli.main(["fix", *WITHOUT_GC2, "--commit", "."]) == 2
    assert "branch 'gocomply/remediate' already exists" in capsys.readouterr().err
    assert cli.main(["fix", *WITHOUT_GC2, "--commit", "--branch", "bad..name", "."]) == 2
    assert "'bad..name' is not a valid branch name" in capsys.readouterr().err
    assert repo.active_branch.name == "main"


def test_custom_branch(repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["fix", *WITHOUT_GC2, "--commit", "--branch", "fix/proxy", "."]) == 0
    assert repo.active_branch.name == "fix/proxy"


def test_nothing_to_fix_creates_no_branch(
    repo: git.Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_bytes(FIXED)
    repo.git.commit("-am", "clean")
    assert cli.main(["fix", *WITHOUT_GC2, "--commit", "."]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[0] == "Nothing to fix; branch 'gocomply/remediate' was not created."
    assert [h.name for h in repo.heads] == ["main"]


def test_not_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "Dockerfile").write_bytes(BAD)
    monkeypatch.chdir(tmp_path / "d")
    assert cli.main(["fix", *WITHOUT_GC2, "--commit", "."]) == 2
    assert "not inside a git working tree" in capsys.readouterr().err
    assert (tmp_path / "d" / "Dockerfile").read_bytes() == BAD


# A stand-in second family until the GC2xx rules land: appends a USER line when there is none.
_USER_DOC = RuleDoc("Finds final stages without USER.", "Root.", "`USER 65532`", "Safe here.")


def _user_check(doc: Document, ctx: object) -> Iterator[Violation]:
    if any(i.name == "USER" for i in doc.instructions):
        return
    end = len(doc.text)
    nl = "" if doc.text.endswith("\n") else doc.newline
    yield Violation(
        Span(end, end),
        "the final stage runs as root",
        Fix((Edit.insert(end, f"{nl}USER 65532:65532{doc.newline}"),), "`USER 65532:65532` added"),
    )


USER_RULE = Rule(
    "GC203",
    "runs-as-root",
    "warning",
    "safe",
    _user_check,
    _USER_DOC,
    "tests",
    commit="run the container as a non-root user",
    outputs="the container runs as uid 65532",
)


def test_one_commit_per_family(
    repo: git.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = (*machinery_rules(), USER_RULE)
    assert [fam for fam, _ in rule_families(catalog)] == ["GC0", "GC1", "GC2"]
    monkeypatch.setattr(cli, "all_rules", lambda: catalog)
    monkeypatch.setattr(engine, "all_rules", lambda: catalog)  # the re-check after the commits
    by_code = {r.code: r for r in catalog}
    monkeypatch.setattr(gitcommit, "find_rule", lambda code: by_code.get(code))
    assert cli.main(["fix", "--commit", "."]) == 0
    subjects = [c.message.splitlines()[0] for c in repo.iter_commits("main..HEAD")]
    assert subjects == [
        "fix(docker): run the container as a non-root user (GC203)",
        "fix(docker): restore Go module proxy and checksum verification (GC105)",
    ]
    assert (tmp_path / "Dockerfile").read_bytes() == FIXED + b"USER 65532:65532\r\n"
    assert (tmp_path / "svc" / "Dockerfile").read_bytes() == (
        b"FROM golang:1.22\nRUN go build .\nUSER 65532:65532\n"
    )
    last = next(repo.iter_commits("HEAD", max_count=1))
    assert "- svc/Dockerfile:3: `USER 65532:65532` added (GC203)" in str(last.message)
