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
from collections.abc import Iterator

from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.gocmd import (
    PIN_FORMAT,
    GoArgs,
    expanded_values,
    go_commands,
    is_pinned,
    is_remote,
    parse_go_args,
    split_version,
    subcommand,
)
from rewriters.goenv import CommandEnv
from rewriters.model import Model
from rewriters.registry import Violation, rule
from rewriters.shell import SimpleCommand, scripts_for_run

# earlier go commands that leave the repository's go.mod (and go.sum) in place
_MODULE_COMMANDS = frozenset(
    {("mod", "download"), ("mod", "tidy"), ("mod", "vendor"), ("mod", "verify")}
)


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
                    if subcommand(other) in _MODULE_COMMANDS:
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
        words = subcommand(cmd)
        if words not in (("install",), ("run",)):
            continue
        assert words is not None
        sub = words[0]
        name = outer.effective.name
        if sub == "install" and name != "RUN":
            continue
        when = "when the image is built" if name == "RUN" else "every time the container starts"
        scope = model.scope_before(outer)
        values = expanded_values(cmd, scope, script)
        args = parse_go_args(values, texts=[w.text for w in cmd.words], subcommand=words)
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
