"""A Go build for the image whose target platform is implicit or hard-coded.

## What it does

Finds a `go build` or `go install` whose binary ends up in the image (the final stage builds it,
or copies it with `COPY --from=<stage>`) and that runs without `GOARCH` in effect, or with
`GOARCH` hard-coded to a literal value (`GOARCH=amd64`). `GOARCH` counts as set in every form
(`ENV`, `ARG`, `export`, inline, `env`, `go env -w`); a value taken from a variable
(`GOARCH=$TARGETARCH`) is what the rule asks for. `GOOS` unset is only reported together with
`GOARCH`: a Linux builder compiles for linux. Builds for another OS (`GOOS=windows`) and files
that copy binaries for several architectures into the image (release bundles) are left alone,
and a `go install` of packages by import path without `@version` counts only when the image
copies its binary by its exact path (such installs often only pre-compile library
dependencies, which write no binary).

## Why is this bad?

Without `GOOS`/`GOARCH`, Go compiles for the platform its stage runs on. In a stage
`FROM --platform=$BUILDPLATFORM` that is the build machine: an image built for another platform
gets a binary that cannot run there. In a stage without `--platform`, a multi-platform build
(`docker buildx build --platform linux/amd64,linux/arm64`) runs that stage, compiler included,
under emulation for every non-native target, which is many times slower than letting Go
cross-compile. BuildKit, the default builder since Docker Engine 23.0, provides the target as
`TARGETOS`/`TARGETARCH`, which a stage sees after `ARG TARGETOS TARGETARCH`. A hard-coded
`GOARCH=amd64` gives every image an amd64 binary, whatever platform the image is built for.

## Example

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
```

becomes

```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
```

## Fix safety

Safe only when cgo is explicitly off (`CGO_ENABLED=0` in effect for the build): Go then
cross-compiles without a C toolchain and produces, for each target platform, the binary the
emulated build produced, at the same path. With cgo on or not set there is no edit: a cgo cross
build needs a C cross toolchain, and on images with a C compiler (Debian-based `golang`) an
unset `CGO_ENABLED` means cgo on for native builds but off for cross builds, so adding
`GOOS`/`GOARCH` would silently change the binary.

The fix adds `--platform=$BUILDPLATFORM` to the build stage's `FROM` (unless it is already
there), `ARG TARGETOS TARGETARCH` after it (the names not yet declared in the stage), and
`GOOS=$TARGETOS GOARCH=$TARGETARCH` in front of the go command, after its existing inline
assignments. Every other `RUN` of that stage then runs on the build machine's platform, so the
fix is refused when anything else than the cross-compiled binaries (and platform-independent
files such as CA certificates and time zone data) is copied out of the stage, when another stage
is built `FROM` it or mounts it, when the final stage builds itself, when the stage runs the
binary it built, when the stage's `FROM` has another `--platform`, names another stage, a build
argument or an image gocomply does not know to be a multi-platform Go image, for `go install`
(a cross-compiling `go install` writes to `$GOPATH/bin/<goos>_<goarch>/`), and in exec-form or
unparsable `RUN`s. Builds for 32-bit ARM variants may also want `GOARM` from `TARGETVARIANT`,
which the fix does not add. A hard-coded `GOARCH` is reported without an edit: replacing it by
`$TARGETARCH` changes the binary of every build for another architecture, and the file may
target that architecture on purpose.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from rewriters.artifacts import (
    GoInvocation,
    Product,
    carries,
    copy_sources,
    deliveries,
    invocations,
    products,
)
from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit, Span
from rewriters.fixes import Refusal, insert_after
from rewriters.gocmd import is_local
from rewriters.goenv import CommandEnv, GoEnv, GoValue
from rewriters.model import Model, Stage
from rewriters.registry import Fix, Unfixable, Violation, rule
from rewriters.shell import scripts_for_run

_BUILDPLATFORM = frozenset({"$BUILDPLATFORM", "${BUILDPLATFORM}"})
_POSIX_SHELLS = frozenset({"sh", "bash", "ash", "dash"})
_UNSET = ("default", "unset")
# files a stage can hand on whatever platform it runs on
_PLATFORM_INDEPENDENT = (
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/ca-certificates.conf",
    "/usr/share/ca-certificates",
    "/usr/local/share/ca-certificates",
    "/usr/share/zoneinfo",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
)
_SYSTEM_DIRS = frozenset(
    {
        "/", "/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/usr/local", "/usr/local/bin",
        "/lib", "/usr/lib", "/etc", "/go", "/go/bin", "/root", "/tmp", "/var", "/opt",
    }
)  # fmt: skip


@dataclass(frozen=True)
class _Build:
    stage: Stage
    outer: Instruction
    inv: GoInvocation
    env: CommandEnv
    products: tuple[Product, ...]  # where the binary goes, when known
    kind: Literal["implicit", "hard-coded"]
    goarch: GoValue

    @property
    def label(self) -> str:
        return f"go {self.inv.subcommand}"


def _literal(doc: Document, value: GoValue) -> bool:
    """A value written literally in the file (not from a variable or a build argument)."""
    if value.value is None or value.span is None or value.origin == "arg":
        return False
    return "$" not in doc.text[value.span.start : value.span.end]


def _producer(inv: GoInvocation) -> bool:
    """Does the command write a binary? (``go build`` of several packages writes none.)"""
    if inv.subcommand == "install":
        return True
    if inv.flag("-o") is not None:
        return True
    pkgs = inv.packages
    return len(pkgs) <= 1 and not any("..." in (p.value or p.text) for p in pkgs)


def _warm_up(inv: GoInvocation) -> bool:
    """``go install`` of module dependencies by path (no ``@version``, not ``./…``): often
    library packages, installed only to fill the build cache; they write no binary."""
    if inv.subcommand != "install":
        return False
    pkgs = [p.value for p in inv.packages]
    return any(p is None or ("@" not in p and not is_local(p)) for p in pkgs)


def _independent(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in _PLATFORM_INDEPENDENT)


def _builds(doc: Document, model: Model, goenv: GoEnv) -> list[_Build]:
    final = model.final
    if final is None:
        return []
    prods = products(doc, model, goenv)
    by_cmd: dict[int, list[Product]] = {}
    for p in prods:
        by_cmd.setdefault(p.invocation.command.span.start, []).append(p)
    shipped_to_final = deliveries(doc, model, final)
    delivered = {d.product.invocation.command.span.start for d in shipped_to_final}
    exactly = {
        d.product.invocation.command.span.start
        for d in shipped_to_final
        if d.consumer is None or d.consumer.path == d.product.path
    }
    copies = [
        (c, src)
        for c in final.instructions
        if c.sub is None and c.name in ("COPY", "ADD")
        for src in (copy_sources(doc, model, c) or ())
    ]
    out: list[_Build] = []
    for outer, inv in invocations(doc, model):
        stage = model.stage_of(outer)
        if stage is None or outer.sub is not None or not _producer(inv):
            continue
        if model.root(stage).base_facts.family == "windows":
            continue
        start = inv.command.span.start
        mine = tuple(by_cmd.get(start, ()))
        shipped = model.descends_from(final, stage) or start in delivered
        if not shipped and (mine or not _unexplained(model, stage, copies, prods)):
            continue
        if _warm_up(inv) and start not in exactly:
            continue  # may only pre-compile dependencies (library packages install nothing)
        env = goenv.at(outer, inv.script, inv.command)
        goos, goarch = env.get("GOOS"), env.get("GOARCH")
        if goos.origin not in _UNSET and goos.value is not None and goos.value != "linux":
            continue  # a build for another OS on purpose
        if goarch.origin in _UNSET:
            out.append(_Build(stage, outer, inv, env, mine, "implicit", goarch))
        elif _literal(doc, goarch):
            out.append(_Build(stage, outer, inv, env, mine, "hard-coded", goarch))
    arches = {b.goarch.value for b in out if b.kind == "hard-coded"}
    if len(arches) > 1:  # binaries for several architectures: a release bundle
        out = [b for b in out if b.kind != "hard-coded"]
    return out


def _unexplained(
    model: Model, stage: Stage, copies: Sequence[tuple[Instruction, str]], prods: list[Product]
) -> bool:
    """Does the final stage copy something from ``stage`` (or a stage built on it) that no
    known product and no platform-independent file explains?"""
    for ins, src in copies:
        ref = ins.effective.flag("from")
        source = model.stage_named(ref.value) if ref is not None and ref.value else None
        if source is None or not model.descends_from(source, stage):
            continue
        if _independent(src) or any(carries(src, p.path) for p in prods):
            continue
        return True
    return False


# ------------------------------------------------------------------ the fix


def _platform(stage: Stage) -> Literal["none", "build", "other"]:
    if stage.platform is None:
        return "none"
    return "build" if stage.platform.strip() in _BUILDPLATFORM else "other"


def _check_command(doc: Document, model: Model, b: _Build) -> None:
    cgo = b.env.get("CGO_ENABLED")
    line = doc.line_of(b.inv.command.span.start)
    if cgo.value == "1":
        raise Unfixable(
            f"cgo is on (`CGO_ENABLED=1`) for the build on line {line}, and a cgo cross build "
            "needs a C cross toolchain"
        )
    if cgo.value != "0":
        raise Unfixable(
            f"cgo is not explicitly off for the build on line {line}: with `CGO_ENABLED` unset, "
            "Go turns cgo on for native builds when a C compiler is found but off for cross "
            "builds, so only a build with `CGO_ENABLED=0` is rewritten"
        )
    if b.inv.subcommand == "install":
        raise Unfixable(
            f"the `go install` on line {line} would write a cross-compiled binary to "
            "`$GOPATH/bin/<goos>_<goarch>/` (or fail with GOBIN set), so the binary would move"
        )
    if b.outer.effective.json:
        raise Unfixable(Refusal.EXEC_FORM.sentence(what="expand `$TARGETARCH` in"))
    if b.inv.script.has_errors:
        raise Unfixable(Refusal.SHELL_SYNTAX.sentence())
    shell = model.shell_at(b.outer)
    if shell is not None and (not shell or shell[0].rsplit("/", 1)[-1] not in _POSIX_SHELLS):
        raise Unfixable(f"the RUN uses `SHELL {list(shell)}`, not a POSIX shell")
    if any(w.value in ("sudo", "doas") for w in b.inv.command.wrapper):
        raise Unfixable(Refusal.WRAPPER.sentence(what="`GOOS=… GOARCH=…`"))
    if not b.products:
        raise Unfixable(
            f"where the build on line {line} writes its binary is not known, so gocomply cannot "
            "check that the stage does not run it"
        )


def _runs_binary(doc: Document, model: Model, stage: Stage, b: _Build) -> int | None:
    """The line of a command in ``stage`` (or a stage built on it) after the build that runs a
    binary the build wrote, else None."""
    paths = {p.path for p in b.products}
    names = {posixpath.basename(p) for p in paths}
    after = b.inv.command.span.end
    stages = [stage, *model.children(stage)]
    for st in stages:
        for ins in st.instructions:
            if ins.sub is not None or ins.effective.name != "RUN" or ins.span.end <= after:
                continue
            scope = model.scope_before(ins)
            for script in scripts_for_run(ins.effective, doc.text):
                for cmd in script.commands:
                    if cmd.span.start < after or not cmd.words:
                        continue
                    for w in (cmd.words[0], *cmd.wrapper):
                        v = w.value
                        if v is None:
                            continue
                        if "/" not in v:
                            if v in names:
                                return doc.line_of(cmd.span.start)
                            continue
                        base = scope.workdir or "/"
                        if cmd.cwd_unknown:
                            return doc.line_of(cmd.span.start)
                        cwd = posixpath.join(base, cmd.cwd) if cmd.cwd else base
                        if posixpath.normpath(posixpath.join(cwd, v)) in paths:
                            return doc.line_of(cmd.span.start)
    return None


def _check_outputs(doc: Document, model: Model, stage: Stage, builds: Sequence[_Build]) -> None:
    """Everything other stages take from ``stage`` must be a cross-compiled binary or a
    platform-independent file once the stage runs on the build machine's platform."""
    paths = [p.path for b in builds for p in b.products]
    for feed in model.consumers_of(stage):
        line = doc.line_of(feed.instruction.span.start)
        if feed.kind == "from":
            raise Unfixable(
                f"the stage on line {line} is built FROM this stage and would change platform too"
            )
        if feed.kind == "mount":
            raise Unfixable(f"the RUN on line {line} mounts this stage")
        sources = copy_sources(doc, model, feed.instruction)
        if sources is None:
            raise Unfixable(f"what line {line} copies from this stage is not known")
        for src in sources:
            if _independent(src) or src in paths:
                continue
            if src not in _SYSTEM_DIRS and any(posixpath.dirname(p) == src for p in paths):
                continue
            raise Unfixable(
                f"line {line} copies `{src}` from this stage, which would then come from the "
                "build machine's platform"
            )


def _prefix(doc: Document, b: _Build) -> Edit:
    cmd = b.inv.command
    parts = []
    if b.env.get("GOOS").origin in _UNSET:
        parts.append("GOOS=$TARGETOS")
    parts.append("GOARCH=$TARGETARCH")
    text = " ".join(parts) + " "
    if not cmd.wrapper or all(w.value == "env" for w in cmd.wrapper):
        return Edit.insert(cmd.words[0].span.start, text)
    return Edit.insert(cmd.span.start, text)


def _arg_names(b: _Build) -> list[str]:
    names = ["TARGETARCH"]
    if b.env.get("GOOS").origin in _UNSET:
        names.insert(0, "TARGETOS")
    return names


def _fix(doc: Document, model: Model, stage: Stage, builds: Sequence[_Build]) -> Fix:
    """One fix for every build of ``stage`` that feeds the image (taken whole or not at all)."""
    if any(b.kind == "hard-coded" for b in builds):
        hard = next(b for b in builds if b.kind == "hard-coded")
        raise Unfixable(
            f"the build on line {doc.line_of(hard.inv.command.span.start)} in this stage "
            "hard-codes GOARCH, so the stage cannot move to the build machine's platform"
        )
    for b in builds:
        _check_command(doc, model, b)
    if not stage.image_known:
        raise Unfixable(Refusal.FROM_USES_ARG.sentence(line=doc.line_of(stage.from_.span.start)))
    final = model.final
    if final is not None and model.descends_from(final, stage):
        raise Unfixable(
            "the build runs in the final stage (or one it is built on), so "
            "`FROM --platform=$BUILDPLATFORM` would give the image the build machine's platform "
            "(split building and running into two stages first)"
        )
    platform = _platform(stage)
    if platform == "other":
        raise Unfixable(f"the stage's FROM already has `--platform={stage.platform}`")
    edits: list[Edit] = []
    if platform == "none":
        if stage.parent is not None:
            raise Unfixable(
                "the stage is built FROM another stage, whose platform every stage built on it "
                "shares"
            )
        if not model.root(stage).base_facts.go_toolchain:
            raise Unfixable(
                f"`{stage.image}` is not an image gocomply knows to be a multi-platform Go image"
            )
        _check_outputs(doc, model, stage, builds)
        image = stage.from_.args[0]
        edits.append(Edit.insert(image.span.start, "--platform=$BUILDPLATFORM "))
    for b in builds:
        ran = _runs_binary(doc, model, stage, b)
        if ran is not None:
            raise Unfixable(
                f"line {ran} runs the binary the stage builds, which would then be built for "
                "the target platform"
            )
    wanted: list[str] = []
    for b in builds:
        scope = model.scope_before(b.outer)
        for n in _arg_names(b):
            declared = scope.args.get(n)
            if declared is None and n not in wanted:
                wanted.append(n)
    if wanted:
        edits.append(insert_after(doc, stage.from_, "ARG " + " ".join(wanted)))
    edits.extend(_prefix(doc, b) for b in builds)
    what = "the build cross-compiles for `$TARGETOS`/`$TARGETARCH`"
    if platform == "none":
        what += " from `FROM --platform=$BUILDPLATFORM`"
    return Fix(tuple(edits), what)


# ------------------------------------------------------------------ messages


def _message(doc: Document, b: _Build) -> str:
    line = doc.line_of(b.inv.command.span.start)
    if b.kind == "hard-coded":
        assert b.goarch.span is not None
        set_at = doc.line_of(b.goarch.span.start)
        return (
            f"`{b.label}` on line {line} hard-codes `GOARCH={b.goarch.value}` (line {set_at}), "
            f"so an image built for any other platform gets a binary for {b.goarch.value}, which "
            "will not run there."
        )
    platform = _platform(b.stage)
    if platform == "build":
        return (
            f"`{b.label}` on line {line} sets no GOARCH in a stage that runs on the build "
            "machine's platform (`FROM --platform=$BUILDPLATFORM`), so images built for other "
            "platforms get a binary for the build machine, which will not run there."
        )
    if platform == "other":
        return (
            f"`{b.label}` on line {line} sets no GOARCH, so it builds for the stage's fixed "
            f"platform `{b.stage.platform}`, whatever platform the image is built for."
        )
    return (
        f"`{b.label}` on line {line} sets no GOOS/GOARCH, so it compiles for the platform its "
        "stage runs on: a multi-platform build runs the compiler under emulation for each "
        "target instead of cross-compiling for `TARGETOS`/`TARGETARCH`."
    )


@rule(
    code="GC204",
    name="implicit-target-platform",
    severity="info",
    fix="safe",
    commit="cross-compile for the target platform",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    builds = _builds(doc, model, ctx.goenv(doc))
    by_stage: dict[int, list[_Build]] = {}
    for b in builds:
        by_stage.setdefault(b.stage.index, []).append(b)
    for b in builds:
        span = Span(b.inv.command.span.start, b.inv.command.span.end)
        message = _message(doc, b)
        if b.kind == "hard-coded":
            note = (
                f"not rewritten: replacing `{b.goarch.value}` by `$TARGETARCH` (with "
                "`ARG TARGETARCH`) changes the binary of every build for another architecture, "
                f"and the file may target {b.goarch.value} on purpose"
            )
            yield Violation(span, message, None, note=note)
            continue
        yield Violation(span, message, build=_builder(doc, model, b.stage, by_stage[b.stage.index]))


def _builder(
    doc: Document, model: Model, stage: Stage, builds: Sequence[_Build]
) -> Callable[[], Fix | None]:
    return lambda: _fix(doc, model, stage, builds)
