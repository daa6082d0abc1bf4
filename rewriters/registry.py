"""Rule metadata, the ``@rule`` decorator and discovery of ``rewriters/rules/``.

A rule is one module in ``rewriters/rules/`` with one function decorated by `rule`. The module
docstring is the user documentation and must have exactly these sections, in order:
``What it does``, ``Why is this bad?``, ``Example``, ``Fix safety``. `gocomply explain`, the
generated docs and pull request bodies all render from it, so they cannot drift.

A rule's function takes ``(doc, ctx)`` and yields `Violation`s; the engine adds the rule's
code, name and severity, applies pragmas and configuration, and decides which fixes to apply.
Rules never read files, the environment or the clock.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rewriters.edits import Edit, Span

if TYPE_CHECKING:
    from rewriters.context import RuleContext
    from rewriters.document import Document

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe", "none"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Fix safety")
_CODE_RE = re.compile(r"^GC[0-9]{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


FAMILIES = ("GC0", "GC1", "GC2")
"""Rule families: ``GC0`` waiver problems, ``GC1`` dangerous commands, ``GC2`` safe practices.
A family is a valid selection word even while it holds no rule."""


def family_of(code: str) -> str:
    """The rule family of a code: ``GC1`` (dangerous commands) or ``GC2`` (safe practices)."""
    return code[:3]


def severity_rank(severity: Severity) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Fix:
    """Edits that resolve one violation, with a one-line description for tables and diffs."""

    edits: tuple[Edit, ...]
    description: str
    applicability: Applicability = "safe"


class Unfixable(Exception):
    """A fix cannot be built safely here; ``reason`` tells the user why (one sentence, no
    trailing period). Raised by edit helpers and rule code inside a fix builder; the engine
    turns it into a finding without a fix whose note is the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


FixBuilder = Callable[[], "Fix | None"]


@dataclass(frozen=True)
class Violation:
    """What a rule reports: where, what goes wrong (one sentence), and optionally a fix.

    Instead of ``fix``, a rule may pass ``build``: a function of no arguments that returns the
    fix (or None) and raises `Unfixable` when the edit cannot be proven safe. The engine calls
    it once (`resolved`) and reports the reason as the note, so every refusal is worded by
    the helper that refused.

    ``note`` explains why no fix is offered when a fix exists for other files (the reason a
    fix degraded to a report), so users see why this file was left alone.
    """

    span: Span
    message: str
    fix: Fix | None = None
    note: str | None = None
    build: FixBuilder | None = field(default=None, compare=False, repr=False)

    def resolved(self) -> Violation:
        """This violation with its fix built (`Unfixable` becomes the note)."""
        if self.build is None:
            return self
        try:
            built = self.build()
        except Unfixable as exc:
            return Violation(self.span, self.message, None, self.note or exc.reason)
        return Violation(self.span, self.message, built, self.note)


@dataclass(frozen=True)
class RuleDoc:
    """The four documentation sections of a rule, as Markdown."""

    what: str
    why: str
    example: str
    fix_safety: str
    title: str = ""

    @property
    def summary(self) -> str:
        """The docstring's title line (else the first sentence of "What it does")."""
        if self.title:
            return self.title
        first = self.what.strip().split("\n\n")[0].replace("\n", " ")
        return first.split(". ")[0].rstrip(".") + "."

    def markdown(self) -> str:
        return "\n\n".join(
            f"## {title}\n\n{body.strip()}"
            for title, body in zip(
                DOC_SECTIONS, (self.what, self.why, self.example, self.fix_safety), strict=True
            )
        )


CheckFn = Callable[["Document", "RuleContext"], Iterator[Violation]]


@dataclass(frozen=True)
class Rule:
    """A registered rule.

    ``commit`` is the imperative phrase for commit subjects and PR titles ("stop overriding
    GOROOT"). ``outputs`` says what the rule's fix does to what the image build produces:
    None when the built binaries, their paths and the entrypoints stay exactly the same,
    else one clause saying what changes (shown in the PR summary).
    """

    code: str
    name: str
    severity: Severity
    fix: Applicability
    check: CheckFn = field(repr=False, compare=False)
    doc: RuleDoc = field(repr=False, compare=False)
    module: str = ""
    commit: str = ""
    outputs: str | None = None

    @property
    def family(self) -> str:
        """``GC1xx`` dangerous commands or ``GC2xx`` missing safe practices."""
        return "dangerous-command" if family_of(self.code) == "GC1" else "safe-practice"


class RuleDefinitionError(ValueError):
    """A rule module does not meet the registry's contract."""


_REGISTRY: dict[str, Rule] = {}


def parse_doc(docstring: str | None, module: str) -> RuleDoc:
    """Split a rule module docstring into its four sections (``## Title`` headings)."""
    if not docstring:
        raise RuleDefinitionError(f"{module}: rule module has no docstring")
    parts = re.split(r"^## +(.+?)\s*$", docstring, flags=re.MULTILINE)
    titles = tuple(t.strip() for t in parts[1::2])
    if titles != DOC_SECTIONS:
        raise RuleDefinitionError(
            f"{module}: docstring sections are {titles}, expected {DOC_SECTIONS}"
        )
    bodies = [b.strip() for b in parts[2::2]]
    if any(not b for b in bodies):
        raise RuleDefinitionError(f"{module}: a docstring section is empty")
    title = " ".join(parts[0].split())
    if not title.endswith("."):
        raise RuleDefinitionError(f"{module}: the docstring must start with a one-line title")
    what, why, example, fix_safety = bodies
    return RuleDoc(what, why, example, fix_safety, title=title)


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    fix: Applicability,
    commit: str,
    outputs: str | None,
) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` as the check of rule ``code``; the module docstring is its documentation.

    ``commit`` and ``outputs`` are required so that everything gocomply says about a rule's fix
    (commit subject, PR summary) comes from the rule module itself (see `Rule`).
    """
    if not _CODE_RE.match(code):
        raise RuleDefinitionError(f"bad rule code {code!r}")
    if not _NAME_RE.match(name):
        raise RuleDefinitionError(f"bad rule name {name!r}")
    if not commit or commit[0].isupper() or commit.endswith("."):
        raise RuleDefinitionError(f"{code}: commit must be a lower-case imperative phrase")

    def register(fn: CheckFn) -> CheckFn:
        mod = importlib.import_module(fn.__module__)
        doc = parse_doc(mod.__doc__, fn.__module__)
        for other in _REGISTRY.values():
            if other.module != fn.__module__ and (other.code == code or other.name == name):
                raise RuleDefinitionError(f"{fn.__module__}: {code}/{name} already registered")
        _REGISTRY[code] = Rule(code, name, severity, fix, fn, doc, fn.__module__, commit, outputs)
        return fn

    return register


_discovered: list[str] = []  # the rules package paths already imported (see all_rules)


def all_rules() -> tuple[Rule, ...]:
    """Every rule in ``rewriters/rules/``, sorted by code.

    The package is listed and imported once per process (listing it cost ≈10 % of a file's
    analysis, and the engine asks for every file); the registry itself is read on every call."""
    import rewriters.rules as pkg

    paths = list(pkg.__path__)
    if _discovered != paths:
        for info in pkgutil.iter_modules(paths):
            if not info.name.startswith("_"):
                importlib.import_module(f"{pkg.__name__}.{info.name}")
        _discovered[:] = paths
    return tuple(sorted(_REGISTRY.values(), key=lambda r: r.code))


def find_rule(key: str) -> Rule | None:
    """A rule by code (``GC105``, any case) or name (``goproxy-bypass``)."""
    k = key.strip()
    for r in all_rules():
        if r.code == k.upper() or r.name == k.lower():
            return r
    return None
