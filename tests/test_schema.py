"""config/*.schema.json: generated from the model, never drifting, agreeing with the parser."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from bot.config import (
    ConfigError,
    OrgConfig,
    PRConfig,
    RepoConfig,
    Spec,
    generated_files,
    org_schema,
    parse_org_config,
    parse_repo_config,
    repo_schema,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "config" / "examples").glob("*.yml"))
REPO_SCHEMA = "gocomply.schema.json"
ORG_SCHEMA = "gocomply-org.schema.json"


def _validator(schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema)


REPO = _validator(repo_schema())
ORG = _validator(org_schema())


def test_checked_in_schemas_are_up_to_date() -> None:
    stale = [
        rel
        for rel, content in generated_files().items()
        if not (ROOT / rel).exists() or (ROOT / rel).read_text(encoding="utf-8") != content
    ]
    assert not stale, f"regenerate with `python -m bot.config --write-schema`: {stale}"


@pytest.mark.parametrize("schema", [repo_schema(), org_schema()], ids=["repo", "org"])
def test_schemas_are_valid_draft_07(schema: dict[str, Any]) -> None:
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k == "pattern" and isinstance(v, str)]
        return found + [p for v in node.values() for p in _patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


def test_patterns_read_the_same_in_python_and_ecmascript() -> None:
    # Editors evaluate the patterns as ECMA-262 regexes, jsonschema and the parser as Python's.
    for pattern in set(_patterns(repo_schema())) | set(_patterns(org_schema())):
        re.compile(pattern)
        assert "$" not in pattern, pattern  # Python's `$` also matches before a final newline
        for python_only in ("(?P", r"\A", r"\Z", "(?i", "(?#", "(?x"):
            assert python_only not in pattern, pattern


def test_schemas_document_every_key() -> None:
    props = repo_schema()["properties"]
    names = {f.name for f in dataclasses.fields(RepoConfig)}
    assert set(props) == names - {"source", "explicit", "origins"}
    for name, prop in props.items():
        assert prop["description"], name
    assert props["labels"]["default"] == ["gocomply", "security"]
    assert props["pr"]["properties"]["branch_prefix"]["default"] == "gocomply/"
    assert "GC105" in props["rules"]["properties"]
    assert "goproxy-bypass" in props["rules"]["properties"]
    org_props = org_schema()["properties"]
    assert "enabled" not in org_props
    assert {"opt_out_strategy", "repos", "labels"} <= set(org_props)
    assert "enabled" in org_props["repos"]["additionalProperties"]["properties"]


# --------------------------------------------------------------------------- examples


def test_every_example_is_named_for_its_schema() -> None:
    assert EXAMPLES
    for path in EXAMPLES:
        assert path.name.startswith(("repo-", "org-")), path.name


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_validates_and_parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    org = path.name.startswith("org-")
    schema_name = ORG_SCHEMA if org else REPO_SCHEMA
    first = text.splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../{schema_name}"
    assert (path.parent / ".." / schema_name).resolve().exists()
    errors = [e.message for e in (ORG if org else REPO).iter_errors(yaml.safe_load(text))]
    assert errors == []
    (parse_org_config if org else parse_repo_config)(text, path.name)


def test_defaults_file_validates_against_the_org_schema() -> None:
    text = (ROOT / "config" / "defaults.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=gocomply-org.schema.json\n")
    assert list(ORG.iter_errors(yaml.safe_load(text))) == []


# --------------------------------------------------------------------------- parity

WRONG: list[object] = [
    1,
    1.5,
    -3,
    True,
    False,
    None,
    "",
    "x",
    " x",
    "a\nb",
    "https://proxy.example",
    "off",
    "0 6 * * 1-5",
    ["x"],
    ["x", "x"],
    [1],
    [None],
    ["@octocat"],
    ["acme/team"],
    ["GC105", "goproxy-bypass"],
    ["all"],
    {"x": 1},
    {"GC105": "off"},
    {"GC105": False},
    {"GC105": True},
    {"GC105": "loud"},
    {"Dockerfile": "."},
    {"Dockerfile": "/abs"},
    {"svc-*": {"enabled": False}},
    {"svc-*": {"opt_out_forks": True}},
    {"draft": True},
    {"draft": "yes please"},
]
STRINGS = [
    "https://a.example,direct",
    "https://a.example|https://b.example",
    "https://a.example, direct",
    "direct",
    "OFF",
    "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ay0cK https://sum.golang.google.cn",
    "*",
    "*/*",
    "github.com/acme/*",
    "a b",
    "x" * 50,
    "x" * 51,
    "0 6 * * MON-FRI",
    "*/15 0-6,18-23 1,15 JAN-MAR *",
    "0 6 * * mon",
    "60 * * * *",
    "*/0 * * * *",
    "* * * * * *",
    "0 6 * *  1",
    "a..b",
    "bots/gocomply-",
    "/abs",
    "-x",
    "@octocat",
    "octocat",
    "octo--cat",
    "acme/team",
    "!neg",
    "legacy-*",
    "acme/legacy-*",
    "ünïcode",
    "tab\tinside",
    "trailing\n",
]
VALUES = [*WRONG, *STRINGS, *[[s] for s in STRINGS], *[{s: "."} for s in STRINGS]]


def _keys(cls: type) -> list[str]:
    return [n for n, s in _specs_of(cls) if not s.inline]


def _specs_of(cls: type) -> list[tuple[str, Spec]]:
    out = []
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("spec")
        if isinstance(spec, Spec):
            out.append((f.name, spec))
    return out


def _docs() -> list[tuple[str, bool, dict[str, object]]]:
    """(id, org, document): every key of every record with every value above."""
    docs: list[tuple[str, bool, dict[str, object]]] = []
    for value in VALUES:
        for key in _keys(RepoConfig):
            docs.append((f"repo:{key}={value!r}", False, {key: value}))
        for key in _keys(PRConfig):
            docs.append((f"repo:pr.{key}={value!r}", False, {"pr": {key: value}}))
        for key in _keys(OrgConfig):
            docs.append((f"org:{key}={value!r}", True, {key: value}))
        docs.append((f"org:repos.x.scope={value!r}", True, {"repos": {"x": {"scope": value}}}))
    # every documented example is accepted by both, in both files
    for name, spec in _specs_of(RepoConfig):
        if spec.example is not None:
            docs.append((f"repo:{name}=example", False, {name: spec.example}))
            if name != "enabled":
                docs.append((f"org:{name}=example", True, {name: spec.example}))
    for name, spec in _specs_of(OrgConfig):
        if spec.example is not None:
            docs.append((f"org:{name}=example", True, {name: spec.example}))
    return docs


def _accepts(parse: Callable[[str, str], object], text: str) -> bool:
    try:
        parse(text, "p.yml")
    except ConfigError:
        return False
    return True


def test_schema_and_parser_agree_on_generated_configs() -> None:
    disagreements = []
    accepted = rejected = 0
    for ident, org, doc in _docs():
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        data = yaml.safe_load(text)
        by_schema = (ORG if org else REPO).is_valid(data)
        by_parser = _accepts(parse_org_config if org else parse_repo_config, text)
        if by_schema != by_parser:
            disagreements.append(f"{ident}: schema {by_schema}, parser {by_parser}")
        accepted += by_parser
        rejected += not by_parser
    assert disagreements == []
    assert accepted > 100 and rejected > 1000  # the table exercises both sides


BAD = [
    pytest.param(False, "exlude: [a]\n", id="unknown-key"),
    pytest.param(False, "scope: everything\n", id="bad-enum"),
    pytest.param(False, "exclude: testdata\n", id="string-for-list"),
    pytest.param(False, "rules: {GC999: off}\n", id="unknown-rule"),
    pytest.param(False, "rules: {gc105: off}\n", id="rule-case"),
    pytest.param(False, "rules: {GC105: loud}\n", id="bad-level"),
    pytest.param(False, "goproxy: direct\n", id="goproxy-direct"),
    pytest.param(False, "gosumdb: 'off'\n", id="gosumdb-off"),
    pytest.param(False, "schedule: '0 6 * * 1 2'\n", id="cron-6-fields"),
    pytest.param(False, "schedule: '61 6 * * 1'\n", id="cron-minute"),
    pytest.param(False, "labels: [a, a]\n", id="dup-label"),
    pytest.param(False, "reviewers: ['@octocat']\n", id="reviewer-at"),
    pytest.param(False, "pr: {draft: maybe}\n", id="pr-type"),
    pytest.param(False, "pr: {branch_prefix: a..b}\n", id="branch"),
    pytest.param(False, "contexts: {Dockerfile: ../up}\n", id="context-escape"),
    pytest.param(False, 'exclude: ["a\\n"]\n', id="trailing-newline"),
    pytest.param(False, "opt_out_strategy: true\n", id="org-key-in-repo"),
    pytest.param(True, "enabled: true\n", id="enabled-in-org"),
    pytest.param(True, "opt_in_repos: [acme/api]\n", id="owner-in-glob"),
    pytest.param(True, "max_new_prs_per_hour: -1\n", id="negative"),
    pytest.param(True, "repos: {x: {opt_out_forks: true}}\n", id="org-key-in-entry"),
    pytest.param(True, "repos: {x: {goproxy: direct}}\n", id="bad-entry-value"),
]


@pytest.mark.parametrize(("org", "text"), BAD)
def test_bad_configs_are_rejected_by_both(org: bool, text: str) -> None:
    assert not (ORG if org else REPO).is_valid(yaml.safe_load(text))
    assert not _accepts(parse_org_config if org else parse_repo_config, text)


# What JSON Schema cannot see, the parser still refuses. Kept here so that a change on either
# side shows up.
PARSER_ONLY = [
    pytest.param("scope: go\nscope: all\n", id="duplicate-key"),
    pytest.param("exclude: &a [x]\nlabels: *a\n", id="yaml-alias"),
    pytest.param("rules: {GC105: off, goproxy-bypass: error}\n", id="rule-by-code-and-name"),
    pytest.param("# " + "x" * (64 * 1024) + "\n", id="over-64-KiB"),
]


@pytest.mark.parametrize("text", PARSER_ONLY)
def test_parser_only_checks(text: str) -> None:
    assert REPO.is_valid(yaml.safe_load(text))
    assert not _accepts(parse_repo_config, text)


def test_integral_floats_are_integers_to_json_schema_only() -> None:
    # JSON Schema's "integer" includes 10.0; the parser wants a YAML integer.
    assert ORG.is_valid({"max_new_prs_per_hour": 10.0})
    assert not _accepts(parse_org_config, "max_new_prs_per_hour: 10.0\n")


def test_write_schema_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.config as config

    (tmp_path / "config").mkdir()
    (tmp_path / "bot" / "data").mkdir(parents=True)
    for rel in ("config/defaults.yml", "bot/data/defaults.yml"):
        (tmp_path / rel).write_bytes((ROOT / rel).read_bytes())
    monkeypatch.setattr(config, "ROOT", tmp_path)
    assert config.main(["--check"]) == 1
    assert config.main(["--write-schema"]) == 0
    assert config.main(["--check"]) == 0
    for rel, content in generated_files().items():
        assert (tmp_path / rel).read_text(encoding="utf-8") == content
        json.loads(content)
    (tmp_path / "config" / "defaults.yml").write_text(
        "# changed\n" + (ROOT / "config/defaults.yml").read_text()
    )
    assert config.main(["--check"]) == 1
    assert config.main(["--sync-defaults"]) == 0
    config.builtin_defaults.cache_clear()
    assert config.main(["--check"]) == 0
