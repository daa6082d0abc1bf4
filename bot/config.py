"""``.gocomply.yml``: the repository's configuration, parsed with locations for every error.

Invariants:
- Parsing never executes YAML tags (safe loader only) and works on the composed node tree, so
  every error names the file, the line and the key: ``str(ConfigError)`` is
  ``path:line: key: message``.
- Files over `MAX_CONFIG_BYTES`, YAML aliases (alias bombs), duplicate keys, unknown keys and
  values of the wrong type are errors; nothing is silently ignored.
- Rule names are accepted wherever codes are and are stored as codes.
- `RepoConfig` is frozen and records which keys a file set (``explicit``), so layering (org
  defaults → org-per-repo → repo, a later issue) is `RepoConfig.layered`: a later layer wins
  for the keys it sets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Literal, cast

import yaml

from bot.fsio import ReadError, read_text
from rewriters.options import Options, RuleLevel

MAX_CONFIG_BYTES = 64 * 1024
Scope = Literal["go", "all"]
LEVELS: tuple[RuleLevel, ...] = ("off", "info", "warning", "error")
_PATTERN_RE = re.compile(r"^[^\s,]+$")


class ConfigError(Exception):
    """A configuration problem at a known place."""

    def __init__(self, file: str, line: int, key: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass(frozen=True)
class RepoConfig:
    """Validated configuration of one repository (or one layer of it)."""

    exclude: tuple[str, ...] = ()
    scope: Scope = "go"
    rules: tuple[tuple[str, RuleLevel], ...] = ()
    unsafe_fixes: tuple[str, ...] = ()
    goproxy: str | None = None
    gosumdb: str | None = None
    private_patterns: tuple[str, ...] = ()
    runtime_image: str | None = None
    source: str | None = field(default=None, compare=False)
    explicit: frozenset[str] = field(default=frozenset(), compare=False)

    def options(self, *, unsafe: bool = False) -> Options:
        """The options the rules see; ``unsafe`` opts into every unsafe fix (``--unsafe``)."""
        return Options(
            goproxy=self.goproxy,
            gosumdb=self.gosumdb,
            private_patterns=self.private_patterns,
            rules=self.rules,
            unsafe_fixes=("all",) if unsafe else self.unsafe_fixes,
            runtime_image=self.runtime_image,
        )

    def layered(self, override: RepoConfig) -> RepoConfig:
        """This config with the keys ``override`` set explicitly taken from ``override``.

        ``rules`` merge per code (the override's level wins for the codes it names).
        """
        changes: dict[str, object] = {}
        for f in fields(self):
            if f.name in ("source", "explicit") or f.name not in override.explicit:
                continue
            if f.name == "rules":
                merged = dict(self.rules)
                merged.update(override.rules)
                changes["rules"] = tuple(sorted(merged.items()))
            else:
                changes[f.name] = getattr(override, f.name)
        return replace(
            self,
            source=override.source or self.source,
            explicit=self.explicit | override.explicit,
            **changes,  # type: ignore[arg-type]
        )


def load_config(path: Path | str, display: str | None = None) -> RepoConfig:
    """Read and parse a config file; every problem is a `ConfigError`."""
    name = display or Path(path).as_posix()
    try:
        text = read_text(path, limit=MAX_CONFIG_BYTES)
    except ReadError as exc:
        raise ConfigError(name, 1, None, str(exc)) from None
    return parse_config(text, name)


def parse_config(text: str, path: str = ".gocomply.yml") -> RepoConfig:
    """Parse the text of a ``.gocomply.yml``."""
    if len(text.encode("utf-8")) > MAX_CONFIG_BYTES:
        raise ConfigError(path, 1, None, f"file is larger than {MAX_CONFIG_BYTES // 1024} KiB")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark is not None else 1
                raise ConfigError(path, line, None, "YAML aliases (*name) are not allowed")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.problem.startswith("but "):
            problem = f"{exc.context}, {exc.problem}"
        raise ConfigError(path, line, None, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, 1, None, f"invalid YAML: {exc}") from None
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return RepoConfig(source=path)
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(path, _line(root), None, "the top level must be a mapping of keys")
    values: dict[str, object] = {}
    explicit: set[str] = set()
    for knode, vnode in root.value:
        key = _scalar_str(knode, path, None, "keys must be strings")
        if key in explicit:
            raise ConfigError(path, _line(knode), key, "duplicate key")
        parser = _PARSERS.get(key)
        if parser is None:
            known = ", ".join(sorted(_PARSERS))
            raise ConfigError(path, _line(knode), key, f"unknown key (known keys: {known})")
        explicit.add(key)
        values[key] = parser(vnode, path, key)
    return RepoConfig(source=path, explicit=frozenset(explicit), **values)  # type: ignore[arg-type]


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _scalar_str(node: yaml.Node, path: str, key: str | None, message: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
        raise ConfigError(path, _line(node), key, message)
    return str(node.value)


def _str(node: yaml.Node, path: str, key: str) -> str | None:
    if _is_null(node):
        return None
    value = _scalar_str(node, path, key, f"must be a string, not {_kind(node)}").strip()
    if not value:
        raise ConfigError(path, _line(node), key, "must not be empty")
    return value


def _str_list(node: yaml.Node, path: str, key: str) -> list[tuple[int, str]]:
    if _is_null(node):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(path, _line(node), key, f"must be a list of strings, not {_kind(node)}")
    out: list[tuple[int, str]] = []
    for item in node.value:
        s = _scalar_str(item, path, key, f"list items must be strings, not {_kind(item)}")
        if not s.strip():
            raise ConfigError(path, _line(item), key, "list items must not be empty")
        out.append((_line(item), s.strip()))
    return out


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    core = "tag:yaml.org,2002:"
    tag = node.tag[len(core) :] if node.tag.startswith(core) else node.tag
    names = {"str": "a string", "int": "a number", "float": "a number", "bool": "a boolean"}
    if tag in names:
        return names[tag]
    if tag == "null":
        return "null"
    return f"a value tagged {'!!' + tag if node.tag.startswith(core) else tag}"


def _rule_code(key: str, path: str, line: int, cfg_key: str) -> str:
    from rewriters.registry import all_rules, find_rule

    found = find_rule(key)
    if found is None:
        codes = ", ".join(r.code for r in all_rules())
        raise ConfigError(path, line, cfg_key, f"unknown rule {key!r} (known rules: {codes})")
    return found.code


def _p_exclude(node: yaml.Node, path: str, key: str) -> tuple[str, ...]:
    out: list[str] = []
    for line, glob in _str_list(node, path, key):
        if glob.startswith("!"):
            raise ConfigError(path, line, key, f"negated globs are not supported: {glob!r}")
        out.append(glob)
    return tuple(out)


def _p_scope(node: yaml.Node, path: str, key: str) -> Scope:
    value = _str(node, path, key)
    if value not in ("go", "all"):
        raise ConfigError(path, _line(node), key, f"must be 'go' or 'all', not {value!r}")
    return cast(Scope, value)


def _p_rules(node: yaml.Node, path: str, key: str) -> tuple[tuple[str, RuleLevel], ...]:
    if _is_null(node):
        return ()
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(
            path, _line(node), key, f"must map rule codes or names to levels, not {_kind(node)}"
        )
    levels: dict[str, RuleLevel] = {}
    for knode, vnode in node.value:
        name = _scalar_str(knode, path, key, "rule keys must be codes or names")
        code = _rule_code(name, path, _line(knode), key)
        if code in levels:
            raise ConfigError(path, _line(knode), key, f"{code} is configured twice")
        # YAML 1.1 reads a bare `off` as the boolean false: accept it as the level "off".
        if isinstance(vnode, yaml.ScalarNode) and vnode.tag.endswith(":bool"):
            raw = str(vnode.value).lower()
            if raw in ("off", "no", "false"):
                levels[code] = "off"
                continue
        level = _scalar_str(vnode, path, key, f"{name}: level must be one of {', '.join(LEVELS)}")
        if level not in LEVELS:
            raise ConfigError(
                path, _line(vnode), key, f"{name}: level must be one of {', '.join(LEVELS)}"
            )
        levels[code] = level
    return tuple(sorted(levels.items()))


def _p_unsafe(node: yaml.Node, path: str, key: str) -> tuple[str, ...]:
    codes: list[str] = []
    for line, item in _str_list(node, path, key):
        code = "all" if item == "all" else _rule_code(item, path, line, key)
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _p_goproxy(node: yaml.Node, path: str, key: str) -> str | None:
    value = _str(node, path, key)
    if value is None:
        return None
    first = re.split(r"[,|]", value)[0].strip()
    if not re.match(r"^https?://\S+$", first):
        raise ConfigError(
            path,
            _line(node),
            key,
            f"the first entry must be a proxy URL (https://…), not {first!r}",
        )
    return value


def _p_gosumdb(node: yaml.Node, path: str, key: str) -> str | None:
    value = _str(node, path, key)
    if value is not None and value.lower() == "off":
        raise ConfigError(path, _line(node), key, "'off' would disable checksum verification")
    return value


def _p_private(node: yaml.Node, path: str, key: str) -> tuple[str, ...]:
    out: list[str] = []
    for line, item in _str_list(node, path, key):
        if not _PATTERN_RE.match(item):
            raise ConfigError(path, line, key, f"not a module path pattern: {item!r}")
        if item in ("*", "*/*"):
            raise ConfigError(path, line, key, f"{item!r} would make every module private")
        out.append(item)
    return tuple(out)


def _p_image(node: yaml.Node, path: str, key: str) -> str | None:
    value = _str(node, path, key)
    if value is not None and any(c.isspace() for c in value):
        raise ConfigError(path, _line(node), key, f"not an image reference: {value!r}")
    return value


_PARSERS: Mapping[str, Callable[[yaml.Node, str, str], object]] = {
    "exclude": _p_exclude,
    "scope": _p_scope,
    "rules": _p_rules,
    "unsafe_fixes": _p_unsafe,
    "goproxy": _p_goproxy,
    "gosumdb": _p_gosumdb,
    "private_patterns": _p_private,
    "runtime_image": _p_image,
}
