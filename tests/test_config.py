"""bot.config parsing: every key, every error with its location and hint, limits, `validate`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import cli
from bot.config import (
    MAX_CONFIG_BYTES,
    ConfigError,
    OrgConfig,
    PRConfig,
    RepoConfig,
    load_config,
    parse_config,
    parse_org_config,
    parse_repo_config,
    to_data,
)
from rewriters.options import Options


def error(text: str | bytes, *, org: bool = False) -> ConfigError:
    with pytest.raises(ConfigError) as exc:
        (parse_org_config if org else parse_repo_config)(text, "c.yml")
    return exc.value


def test_empty_and_comment_only() -> None:
    assert parse_config("") == RepoConfig()
    assert parse_config("# nothing\n") == RepoConfig()
    assert parse_config("~\n") == RepoConfig()
    assert parse_config("").explicit == frozenset()
    assert parse_org_config("") == OrgConfig()


def test_every_repo_key() -> None:
    cfg = parse_repo_config(
        """\
enabled: false
exclude: [testdata/, "**/legacy/**"]
scope: all
rules:
  goproxy-bypass: warning
unsafe_fixes: [GC105]
goproxy: https://proxy.corp.example,https://proxy.golang.org
gosumdb: sum.golang.org
private_patterns: [github.com/corp/*, "*.corp.example"]
runtime_image: gcr.io/distroless/static-debian12:nonroot
registry_mirrors: {docker.io: "https://mirror.gcr.io"}
toolchain_images: [tools/release/Dockerfile]
contexts:
  "services/*/Dockerfile": .
  "tools/**": ./tools/
schedule: "*/15 6-18 * JAN-MAR MON,FRI"
labels: [gocomply]
reviewers: [octocat, corp/platform-team]
assignees: [octo-cat]
pr: {title_prefix: "fix:", draft: true, branch_prefix: bots/gc-}
""",
        "repo/.gocomply.yml",
    )
    assert cfg.enabled is False
    assert cfg.exclude == ("testdata/", "**/legacy/**")
    assert cfg.scope == "all"
    assert cfg.rules == (("GC105", "warning"),)
    assert cfg.contexts == (("services/*/Dockerfile", ""), ("tools/**", "tools"))
    assert cfg.registry_mirrors == (("docker.io", "https://mirror.gcr.io"),)
    assert cfg.schedule == "*/15 6-18 * JAN-MAR MON,FRI"
    assert cfg.labels == ("gocomply",)
    assert cfg.reviewers == ("octocat", "corp/platform-team")
    assert cfg.assignees == ("octo-cat",)
    assert cfg.pr == PRConfig(title_prefix="fix:", draft=True, branch_prefix="bots/gc-")
    assert cfg.pr.explicit == {"title_prefix", "draft", "branch_prefix"}
    assert cfg.source == "repo/.gocomply.yml"
    assert cfg.explicit == {n for n in to_data(cfg)}
    assert cfg.options() == Options(
        goproxy="https://proxy.corp.example,https://proxy.golang.org",
        gosumdb="sum.golang.org",
        private_patterns=("github.com/corp/*", "*.corp.example"),
        rules=(("GC105", "warning"),),
        unsafe_fixes=("GC105",),
        runtime_image="gcr.io/distroless/static-debian12:nonroot",
        toolchain_images=("tools/release/Dockerfile",),
    )
    assert cfg.options(unsafe=True).unsafe_fixes == ("all",)
    assert cfg.context_for("services/api/Dockerfile") == ""
    assert cfg.context_for("tools/x/y.Dockerfile") == "tools"
    assert cfg.context_for("Dockerfile") is None


def test_every_org_key() -> None:
    org = parse_org_config(
        """\
opt_out_strategy: false
opt_in_repos: ["svc-*"]
opt_out_repos: ["svc-old"]
opt_out_forks: false
opt_out_archived: true
disable_repo_override: true
max_new_prs_per_hour: 0
max_open_prs: 25
goproxy: https://goproxy.acme.example
labels: [a]
repos:
  "svc-*": {enabled: true, rules: {GC105: info}}
  svc-api: {pr: {draft: true}}
""",
        ".github/gocomply.yml",
    )
    assert (org.opt_out_strategy, org.opt_in_repos, org.opt_out_repos) == (
        False,
        ("svc-*",),
        ("svc-old",),
    )
    assert (org.opt_out_forks, org.opt_out_archived, org.disable_repo_override) == (
        False,
        True,
        True,
    )
    assert (org.max_new_prs_per_hour, org.max_open_prs) == (0, 25)
    assert org.defaults.goproxy == "https://goproxy.acme.example"
    assert org.defaults.explicit == {"goproxy", "labels"}
    assert [g for g, _ in org.repos] == ["svc-*", "svc-api"]
    assert org.repos[0][1].enabled is True and org.repos[0][1].rules == (("GC105", "info"),)
    assert org.repos[1][1].explicit == {"pr"}


def test_bare_off_is_the_level_off() -> None:
    # YAML 1.1 reads `off` as false; users mean the level.
    assert parse_config("rules:\n  GC105: off\n").rules == (("GC105", "off"),)
    assert parse_config("rules:\n  GC105: 'off'\n").rules == (("GC105", "off"),)
    assert parse_config("rules:\n  GC105: no\n").rules == (("GC105", "off"),)


def test_a_family_takes_a_level_and_a_rule_entry_wins() -> None:
    cfg = parse_config("rules:\n  GC1: off\n  GC105: warning\n")
    assert cfg.rules == (("GC1", "off"), ("GC105", "warning"))
    opts = cfg.options()
    assert (opts.level("GC101"), opts.level("GC105"), opts.level("GC203")) == (
        "off",
        "warning",
        None,
    )
    assert error("unsafe_fixes: [GC2]\n").message.startswith("unknown rule 'GC2'")


def test_null_resets_a_key() -> None:
    cfg = parse_config("goproxy:\nexclude:\nrules:\ncontexts:\nschedule:\npr:\n")
    assert cfg.explicit == {"goproxy", "exclude", "rules", "contexts", "schedule", "pr"}
    assert (cfg.goproxy, cfg.exclude, cfg.rules, cfg.contexts, cfg.schedule) == (
        None,
        (),
        (),
        (),
        None,
    )
    assert cfg.pr.explicit == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "scope: go\nfoo: 1\n",
            "c.yml:2: foo: unknown key (known keys: enabled, exclude, scope, rules, unsafe_fixes, "
            "goproxy, gosumdb, private_patterns, runtime_image, registry_mirrors, "
            "toolchain_images, contexts, schedule, labels, reviewers, assignees, pr)",
            id="unknown-key",
        ),
        pytest.param(
            "exlude: [a]\n", "c.yml:1: exlude: unknown key (did you mean `exclude`?)", id="typo"
        ),
        pytest.param(
            "pr:\n  titel_prefix: x\n",
            "c.yml:2: pr.titel_prefix: unknown key (did you mean `title_prefix`?)",
            id="nested-typo",
        ),
        pytest.param(
            "opt_out_repos: [x]\n",
            "c.yml:1: opt_out_repos: an org setting, not a repository one (put it in gocomply.yml "
            "in the organisation's .github repository and check that file with "
            "`gocomply validate --org`)",
            id="org-key-in-repo-file",
        ),
        pytest.param("- a\n- b\n", "c.yml:1: the top level must be a mapping of keys", id="list"),
        pytest.param(
            "scope: go\nscope: all\n",
            "c.yml:2: scope: duplicate key (keep one of the two)",
            id="dup",
        ),
        pytest.param(
            "scope: everything\n",
            "c.yml:1: scope: must be 'go' or 'all', not 'everything'",
            id="enum",
        ),
        pytest.param(
            "scope: Go\n",
            "c.yml:1: scope: must be 'go' or 'all', not 'Go' (did you mean 'go'?)",
            id="enum-case",
        ),
        pytest.param(
            "scope: [go]\n",
            "c.yml:1: scope: must be 'go' or 'all', not a list (for example: `scope: \"all\"`)",
            id="enum-type",
        ),
        pytest.param(
            "exclude: testdata\n",
            "c.yml:1: exclude: must be a list, not a string (for example: `exclude: "
            '["third_party/**", "legacy/Dockerfile"]`)',
            id="list-type",
        ),
        pytest.param(
            "exclude:\n  - a\n  - 3\n",
            "c.yml:3: exclude: each item must be a string, not a number (for example: `exclude: "
            '["third_party/**", "legacy/Dockerfile"]`)',
            id="item-type",
        ),
        pytest.param(
            "exclude: [a, b, a]\n",
            "c.yml:1: exclude: 'a' is listed twice (remove the duplicate)",
            id="list-dup",
        ),
        pytest.param(
            "exclude: ['!keep']\n",
            "c.yml:1: exclude: negated globs are not supported: '!keep'",
            id="negated",
        ),
        pytest.param(
            "exclude: [' a']\n",
            "c.yml:1: exclude: must not start or end with spaces: ' a'",
            id="ws",
        ),
        pytest.param(
            'exclude: ["a\\nb"]\n', "c.yml:1: exclude: must be on one line", id="multi-line"
        ),
        pytest.param(
            "rules: [GC105]\n",
            "c.yml:1: rules: must be a mapping of rule codes or names to levels, not a list "
            '(for example: `rules: {"GC105": "error"}`)',
            id="rules-type",
        ),
        pytest.param(
            "rules:\n  GC105: loud\n",
            "c.yml:2: rules.GC105: level must be one of off, info, warning, error, not 'loud'",
            id="level",
        ),
        pytest.param(
            "rules:\n  GC105: true\n",
            "c.yml:2: rules.GC105: level must be one of off, info, warning, error, not 'true'",
            id="level-true",
        ),
        pytest.param(
            "rules:\n  GC105: error\n  goproxy-bypass: info\n",
            "c.yml:3: rules: GC105 is configured twice (keep one of the two entries)",
            id="rule-twice",
        ),
        pytest.param(
            "unsafe_fixes: [GC105, 12]\n",
            "c.yml:1: unsafe_fixes: each item must be a rule code or name, not a number (for "
            'example: `unsafe_fixes: ["GC105"]`)',
            id="unsafe-type",
        ),
        pytest.param(
            "goproxy: direct\n",
            "c.yml:1: goproxy: must start with a proxy URL (https://…), not 'direct' (for example "
            "`https://goproxy.example.com,direct`)",
            id="goproxy-direct",
        ),
        pytest.param(
            "goproxy: https://a, direct\n",
            "c.yml:1: goproxy: must be a list of proxies separated by ',' or '|' without spaces: "
            "'https://a, direct'",
            id="goproxy-spaces",
        ),
        pytest.param(
            "goproxy: ''\n",
            "c.yml:1: goproxy: must not be empty (remove the key or give it a value)",
            id="empty",
        ),
        pytest.param(
            "gosumdb: off\n",
            "c.yml:1: gosumdb: must be a string, not a boolean (for example: `gosumdb: "
            '"sum.golang.org"`)',
            id="gosumdb-bool",
        ),
        pytest.param(
            "gosumdb: 'OFF'\n",
            "c.yml:1: gosumdb: 'off' would disable checksum verification (list private modules "
            "in private_patterns instead)",
            id="gosumdb-off",
        ),
        pytest.param(
            "private_patterns: ['*']\n",
            "c.yml:1: private_patterns: '*' would make every module private (name your private "
            "module paths, e.g. `github.com/acme/*`)",
            id="private-star",
        ),
        pytest.param(
            "private_patterns: ['a b']\n",
            "c.yml:1: private_patterns: not a module path pattern: 'a b'",
            id="private-space",
        ),
        pytest.param(
            "runtime_image: 'a b'\n",
            "c.yml:1: runtime_image: not an image reference: 'a b'",
            id="image",
        ),
        pytest.param(
            "contexts: [a]\n",
            "c.yml:1: contexts: must be a mapping of Dockerfile globs to directories, not a list "
            '(for example: `contexts: {"services/*/Dockerfile": "."}`)',
            id="contexts-type",
        ),
        pytest.param(
            "contexts: {Dockerfile: /src}\n",
            "c.yml:1: contexts.Dockerfile: must be relative to the repository root: '/src'",
            id="contexts-abs",
        ),
        pytest.param(
            "contexts: {Dockerfile: a/../../b}\n",
            "c.yml:1: contexts.Dockerfile: must stay inside the repository: 'a/../../b'",
            id="contexts-escape",
        ),
        pytest.param(
            "contexts: {'!x': .}\n",
            "c.yml:1: contexts: negated globs are not supported: '!x'",
            id="contexts-key",
        ),
        pytest.param(
            "schedule: '0 6 * *'\n",
            "c.yml:1: schedule: must have 5 cron fields, not 4: '0 6 * *' (five fields: minute "
            "hour day-of-month month day-of-week, e.g. `0 6 * * 1-5`)",
            id="cron-fields",
        ),
        pytest.param(
            "schedule: '0 24 * * *'\n",
            "c.yml:1: schedule: the hour field '24' is not valid (0-23, *, lists, ranges, /steps) "
            "(five fields: minute hour day-of-month month day-of-week, e.g. `0 6 * * 1-5`)",
            id="cron-hour",
        ),
        pytest.param(
            "schedule: '@daily'\n",
            "c.yml:1: schedule: must have 5 cron fields, not 1: '@daily' (five fields: minute "
            "hour day-of-month month day-of-week, e.g. `0 6 * * 1-5`)",
            id="cron-macro",
        ),
        pytest.param(
            "labels: ['" + "x" * 51 + "']\n",
            "c.yml:1: labels: must be at most 50 characters: '" + "x" * 51 + "'",
            id="label-length",
        ),
        pytest.param(
            "reviewers: ['@octocat']\n",
            "c.yml:1: reviewers: write the name without '@': '@octocat'",
            id="reviewer-at",
        ),
        pytest.param(
            "reviewers: ['-octocat']\n",
            "c.yml:1: reviewers: not a GitHub user name or org/team slug: '-octocat'",
            id="reviewer-name",
        ),
        pytest.param(
            "assignees: [acme/team]\n",
            "c.yml:1: assignees: assignees are users; teams cannot be assigned: 'acme/team'",
            id="assignee-team",
        ),
        pytest.param(
            "enabled: 'yes please'\n",
            "c.yml:1: enabled: must be true or false, not a string (for example: `enabled: false`)",
            id="bool",
        ),
        pytest.param(
            "pr: {branch_prefix: a..b}\n",
            "c.yml:1: pr.branch_prefix: not a git branch name prefix: 'a..b'",
            id="branch",
        ),
        pytest.param(
            "scope: go\n  bad: indent\n",
            "c.yml:2: invalid YAML: mapping values are not allowed here (check the indentation "
            "and quoting around this line)",
            id="yaml-syntax",
        ),
        pytest.param(
            "scope: [go\n",
            "c.yml:2: invalid YAML: expected ',' or ']', but got '<stream end>' (check the "
            "indentation and quoting around this line)",
            id="yaml-unclosed",
        ),
        pytest.param(
            "a: &x [1]\nb: *x\n",
            "c.yml:2: YAML aliases (*name) are not allowed (write the value out instead of using "
            "an anchor (&name) and alias)",
            id="alias",
        ),
        pytest.param(
            "scope: go\n---\nscope: all\n",
            "c.yml:2: invalid YAML: expected a single document in the stream, but found another "
            "document (check the indentation and quoting around this line)",
            id="two-documents",
        ),
        pytest.param("? [a]\n: 1\n", "c.yml:1: keys must be strings", id="complex-key"),
        pytest.param(
            "scope: !!python/object:os.system go\n",
            "c.yml:1: scope: must be 'go' or 'all', not a value tagged !!python/object:os.system "
            '(for example: `scope: "all"`)',
            id="python-tag",
        ),
        pytest.param(
            "x: \x07\n", "c.yml:1: invalid YAML: unacceptable character #x0007", id="control-char"
        ),
    ],
)
def test_errors(text: str, expected: str) -> None:
    assert str(error(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "enabled: true\n",
            "c.yml:1: enabled: not an org setting (choose repositories with opt_out_strategy, "
            "opt_in_repos and opt_out_repos, or set `enabled` in a `repos:` entry)",
            id="enabled-at-top",
        ),
        pytest.param(
            "opt_out_repos: [acme/legacy]\n",
            "c.yml:1: opt_out_repos: repository globs match the name only: 'acme/legacy' (leave "
            "out the owner: `legacy-*`, not `acme/legacy-*`)",
            id="owner-in-glob",
        ),
        pytest.param(
            "opt_in_repos: ['a b']\n",
            "c.yml:1: opt_in_repos: not a repository name glob: 'a b'",
            id="bad-glob",
        ),
        pytest.param(
            "max_new_prs_per_hour: -1\n",
            "c.yml:1: max_new_prs_per_hour: must be between 0 and 10000, not -1",
            id="range",
        ),
        pytest.param(
            "max_open_prs: 1.5\n",
            "c.yml:1: max_open_prs: must be a whole number, not a number (for example: "
            "`max_open_prs: 50`)",
            id="float",
        ),
        pytest.param(
            "opt_out_strategy: 1\n",
            "c.yml:1: opt_out_strategy: must be true or false, not a number (for example: "
            "`opt_out_strategy: true`)",
            id="int-for-bool",
        ),
        pytest.param(
            "repos:\n  svc-*:\n    opt_out_forks: true\n",
            "c.yml:3: repos.svc-*.opt_out_forks: an org setting, not allowed in a repos entry "
            "(move it to the top level)",
            id="org-key-in-entry",
        ),
        pytest.param(
            "repos:\n  svc-*:\n    goproxy: direct\n",
            "c.yml:3: repos.svc-*.goproxy: must start with a proxy URL (https://…), not 'direct' "
            "(for example `https://goproxy.example.com,direct`)",
            id="entry-value",
        ),
        pytest.param(
            "repos: {svc-*: {}, svc-*: {}}\n",
            "c.yml:1: repos: 'svc-*' appears twice (merge the two entries)",
            id="entry-twice",
        ),
        pytest.param(
            "opt_out_stratgy: true\n",
            "c.yml:1: opt_out_stratgy: unknown key (did you mean `opt_out_strategy`?)",
            id="typo",
        ),
    ],
)
def test_org_errors(text: str, expected: str) -> None:
    assert str(error(text, org=True)) == expected


def test_every_problem_is_collected_in_file_order() -> None:
    exc = error("scope: nope\nexlude: [a]\npr:\n  draft: maybe\nlabels: [x, x]\n")
    assert [(e.line, e.key) for e in exc.errors] == [
        (1, "scope"),
        (2, "exlude"),
        (4, "pr.draft"),
        (5, "labels"),
    ]
    assert exc is exc.errors[0]


def test_error_attributes() -> None:
    exc = error("rules:\n  GC999: off\n")
    assert (exc.file, exc.line, exc.key) == ("c.yml", 2, "rules")
    assert exc.message.startswith("unknown rule 'GC999' (known rules: ")
    assert "GC105" in exc.message
    assert exc.hint is not None


def test_rule_names_are_exact_with_a_suggestion() -> None:
    assert error("rules: {gc105: off}\n").hint == "did you mean `GC105`?"
    assert error("rules: {goproxy-bypas: off}\n").hint == "did you mean `goproxy-bypass`?"
    assert error("unsafe_fixes: [goproxy_bypass]\n").hint == "did you mean `goproxy-bypass`?"


def test_unsafe_fixes_accept_all_and_merge_code_and_name() -> None:
    assert parse_config("unsafe_fixes: [all]\n").unsafe_fixes == ("all",)
    assert parse_config("unsafe_fixes: [GC105, goproxy-bypass]\n").unsafe_fixes == ("GC105",)


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    assert "YAML aliases" in error(bomb).message


def test_deep_nesting_is_refused_before_composing() -> None:
    assert error("[" * 5000 + "]" * 5000).message == "nested deeper than 32"
    assert error("a:\n" + "".join(" " * i + "- \n" for i in range(1, 40))).line <= 40


def test_size_limit_text_and_file(tmp_path: Path) -> None:
    big = "#" * (MAX_CONFIG_BYTES + 1)
    assert str(error(big)).startswith(
        "c.yml:1: file is too large (65537 bytes; the limit is 64 KiB)"
    )
    assert error("é" * (MAX_CONFIG_BYTES // 2 + 1)).message.startswith("file is too large")
    p = tmp_path / ".gocomply.yml"
    p.write_text(big)
    with pytest.raises(ConfigError) as exc:
        load_config(p, display=".gocomply.yml")
    assert str(exc.value).startswith(".gocomply.yml:1: file is too large")


def test_not_utf8(tmp_path: Path) -> None:
    assert str(error(b"scope: go\nlabels: [\xff]\n")) == (
        "c.yml:2: not valid UTF-8 (byte 0xff at offset 19) (save the file as UTF-8)"
    )
    assert error("scope: go\n\udcff\n").line == 2  # a lone surrogate cannot be UTF-8
    p = tmp_path / ".gocomply.yml"
    p.write_bytes(b"scope: \xff\n")
    with pytest.raises(ConfigError) as exc:
        load_config(p, display="x.yml")
    assert (
        str(exc.value)
        == "x.yml:1: not valid UTF-8 (byte 0xff at offset 7) (save the file as UTF-8)"
    )


def test_bytes_bom_and_crlf() -> None:
    assert parse_repo_config(b"\xef\xbb\xbfscope: all\r\n").scope == "all"


def test_missing_file() -> None:
    with pytest.raises(ConfigError) as exc:
        load_config("/nonexistent/.gocomply.yml", display="x.yml")
    assert str(exc.value) == "x.yml:1: no such file or directory"


def test_objects_built_in_code_count_non_default_keys_as_set() -> None:
    assert RepoConfig(goproxy="https://a", scope="go").explicit == {"goproxy"}
    assert RepoConfig(pr=PRConfig(draft=True)).explicit == {"pr"}
    assert PRConfig(draft=True).explicit == {"draft"}


def test_round_trip_through_plain_data() -> None:
    import yaml

    text = (Path(__file__).resolve().parents[1] / "config/examples/repo-full.yml").read_text()
    cfg = parse_repo_config(text)
    again = parse_repo_config(yaml.safe_dump(to_data(cfg), sort_keys=False))
    assert again == cfg


# Anything at all: only ConfigError may come out, and always with a location.
_YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc:-[]{},'\"&*!#|>? \n\t0\\.%@`~é")), max_size=80
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_YAMLISH, st.binary(max_size=60), st.text(max_size=60)))
def test_never_raises_anything_but_config_error(data: str | bytes) -> None:
    for parse in (parse_repo_config, parse_org_config):
        try:
            parse(data, "f.yml")
        except ConfigError as exc:
            assert exc.file == "f.yml" and exc.line >= 1
            assert all(isinstance(e, ConfigError) for e in exc.errors)


# --------------------------------------------------------------------------- gocomply validate


def _validate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_validate_default_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _validate(capsys) == (2, [], [".gocomply.yml:1: no such file or directory"])
    (tmp_path / ".gocomply.yml").write_text("scope: all\n")
    assert _validate(capsys) == (0, [".gocomply.yml: ok"], [])


def test_validate_reports_every_error_of_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yml").write_text("labels: [a]\n")
    (tmp_path / "bad.yml").write_text("exlude: [a]\nscope: nope\n")
    code, out, err = _validate(capsys, "bad.yml", "good.yml")
    assert code == 2
    assert out == ["good.yml: ok"]
    assert err == [
        "bad.yml:1: exlude: unknown key (did you mean `exclude`?)",
        "bad.yml:2: scope: must be 'go' or 'all', not 'nope'",
    ]


def test_validate_org(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gocomply.yml").write_text("opt_out_strategy: true\nrepos: {x: {enabled: 1}}\n")
    code, out, err = _validate(capsys, "gocomply.yml")
    assert code == 2 and out == []
    assert err[-1] == "gocomply.yml: looks like an org config: gocomply validate --org"
    code, out, err = _validate(capsys, "--org", "gocomply.yml")
    assert (code, out) == (2, [])
    assert err == [
        "gocomply.yml:2: repos.x.enabled: must be true or false, not a number (for example: "
        "`enabled: false`)"
    ]
    (tmp_path / "gocomply.yml").write_text("opt_out_strategy: true\n")
    assert _validate(capsys, "--org", "gocomply.yml") == (0, ["gocomply.yml: ok"], [])


def test_validate_help_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--help"]) == 0
    assert "--org" in capsys.readouterr().out
    assert cli.main(["validate", "--bogus"]) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "registry_mirrors: {docker.io: mirror.example}\n",
            "c.yml:1: registry_mirrors.docker.io: must be a registry URL (https://…), not "
            "'mirror.example'",
            id="not-a-url",
        ),
        pytest.param(
            "registry_mirrors: {docker.io: 'https://me:pw@mirror.example'}\n",
            "c.yml:1: registry_mirrors.docker.io: must not carry credentials: "
            "'https://me:pw@mirror.example' (set them in the environment "
            "(GOCOMPLY_REGISTRY_CREDENTIALS))",
            id="credentials-in-url",
        ),
        pytest.param(
            "registry_mirrors: {'docker.io/x': 'https://m.example'}\n",
            "c.yml:1: registry_mirrors: not a registry host: 'docker.io/x'",
            id="not-a-host",
        ),
    ],
)
def test_registry_mirror_errors(text: str, expected: str) -> None:
    assert str(error(text)) == expected
