"""The pure parts of a sweep: which paths matter, build contexts, per-repo analysis."""

from __future__ import annotations

from bot.config import RepoConfig
from bot.discover import Excludes
from bot.github import TreeEntry
from bot.scan import analyze_repo, context_for, excluded, needs_go_mod, plan_files

ENTRIES = [
    TreeEntry("Dockerfile", "blob", "s1", "100644"),
    TreeEntry(".gocomply.yml", "blob", "s2", "100644"),
    TreeEntry("go.mod", "blob", "s3", "100644"),
    TreeEntry("go.sum", "blob", "s4", "100644"),
    TreeEntry("svc/api/api.Dockerfile", "blob", "s5", "100644"),
    TreeEntry("svc/api/go.mod", "blob", "s6", "100644"),
    TreeEntry("svc/api/.dockerignore", "blob", "s7", "100644"),
    TreeEntry("vendor/x/Dockerfile", "blob", "s8", "100644"),
    TreeEntry("docs/Dockerfile.md", "blob", "s9", "100644"),
    TreeEntry("link/Dockerfile", "blob", "s10", "120000"),
    TreeEntry("svc", "tree", "t1", "040000"),
]


def test_plan_files_picks_dockerfiles_and_context_files() -> None:
    files = plan_files(ENTRIES)
    assert set(files.dockerfiles) == {"Dockerfile", "svc/api/api.Dockerfile", "docs/Dockerfile.md"}
    assert files.config == "s2"
    assert files.gomods == {"": "s3", "svc/api": "s6"}
    assert files.dockerignores == {"svc/api": "s7"}


def test_context_is_nearest_go_mod_or_configured() -> None:
    files = plan_files(ENTRIES)
    assert context_for("svc/api/api.Dockerfile", files) == "svc/api"
    assert context_for("docs/Dockerfile.md", files) == ""
    assert context_for("svc/api/api.Dockerfile", files, {"svc/**": "svc"}) == "svc"


def test_excluded_by_folder_or_file() -> None:
    ex = Excludes.compile(["legacy/", "**/test.Dockerfile"])
    assert excluded(ex, "legacy/a/Dockerfile")
    assert excluded(ex, "x/test.Dockerfile")
    assert not excluded(ex, "svc/Dockerfile")


def test_analyze_repo_uses_config_and_context() -> None:
    files = plan_files(ENTRIES)
    texts = {
        "Dockerfile": "FROM golang:1.22\nENV GOSUMDB=off\n",
        "docs/Dockerfile.md": "FROM nginx\n",
    }
    machinery = RepoConfig(rules=(("GC2", "off"),))  # see tests/catalogue.py
    results = analyze_repo(texts, files, machinery, {})
    by_path = {r.path: r for r in results}
    assert by_path["Dockerfile"].new_text == "FROM golang:1.22\n"
    assert by_path["docs/Dockerfile.md"].skipped == "no Go build"
    off = RepoConfig(rules=(("GC105", "off"), ("GC2", "off")))
    assert analyze_repo(texts, files, off, {})[0].findings == ()


def test_go_mod_is_only_needed_for_toolchain_rules() -> None:
    assert needs_go_mod(["FROM golang\nENV GOTOOLCHAIN=auto\n"])
    assert not needs_go_mod(["FROM golang\n"])
