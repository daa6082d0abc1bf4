"""A cgo-built binary copied into a runtime image whose C library does not match.

## What it does

Finds a `go build` or `go install` whose binary is copied (`COPY --from=<stage>`) into the
final stage while cgo is on for that build, when the final stage's base image has no C library
(`scratch`, `gcr.io/distroless/static*`, `cgr.dev/chainguard/static`) or another one than the
build stage: a musl (alpine) build on a glibc image (Debian, Ubuntu, distroless `base`/`cc`)
or a glibc build on alpine.

cgo counts as on when `CGO_ENABLED=1` is in effect for the command (`ENV`, `ARG` default,
`export`, inline `CGO_ENABLED=1 go build`, `go env -w`), or when `CGO_ENABLED` is not set, the
build stage's base image ships a C compiler (Debian-based `golang` images do) and the build is
native (no `GOARCH`; `GOOS` unset or `linux`): Go turns cgo on by default then. Nothing is
reported when the build links statically (`-ldflags '-extldflags "-static"'`), when cgo is only
on by default and the build uses `-tags netgo,osusergo` (Go's own DNS resolver and user lookup),
when an alpine final stage installs `gcompat` or `libc6-compat` for glibc binaries, or when an
image, a flag or the path of the binary is not known from the file.

## Why is this bad?

With cgo on, a program that imports `net` or `os/user` (or uses cgo itself) links the C library
dynamically. Such a binary will not start on `scratch` or `distroless/static`, which have no
libc, and a binary built against musl (alpine) will not start on a glibc image, nor a glibc one
on alpine: the kernel cannot find its dynamic loader and the container fails with
`exec /app: no such file or directory`. A program that uses none of these is still linked
statically, so when cgo is only on by default the binary *may* not start; `CGO_ENABLED=1` set on
purpose usually means the program needs C code or the C library.

## Example

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
```

becomes

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
```

## Fix safety

Safe when cgo is only on by default: `CGO_ENABLED=0` is added in front of that one build
command, so the binary is linked statically with Go's own DNS resolver and user lookup and
starts on the runtime image; the path it is written to and everything else stay the same. A
dynamically linked binary could not start there before, so no working image changes behaviour;
a program that needs C code (it imports `C`, e.g. through a SQLite driver) does not build, or
fails when it runs, without cgo, and then needs a runtime image with the build's libc instead.
When `CGO_ENABLED=1` was set explicitly there is no edit: the finding names the runtime image
that fits (`gcr.io/distroless/base-debian12`, or `cc-debian12` when the program links libgcc,
for glibc builds; `alpine` for musl builds). No edit either in an exec-form `RUN`, under a
non-POSIX `SHELL`, behind `sudo`, or when the script cannot be parsed.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from rewriters.artifacts import Delivery, deliveries
from rewriters.context import RuleContext
from rewriters.document import Document
from rewriters.edits import Edit
from rewriters.fixes import Refusal
from rewriters.goenv import CgoState, CommandEnv, GoEnv, cgo_state
from rewriters.images import ImageFacts
from rewriters.model import Model, Stage
from rewriters.pkgmgr import install_of, package_name
from rewriters.registry import Fix, Unfixable, Violation, rule
from rewriters.shell import scripts_for_run

_POSIX_SHELLS = frozenset({"sh", "bash", "ash", "dash"})
_GLIBC_COMPAT = frozenset({"gcompat", "libc6-compat"})
_LIBC_NAMES = {"glibc": "glibc", "musl": "musl", "none": "no libc"}


def _go_flags(env: CommandEnv) -> list[str] | None:
    """``GOFLAGS`` split into flags; None when its value is not known."""
    got = env.get("GOFLAGS")
    if got.value is None:
        return None
    try:
        return shlex.split(got.value)
    except ValueError:
        return None


def _flag_values(d: Delivery, env: CommandEnv, name: str) -> list[str] | None:
    """Every value flag ``name`` (``-ldflags``, ``-tags``) has for the build: from GOFLAGS and
    the command line; None when one is not known."""
    out: list[str] = []
    goflags = _go_flags(env)
    if goflags is None:
        return None
    for f in goflags:
        if f.startswith(name + "="):
            out.append(f[len(name) + 1 :])
    flag = d.product.invocation.go.flag(name)
    if flag is not None:
        if flag.value is None:
            return None
        out.append(flag.value)
    return out


def _static(d: Delivery, env: CommandEnv, state: CgoState) -> bool | None:
    """True when the build links statically whatever it imports (None: cannot tell)."""
    ldflags = _flag_values(d, env, "-ldflags")
    tags = _flag_values(d, env, "-tags")
    if ldflags is None or tags is None:
        return None
    if ldflags:
        last = ldflags[-1]  # the last -ldflags wins
        try:
            words = shlex.split(last)
        except ValueError:
            return None
        for i, w in enumerate(words):
            ext = w.partition("=")[2] if w.startswith("-extldflags=") else None
            if w == "-extldflags" and i + 1 < len(words):
                ext = words[i + 1]
            if ext is not None and "-static" in ext.replace("'", " ").replace('"', " ").split():
                return True
    if state == "default-on" and tags:
        names = {t for t in tags[-1].replace(",", " ").split()}
        if {"netgo", "osusergo"} <= names:
            return True
    return False


def _has_glibc_compat(doc: Document, model: Model, stage: Stage) -> bool | None:
    """Does ``stage`` (an alpine stage) install glibc compatibility? None: cannot tell."""
    unknown = False
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins.sub is not None or ins.name != "RUN":
                continue
            for script in scripts_for_run(ins, doc.text):
                for cmd in script.commands:
                    found = install_of(cmd)
                    if found is None:
                        continue
                    for w in found.packages:
                        if w.value is None:
                            unknown = True
                        elif package_name(w.value, found.family) in _GLIBC_COMPAT:
                            return True
    return None if unknown else False


def _mismatch(build: ImageFacts, runtime: ImageFacts) -> bool:
    if build.libc not in ("glibc", "musl") or runtime.libc not in ("glibc", "musl", "none"):
        return False
    return build.libc != runtime.libc


def _fits(libc: str) -> str:
    if libc == "glibc":
        return "`gcr.io/distroless/base-debian12` (or `cc-debian12` when the program links libgcc)"
    return "`alpine` (or build on a Debian-based `golang` image)"


def _fix(doc: Document, model: Model, d: Delivery) -> Fix:
    outer = d.product.instruction
    inv = d.product.invocation
    cmd = inv.command
    if outer.effective.json:
        raise Unfixable(Refusal.EXEC_FORM.sentence(what="set `CGO_ENABLED=0` in"))
    if inv.script.has_errors:
        raise Unfixable(Refusal.SHELL_SYNTAX.sentence())
    shell = model.shell_at(outer)
    if shell is not None and (not shell or shell[0].rsplit("/", 1)[-1] not in _POSIX_SHELLS):
        raise Unfixable(f"the RUN uses `SHELL {list(shell)}`, not a POSIX shell")
    if any(w.value in ("sudo", "doas") for w in cmd.wrapper):
        raise Unfixable(Refusal.WRAPPER.sentence(what="`CGO_ENABLED=0`"))
    at = cmd.span.start
    return Fix((Edit.insert(at, "CGO_ENABLED=0 "),), "`CGO_ENABLED=0` added to the build")


@rule(
    code="GC205",
    name="cgo-libc-mismatch",
    severity="error",
    fix="safe",
    commit="build without cgo for a runtime image without a matching libc",
    outputs=(
        "the binary is built with CGO_ENABLED=0: statically linked, so it starts on the "
        "runtime image (GC205)"
    ),
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    final = model.final
    if final is None:
        return
    runtime = model.root(final).base_facts
    if runtime.libc not in ("glibc", "musl", "none"):
        return
    goenv: GoEnv = ctx.goenv(doc)
    seen: set[int] = set()
    compat: bool | None = None
    for d in deliveries(doc, model, final, goenv):
        if d.consumer is None or d.product.instruction.sub is not None:
            continue
        cmd = d.product.invocation.command
        if cmd.span.start in seen:
            continue
        build = model.root(d.product.stage).base_facts
        if not _mismatch(build, runtime):
            continue
        env = goenv.at(d.product.instruction, d.product.invocation.script, cmd)
        state = cgo_state(env)
        if state not in ("on", "default-on"):
            continue
        if _static(d, env, state) is not False:
            continue
        if build.libc == "glibc" and runtime.libc == "musl":
            if compat is None:
                compat = _has_glibc_compat(doc, model, final) is not False
            if compat:
                continue
        seen.add(cmd.span.start)
        yield _violation(doc, model, d, env, state, build, runtime)


def _violation(
    doc: Document,
    model: Model,
    d: Delivery,
    env: CommandEnv,
    state: CgoState,
    build: ImageFacts,
    runtime: ImageFacts,
) -> Violation:
    cmd = d.product.invocation.command
    line = doc.line_of(cmd.span.start)
    label = f"go {d.product.invocation.subcommand}"
    assert d.consumer is not None
    copy_line = doc.line_of(d.consumer.instruction.span.start)
    final_image = model.root(d.target).image or "the runtime image"
    build_image = model.root(d.product.stage).image or "the build image"
    where = (
        f"`{final_image}`, which has no libc"
        if runtime.libc == "none"
        else f"`{final_image}` ({_LIBC_NAMES[runtime.libc]})"
    )
    libc = _LIBC_NAMES[build.libc]
    if state == "on":
        src = env.get("CGO_ENABLED")
        set_at = f" on line {doc.line_of(src.span.start)}" if src.span is not None else ""
        message = (
            f"`{label}` on line {line} builds with `CGO_ENABLED=1`{set_at}, so the binary links "
            f"{libc} dynamically when it uses cgo or imports net or os/user; line {copy_line} "
            f"copies it into {where}, where it will not start."
        )
        note = (
            f"cgo was requested explicitly, so gocomply does not turn it off; run the binary on "
            f"an image with {libc}: {_fits(build.libc)}"
        )
        return Violation(cmd.span, message, None, note=note)
    message = (
        f"`{label}` on line {line} runs with cgo on by default (`{build_image}` ships a C "
        f"compiler and `CGO_ENABLED` is not set), so if the program imports net or os/user the "
        f"binary links {libc} dynamically and may not start on {where}, where line "
        f"{copy_line} copies it."
    )
    return Violation(cmd.span, message, build=lambda: _fix(doc, model, d))
