"""Go tools installed or run from a remote module without a fixed version.

## What it does

Finds `go install` and `go run` of a remote package (one whose path starts with a domain, such
as `golang.org/x/tools/cmd/goimports`) at `@latest`, at a branch or other moving query
(`@master`, `@v1`, `@upgrade`), or with no version at all, in every form a `RUN` can take:
shell form, `&&` chains and continuation lines, `["go","install",…]` exec form,
`["sh","-c",…]`, heredoc scripts and `ONBUILD RUN`; `CMD`/`ENTRYPOINT` lines that run
`go run` are checked too. A version that comes from an `ARG`/`ENV` default
(`@${LINT_VERSION}`) is judged by that default.

A package is pinned by a full semantic version (`@v1.2.3`, pre-releases, pseudo-versions and
`+incompatible` included), by a commit hash of 40 or more hex digits, or by `@none` — the
forms OpenSSF Scorecard's Pinned-Dependencies check accepts. Local packages (`./cmd/app`, `.`)
and files (`go run build/ci.go install`, `go run main.go`) are never reported. Neither is a
remote package named without a version after an earlier step of the stage put the repository's
go.mod in place (a `COPY` of go.mod, or `go mod download`): go then builds the version go.mod
requires and go.sum verifies (Scorecard's heuristic still counts such a line as unpinned).

## Why is this bad?

`@latest` and branch names are resolved when the image is built, so two builds of the same
commit can install different tools, and a compromised or broken release lands in the image
without any change to the repository. Without a version, what gets built depends on whatever
go.mod (or GOPATH) the command happens to run against rather than on this line, and OpenSSF
Scorecard counts the command as an unpinned dependency.

## Example

```dockerfile
FROM golang:1.22 AS tools
RUN go install golang.org/x/tools/cmd/goimports@latest
```

is reported; pin a full version instead (the form Scorecard accepts):

```dockerfile
FROM golang:1.22 AS tools
RUN go install golang.org/x/tools/cmd/goimports@v0.24.0
```

## Fix safety

None: choosing a version is a decision for the maintainers (the newest release is not always
the one the project was tested with), so the rule reports with the pin format and edits
nothing. A later fix may resolve the current version through the configured module proxy.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.goenv import CommandEnv
from rewriters.model import Model, Scope
from rewriters.registry import Violation, rule
from rewriters.shell import ShellScript, ShellWord, SimpleCommand, scripts_for_run

# OpenSSF Scorecard (checks/raw/shell_download_validate.go, isGoUnpinnedDownload)
SEMVER_RE = re.compile(r"v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")
COMMIT_RE = re.compile(r"[A-Fa-f0-9]{40,}")
_DOMAIN_RE = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?")

# go build/install/run/get flags that take a separate value (`go help build`, `go help get`)
VALUE_FLAGS = frozenset(
    {
        "-C",
        "-asmflags",
        "-buildmode",
        "-compiler",
        "-coverpkg",
        "-covermode",
        "-exec",
        "-gccgoflags",
        "-gcflags",
        "-installsuffix",
        "-ldflags",
        "-mod",
        "-modfile",
        "-o",
        "-overlay",
        "-p",
        "-pgo",
        "-pkgdir",
        "-tags",
        "-toolexec",
    }
)
PIN_FORMAT = "a full semantic version `@vX.Y.Z` or a commit hash of 40+ hex digits"


def split_version(arg: str) -> tuple[str, str | None]:
    """``path@version`` → (path, version); no ``@`` → (arg, None)."""
    path, at, version = arg.partition("@")
    return path, (version if at else None)


def is_remote(path: str) -> bool:
    """Does this package path name a remote module (a domain-like first element)?"""
    if not path or path[0] in "./-~$\\":
        return False
    first = path.split("/", 1)[0]
    if "/" not in path and path.endswith(".go"):
        return False  # go run main.go
    return _DOMAIN_RE.fullmatch(first) is not None


def is_pinned(version: str) -> bool:
    """A version OpenSSF Scorecard counts as pinned for ``go install``/``go get``."""
    return (
        version == "none"
        or SEMVER_RE.fullmatch(version) is not None
        or COMMIT_RE.fullmatch(version) is not None
    )


def word_value(
    word: ShellWord, scope: Scope, script: ShellScript, cmd: SimpleCommand
) -> str | None:
    """The word's value; ``$VAR``/``${VAR}`` references are expanded with known ARG/ENV values
    when nothing in the script itself sets those variables. None when unknown."""
    if word.value is not None:
        return word.value
    if not word.refs or len(word.refs) != len(word.expansions):
        return None  # command substitution or an expansion we cannot follow
    if any(not r.simple for r in word.refs):
        return None
    names = {r.name for r in word.refs}
    local = {a.name for a in cmd.assignments}
    local |= {e.assignment.name for e in script.exports}
    local |= {a.name for a in script.variables}
    if names & local:
        return None
    wv = scope.expand(word.text, "\\")
    if wv.unresolved:
        return None
    return wv.value


def go_subcommand(cmd: SimpleCommand) -> str | None:
    """``get`` for ``go get …`` (any path to ``go``), else None."""
    if len(cmd.words) < 2 or cmd.words[0].basename != "go":
        return None
    return cmd.words[1].value


@dataclass(frozen=True)
class GoArgs:
    """Flags and positional arguments after a go subcommand; indices into ``cmd.words``."""

    flags: tuple[tuple[str, str | None, tuple[int, ...]], ...]  # name, value, word indices
    positional: tuple[int, ...]
    dynamic: bool  # a flag position held a word whose value is unknown


def parse_go_args(values: Sequence[str | None], start: int = 2) -> GoArgs:
    """Split ``values[start:]`` like the go command: flags until the first non-flag."""
    flags: list[tuple[str, str | None, tuple[int, ...]]] = []
    positional: list[int] = []
    dynamic = False
    i = start
    while i < len(values):
        v = values[i]
        if v is None:
            dynamic = True
            positional.extend(range(i, len(values)))
            break
        if v == "--":
            positional.extend(range(i + 1, len(values)))
            break
        if not v.startswith("-") or v == "-":
            positional.extend(range(i, len(values)))
            break
        name, eq, val = v.lstrip("-").partition("=")
        name = "-" + name
        if eq:
            flags.append((name, val, (i,)))
        elif name in VALUE_FLAGS and i + 1 < len(values):
            flags.append((name, values[i + 1], (i, i + 1)))
            i += 1
        else:
            flags.append((name, None, (i,)))
        i += 1
    return GoArgs(tuple(flags), tuple(positional), dynamic)


def go_commands(
    doc: Document, names: frozenset[str] = frozenset({"RUN"})
) -> Iterator[tuple[Instruction, ShellScript, SimpleCommand]]:
    """Every ``go …`` command of the instructions named ``names`` (ONBUILD triggers too)."""
    for outer in doc.instructions:
        ins = outer.effective
        if ins.name not in names:
            continue
        for script in scripts_for_run(ins, doc.text):
            for cmd in script.commands:
                if go_subcommand(cmd) is not None:
                    yield outer, script, cmd


def shown(cmd: SimpleCommand, limit: int = 72) -> str:
    """The command as a user would type it, shortened for messages."""
    parts: list[str] = []
    for w in cmd.words:
        v = w.value if w.value is not None else w.text
        parts.append(
            f'"{v}"' if w.value is not None and (not v or any(c.isspace() for c in v)) else v
        )
    text = " ".join(" ".join(parts).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message(sub: str, path: str, version: str | None, when: str) -> str:
    pkg = f"{path}@{version}" if version is not None else path
    example = f"`{path}@vX.Y.Z`"
    if version is None:
        return (
            f"`go {sub} {pkg}` names no version, so what it builds depends on whatever go.mod "
            f"(or GOPATH) it runs against, not on this line, and OpenSSF Scorecard counts it as "
            f"unpinned; pin it as {example} ({PIN_FORMAT})."
        )
    return (
        f"`go {sub} {pkg}` does not pin {path}: go resolves `@{version}` {when}, so two "
        f"builds of one commit can get different code; pin it as {example} ({PIN_FORMAT}, the "
        "forms OpenSSF Scorecard accepts)."
    )


def _packages(sub: str, args: GoArgs) -> tuple[int, ...]:
    if sub == "install":
        return args.positional
    return args.positional[:1]  # go run: the package, then the program's arguments


def _module_in_place(
    doc: Document, model: Model, env: CommandEnv, outer: Instruction, cmd: SimpleCommand
) -> bool:
    """Did an earlier step of this stage (or its parents) put the repository's go.mod in place?

    Evidence: a COPY/ADD of a file named go.mod, or a `go mod download|tidy|vendor|verify`.
    Then a versionless remote package resolves to the version that go.mod requires.
    """
    stage = model.stage_of(outer)
    if stage is None:
        return False
    chain = {st.index for st in model.lineage(stage)}
    mode = env.get("GO111MODULE").value
    if mode is None or mode.strip().lower() not in ("", "on"):
        return False
    for ins in doc.instructions:
        if ins.span.start >= cmd.span.start:
            break
        st = model.stage_of(ins)
        if ins.sub is not None or st is None or st.index not in chain:
            continue
        if ins.name in ("COPY", "ADD"):
            if any(posixpath.basename(w.value.rstrip("/")) == "go.mod" for w in ins.args[:-1]):
                return True
        elif ins.name == "RUN":
            for script in scripts_for_run(ins, doc.text):
                for other in script.commands:
                    if other.span.start >= cmd.span.start:
                        continue
                    if go_subcommand(other) == "mod" and other.argv_values[2:3] in (
                        ("download",),
                        ("tidy",),
                        ("vendor",),
                        ("verify",),
                    ):
                        return True
    return False


@rule(
    code="GC106",
    name="unpinned-go-tool",
    severity="warning",
    fix="none",
    commit="pin Go tools to versions",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model: Model = ctx.model(doc)
    goenv = ctx.goenv(doc)
    for outer, script, cmd in go_commands(doc, frozenset({"RUN", "CMD", "ENTRYPOINT"})):
        sub = go_subcommand(cmd)
        if sub not in ("install", "run"):
            continue
        name = outer.effective.name
        if sub == "install" and name != "RUN":
            continue
        when = "when the image is built" if name == "RUN" else "every time the container starts"
        scope = model.scope_before(outer)
        values = [word_value(w, scope, script, cmd) for w in cmd.words]
        args = parse_go_args(values)
        module: bool | None = None
        for i in _packages(sub, args):
            value = values[i]
            if value is None:
                continue  # depends on something we cannot see: no claim
            path, version = split_version(value)
            if not is_remote(path):
                continue
            if version is not None and is_pinned(version):
                continue
            if version is None:
                if module is None:
                    module = _module_in_place(doc, model, goenv.at(outer, script, cmd), outer, cmd)
                if module:
                    continue  # the repository's go.mod (and go.sum) pin it
            yield Violation(cmd.words[i].span, _message(sub, path, version, when))
