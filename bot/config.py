"""Configuration: ``.gocomply.yml`` (repository) and ``gocomply.yml`` (organisation), layered.

The model is one table: every configurable key is a dataclass field whose metadata (`Spec`)
holds its kind, documentation and example. The parser, the JSON Schemas
(`repo_schema`, `org_schema`, checked in under ``config/``), the layering (`merge_layers`) and
the hash (`config_hash`) all read that table, so they cannot disagree about which keys exist.

Parsing invariants:
- Safe YAML only, on the composed node tree, so every error names the file, the line and the
  key (dotted for nested keys: ``pr.draft``, ``repos.svc-*.goproxy``) with a hint on how to fix
  it: ``str(ConfigError)`` is ``file:line: key: message (hint)``. Every problem of a file is
  collected (``ConfigError.errors``); the first is raised.
- Refused: files over `MAX_CONFIG_BYTES`, text that is not UTF-8, YAML aliases (alias bombs),
  nesting deeper than `MAX_DEPTH`, duplicate keys, unknown keys (with "did you mean"), values
  of the wrong type or shape. The public parse functions raise nothing but `ConfigError`.
- Strings are single-line and trimmed; lists refuse duplicates. Rule codes and names are
  accepted exactly as ``gocomply rules`` lists them and stored as codes.

Layering (lowest first; a layer only contributes the keys it sets, even to null):
    built-in defaults (config/defaults.yml) < org file < org ``repos:`` entries matching the
    repository name (file order) < the repository's ``.gocomply.yml``
``rules`` and ``pr`` merge per key (per rule code, per PR setting); every other value,
lists and ``contexts`` included, is replaced as a whole. With ``disable_repo_override`` the
repository's file is ignored entirely — settings and ``enabled`` alike — as Allstar does.

Which repositories are enabled (`repo_enabled`), after Allstar's ``optOutStrategy``:
1. archived repositories (``opt_out_archived``) and forks (``opt_out_forks``) are skipped in
   either strategy (Allstar applies these only under opt-out; archived repositories cannot take
   pull requests and forks are fixed upstream);
2. the org's word, most specific first: the last matching ``repos:`` entry that sets
   ``enabled``; else ``opt_out_repos`` (an opt-out beats an opt-in); else ``opt_in_repos``; else
   the strategy's default (``opt_out_strategy: true`` → enabled);
3. the repository's own ``enabled`` (unless ``disable_repo_override``): ``false`` always opts
   it out; ``true`` opts it in unless the org explicitly opted it out. A repository can always
   say no for itself and can say yes only where the org has not said no.
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import importlib
import json
import posixpath
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from bot.fsio import ReadError, read_bytes
from rewriters.options import DEFAULT_TOOLCHAIN_IMAGES, Options, RuleLevel
from rewriters.registry import FAMILIES

if TYPE_CHECKING:
    import yaml

    from bot.github import Repo
else:

    class _LazyModule:
        """A module imported at its first attribute access, which then replaces this stand-in
        in the module's globals. PyYAML costs ≈30 ms to import (≈15 ms of it compiling one
        regular expression): ``gocomply check`` on a tree without a config file never needs it.
        """

        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attr: str) -> object:
            module = importlib.import_module(self._name)
            globals()[self._name] = module
            return getattr(module, attr)

    yaml = _LazyModule("yaml")

MAX_CONFIG_BYTES = 64 * 1024
MAX_DEPTH = 32
REPO_CONFIG_NAME = ".gocomply.yml"
ORG_CONFIG_REPO = ".github"
ORG_CONFIG_PATH = "gocomply.yml"
SCHEMA_BASE = "https://raw.githubusercontent.com/gocomply/gocomply/main/config/"
Scope = Literal["go", "all"]
LEVELS: tuple[RuleLevel, ...] = ("off", "info", "warning", "error")
ROOT = Path(__file__).resolve().parents[1]
_HASH_VERSION = "gocomply-config/1"

# Patterns are shared by the parser (Python `re.search`) and the JSON Schemas (ECMA-262), so
# they use only syntax both read alike; `(?![\s\S])` is "end of text" in both (Python's `$`
# also matches before a final newline).
_END = r"(?![\s\S])"
_LINE = r"^\S(?:[^\r\n]*\S)?" + _END  # non-empty, one line, no surrounding spaces
_USER = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
_REPO_GLOB = r"^[A-Za-z0-9._*?\[\]!-]+" + _END


class ConfigError(Exception):
    """A configuration problem at a known place, with a hint on how to fix it.

    ``errors`` holds every problem found in the file (this one first), in file order.
    """

    def __init__(
        self, file: str, line: int, key: str | None, message: str, hint: str | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.key = key
        self.message = message
        self.hint = hint
        self.errors: tuple[ConfigError, ...] = (self,)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    @staticmethod
    def group(errors: Sequence[ConfigError]) -> ConfigError:
        ordered = sorted(errors, key=lambda e: e.line)
        first = ordered[0]
        first.errors = tuple(ordered)
        return first


# --------------------------------------------------------------------------- locations


@dataclass(frozen=True)
class _At:
    """Where a value is: the file, its dotted key, and an example for hints."""

    file: str
    key: str | None = None
    example: str | None = None
    item: bool = False  # a list item: type errors say "each item"

    def child(self, name: str, spec: Spec | None = None) -> _At:
        key = f"{self.key}.{name}" if self.key else name
        example = None
        if spec is not None and spec.example is not None:
            example = f"{name}: {json.dumps(spec.example, ensure_ascii=False)}"
        return _At(self.file, key, example)

    def error(self, node: yaml.Node, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(self.file, _line(node), self.key, message, hint)

    def type_error(self, node: yaml.Node, expected: str) -> ConfigError:
        hint = f"for example: `{self.example}`" if self.example else None
        subject = "each item must be" if self.item else "must be"
        return self.error(node, f"{subject} {expected}, not {_kind(node)}", hint)

    def items(self) -> _At:
        return _At(self.file, self.key, self.example, item=True)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


_CORE = "tag:yaml.org,2002:"


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _CORE + "null"


def _is(node: yaml.Node, tag: str) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _CORE + tag


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag[len(_CORE) :] if node.tag.startswith(_CORE) else node.tag
    names = {"str": "a string", "int": "a number", "float": "a number", "bool": "a boolean"}
    if tag in names:
        return names[tag]
    if tag == "null":
        return "null"
    return f"a value tagged {'!!' + tag if node.tag.startswith(_CORE) else tag}"


def _suggest(word: str, known: Iterable[str]) -> str | None:
    import difflib  # only for an unknown key: not at import

    found = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if found:
        return found[0]
    lowered = {k.lower(): k for k in known}
    return lowered.get(word.lower())


# --------------------------------------------------------------------------- kinds


class _Kind:
    """How one value is parsed, described in JSON Schema, and dumped back to plain data."""

    nullable = False
    expected = "a value"

    def null(self) -> object:
        return None

    def parse(self, node: yaml.Node, at: _At) -> object:
        if _is_null(node):
            if self.nullable:
                return self.null()
            raise at.type_error(node, self.expected)
        return self.parse_value(node, at)

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        raise NotImplementedError

    def types(self, base: str) -> str | list[str]:
        return [base, "null"] if self.nullable else base

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def dump(self, value: object) -> object:
        return value


class _Bool(_Kind):
    expected = "true or false"

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not _is(node, "bool"):
            raise at.type_error(node, self.expected)
        return yaml.SafeLoader.bool_values[str(node.value).lower()]

    def schema(self) -> dict[str, Any]:
        return {"type": self.types("boolean")}


class _Int(_Kind):
    def __init__(self, minimum: int, maximum: int, *, nullable: bool = False) -> None:
        self.minimum, self.maximum, self.nullable = minimum, maximum, nullable
        self.expected = "a whole number"

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not _is(node, "int"):
            raise at.type_error(node, self.expected)
        value = int(
            yaml.constructor.SafeConstructor().construct_yaml_int(cast(yaml.ScalarNode, node))
        )
        if not self.minimum <= value <= self.maximum:
            raise at.error(node, f"must be between {self.minimum} and {self.maximum}, not {value}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": self.types("integer"), "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Check:
    """A pattern a string must match (or, with ``forbid``, must not match)."""

    pattern: str
    message: str  # may use {value!r}
    hint: str | None = None
    forbid: bool = False

    def fails(self, value: str) -> bool:
        return (re.search(self.pattern, value) is not None) == self.forbid

    def schema(self) -> dict[str, Any]:
        if self.forbid:
            return {"not": {"type": "string", "pattern": self.pattern}}
        return {"pattern": self.pattern}


class _Str(_Kind):
    expected = "a string"

    def __init__(
        self,
        *checks: Check,
        nullable: bool = False,
        max_length: int | None = None,
        normalize: Callable[[str], str] | None = None,
        dumper: Callable[[str], str] | None = None,
    ) -> None:
        self.checks, self.nullable, self.max_length = checks, nullable, max_length
        self.normalize, self.dumper = normalize, dumper

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not _is(node, "str"):
            raise at.type_error(node, self.expected)
        value = str(node.value)
        self.check(value, node, at)
        return self.normalize(value) if self.normalize else value

    def check(self, value: str, node: yaml.Node, at: _At) -> None:
        if re.search(_LINE, value) is None:
            if not value.strip():
                raise at.error(node, "must not be empty", "remove the key or give it a value")
            if "\n" in value or "\r" in value:
                raise at.error(node, "must be on one line")
            raise at.error(node, f"must not start or end with spaces: {value!r}")
        if self.max_length is not None and len(value) > self.max_length:
            raise at.error(node, f"must be at most {self.max_length} characters: {value!r}")
        for c in self.checks:
            if c.fails(value):
                raise at.error(node, c.message.format(value=value), c.hint)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.types("string"), "pattern": _LINE}
        if self.max_length is not None:
            out["maxLength"] = self.max_length
        if self.checks:
            out["allOf"] = [c.schema() for c in self.checks]
        return out

    def dump(self, value: object) -> object:
        if self.dumper is not None and isinstance(value, str):
            return self.dumper(value)
        return value


class _Enum(_Kind):
    def __init__(self, *values: str) -> None:
        self.values = values
        self.expected = " or ".join(repr(v) for v in values)

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not _is(node, "str"):
            raise at.type_error(node, self.expected)
        value = str(node.value)
        if value not in self.values:
            near = _suggest(value, self.values)
            hint = f"did you mean {near!r}?" if near else None
            raise at.error(node, f"must be {self.expected}, not {value!r}", hint)
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.values)}


_CRON_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("minute", "[0-5]?[0-9]", "0-59"),
    ("hour", "[01]?[0-9]|2[0-3]", "0-23"),
    ("day-of-month", "0?[1-9]|[12][0-9]|3[01]", "1-31"),
    ("month", "0?[1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC", "1-12 or JAN-DEC"),
    ("day-of-week", "[0-7]|SUN|MON|TUE|WED|THU|FRI|SAT", "0-7 or SUN-SAT"),
)


def _cron_field(values: str) -> str:
    item = f"(?:\\*|(?:{values})(?:-(?:{values}))?)(?:/[1-9][0-9]*)?"
    return f"{item}(?:,{item})*"


class _Cron(_Str):
    """A 5-field cron expression (UTC), as GitHub Actions' ``schedule`` takes."""

    PATTERN = "^" + " +".join(_cron_field(v) for _, v, _ in _CRON_FIELDS) + _END

    def __init__(self) -> None:
        super().__init__(nullable=True)

    def check(self, value: str, node: yaml.Node, at: _At) -> None:
        super().check(value, node, at)
        parts = re.split(" +", value)
        hint = "five fields: minute hour day-of-month month day-of-week, e.g. `0 6 * * 1-5`"
        if len(parts) != len(_CRON_FIELDS):
            raise at.error(node, f"must have 5 cron fields, not {len(parts)}: {value!r}", hint)
        for part, (name, values, allowed) in zip(parts, _CRON_FIELDS, strict=True):
            if re.fullmatch(_cron_field(values), part) is None:
                raise at.error(
                    node,
                    f"the {name} field {part!r} is not valid ({allowed}, *, lists, ranges, /steps)",
                    hint,
                )

    def schema(self) -> dict[str, Any]:
        return {"type": self.types("string"), "pattern": self.PATTERN}


def _rule_catalog() -> tuple[tuple[str, str, str], ...]:
    """(code, name, summary) of every rule."""
    from rewriters.registry import all_rules

    return tuple((r.code, r.name, r.doc.summary) for r in all_rules())


class _RuleRef(_Kind):
    """A rule by code or name, stored as its code; ``all`` if allowed."""

    expected = "a rule code or name"

    def __init__(self, *, allow_all: bool = False, allow_family: bool = False) -> None:
        self.allow_all = allow_all
        self.allow_family = allow_family

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not _is(node, "str"):
            raise at.type_error(node, self.expected)
        name = str(node.value)
        if self.allow_all and name == "all":
            return "all"
        if self.allow_family and name in FAMILIES:
            return name
        catalog = _rule_catalog()
        for code, rname, _ in catalog:
            if name in (code, rname):
                return code
        known = [c for c, _, _ in catalog] + [n for _, n, _ in catalog]
        near = _suggest(name, known)
        codes = ", ".join(c for c, _, _ in catalog)
        hint = f"did you mean `{near}`?" if near else "`gocomply rules` lists them"
        raise at.error(node, f"unknown rule {name!r} (known rules: {codes})", hint)

    def schema(self) -> dict[str, Any]:
        catalog = _rule_catalog()
        names = [c for c, _, _ in catalog] + [n for _, n, _ in catalog]
        if self.allow_family:
            names += FAMILIES
        return {"type": "string", "enum": [*names, "all"] if self.allow_all else names}


class _List(_Kind):
    def __init__(self, item: _Kind) -> None:
        self.item = item
        self.nullable = True
        self.expected = "a list"

    def null(self) -> object:
        return ()

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not isinstance(node, yaml.SequenceNode):
            raise at.type_error(node, self.expected)
        out: list[object] = []
        seen: set[str] = set()
        for item in node.value:
            value = self.item.parse(item, at.items())
            raw = str(item.value)
            if raw in seen:
                raise at.error(item, f"{raw!r} is listed twice", "remove the duplicate")
            seen.add(raw)
            if value not in out:
                out.append(value)
        return tuple(out)

    def schema(self) -> dict[str, Any]:
        return {"type": self.types("array"), "items": self.item.schema(), "uniqueItems": True}

    def dump(self, value: object) -> object:
        return [self.item.dump(v) for v in cast(tuple[object, ...], value)]


def _key(knode: yaml.Node, at: _At) -> str:
    if not _is(knode, "str"):
        hint = None
        if knode.tag == _CORE + "merge":
            hint = "YAML merge keys (<<) are not supported"
        raise ConfigError(at.file, _line(knode), at.key, "keys must be strings", hint)
    return str(knode.value)


class _Rules(_Kind):
    """Rule code or name → level; merged per code across layers."""

    expected = "a mapping of rule codes or names to levels"

    def __init__(self) -> None:
        self.nullable = True
        self.ref = _RuleRef(allow_family=True)

    def null(self) -> object:
        return ()

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not isinstance(node, yaml.MappingNode):
            raise at.type_error(node, self.expected)
        levels: dict[str, RuleLevel] = {}
        for knode, vnode in node.value:
            _key(knode, at)
            code = cast(str, self.ref.parse(knode, at))
            if code in levels:
                raise at.error(knode, f"{code} is configured twice", "keep one of the two entries")
            levels[code] = self.level(vnode, at.child(code))
        return tuple(sorted(levels.items()))

    @staticmethod
    def level(node: yaml.Node, at: _At) -> RuleLevel:
        # YAML 1.1 reads a bare `off` (or `no`, `false`) as the boolean false: that is "off".
        if _is(node, "bool") and not yaml.SafeLoader.bool_values[str(node.value).lower()]:
            return "off"
        if _is(node, "str") and node.value in LEVELS:
            return cast(RuleLevel, node.value)
        shown = f"{node.value!r}" if isinstance(node, yaml.ScalarNode) else _kind(node)
        raise at.error(node, f"level must be one of {', '.join(LEVELS)}, not {shown}")

    def schema(self) -> dict[str, Any]:
        level = {"enum": [*LEVELS, False], "description": "off, info, warning or error"}
        props: dict[str, Any] = {}
        for code, name, summary in _rule_catalog():
            props[code] = {**level, "description": f"{name}: {summary}"}
            props[name] = {**level, "description": f"{code}: {summary}"}
        return {"type": self.types("object"), "properties": props, "additionalProperties": False}

    def dump(self, value: object) -> object:
        return dict(cast(tuple[tuple[str, str], ...], value))


class _Map(_Kind):
    """String keys (checked) → values; kept in file order as a tuple of pairs."""

    def __init__(self, key: _Str, value: _Kind, expected: str) -> None:
        self.key, self.value, self.expected = key, value, expected
        self.nullable = True

    def null(self) -> object:
        return ()

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not isinstance(node, yaml.MappingNode):
            raise at.type_error(node, self.expected)
        out: dict[str, object] = {}
        errors: list[ConfigError] = []
        for knode, vnode in node.value:
            try:
                name = _key(knode, at)
                self.key.check(name, knode, at)
                if name in out:
                    raise at.error(knode, f"{name!r} appears twice", "merge the two entries")
                out[name] = self.value.parse(vnode, at.child(name))
            except ConfigError as exc:
                errors.extend(exc.errors)
        if errors:
            raise ConfigError.group(errors)
        return tuple(out.items())

    def schema(self) -> dict[str, Any]:
        keys = self.key.schema()
        keys["type"] = "string"
        return {
            "type": self.types("object"),
            "propertyNames": keys,
            "additionalProperties": self.value.schema(),
        }

    def dump(self, value: object) -> object:
        return {k: self.value.dump(v) for k, v in cast(tuple[tuple[str, object], ...], value)}


@dataclass(frozen=True)
class Spec:
    """One configurable key: its kind, documentation, example and merge strategy."""

    kind: _Kind
    doc: str
    example: object = None
    merge: Literal["replace", "keys"] = "replace"
    inline: bool = False  # a record whose keys sit at this level (the org's repo defaults)


def _meta(
    kind: _Kind,
    doc: str,
    *,
    example: object = None,
    merge: Literal["replace", "keys"] = "replace",
    inline: bool = False,
) -> dict[str, Spec]:
    """Field metadata declaring a configurable key: ``field(default=…, metadata=_meta(…))``."""
    return {"spec": Spec(kind, doc, example, merge, inline)}


def _specs(cls: type) -> list[tuple[str, Spec]]:
    out: list[tuple[str, Spec]] = []
    for f in fields(cls):
        spec = f.metadata.get("spec")
        if isinstance(spec, Spec):
            out.append((f.name, spec))
    return out


class _Record(_Kind):
    """A mapping parsed into one of the config dataclasses, key by key."""

    expected = "a mapping of keys"

    def __init__(
        self,
        cls: type,
        *,
        omit: Iterable[str] = (),
        misplaced: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self.cls, self.omit = cls, frozenset(omit)
        self.misplaced: Mapping[str, tuple[str, str]] = misplaced or {}  # key -> message, hint
        self.nullable = True

    def null(self) -> object:
        return self.cls(explicit=frozenset())

    def own(self) -> dict[str, Spec]:
        return {n: s for n, s in _specs(self.cls) if n not in self.omit}

    def keys(self) -> list[str]:
        """Every key accepted at this level, inline records' keys included."""
        out: list[str] = []
        for name, spec in self.own().items():
            if spec.inline:
                out += cast(_Record, spec.kind).keys()
            else:
                out.append(name)
        return out

    def parse_value(self, node: yaml.Node, at: _At) -> object:
        if not isinstance(node, yaml.MappingNode):
            raise at.type_error(node, self.expected)
        return self.parse_pairs(node.value, at)

    def parse_pairs(self, pairs: Sequence[tuple[yaml.Node, yaml.Node]], at: _At) -> object:
        own = self.own()
        inline = next(((n, s) for n, s in own.items() if s.inline), None)
        inline_keys = set(cast(_Record, inline[1].kind).keys()) if inline else set()
        values: dict[str, object] = {}
        explicit: set[str] = set()
        errors: list[ConfigError] = []
        inline_pairs: list[tuple[yaml.Node, yaml.Node]] = []
        seen: set[str] = set()
        for knode, vnode in pairs:
            try:
                key = _key(knode, at)
                if key in seen:
                    where = at.child(key)
                    raise where.error(knode, "duplicate key", "keep one of the two")
                seen.add(key)
                spec = own.get(key)
                if spec is None or spec.inline:
                    if key in inline_keys:
                        inline_pairs.append((knode, vnode))
                        continue
                    raise self.unknown(key, knode, at)
                explicit.add(key)
                values[key] = spec.kind.parse(vnode, at.child(key, spec))
            except ConfigError as exc:
                errors.extend(exc.errors)
        if inline is not None:
            try:
                sub = cast(_Record, inline[1].kind).parse_pairs(inline_pairs, at)
                values[inline[0]] = sub
                if inline_pairs:
                    explicit.add(inline[0])
            except ConfigError as exc:
                errors.extend(exc.errors)
        if errors:
            raise ConfigError.group(errors)
        return self.cls(**values, source=at.file, explicit=frozenset(explicit))

    def unknown(self, key: str, knode: yaml.Node, at: _At) -> ConfigError:
        where = at.child(key)
        if key in self.misplaced:
            return where.error(knode, *self.misplaced[key])
        near = _suggest(key, self.keys())
        hint = f"did you mean `{near}`?" if near else f"known keys: {', '.join(self.keys())}"
        return where.error(knode, "unknown key", hint)

    def schema(self, defaults: object | None = None) -> dict[str, Any]:
        props: dict[str, Any] = {}
        for name, spec in self.own().items():
            sub_defaults = getattr(defaults, name) if defaults is not None else None
            if spec.inline:
                props.update(cast(_Record, spec.kind).schema(sub_defaults)["properties"])
                continue
            if isinstance(spec.kind, _Record):
                prop = spec.kind.schema(sub_defaults)
            else:
                prop = spec.kind.schema()
            prop = {"description": spec.doc, **prop}
            if defaults is not None and not isinstance(spec.kind, _Record):
                value = getattr(defaults, name)
                if value is not None or spec.kind.nullable:
                    prop["default"] = spec.kind.dump(value)
            if spec.example is not None:
                prop["examples"] = [spec.example]
            props[name] = prop
        return {"type": self.types("object"), "properties": props, "additionalProperties": False}

    def dump(self, value: object) -> object:
        out: dict[str, object] = {}
        for name, spec in self.own().items():
            dumped = spec.kind.dump(getattr(value, name))
            if spec.inline:
                out.update(cast(dict[str, object], dumped))
            else:
                out[name] = dumped
        return out


# --------------------------------------------------------------------------- the model

_INFER: frozenset[str] = frozenset({"\0infer"})  # marker: derive `explicit` from the values


def _post_init(obj: Any) -> None:
    """Objects built in code (not parsed) count the keys given non-default values as set."""
    if obj.explicit is _INFER:
        defaults = {f.name: f for f in fields(obj)}
        names = {n for n, _ in _specs(type(obj)) if getattr(obj, n) != _default(defaults[n])}
        object.__setattr__(obj, "explicit", frozenset(names))


def _default(f: Field[Any]) -> object:
    return f.default


def _relative_dir(value: str) -> str:
    norm = posixpath.normpath(value)
    return "" if norm == "." else norm


_LEVEL_HINT = "one of off, info, warning, error"
_PATH_GLOB = _Str(
    Check(r"^!", "negated globs are not supported: {value!r}", forbid=True),
)
_CONTEXT_DIR = _Str(
    Check(r"^/", "must be relative to the repository root: {value!r}", forbid=True),
    Check(
        r"(?:^|/)\.\.(?:/|(?![\s\S]))", "must stay inside the repository: {value!r}", forbid=True
    ),
    Check(r"[*?\[\]]", "must be a directory, not a glob: {value!r}", forbid=True),
    normalize=_relative_dir,
    dumper=lambda v: v or ".",
)
_USER_NAME = _Str(
    Check(r"^@", "write the name without '@': {value!r}", forbid=True),
    Check("/", "assignees are users; teams cannot be assigned: {value!r}", forbid=True),
    Check("^" + _USER + _END, "not a GitHub user name: {value!r}"),
)
_REVIEWER = _Str(
    Check(r"^@", "write the name without '@': {value!r}", forbid=True),
    Check(
        "^" + _USER + r"(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?" + _END,
        "not a GitHub user name or org/team slug: {value!r}",
    ),
)
_REPO_NAME_GLOB = _Str(
    Check(
        "/",
        "repository globs match the name only: {value!r}",
        "leave out the owner: `legacy-*`, not `acme/legacy-*`",
        forbid=True,
    ),
    Check(_REPO_GLOB, "not a repository name glob: {value!r}"),
)


@dataclass(frozen=True, kw_only=True)
class PRConfig:
    """How gocomply's pull requests look."""

    title_prefix: str | None = field(
        default=None,
        metadata=_meta(
            _Str(nullable=True, max_length=50),
            "Text put before every pull request title; null: none.",
            example="[gocomply]",
        ),
    )
    draft: bool = field(
        default=False, metadata=_meta(_Bool(), "Open pull requests as drafts.", example=True)
    )
    branch_prefix: str = field(
        default="gocomply/",
        metadata=_meta(
            _Str(
                Check(
                    r"^[A-Za-z0-9][A-Za-z0-9._/-]*" + _END,
                    "not a git branch name prefix: {value!r}",
                ),
                Check(
                    r"\.\.|//|/\.|\.lock(?:/|(?![\s\S]))",
                    "not a git branch name prefix: {value!r}",
                    forbid=True,
                ),
                max_length=100,
            ),
            "Prefix of the branches gocomply pushes (gocomply/ gives gocomply/<change>).",
            example="bots/gocomply-",
        ),
    )
    source: str | None = field(default=None, compare=False)
    explicit: frozenset[str] = field(default=_INFER, compare=False)
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        _post_init(self)


@dataclass(frozen=True, kw_only=True)
class RepoConfig:
    """Validated configuration of one repository, or one layer of it.

    ``explicit`` names the keys the layer set (layering takes only those); ``origins`` (of an
    effective config) says which layer set each key — ``rules.GC105`` and ``pr.draft`` per key.
    Field defaults are what a layer that sets nothing holds (for rules they equal the built-in
    defaults, so the local CLI, which has no org, behaves like the bot); effective values come
    from ``config/defaults.yml``, which sets every key.
    """

    enabled: bool | None = field(
        default=None,
        metadata=_meta(
            _Bool(),
            "Opt this repository in (true) or out (false). Opting out always counts; opting in "
            "counts where the org has not opted the repository out. Ignored when the org sets "
            "disable_repo_override.",
            example=False,
        ),
    )
    exclude: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            _List(_PATH_GLOB),
            "Dockerfiles and folders to leave alone: gitignore-style globs relative to the "
            "repository root (** spans folders).",
            example=["third_party/**", "legacy/Dockerfile"],
        ),
    )
    scope: Scope = field(
        default="go",
        metadata=_meta(
            _Enum("go", "all"),
            "go: only Dockerfiles that build Go; all: every Dockerfile.",
            example="all",
        ),
    )
    rules: tuple[tuple[str, RuleLevel], ...] = field(
        default=(),
        metadata=_meta(
            _Rules(),
            f"Level per rule, by code or name, or per family (GC0, GC1, GC2; a rule's own "
            f"entry wins): {_LEVEL_HINT}. Merged per rule across layers.",
            example={"GC105": "error"},
            merge="keys",
        ),
    )
    unsafe_fixes: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            _List(_RuleRef(allow_all=True)),
            "Rules (codes or names, or all) whose unsafe fixes may be applied.",
            example=["GC105"],
        ),
    )
    goproxy: str | None = field(
        default=None,
        metadata=_meta(
            _Str(
                Check(
                    r"^https?://[^\s,|]",
                    "must start with a proxy URL (https://…), not {value!r}",
                    "for example `https://goproxy.example.com,direct`",
                ),
                Check(
                    r"^[^\s,|]+(?:[,|][^\s,|]+)*" + _END,
                    "must be a list of proxies separated by ',' or '|' without spaces: {value!r}",
                ),
                nullable=True,
            ),
            "Module proxy to restore where a Dockerfile bypasses it (GOPROXY syntax; the first "
            "entry a URL); null: Go's default.",
            example="https://goproxy.example.com,direct",
        ),
    )
    gosumdb: str | None = field(
        default=None,
        metadata=_meta(
            _Str(
                Check(
                    r"^[Oo][Ff][Ff]" + _END,
                    "'off' would disable checksum verification",
                    "list private modules in private_patterns instead",
                    forbid=True,
                ),
                nullable=True,
            ),
            "Checksum database to restore (GOSUMDB syntax); null: Go's default, sum.golang.org.",
            example="sum.golang.org",
        ),
    )
    private_patterns: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            _List(
                _Str(
                    Check(r"^[^\s,]+" + _END, "not a module path pattern: {value!r}"),
                    Check(
                        r"^\*(/\*)?" + _END,
                        "{value!r} would make every module private",
                        "name your private module paths, e.g. `github.com/acme/*`",
                        forbid=True,
                    ),
                )
            ),
            "Module path globs (GOPRIVATE syntax) that may bypass the proxy and checksum database.",
            example=["github.com/acme/*"],
        ),
    )
    runtime_image: str | None = field(
        default=None,
        metadata=_meta(
            _Str(Check(r"^\S+" + _END, "not an image reference: {value!r}"), nullable=True),
            "Runtime base image proposed for final stages; null: the rule's default.",
            example="gcr.io/distroless/static-debian12:nonroot",
        ),
    )
    registry_mirrors: tuple[tuple[str, str], ...] = field(
        default=(),
        metadata=_meta(
            _Map(
                _Str(
                    Check(r"^[A-Za-z0-9.-]+(?::[0-9]+)?" + _END, "not a registry host: {value!r}")
                ),
                _Str(
                    Check(
                        r"^https?://[^\s/]+(?:/\S*)?" + _END,
                        "must be a registry URL (https://…), not {value!r}",
                    ),
                    Check(
                        r"^[^/]*//[^/]*@",
                        "must not carry credentials: {value!r}",
                        "set them in the environment (GOCOMPLY_REGISTRY_CREDENTIALS)",
                        forbid=True,
                    ),
                ),
                "a mapping of registry hosts to mirror URLs",
            ),
            "Registry mirrors for digest resolution (GC209, `gocomply fix --resolve-digests`): "
            "registry host as image references name it (docker.io) → base URL asked instead. "
            "Credentials never go here: they come from GOCOMPLY_REGISTRY_CREDENTIALS.",
            example={"docker.io": "https://mirror.gcr.io"},
        ),
    )
    toolchain_images: tuple[str, ...] = field(
        default=DEFAULT_TOOLCHAIN_IMAGES,
        metadata=_meta(
            _List(_PATH_GLOB),
            "Dockerfiles that ship the Go toolchain on purpose (dev, test, CI, release tooling): "
            "gitignore-style globs relative to the repository root; GC202 (toolchain-in-runtime) "
            "stays silent for them. Setting the key replaces the default list (dev, test, e2e, "
            "CI and build-environment images, and files under test/, tests/, testdata/, e2e/, "
            "hack/, .devcontainer/ and .github/).",
            example=["tools/release/Dockerfile", "Dockerfile.dev*"],
        ),
    )
    contexts: tuple[tuple[str, str], ...] = field(
        default=(),
        metadata=_meta(
            _Map(_PATH_GLOB, _CONTEXT_DIR, "a mapping of Dockerfile globs to directories"),
            "Build context per Dockerfile, for monorepos: Dockerfile path glob → directory "
            "relative to the repository root ('.' is the root). The first matching glob wins; "
            "otherwise the nearest folder holding go.mod.",
            example={"services/*/Dockerfile": "."},
        ),
    )
    schedule: str | None = field(
        default=None,
        metadata=_meta(
            _Cron(),
            "When scheduled sweeps may open or update pull requests: a 5-field cron expression in "
            "UTC (minute hour day-of-month month day-of-week); null: no scheduled sweeps.",
            example="0 6 * * 1-5",
        ),
    )
    labels: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            _List(_Str(max_length=50)),
            "Labels put on gocomply's pull requests.",
            example=["gocomply", "security"],
        ),
    )
    reviewers: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            _List(_REVIEWER),
            "Review requests for gocomply's pull requests: GitHub user names or org/team slugs.",
            example=["octocat", "acme/platform"],
        ),
    )
    assignees: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            _List(_USER_NAME),
            "GitHub users assigned to gocomply's pull requests.",
            example=["octocat"],
        ),
    )
    pr: PRConfig = field(
        default=PRConfig(), metadata=_meta(_Record(PRConfig), "Pull request settings.")
    )
    source: str | None = field(default=None, compare=False)
    explicit: frozenset[str] = field(default=_INFER, compare=False)
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        _post_init(self)

    def origin(self, key: str) -> str | None:
        """Which layer set ``key`` (``goproxy``, ``rules.GC105``, ``pr.draft``) in this config."""
        return dict(self.origins).get(key)

    def options(self, *, unsafe: bool = False) -> Options:
        """The options the rules see; ``unsafe`` opts into every unsafe fix (``--unsafe``)."""
        return Options(
            goproxy=self.goproxy,
            gosumdb=self.gosumdb,
            private_patterns=self.private_patterns,
            rules=self.rules,
            unsafe_fixes=("all",) if unsafe else self.unsafe_fixes,
            runtime_image=self.runtime_image,
            toolchain_images=self.toolchain_images,
        )

    def context_for(self, dockerfile: str) -> str | None:
        """The configured build context of a Dockerfile (repo-relative posix path, "" is the
        root), or None when no ``contexts`` glob matches."""
        from bot.discover import glob_to_regex

        for glob, directory in self.contexts:
            if glob_to_regex(glob).fullmatch(dockerfile):
                return directory
        return None

    def layered(self, override: RepoConfig) -> RepoConfig:
        """This config with the keys ``override`` set taken from ``override``."""
        return merge_layers([(self.source or "base", self), (override.source or "", override)])


_ORG_KEYS = (
    "opt_out_strategy",
    "opt_in_repos",
    "opt_out_repos",
    "opt_out_forks",
    "opt_out_archived",
    "disable_repo_override",
    "max_new_prs_per_hour",
    "max_open_prs",
    "repos",
)
_REPO_RECORD = _Record(
    RepoConfig,
    misplaced={
        k: (
            "an org setting, not a repository one",
            "put it in gocomply.yml in the organisation's .github repository and check that "
            "file with `gocomply validate --org`",
        )
        for k in _ORG_KEYS
    },
)
_REPO_ENTRY = _Record(
    RepoConfig,
    misplaced={
        k: ("an org setting, not allowed in a repos entry", "move it to the top level")
        for k in _ORG_KEYS
    },
)


@dataclass(frozen=True, kw_only=True)
class OrgConfig:
    """The organisation's ``gocomply.yml``: who is enabled, limits, and repository defaults.

    ``defaults`` holds the repository keys given at the top level; ``repos`` the per-repository
    entries (name glob → layer), in file order. Field defaults are placeholders: every function
    here layers an org config on the built-in defaults (`org_settings`) before reading it.
    """

    opt_out_strategy: bool = field(
        default=False,
        metadata=_meta(
            _Bool(),
            "true: every repository is enabled unless opted out; false: only repositories opted in "
            "(opt_in_repos, a repos entry with enabled: true, or their own enabled: true).",
            example=True,
        ),
    )
    opt_in_repos: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            _List(_REPO_NAME_GLOB),
            "Repository name globs to enable (case-insensitive, without the owner).",
            example=["svc-*"],
        ),
    )
    opt_out_repos: tuple[str, ...] = field(
        default=(),
        metadata=_meta(
            _List(_REPO_NAME_GLOB),
            "Repository name globs to disable; an opt-out beats an opt-in.",
            example=["legacy-*"],
        ),
    )
    opt_out_forks: bool = field(
        default=False, metadata=_meta(_Bool(), "Skip forks.", example=False)
    )
    opt_out_archived: bool = field(
        default=False,
        metadata=_meta(_Bool(), "Skip archived repositories (they are read-only).", example=True),
    )
    disable_repo_override: bool = field(
        default=False,
        metadata=_meta(
            _Bool(),
            "Ignore the repositories' own .gocomply.yml entirely (settings and enabled): only the "
            "org config applies.",
            example=True,
        ),
    )
    max_new_prs_per_hour: int = field(
        default=0,
        metadata=_meta(
            _Int(0, 10_000),
            "At most this many new pull requests per hour across the organisation (0 pauses new "
            "pull requests).",
            example=10,
        ),
    )
    max_open_prs: int | None = field(
        default=None,
        metadata=_meta(
            _Int(0, 100_000, nullable=True),
            "At most this many open gocomply pull requests in the organisation; null: no limit.",
            example=50,
        ),
    )
    defaults: RepoConfig = field(
        default=RepoConfig(),
        metadata=_meta(
            _Record(
                RepoConfig,
                omit=("enabled",),
            ),
            "Repository keys at the top level: defaults for every repository.",
            inline=True,
        ),
    )
    repos: tuple[tuple[str, RepoConfig], ...] = field(
        default=(),
        metadata=_meta(
            _Map(_REPO_NAME_GLOB, _REPO_ENTRY, "a mapping of repository name globs to settings"),
            "Per-repository settings held centrally: repository name glob → .gocomply.yml keys "
            "(enabled included). Every matching entry applies, in file order; a repository's own "
            "file still overrides them unless disable_repo_override.",
            example={"legacy-*": {"enabled": False}},
        ),
    )
    source: str | None = field(default=None, compare=False)
    explicit: frozenset[str] = field(default=_INFER, compare=False)
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        _post_init(self)

    def origin(self, key: str) -> str | None:
        return dict(self.origins).get(key)


_ORG_RECORD = _Record(
    OrgConfig,
    misplaced={
        "enabled": (
            "not an org setting",
            "choose repositories with opt_out_strategy, opt_in_repos and opt_out_repos, or set "
            "`enabled` in a `repos:` entry",
        )
    },
)


# --------------------------------------------------------------------------- parsing


def _decode(data: str | bytes, path: str) -> str:
    raw: bytes
    if isinstance(data, bytes):
        raw = data
    else:
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            line = data.count("\n", 0, exc.start) + 1
            raise ConfigError(
                path, line, None, "not valid UTF-8 text", "save it as UTF-8"
            ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            path,
            1,
            None,
            f"file is too large ({len(raw)} bytes; the limit is {MAX_CONFIG_BYTES // 1024} KiB)",
            "a configuration needs far less: remove generated content",
        )
    if isinstance(data, str):
        return data
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise ConfigError(
            path,
            line,
            None,
            f"not valid UTF-8 (byte 0x{bad} at offset {exc.start})",
            "save the file as UTF-8",
        ) from None


def _compose(data: str | bytes, path: str) -> yaml.Node | None:
    text = _decode(data, path)
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise ConfigError(
                    path,
                    _mark_line(event.start_mark),
                    None,
                    "YAML aliases (*name) are not allowed",
                    "write the value out instead of using an anchor (&name) and alias",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ConfigError(
                        path, _mark_line(event.start_mark), None, f"nested deeper than {MAX_DEPTH}"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.problem.startswith("but "):
            problem = f"{exc.context}, {exc.problem}"
        raise ConfigError(
            path,
            _mark_line(mark),
            None,
            f"invalid YAML: {problem}",
            "check the indentation and quoting around this line",
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ConfigError(
            path, line, None, f"invalid YAML: unacceptable character #x{exc.character:04x}"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, 1, None, f"invalid YAML: {exc}") from None


def _mark_line(mark: Any) -> int:
    return int(mark.line) + 1 if mark is not None else 1


def _parse(record: _Record, data: str | bytes, path: str) -> object:
    try:
        root = _compose(data, path)
        if root is None or _is_null(root):
            return record.cls(source=path, explicit=frozenset())
        if not isinstance(root, yaml.MappingNode):
            raise ConfigError(path, _line(root), None, "the top level must be a mapping of keys")
        return record.parse_pairs(root.value, _At(path))
    except ConfigError:
        raise
    except Exception as exc:  # the last resort: a bug here must not escape as anything else
        raise ConfigError(path, 1, None, f"internal error: {type(exc).__name__}: {exc}") from None


def parse_repo_config(text: str | bytes, path: str = REPO_CONFIG_NAME) -> RepoConfig:
    """Parse a repository's ``.gocomply.yml`` (text, or bytes as fetched); `ConfigError` only."""
    return cast(RepoConfig, _parse(_REPO_RECORD, text, path))


def parse_org_config(
    text: str | bytes, path: str = f"{ORG_CONFIG_REPO}/{ORG_CONFIG_PATH}"
) -> OrgConfig:
    """Parse an organisation's ``gocomply.yml``; `ConfigError` only."""
    return cast(OrgConfig, _parse(_ORG_RECORD, text, path))


parse_config = parse_repo_config  # the CLI's name


def _read(path: Path | str, name: str) -> bytes:
    try:
        return read_bytes(path, limit=MAX_CONFIG_BYTES)
    except ReadError as exc:
        raise ConfigError(name, 1, None, str(exc)) from None


def load_config(path: Path | str, display: str | None = None) -> RepoConfig:
    """Read and parse a repository config file; every problem is a `ConfigError`."""
    name = display or Path(path).as_posix()
    return parse_repo_config(_read(path, name), name)


def load_org_config(path: Path | str, display: str | None = None) -> OrgConfig:
    """Read and parse an org config file; every problem is a `ConfigError`."""
    name = display or Path(path).as_posix()
    return parse_org_config(_read(path, name), name)


@functools.cache
def builtin_defaults() -> OrgConfig:
    """The built-in defaults layer: ``config/defaults.yml``, packaged as ``bot/data/``."""
    import importlib.resources  # ≈10 ms: not at import

    data = importlib.resources.files("bot").joinpath("data/defaults.yml").read_bytes()
    return parse_org_config(data, "config/defaults.yml")


# --------------------------------------------------------------------------- layering

_L = TypeVar("_L", RepoConfig, OrgConfig, PRConfig)


def merge_layers(layers: Sequence[tuple[str, _L]]) -> _L:
    """Merge config layers (label, layer), lowest first: each takes only the keys it set.

    ``rules`` merge per rule code and nested records (``pr``) per key; every other value is
    replaced whole. The result's ``origins`` name the layer label that set each key.
    """
    if not layers:
        raise ValueError("merge_layers needs at least one layer")
    cls: Any = type(layers[0][1])
    values, explicit, origins = _merge(cls, layers)
    source = next((layer.source for _, layer in reversed(layers) if layer.source), None)
    merged: _L = cls(
        **values,
        source=source,
        explicit=frozenset(explicit),
        origins=tuple(sorted(origins.items())),
    )
    return merged


def _merge(
    cls: type, layers: Sequence[tuple[str, Any]]
) -> tuple[dict[str, object], set[str], dict[str, str]]:
    values: dict[str, object] = {}
    explicit: set[str] = set()
    origins: dict[str, str] = {}
    for name, spec in _specs(cls):
        if isinstance(spec.kind, _Record):
            sub_cls = spec.kind.cls
            sv, se, so = _merge(sub_cls, [(label, getattr(layer, name)) for label, layer in layers])
            values[name] = sub_cls(**sv, explicit=frozenset(se))
            if se:
                explicit.add(name)
            prefix = "" if spec.inline else f"{name}."
            origins.update({prefix + k: v for k, v in so.items()})
            continue
        setting = [
            (label, getattr(layer, name)) for label, layer in layers if name in layer.explicit
        ]
        if not setting:
            continue
        explicit.add(name)
        if spec.merge == "keys":
            merged: dict[str, object] = {}
            for label, value in setting:
                for k, v in value:
                    merged[k] = v
                    origins[f"{name}.{k}"] = label
            values[name] = tuple(sorted(merged.items()))
            origins[name] = setting[-1][0]  # the last layer that set any of it
        else:
            label, value = setting[-1]
            values[name] = value
            origins[name] = label
    return values, explicit, origins


def repo_matches(glob: str, repo_name: str) -> bool:
    """Does a repository name glob match? Case-insensitive, like GitHub's names."""
    return fnmatch.fnmatchcase(repo_name.lower(), glob.lower())


def _org_label(org: OrgConfig) -> str:
    return f"org ({org.source or 'gocomply.yml'})"


def org_settings(defaults: OrgConfig, org: OrgConfig | None) -> OrgConfig:
    """The org config layered on the built-in defaults."""
    layers = [(f"defaults ({defaults.source or 'built-in'})", defaults)]
    if org is not None:
        layers.append((_org_label(org), org))
    return merge_layers(layers)


def effective_config(
    defaults: OrgConfig, org: OrgConfig | None, repo_name: str, repo_layer: RepoConfig | None
) -> RepoConfig:
    """The configuration that applies to one repository, with ``origins`` per key.

    Layers: built-in defaults < org < matching org ``repos:`` entries (file order) < the
    repository's file (skipped when the org sets ``disable_repo_override``).
    """
    settings = org_settings(defaults, org)
    layers = [(f"defaults ({defaults.source or 'built-in'})", defaults.defaults)]
    if org is not None:
        layers.append((_org_label(org), org.defaults))
        for glob, entry in settings.repos:
            if repo_matches(glob, repo_name):
                layers.append((f"{_org_label(org)} repos.{glob}", entry))
    if repo_layer is not None and not settings.disable_repo_override:
        layers.append((f"repo ({repo_layer.source or REPO_CONFIG_NAME})", repo_layer))
    return merge_layers(layers)


def _org_word(settings: OrgConfig, repo_name: str) -> tuple[bool, str, bool]:
    """The org's decision: (enabled, reason, explicit) — explicit unless the strategy default."""
    stated: tuple[bool, str] | None = None
    for glob, entry in settings.repos:
        if (
            "enabled" in entry.explicit
            and entry.enabled is not None
            and repo_matches(glob, repo_name)
        ):
            word = "in" if entry.enabled else "out"
            stated = (entry.enabled, f"opted {word} by org repos entry '{glob}'")
    if stated is not None:
        return stated[0], stated[1], True
    for glob in settings.opt_out_repos:
        if repo_matches(glob, repo_name):
            return False, f"opted out by org opt_out_repos '{glob}'", True
    for glob in settings.opt_in_repos:
        if repo_matches(glob, repo_name):
            return True, f"opted in by org opt_in_repos '{glob}'", True
    if settings.opt_out_strategy:
        return True, "enabled by org opt_out_strategy (every repository unless opted out)", False
    return (
        False,
        "not opted in (the org uses opt-in: list it in opt_in_repos or set `enabled: true`)",
        False,
    )


def _decide(
    settings: OrgConfig, repo_name: str, fork: bool, archived: bool, repo_layer: RepoConfig | None
) -> tuple[bool, str, bool]:
    """(enabled, reason, final): ``final`` when the repository's own file cannot change it."""
    if archived and settings.opt_out_archived:
        return False, "archived repository (org opt_out_archived)", True
    if fork and settings.opt_out_forks:
        return False, "fork (org opt_out_forks; set it to false to include forks)", True
    value, reason, explicit = _org_word(settings, repo_name)
    said = repo_layer.enabled if repo_layer is not None else None
    src = (repo_layer.source if repo_layer is not None else None) or REPO_CONFIG_NAME
    if settings.disable_repo_override:
        if said is not None and said != value:
            reason += f" ({src} `enabled: {str(said).lower()}` ignored: org sets "
            reason += "disable_repo_override)"
        return value, reason, True
    if said is False:
        return False, f"opted out by {src} (enabled: false)", not value and explicit
    if said is True and not value:
        if explicit:
            return False, f"{reason} (`enabled: true` in the repository cannot undo it)", True
        return True, f"opted in by {src} (enabled: true)", False
    return value, reason, not value and explicit


def repo_enabled(
    org: OrgConfig | None,
    repo_name: str,
    *,
    fork: bool,
    archived: bool,
    repo_layer: RepoConfig | None,
    defaults: OrgConfig | None = None,
) -> tuple[bool, str]:
    """Is gocomply enabled for a repository, and why (see the module docstring)?

    ``org`` is the org file's layer (layered here on ``defaults``, the built-in defaults unless
    given); ``repo_layer`` the repository's own parsed file, if any.
    """
    settings = org_settings(defaults or builtin_defaults(), org)
    enabled, reason, _ = _decide(settings, repo_name, fork, archived, repo_layer)
    return enabled, reason


# --------------------------------------------------------------------------- hashing


def to_data(cfg: RepoConfig | OrgConfig) -> dict[str, object]:
    """Plain data (YAML/JSON-able) of every key of a config, in model order."""
    record = _ORG_RECORD if isinstance(cfg, OrgConfig) else _REPO_RECORD
    return cast(dict[str, object], record.dump(cfg))


def config_hash(cfg: RepoConfig | OrgConfig) -> str:
    """Stable sha256 (hex) of a config's values; equal configs hash equal across processes."""
    import hashlib  # the App's only: not at import

    body = json.dumps(to_data(cfg), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{_HASH_VERSION}\n{type(cfg).__name__}\n{body}".encode()).hexdigest()


# --------------------------------------------------------------------------- the App's resolver


@dataclass(frozen=True)
class Decision:
    """What the configuration says about one repository (`OrgResolver.decide`)."""

    enabled: bool
    reason: str
    config: RepoConfig | None = None
    error: ConfigError | None = None
    config_hash: str = ""


class OrgResolver:
    """Configuration of one organisation as `bot.scan.Scanner` asks for it.

    ``org`` is the parsed org file (None when the org has none: built-in defaults apply). A
    broken org file is the caller's `ConfigError`: the sweep stops, no silent defaults.
    """

    def __init__(
        self,
        org: OrgConfig | None,
        *,
        defaults: OrgConfig | None = None,
        repo_config_path: str = REPO_CONFIG_NAME,
    ) -> None:
        self.org = org
        self.defaults = defaults or builtin_defaults()
        self.settings = org_settings(self.defaults, org)
        self.repo_config_path = repo_config_path
        self._hash = config_hash(self.settings)

    def skip_reason(self, repo: Repo) -> str | None:
        """Why a repository is skipped before any request, when its own file cannot matter."""
        if repo.disabled:
            return "disabled repository"
        enabled, reason, final = _decide(self.settings, repo.name, repo.fork, repo.archived, None)
        return reason if not enabled and final else None

    def org_hash(self) -> str:
        return self._hash

    def decide(self, repo: Repo, repo_config: str | None) -> Decision:
        layer = None
        if repo_config is not None and not self.settings.disable_repo_override:
            try:
                layer = parse_repo_config(repo_config, self.repo_config_path)
            except ConfigError as exc:
                return Decision(False, str(exc), error=exc)
        enabled, reason, _ = _decide(self.settings, repo.name, repo.fork, repo.archived, layer)
        cfg = effective_config(self.defaults, self.org, repo.name, layer)
        return Decision(enabled, reason, cfg, config_hash=config_hash(cfg))


# --------------------------------------------------------------------------- schemas


def _schema_doc(
    record: _Record, defaults: object, name: str, title: str, description: str
) -> dict[str, Any]:
    body = record.schema(defaults)
    body["type"] = ["object", "null"]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_BASE + name,
        "$comment": "Generated from bot/config.py by `python -m bot.config --write-schema`; "
        "do not edit.",
        "title": title,
        "description": description,
        **body,
    }


def repo_schema() -> dict[str, Any]:
    """JSON Schema (draft-07) of ``.gocomply.yml``, generated from the model."""
    return _schema_doc(
        _REPO_RECORD,
        builtin_defaults().defaults,
        "gocomply.schema.json",
        "gocomply repository configuration (.gocomply.yml)",
        "Settings of one repository. Unset keys come from the org's gocomply.yml and the "
        "built-in defaults.",
    )


def org_schema() -> dict[str, Any]:
    """JSON Schema (draft-07) of the org's ``gocomply.yml``, generated from the model."""
    return _schema_doc(
        _ORG_RECORD,
        builtin_defaults(),
        "gocomply-org.schema.json",
        "gocomply organisation configuration (gocomply.yml in the org's .github repository)",
        "Which repositories gocomply works on, its limits, and defaults for every repository's "
        ".gocomply.yml keys.",
    )


def generated_files() -> dict[str, str]:
    """Files under the repository root generated from the model: path → content."""

    def dump(doc: dict[str, Any]) -> str:
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    return {
        "config/gocomply.schema.json": dump(repo_schema()),
        "config/gocomply-org.schema.json": dump(org_schema()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.config", description="Regenerate files derived from the model."
    )
    parser.add_argument("--write-schema", action="store_true", help="rewrite config/*.schema.json")
    parser.add_argument(
        "--sync-defaults",
        action="store_true",
        help="copy config/defaults.yml to bot/data/defaults.yml (the package's copy)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a file is stale")
    args = parser.parse_args(argv)
    if not (args.write_schema or args.sync_defaults or args.check):
        parser.error("nothing to do: give --write-schema, --sync-defaults or --check")
    canonical = ROOT / "config" / "defaults.yml"
    packaged = ROOT / "bot" / "data" / "defaults.yml"
    if args.sync_defaults:
        packaged.parent.mkdir(exist_ok=True)
        packaged.write_bytes(canonical.read_bytes())
        builtin_defaults.cache_clear()
    stale = [] if packaged.read_bytes() == canonical.read_bytes() else ["bot/data/defaults.yml"]
    for rel, content in generated_files().items():
        target = ROOT / rel
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == content:
            continue
        if args.write_schema:
            target.write_text(content, encoding="utf-8")
            print(f"wrote {rel}")
        else:
            stale.append(rel)
    for rel in stale:
        print(f"stale: {rel}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
