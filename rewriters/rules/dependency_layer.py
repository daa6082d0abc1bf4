"""Modules downloaded only after the whole build context is copied.

## What it does

Finds a `go build`, `go test` or `go install` of the project's own packages in a stage whose
sources come from a `COPY . .` (or `ADD . .`) of the whole build context, when no
`go mod download` runs before that copy in the stage or the stages it is built `FROM`.

Nothing is reported when the build is vendored (`-mod=vendor` on the command line or in
`GOFLAGS`, or a `vendor/modules.txt` in the build context with go 1.14 or newer in go.mod, as
long as `.dockerignore` does not exclude `vendor/`), when the build context has no go.mod, or
when it has go.mod but no go.sum (a module without go.sum has no dependencies to download).

## Why is this bad?

Docker reuses a layer only while everything it was built from is unchanged. After
`COPY . .`, any change to any source file invalidates the copy and every layer after it, so
the build downloads every module again. Copying only go.mod and go.sum first and running
`go mod download` in its own layer keeps the dependencies cached until go.mod or go.sum
change.

## Example

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app
```

becomes

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/app ./cmd/app
```

## Fix safety

Safe: the two new lines come right before the full copy, copy go.mod and go.sum to where the
full copy puts them (same destination, same `--chown`, `--chmod` and `--link`), and
download the modules that the build would have downloaded anyway; the full copy then
overwrites both files with the same content, so the build and its outputs are unchanged. The
fix is only made when the build context is known to hold both go.mod and go.sum at its root.
Otherwise it is a report: when the build context is not known, when a go.work puts the build
in workspace mode (the layer then needs go.work, go.work.sum and each used module's go.mod and
go.sum), when the copy's destination depends on a variable or the copy uses flags that cannot
be carried over, when the build uses a secret or SSH mount the download may need too, or when
Go settings that affect the download (`GOPROXY`, `GOPRIVATE`, `GOFLAGS`, …) change between the
copy and the build.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rewriters.buildcontext import BuildContext
from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit
from rewriters.fixes import Refusal, insert_before
from rewriters.gocmd import builds_local, parse_go_command, vendor_in_context, vendored
from rewriters.goenv import GoEnv
from rewriters.model import Model, Stage
from rewriters.mounts import mount_options
from rewriters.registry import Fix, Violation, rule
from rewriters.shell import scripts_for_run

_BUILDS = frozenset({("build",), ("test",), ("install",)})
_CARRIED = ("chown", "chmod", "link")
_SAFE_PATH = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
# a COPY destination written again in the same scope: variables expand to the same value
_SAFE_DEST = re.compile(r"[A-Za-z0-9_@%+=:,./${}-]+")
# what the module download reads besides go.mod and go.sum
_DOWNLOAD_ENV = (
    "GOPROXY",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOSUMDB",
    "GOINSECURE",
    "GOFLAGS",
    "GOTOOLCHAIN",
    "GOWORK",
    "GOMODCACHE",
    "GOPATH",
    "HOME",
)


@dataclass
class _Finding:
    copy: Instruction
    stage: Stage
    builds: list[tuple[Instruction, str]] = field(default_factory=list)


def _full_copy(ins: Instruction, model: Model) -> bool:
    """A COPY/ADD of the whole build context (source ``.``), not from a stage or image."""
    eff = ins.effective
    if eff.name not in ("COPY", "ADD") or eff.flag("from") is not None or len(eff.args) < 2:
        return False
    for word in eff.args[:-1]:
        got = model.expand(word, ins)
        if not got.unresolved and posixpath.normpath(got.value) in (".", "/"):
            return True
    return False


def _downloads(doc: Document, ins: Instruction) -> bool:
    eff = ins.effective
    if eff.name != "RUN":
        return False
    for script in scripts_for_run(eff, doc.text):
        for cmd in script.commands:
            gc = parse_go_command(cmd)
            if gc is not None and gc.subcommand == ("mod", "download"):
                return True
    return False


def _first_copy(
    doc: Document, model: Model, stage: Stage, before: Instruction
) -> Instruction | None:
    """The first full copy in ``stage``'s lineage before ``before``, when no module download
    comes before it; None otherwise."""
    for st in model.lineage(stage):
        for ins in st.instructions:
            if st is stage and ins.span.start >= before.span.start:
                return None
            if ins.sub is not None:
                continue
            if _downloads(doc, ins):
                return None
            if _full_copy(ins, model):
                return ins
    return None


def _collect(doc: Document, model: Model, goenv: GoEnv, bc: BuildContext) -> list[_Finding]:
    found: dict[int, _Finding] = {}
    for stage in model.stages:
        for ins in stage.instructions:
            if ins.sub is not None or ins.name != "RUN":
                continue
            for script in scripts_for_run(ins, doc.text):
                for cmd in script.commands:
                    gc = parse_go_command(cmd)
                    if gc is None or gc.subcommand not in _BUILDS or not builds_local(gc):
                        continue
                    env = goenv.at(ins, script, cmd)
                    vend = vendored(gc, env.value("GOFLAGS"), bc)
                    if vend or (vend is None and bc.known):
                        continue
                    copy = _first_copy(doc, model, stage, ins)
                    if copy is None:
                        continue
                    f = found.setdefault(copy.span.start, _Finding(copy, stage))
                    f.builds.append((ins, "go " + " ".join(gc.subcommand)))
    return [found[k] for k in sorted(found)]


def _context_reason(bc: BuildContext) -> str | None:
    """Why the context does not allow the fix (None: go.mod and go.sum are there)."""
    if not bc.known:
        return "the build context is not known, so go.mod and go.sum cannot be checked there"
    if bc.has("go.work"):
        return (
            "a go.work at the build context root puts the build in workspace mode, which "
            "needs go.work, go.work.sum and each used module's go.mod and go.sum"
        )
    return None


def _build_fix(
    doc: Document, model: Model, goenv: GoEnv, f: _Finding
) -> tuple[Fix | None, str | None]:
    copy = f.copy
    eff = copy.effective
    facts = model.root(f.stage).base_facts
    if facts.family == "windows":
        return None, Refusal.WINDOWS_IMAGE.sentence()
    if facts.shell is False:
        return None, "the base image has no shell to run `go mod download`"
    if eff.json:
        return None, Refusal.NOT_LITERAL.sentence(value=eff.args[-1].text)
    flags: list[str] = []
    for fl in eff.flags:
        if fl.name not in _CARRIED:
            return (
                None,
                f"the copy's `--{fl.name}` flag cannot be carried over to go.mod and go.sum",
            )
        flags.append(fl.text)
    for build, _ in f.builds:
        for m in build.effective.flags_named("mount"):
            kind = mount_options(m.value or "")["type"]
            if kind in ("secret", "ssh"):
                return None, (
                    f"the build on line {doc.line_of(build.span.start)} uses a {kind} mount, "
                    "which the module download may need too"
                )
        before, after = goenv.at(copy), goenv.at(build)
        for name in _DOWNLOAD_ENV:
            if before.value(name) != after.value(name):
                return None, (
                    f"{name} changes between the copy on line {doc.line_of(copy.span.start)} "
                    f"and the build on line {doc.line_of(build.span.start)}"
                )
    dest_word = eff.args[-1]
    dest = model.expand(dest_word, copy)
    if dest.unresolved:
        return None, Refusal.VARIABLE_IN_PATH.sentence(path=dest_word.text)
    workdir = model.scope_before(copy).workdir
    if workdir is None and not dest.value.startswith("/"):
        return None, Refusal.UNKNOWN_VALUE.sentence(name="the WORKDIR of the copy")
    target = posixpath.normpath(posixpath.join(workdir or "/", dest.value))
    if posixpath.normpath(dest.value) == ".":
        written = "./"
    else:
        if not _SAFE_DEST.fullmatch(dest_word.text):
            return None, Refusal.NEEDS_QUOTING.sentence(value=dest_word.text)
        written = dest_word.text if dest_word.text.endswith("/") else dest_word.text + "/"
    if target == workdir:
        run = "RUN go mod download"
    elif _SAFE_PATH.fullmatch(target):
        run = f"RUN cd {target} && go mod download"
    else:
        return None, Refusal.NEEDS_QUOTING.sentence(value=target)
    lines: list[str] = []
    if not _copies_modfiles(model, f.stage, copy, target):
        lines.append(" ".join(["COPY", *flags, "go.mod", "go.sum", written]))
    edits = [insert_before(doc, copy, line) for line in [*lines, run]]
    text = "".join(e.replacement for e in edits)
    shown = " and ".join(f"`{ln}`" for ln in [*lines, run])
    return Fix((Edit.insert(edits[0].span.start, text),), f"{shown} added before the copy"), None


def _copies_modfiles(model: Model, stage: Stage, copy: Instruction, target: str) -> bool:
    """Is the instruction right before ``copy`` a COPY of go.mod and go.sum to ``target``?"""
    prev = None
    for ins in stage.instructions:
        if ins.span.start >= copy.span.start:
            break
        prev = ins
    if prev is None or prev.effective.name != "COPY" or prev.effective.flag("from") is not None:
        return False
    eff = prev.effective
    if len(eff.args) < 3 or eff.json:
        return False
    sources = {a.value for a in eff.args[:-1]}
    if sources != {"go.mod", "go.sum"}:
        return False
    dest = model.expand(eff.args[-1], prev)
    workdir = model.scope_before(prev).workdir
    if dest.unresolved or (workdir is None and not dest.value.startswith("/")):
        return False
    return posixpath.normpath(posixpath.join(workdir or "/", dest.value)) == target


def _applies(bc: BuildContext) -> bool:
    """Does the context hold modules to download (unknown contexts are reported)?"""
    if not bc.known:
        return True
    return bc.has("go.mod") and bc.has("go.sum")


@rule(
    code="GC201",
    name="dependency-layer",
    severity="warning",
    fix="safe",
    commit="download go modules in their own layer before copying the sources",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    bc = ctx.build_context
    if not _applies(bc):
        return
    model = ctx.model(doc)
    goenv = ctx.goenv(doc)
    for f in _collect(doc, model, goenv, bc):
        line = doc.line_of(f.copy.span.start)
        builds: Sequence[tuple[Instruction, str]] = f.builds
        shown = ", ".join(
            dict.fromkeys(f"`{label}` on line {doc.line_of(b.span.start)}" for b, label in builds)
        )
        message = (
            f"{shown} downloads the modules after the copy of the whole build context on line "
            f"{line}, so every source change downloads every module again; copy go.mod and "
            "go.sum and run `go mod download` before it."
        )
        if bc.has("vendor/modules.txt") and vendor_in_context(bc) is False:
            message += " (vendor/ is excluded by .dockerignore, so the build does not use it.)"
        reason = _context_reason(bc)
        fix = None
        if reason is None:
            fix, reason = _build_fix(doc, model, goenv, f)
        yield Violation(f.copy.span, message, fix, reason)
