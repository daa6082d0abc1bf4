"""bot.discover: which files are Dockerfiles, walking, excludes, roots and build contexts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.discover import (
    Excludes,
    build_context,
    context_dir,
    discover,
    find_root,
    glob_to_regex,
    is_dockerfile_name,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dockerfile", True),
        ("Dockerfile.prod", True),
        ("Dockerfile.dev.arm64", True),
        ("api.Dockerfile", True),
        ("api.dockerfile", True),
        ("Containerfile", True),
        ("Containerfile.builder", True),
        ("Dockerfile.", False),
        (".dockerfile", False),
        ("dockerfile", False),
        ("Dockerfiles", False),
        ("Dockerfile_old", False),
        ("Makefile", False),
        (".dockerignore", False),
        ("docker-compose.yml", False),
    ],
)
def test_names(name: str, expected: bool) -> None:
    assert is_dockerfile_name(name) is expected


@pytest.mark.parametrize(
    ("glob", "matches", "no_match"),
    [
        ("testdata", ["testdata", "a/testdata", "a/b/testdata"], ["testdata2", "a/xtestdata"]),
        ("/testdata", ["testdata"], ["a/testdata"]),
        (
            "docs/*.Dockerfile",
            ["docs/x.Dockerfile"],
            ["docs/a/x.Dockerfile", "a/docs/x.Dockerfile"],
        ),
        ("**/legacy/**", ["legacy/x", "a/legacy/b/c"], ["legacy", "alegacy/x"]),
        (
            "build/**/Dockerfile",
            ["build/Dockerfile", "build/a/b/Dockerfile"],
            ["a/build/Dockerfile"],
        ),
        ("Dockerfile.?", ["Dockerfile.a", "x/Dockerfile.b"], ["Dockerfile.ab"]),
        ("Dockerfile.[!a]*", ["Dockerfile.bc"], ["Dockerfile.ab"]),
        ("*.dockerfile", ["x.dockerfile", "a/b/x.dockerfile"], ["x.Dockerfile"]),
    ],
)
def test_globs(glob: str, matches: list[str], no_match: list[str]) -> None:
    rx = glob_to_regex(glob)
    for m in matches:
        assert rx.fullmatch(m), (glob, m)
    for m in no_match:
        assert not rx.fullmatch(m), (glob, m)


def test_dir_only_glob() -> None:
    ex = Excludes.compile(["examples/"])
    assert ex.match("examples", is_dir=True) == "examples/"
    assert ex.match("examples", is_dir=False) is None


def _tree(root: Path, files: list[str]) -> None:
    for f in files:
        p = root / f
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("FROM golang:1.22\n")


def _displays(paths: list[str], **kw: object) -> list[str]:
    return [t.display for t in discover(paths, **kw)]  # type: ignore[arg-type]


def test_walk_finds_names_skips_dirs_and_sorts(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        [
            "Dockerfile",
            "svc/b/Dockerfile.prod",
            "svc/a/api.Dockerfile",
            "svc/a/Containerfile",
            "svc/a/README.md",
            ".git/Dockerfile",
            "vendor/x/Dockerfile",
            "node_modules/y/Dockerfile",
            "deep/vendor/Dockerfile",
        ],
    )
    root = tmp_path.as_posix()
    assert _displays([root]) == [
        f"{root}/Dockerfile",
        f"{root}/svc/a/Containerfile",
        f"{root}/svc/a/api.Dockerfile",
        f"{root}/svc/b/Dockerfile.prod",
    ]


def test_relative_display_and_dedup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["Dockerfile", "sub/Dockerfile"])
    monkeypatch.chdir(tmp_path)
    assert _displays([".", "sub", "sub/Dockerfile", "./Dockerfile"]) == [
        "Dockerfile",
        "sub/Dockerfile",
    ]


def test_explicit_file_taken_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["build/image.txt", "vendor/Dockerfile"])
    monkeypatch.chdir(tmp_path)
    assert _displays(["build/image.txt", "vendor/Dockerfile", "missing/Dockerfile"]) == [
        "build/image.txt",
        "missing/Dockerfile",
        "vendor/Dockerfile",
    ]


def test_excludes_relative_to_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(
        tmp_path,
        [
            "Dockerfile",
            "testdata/Dockerfile",
            "svc/testdata/Dockerfile",
            "legacy/old/Dockerfile",
            "svc/Dockerfile.ci",
            "svc/Dockerfile.prod",
        ],
    )
    monkeypatch.chdir(tmp_path)
    root = tmp_path.resolve()
    ex = {root: Excludes.compile(["testdata/", "/legacy/**", "svc/Dockerfile.ci"])}
    assert _displays(["."], excludes_for=ex) == ["Dockerfile", "svc/Dockerfile.prod"]


def test_symlinked_dirs_never_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["app/Dockerfile", "outside/Dockerfile.shared"])
    (tmp_path / "app" / "self").symlink_to(".")
    (tmp_path / "app" / "up").symlink_to("..")
    (tmp_path / "app" / "shared").symlink_to("../outside")
    monkeypatch.chdir(tmp_path)
    # every real directory is entered once, whichever name reaches it first
    assert _displays(["app"]) == ["app/Dockerfile", "app/shared/Dockerfile.shared"]


def test_bad_entries_are_returned_for_reporting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Dockerfile").mkdir()
    (tmp_path / "Dockerfile" / "Dockerfile").write_text("FROM golang\n")
    (tmp_path / "loop.Dockerfile").symlink_to("loop.Dockerfile")
    os.mkfifo(tmp_path / "Containerfile")
    monkeypatch.chdir(tmp_path)
    assert _displays(["."]) == [
        "Containerfile",
        "Dockerfile",
        "Dockerfile/Dockerfile",
        "loop.Dockerfile",
    ]


def test_unlistable_dir_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["Dockerfile", "locked/Dockerfile"])
    monkeypatch.chdir(tmp_path)
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr("bot.discover.os.scandir", scandir)
    errors: list[tuple[str, str]] = []
    assert _displays(["."], errors=errors) == ["Dockerfile"]
    assert errors == [("locked", "permission denied")]


def test_find_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "svc" / "api").mkdir(parents=True)
    assert find_root(repo / "svc" / "api") == ((repo / "svc" / "api").resolve(), None)
    (repo / ".gocomply.yml").write_text("scope: all\n")
    assert find_root(repo / "svc" / "api") == (repo.resolve(), repo.resolve() / ".gocomply.yml")
    # the search stops at the repository root: a config above it is not this repo's
    (tmp_path / ".gocomply.yml").write_text("scope: all\n")
    (repo / ".gocomply.yml").unlink()
    assert find_root(repo / "svc")[1] is None


def test_context_is_nearest_go_mod(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    _tree(repo, ["build/docker/Dockerfile", "tools/Dockerfile", "tools/go.mod"])
    (repo / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    (repo / "go.sum").write_text("")
    (repo / "vendor").mkdir()
    (repo / "vendor" / "modules.txt").write_text("# x\n")
    (repo / ".dockerignore").write_text(".git\n")
    assert context_dir(repo / "build/docker/Dockerfile", repo) == repo.resolve()
    assert context_dir(repo / "tools/Dockerfile", repo) == (repo / "tools").resolve()
    ctx = build_context(context_dir(repo / "build/docker/Dockerfile", repo))
    assert ctx.known
    assert ctx.files == frozenset({"go.mod", "go.sum", "vendor/modules.txt"})
    assert ctx.dockerignore == ".git\n"
    assert ctx.go_mod == "module example.com/x\n\ngo 1.22\n"


def test_context_without_go_mod_is_the_dockerfile_dir(tmp_path: Path) -> None:
    _tree(tmp_path, ["a/b/Dockerfile"])
    assert context_dir(tmp_path / "a/b/Dockerfile", tmp_path) == (tmp_path / "a/b").resolve()
    ctx = build_context(tmp_path / "a/b")
    assert ctx.known and ctx.files == frozenset() and ctx.dockerignore is None


def test_build_context_sees_go_work_files(tmp_path: Path) -> None:
    from bot.discover import build_context as context_of

    for name in ("go.mod", "go.sum", "go.work", "go.work.sum"):
        (tmp_path / name).write_text("", encoding="utf-8")
    bc = context_of(tmp_path)
    assert bc.has("go.work") and bc.has("go.work.sum")
    (tmp_path / "go.work").unlink()
    assert not context_of(tmp_path).has("go.work")
