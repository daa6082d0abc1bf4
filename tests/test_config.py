"""bot.config: every key, every error with its location, and layering."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import MAX_CONFIG_BYTES, ConfigError, RepoConfig, load_config, parse_config
from rewriters.options import Options

FULL = """\
# every key
exclude:
  - testdata/
  - "**/legacy/**"
scope: all
rules:
  GC105: warning
  goproxy-bypass-alias-not-a-rule: null
"""


def test_empty_and_comment_only() -> None:
    assert parse_config("") == RepoConfig()
    assert parse_config("# nothing\n") == RepoConfig()
    assert parse_config("~\n") == RepoConfig()


def test_every_key() -> None:
    cfg = parse_config(
        """\
exclude: [testdata/, "**/legacy/**"]
scope: all
rules:
  goproxy-bypass: warning
unsafe_fixes: [GC105]
goproxy: https://proxy.corp.example,https://proxy.golang.org
gosumdb: sum.golang.org
private_patterns: [github.com/corp/*, "*.corp.example"]
runtime_image: gcr.io/distroless/static-debian12:nonroot
""",
        "repo/.gocomply.yml",
    )
    assert cfg.exclude == ("testdata/", "**/legacy/**")
    assert cfg.scope == "all"
    assert cfg.rules == (("GC105", "warning"),)
    assert cfg.unsafe_fixes == ("GC105",)
    assert cfg.source == "repo/.gocomply.yml"
    assert cfg.options() == Options(
        goproxy="https://proxy.corp.example,https://proxy.golang.org",
        gosumdb="sum.golang.org",
        private_patterns=("github.com/corp/*", "*.corp.example"),
        rules=(("GC105", "warning"),),
        unsafe_fixes=("GC105",),
        runtime_image="gcr.io/distroless/static-debian12:nonroot",
    )
    assert cfg.options(unsafe=True).unsafe_fixes == ("all",)


def test_bare_off_is_the_level_off() -> None:
    # YAML 1.1 reads `off` as false; users mean the level.
    assert parse_config("rules:\n  GC105: off\n").rules == (("GC105", "off"),)
    assert parse_config("rules:\n  GC105: 'off'\n").rules == (("GC105", "off"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "scope: go\nfoo: 1\n",
            "c.yml:2: foo: unknown key (known keys: exclude, goproxy, "
            "gosumdb, private_patterns, rules, runtime_image, scope, unsafe_fixes)",
        ),
        ("- a\n- b\n", "c.yml:1: the top level must be a mapping of keys"),
        ("scope: go\nscope: all\n", "c.yml:2: scope: duplicate key"),
        ("scope: everything\n", "c.yml:1: scope: must be 'go' or 'all', not 'everything'"),
        ("scope: [go]\n", "c.yml:1: scope: must be a string, not a list"),
        ("exclude: testdata\n", "c.yml:1: exclude: must be a list of strings, not a string"),
        ("exclude:\n  - a\n  - 3\n", "c.yml:3: exclude: list items must be strings, not a number"),
        ("exclude: ['!keep']\n", "c.yml:1: exclude: negated globs are not supported: '!keep'"),
        ("rules: [GC105]\n", "c.yml:1: rules: must map rule codes or names to levels, not a list"),
        (
            "rules:\n  GC105: loud\n",
            "c.yml:2: rules: GC105: level must be one of off, info, warning, error",
        ),
        (
            "rules:\n  GC105: error\n  goproxy-bypass: info\n",
            "c.yml:3: rules: GC105 is configured twice",
        ),
        (
            "unsafe_fixes: [GC105, 12]\n",
            "c.yml:1: unsafe_fixes: list items must be strings, not a number",
        ),
        (
            "goproxy: direct\n",
            "c.yml:1: goproxy: the first entry must be a proxy URL (https://…), not 'direct'",
        ),
        ("goproxy: ''\n", "c.yml:1: goproxy: must not be empty"),
        ("gosumdb: off\n", "c.yml:1: gosumdb: must be a string, not a boolean"),
        ("gosumdb: 'off'\n", "c.yml:1: gosumdb: 'off' would disable checksum verification"),
        (
            "private_patterns: ['*']\n",
            "c.yml:1: private_patterns: '*' would make every module private",
        ),
        (
            "private_patterns: ['a b']\n",
            "c.yml:1: private_patterns: not a module path pattern: 'a b'",
        ),
        ("runtime_image: 'a b'\n", "c.yml:1: runtime_image: not an image reference: 'a b'"),
        (
            "scope: go\n  bad: indent\n",
            "c.yml:2: invalid YAML: mapping values are not allowed here",
        ),
        ("scope: [go\n", "c.yml:2: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("a: &x [1]\nb: *x\n", "c.yml:2: YAML aliases (*name) are not allowed"),
        (
            "scope: go\n---\nscope: all\n",
            "c.yml:2: invalid YAML: expected a single document in the stream, but found another "
            "document",
        ),
        ("? [a]\n: 1\n", "c.yml:1: keys must be strings"),
        (
            "scope: !!python/object:os.system go\n",
            "c.yml:1: scope: must be a string, not a value tagged !!python/object:os.system",
        ),
    ],
)
def test_errors(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_config(text, "c.yml")
    assert str(exc.value) == expected


def test_unknown_rule_lists_known_codes() -> None:
    with pytest.raises(ConfigError) as exc:
        parse_config("rules:\n  GC999: off\n", "c.yml")
    assert exc.value.line == 2 and exc.value.key == "rules"
    assert exc.value.message.startswith("unknown rule 'GC999' (known rules: ")
    assert "GC105" in exc.value.message


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(ConfigError, match="YAML aliases"):
        parse_config(bomb, "c.yml")


def test_size_limit(tmp_path: Path) -> None:
    p = tmp_path / ".gocomply.yml"
    p.write_text("#" * (MAX_CONFIG_BYTES + 1))
    with pytest.raises(ConfigError) as exc:
        load_config(p, display=".gocomply.yml")
    assert str(exc.value).startswith(".gocomply.yml:1: file is too large")


def test_unreadable_bytes(tmp_path: Path) -> None:
    p = tmp_path / ".gocomply.yml"
    p.write_bytes(b"scope: \xff\n")
    with pytest.raises(ConfigError) as exc:
        load_config(p, display="x.yml")
    assert str(exc.value) == "x.yml:1: not valid UTF-8 (byte 0xff at offset 7)"


def test_layering_later_layer_wins_for_keys_it_sets() -> None:
    org = parse_config(
        "goproxy: https://proxy.corp.example\nrules: {GC105: error}\nexclude: [a/]\n", "org"
    )
    repo = parse_config("rules: {GC105: warning}\nscope: all\n", "repo")
    cfg = org.layered(repo)
    assert cfg.goproxy == "https://proxy.corp.example"
    assert cfg.rules == (("GC105", "warning"),)
    assert cfg.scope == "all"
    assert cfg.exclude == ("a/",)
    assert cfg.source == "repo"


def test_full_sample_mentions_unknown_rule() -> None:
    with pytest.raises(ConfigError) as exc:
        parse_config(FULL, "x")
    assert exc.value.line == 8
