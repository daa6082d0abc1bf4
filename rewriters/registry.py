"""Rule metadata, the ``@rule`` decorator and discovery of ``rewriters/rules/``.

A rule is one module in ``rewriters/rules/`` with one function decorated by `rule`. The module
docstring is the user documentation and must have exactly these sections, in order:
``What it does``, ``Why is this bad?``, ``Example``, ``Fix safety``. `gocomply explain`, the
generated docs and pull request bodies all render from it, so they cannot drift.

A rule's function takes ``(doc, ctx)`` and yields `Violation`s; the engine adds the rule's
code, name and severity, applies pragmas and configuration, and decides which fixes to apply.
Rules never read files, the environment or the clock. `Violation`, `Fix`, `Unfixable` and
`Severity` live in `rewriters.findings` and are re-exported here: they are the rule author's API.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rewriters.findings import SEVERITIES as SEVERITIES
from rewriters.findings import Applicability as Applicability
from rewriters.findings import Fix as Fix
from rewriters.findings import Severity as Severity
from rewriters.findings import Unfixable as Unfixable
from rewriters.findings import Violation as Violation
from rewriters.findings import severity_rank as severity_rank

if TYPE_CHECKING:
    from rewriters.context import RuleContext
    from rewriters.document import Document

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Fix safety")
_CODE_RE = re.compile(r"^GC[0-9]{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


FAMILIES = ("GC0", "GC1", "GC2")
"""Rule families: ``GC0`` waiver problems, ``GC1`` dangerous commands, ``GC2`` safe practices.
A family is a valid selection word even while it holds no rule."""
WAIVER_FAMILY = "GC0"


def family_of(code: str) -> str:
    """The rule family of a code: ``GC0`` (waivers), ``GC1`` (dangerous commands) or ``GC2``
    (safe practices)."""
    return code[:3]


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
        """``GC0xx`` problems of waivers, ``GC1xx`` dangerous commands or ``GC2xx`` missing
        safe practices."""
        fam = family_of(self.code)
        if fam == WAIVER_FAMILY:
            return "waiver"
        return "dangerous-command" if fam == "GC1" else "safe-practice"


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
