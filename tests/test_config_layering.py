"""bot.config layering: precedence, opt-in/opt-out decisions, hashes, built-in defaults."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import (
    OrgConfig,
    OrgResolver,
    PRConfig,
    RepoConfig,
    builtin_defaults,
    config_hash,
    effective_config,
    merge_layers,
    org_settings,
    parse_org_config,
    parse_repo_config,
    repo_enabled,
    to_data,
)
from bot.github import Repo

ROOT = Path(__file__).resolve().parents[1]
ORG_PATH = ".github/gocomply.yml"
DEFAULTS = "defaults (config/defaults.yml)"
ORG = f"org ({ORG_PATH})"
REPO = "repo (.gocomply.yml)"


def org(text: str | None) -> OrgConfig | None:
    return None if text is None else parse_org_config(text, ORG_PATH)


def repo(text: str | None) -> RepoConfig | None:
    return None if text is None else parse_repo_config(text, ".gocomply.yml")


# --------------------------------------------------------------------------- precedence

PRECEDENCE = [
    # (org file, repo file, repo name, key, expected value, layer that set it)
    pytest.param(None, None, "api", "labels", ("gocomply", "security"), DEFAULTS, id="defaults"),
    pytest.param(None, None, "api", "pr.draft", False, DEFAULTS, id="defaults-nested"),
    pytest.param("labels: [x]\n", None, "api", "labels", ("x",), ORG, id="org-over-defaults"),
    pytest.param(
        "labels: [x]\nrepos: {api: {labels: [y]}}\n",
        None,
        "api",
        "labels",
        ("y",),
        f"{ORG} repos.api",
        id="entry-over-org",
    ),
    pytest.param(
        "labels: [x]\nrepos: {web: {labels: [y]}}\n",
        None,
        "api",
        "labels",
        ("x",),
        ORG,
        id="other-entry-ignored",
    ),
    pytest.param(
        "repos: {'API*': {labels: [y]}}\n",
        None,
        "api-gw",
        "labels",
        ("y",),
        f"{ORG} repos.API*",
        id="entry-glob-case-insensitive",
    ),
    pytest.param(
        "repos: {'a*': {labels: [first]}, api: {labels: [second]}, '*': {scope: all}}\n",
        None,
        "api",
        "labels",
        ("second",),
        f"{ORG} repos.api",
        id="entries-in-file-order",
    ),
    pytest.param(
        "repos: {api: {labels: [second]}, 'a*': {labels: [first]}}\n",
        None,
        "api",
        "labels",
        ("first",),
        f"{ORG} repos.a*",
        id="entries-in-file-order-reversed",
    ),
    pytest.param(
        "labels: [x]\nrepos: {api: {labels: [y]}}\n",
        "labels: [z]\n",
        "api",
        "labels",
        ("z",),
        REPO,
        id="repo-over-entry",
    ),
    pytest.param(
        "disable_repo_override: true\nlabels: [x]\n",
        "labels: [z]\n",
        "api",
        "labels",
        ("x",),
        ORG,
        id="repo-ignored-disable_repo_override",
    ),
    pytest.param(
        "goproxy: https://goproxy.acme.example\n",
        "goproxy: null\n",
        "api",
        "goproxy",
        None,
        REPO,
        id="null-resets",
    ),
    pytest.param(
        "exclude: [a/, b/]\n",
        "exclude: [c/]\n",
        "api",
        "exclude",
        ("c/",),
        REPO,
        id="lists-replace",
    ),
    pytest.param(
        "contexts: {'x/Dockerfile': x, 'y/Dockerfile': y}\n",
        "contexts: {'z/Dockerfile': .}\n",
        "api",
        "contexts",
        (("z/Dockerfile", ""),),
        REPO,
        id="contexts-replace",
    ),
    pytest.param(
        "pr: {draft: true}\n",
        "pr: {title_prefix: 'chore:'}\n",
        "api",
        "pr.draft",
        True,
        ORG,
        id="pr-merges-per-key-org",
    ),
    pytest.param(
        "pr: {draft: true}\n",
        "pr: {title_prefix: 'chore:'}\n",
        "api",
        "pr.title_prefix",
        "chore:",
        REPO,
        id="pr-merges-per-key-repo",
    ),
    pytest.param(
        "pr: {draft: true}\n",
        "pr: {title_prefix: 'chore:'}\n",
        "api",
        "pr.branch_prefix",
        "gocomply/",
        DEFAULTS,
        id="pr-merges-per-key-defaults",
    ),
    pytest.param(
        "rules: {GC105: error}\n",
        "rules: {goproxy-bypass: info}\n",
        "api",
        "rules.GC105",
        "info",
        REPO,
        id="rules-by-name-over-code",
    ),
]


@pytest.mark.parametrize(("org_text", "repo_text", "name", "key", "value", "layer"), PRECEDENCE)
def test_precedence(
    org_text: str | None,
    repo_text: str | None,
    name: str,
    key: str,
    value: object,
    layer: str,
) -> None:
    cfg = effective_config(builtin_defaults(), org(org_text), name, repo(repo_text))
    head, _, tail = key.partition(".")
    got = getattr(cfg, head)
    if tail and head == "pr":
        got = getattr(got, tail)
    elif tail:
        got = dict(got)[tail]
    assert got == value
    assert cfg.origin(key) == layer


def test_rules_merge_per_code_across_layers() -> None:
    low = RepoConfig(rules=(("GC105", "error"), ("GC900", "warning")), source="low")
    high = RepoConfig(rules=(("GC900", "off"),), source="high")
    merged = merge_layers([("low", low), ("high", high)])
    assert merged.rules == (("GC105", "error"), ("GC900", "off"))
    assert (merged.origin("rules.GC105"), merged.origin("rules.GC900")) == ("low", "high")
    assert merged.source == "high"


def test_only_explicit_keys_are_taken() -> None:
    low = parse_repo_config("scope: all\nlabels: [a]\n", "low")
    high = parse_repo_config("labels: [b]\n", "high")
    merged = merge_layers([("low", low), ("high", high)])
    assert (merged.scope, merged.labels) == ("all", ("b",))
    assert merged.explicit == {"scope", "labels"}
    assert low.layered(high) == merged  # the older name for a two-layer merge


def test_effective_config_is_complete_and_every_key_has_an_origin() -> None:
    cfg = effective_config(builtin_defaults(), None, "api", None)
    keys = set(to_data(cfg)) - {"enabled"}
    origins = {k.split(".")[0] for k, _ in cfg.origins}
    assert keys <= origins


def test_org_settings_layer_on_defaults() -> None:
    settings = org_settings(builtin_defaults(), org("opt_out_forks: false\nlabels: [x]\n"))
    assert settings.opt_out_forks is False
    assert settings.opt_out_archived is True  # from the defaults
    assert settings.max_new_prs_per_hour == 10
    assert settings.defaults.labels == ("x",)
    assert settings.defaults.scope == "go"
    assert settings.origin("opt_out_forks") == ORG
    assert settings.origin("max_new_prs_per_hour") == DEFAULTS
    assert settings.origin("labels") == ORG


# --------------------------------------------------------------------------- opt-in / opt-out

ENABLED = [
    # (org file, repo file, name, fork, archived, enabled, reason)
    pytest.param(
        None,
        None,
        "api",
        False,
        False,
        True,
        "enabled by org opt_out_strategy (every repository unless opted out)",
        id="default-opt-out-strategy",
    ),
    pytest.param(
        "opt_out_repos: ['legacy-*']\n",
        None,
        "Legacy-API",
        False,
        False,
        False,
        "opted out by org opt_out_repos 'legacy-*'",
        id="opt_out_repos-case-insensitive",
    ),
    pytest.param(
        None,
        None,
        "api",
        True,
        False,
        False,
        "fork (org opt_out_forks; set it to false to include forks)",
        id="fork-skipped",
    ),
    pytest.param(
        "opt_out_forks: false\n",
        None,
        "api",
        True,
        False,
        True,
        "enabled by org opt_out_strategy (every repository unless opted out)",
        id="forks-opted-in",
    ),
    pytest.param(
        None,
        None,
        "api",
        False,
        True,
        False,
        "archived repository (org opt_out_archived)",
        id="archived-skipped",
    ),
    pytest.param(
        "opt_out_strategy: false\nopt_in_repos: [api]\n",
        "enabled: true\n",
        "api",
        False,
        True,
        False,
        "archived repository (org opt_out_archived)",
        id="archived-skipped-even-if-opted-in",
    ),
    pytest.param(
        None,
        "enabled: false\n",
        "api",
        False,
        False,
        False,
        "opted out by .gocomply.yml (enabled: false)",
        id="repo-opts-out",
    ),
    pytest.param(
        "opt_out_strategy: false\nopt_in_repos: ['*']\n",
        "enabled: false\n",
        "api",
        False,
        False,
        False,
        "opted out by .gocomply.yml (enabled: false)",
        id="repo-opts-out-of-an-org-opt-in",
    ),
    pytest.param(
        "opt_out_strategy: false\n",
        None,
        "api",
        False,
        False,
        False,
        "not opted in (the org uses opt-in: list it in opt_in_repos or set `enabled: true`)",
        id="opt-in-strategy-not-listed",
    ),
    pytest.param(
        "opt_out_strategy: false\nopt_in_repos: ['svc-*']\n",
        None,
        "svc-api",
        False,
        False,
        True,
        "opted in by org opt_in_repos 'svc-*'",
        id="opt_in_repos",
    ),
    pytest.param(
        "opt_out_strategy: false\n",
        "enabled: true\n",
        "api",
        False,
        False,
        True,
        "opted in by .gocomply.yml (enabled: true)",
        id="repo-opts-in",
    ),
    pytest.param(
        "opt_out_strategy: false\nopt_in_repos: ['svc-*']\nopt_out_repos: [svc-old]\n",
        None,
        "svc-old",
        False,
        False,
        False,
        "opted out by org opt_out_repos 'svc-old'",
        id="opt-out-beats-opt-in",
    ),
    pytest.param(
        "opt_out_repos: ['legacy-*']\n",
        "enabled: true\n",
        "legacy-api",
        False,
        False,
        False,
        "opted out by org opt_out_repos 'legacy-*' (`enabled: true` in the repository cannot "
        "undo it)",
        id="repo-cannot-undo-org-opt-out",
    ),
    pytest.param(
        "opt_out_repos: ['legacy-*']\nrepos: {legacy-billing: {enabled: true}}\n",
        None,
        "legacy-billing",
        False,
        False,
        True,
        "opted in by org repos entry 'legacy-billing'",
        id="entry-beats-org-lists",
    ),
    pytest.param(
        "repos: {'svc-*': {enabled: false}}\n",
        None,
        "svc-a",
        False,
        False,
        False,
        "opted out by org repos entry 'svc-*'",
        id="entry-opts-out",
    ),
    pytest.param(
        "repos: {'svc-*': {enabled: false}, svc-a: {enabled: true}}\n",
        None,
        "svc-a",
        False,
        False,
        True,
        "opted in by org repos entry 'svc-a'",
        id="last-matching-entry-wins",
    ),
    pytest.param(
        "repos: {'svc-*': {labels: [x]}}\nopt_out_repos: [svc-a]\n",
        None,
        "svc-a",
        False,
        False,
        False,
        "opted out by org opt_out_repos 'svc-a'",
        id="entry-without-enabled-says-nothing",
    ),
    pytest.param(
        "disable_repo_override: true\n",
        "enabled: false\n",
        "api",
        False,
        False,
        True,
        "enabled by org opt_out_strategy (every repository unless opted out) (.gocomply.yml "
        "`enabled: false` ignored: org sets disable_repo_override)",
        id="disable_repo_override-ignores-opt-out",
    ),
    pytest.param(
        "disable_repo_override: true\nopt_out_strategy: false\n",
        "enabled: true\n",
        "api",
        False,
        False,
        False,
        "not opted in (the org uses opt-in: list it in opt_in_repos or set `enabled: true`) "
        "(.gocomply.yml `enabled: true` ignored: org sets disable_repo_override)",
        id="disable_repo_override-ignores-opt-in",
    ),
]


@pytest.mark.parametrize(
    ("org_text", "repo_text", "name", "fork", "archived", "enabled", "reason"), ENABLED
)
def test_repo_enabled(
    org_text: str | None,
    repo_text: str | None,
    name: str,
    fork: bool,
    archived: bool,
    enabled: bool,
    reason: str,
) -> None:
    got = repo_enabled(
        org(org_text), name, fork=fork, archived=archived, repo_layer=repo(repo_text)
    )
    assert got == (enabled, reason)


# --------------------------------------------------------------------------- the scanner's resolver


def _repo(name: str, *, fork: bool = False, archived: bool = False, disabled: bool = False) -> Repo:
    return Repo(1, "acme", name, "main", archived=archived, fork=fork, disabled=disabled)


def test_resolver_skips_early_only_when_the_repo_file_cannot_matter() -> None:
    r = OrgResolver(org("opt_out_repos: [old]\n"))
    assert r.skip_reason(_repo("api", disabled=True)) == "disabled repository"
    assert r.skip_reason(_repo("api", fork=True)) is not None
    assert r.skip_reason(_repo("old")) == "opted out by org opt_out_repos 'old'"
    assert r.skip_reason(_repo("api")) is None  # enabled, but its file may opt out
    opt_in = OrgResolver(org("opt_out_strategy: false\n"))
    assert opt_in.skip_reason(_repo("api")) is None  # its file may opt in
    central = OrgResolver(org("opt_out_strategy: false\ndisable_repo_override: true\n"))
    assert central.skip_reason(_repo("api")) is not None


def test_resolver_decides_with_the_repo_file() -> None:
    r = OrgResolver(org("labels: [x]\n"))
    d = r.decide(_repo("api"), "labels: [y]\n")
    assert d.enabled and d.config is not None and d.config.labels == ("y",)
    assert d.config_hash == config_hash(d.config)
    assert d.config_hash != r.decide(_repo("api"), None).config_hash
    off = r.decide(_repo("api"), "enabled: false\n")
    assert (off.enabled, off.reason) == (False, "opted out by .gocomply.yml (enabled: false)")
    bad = r.decide(_repo("api"), "exlude: [x]\n")
    assert not bad.enabled and bad.error is not None
    assert bad.reason == ".gocomply.yml:1: exlude: unknown key (did you mean `exclude`?)"


def test_resolver_ignores_the_repo_file_entirely_under_disable_repo_override() -> None:
    r = OrgResolver(org("disable_repo_override: true\n"))
    d = r.decide(_repo("api"), "not: [valid\n")
    assert d.enabled and d.error is None


def test_org_hash_tracks_the_org_config() -> None:
    a = OrgResolver(org("labels: [x]\n")).org_hash()
    assert a == OrgResolver(org("labels: [x]  # same\n")).org_hash()
    assert a != OrgResolver(org("labels: [y]\n")).org_hash()
    assert OrgResolver(None).org_hash() == OrgResolver(org("")).org_hash()


# --------------------------------------------------------------------------- hashing


def test_hash_ignores_provenance_and_sees_every_value() -> None:
    a = parse_repo_config("scope: all\n", "a")
    b = dataclasses.replace(parse_repo_config("scope: all\n", "b"), origins=(("x", "y"),))
    assert config_hash(a) == config_hash(b)
    assert config_hash(a) != config_hash(parse_repo_config("scope: go\n"))
    ab = parse_repo_config("contexts: {a: a, b: b}\n")
    ba = parse_repo_config("contexts: {b: b, a: a}\n")
    assert config_hash(ab) != config_hash(ba)  # first match wins: order is meaning
    assert config_hash(RepoConfig()) != config_hash(OrgConfig())
    assert len(config_hash(a)) == 64


def test_hash_is_stable_across_processes() -> None:
    code = (
        "from bot.config import *; "
        "print(config_hash(effective_config(builtin_defaults(), None, 'api', None)))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for _ in range(2)
    }
    here = config_hash(effective_config(builtin_defaults(), None, "api", None))
    assert runs == {here + "\n"}


# --------------------------------------------------------------------------- built-in defaults


def test_packaged_defaults_are_the_canonical_file() -> None:
    canonical = (ROOT / "config" / "defaults.yml").read_bytes()
    packaged = (ROOT / "bot" / "data" / "defaults.yml").read_bytes()
    assert packaged == canonical, "run `python -m bot.config --sync-defaults`"


def test_defaults_set_every_key() -> None:
    d = builtin_defaults()
    org_keys = {f.name for f in dataclasses.fields(OrgConfig)} - {"source", "explicit", "origins"}
    repo_keys = {f.name for f in dataclasses.fields(RepoConfig)} - {
        "source",
        "explicit",
        "origins",
        "enabled",
    }
    pr_keys = {f.name for f in dataclasses.fields(PRConfig)} - {"source", "explicit", "origins"}
    assert d.explicit == org_keys
    assert d.defaults.explicit == repo_keys
    assert d.defaults.pr.explicit == pr_keys


def test_defaults_agree_with_the_local_cli() -> None:
    # `gocomply check` runs without the defaults layer: what rules see must be the same.
    d = builtin_defaults().defaults
    blank = RepoConfig()
    for key in ("exclude", "scope", "rules", "unsafe_fixes", "contexts"):
        assert getattr(d, key) == getattr(blank, key), key
    assert d.options() == blank.options()


def test_defaults_are_found_in_an_installed_package(tmp_path: Path) -> None:
    pytest.importorskip("setuptools", reason="builds the package with setuptools' build_py")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for pkg in ("bot", "rewriters"):
        shutil.copytree(ROOT / pkg, src / pkg, ignore=ignore)
    lib = tmp_path / "lib"
    setup = "from setuptools import setup; setup()"
    subprocess.run(
        [sys.executable, "-W", "ignore", "-c", setup, "-q", "build_py", "-d", str(lib)],
        cwd=src,
        check=True,
        capture_output=True,
    )
    assert (lib / "bot" / "data" / "defaults.yml").read_bytes() == (
        ROOT / "config" / "defaults.yml"
    ).read_bytes()
    probe = (
        "import bot.config as c; "
        f"assert c.__file__.startswith({str(lib)!r}), c.__file__; "
        "print(c.builtin_defaults().max_new_prs_per_hour)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(lib)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == "10\n"
