"""The image that runs the program is a Go toolchain image.

## What it does

Finds Dockerfiles whose final stage (the one `docker build` builds without `--target`) is a Go
toolchain image: `golang`, Microsoft's Go image or `cgr.dev/chainguard/go`, directly or through
`FROM <stage>` of a stage that starts from one. Such an image runs the program next to the whole
Go toolchain, the sources copied in and the module and build caches.

It stays silent when the image is meant to carry Go: the final stage's `ENTRYPOINT`/`CMD` runs
`go` itself (`["go", "run", "."]`, `go test`) or a tool that needs it (`make`, `air`, `dlv`,
`goreleaser`, …); the stage sets neither `ENTRYPOINT` nor `CMD`, or only `CMD ["bash"]` (the
image then starts a shell: a build environment); or the Dockerfile's path matches a
`toolchain_images` glob of the configuration. By default those are development, test, CI and
build-environment images: `Dockerfile.dev*`, `*.dev.Dockerfile`, `Dockerfile.test*`,
`Dockerfile.e2e*`, `Dockerfile.ci`, `Dockerfile.build*`, `build.Dockerfile` and the like, and
files under `test/`, `tests/`, `testdata/`, `e2e/`, `hack/`, `.devcontainer/` and `.github/`.

## Why is this bad?

The runtime image carries hundreds of megabytes it does not need: the compiler, the C toolchain
of Debian-based images, a package manager, a shell, the source tree and every module the build
downloaded. Each is attack surface and a source of scanner findings, and anyone who can run a
command in the container can build and run new code. A multi-stage build keeps the toolchain in
a build stage and copies only the binary onto a small runtime image such as distroless, which
has no shell or package manager; its `:nonroot` tags run as uid 65532 without a `USER` line.

## Example

```dockerfile
FROM golang:1.22-alpine
WORKDIR /src
COPY . .
RUN go build -o myapp .
EXPOSE 8080
CMD ["./myapp"]
```

becomes

```dockerfile
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o myapp .

FROM gcr.io/distroless/static-debian12:nonroot
EXPOSE 8080
COPY --from=build /src/myapp /myapp
CMD ["/myapp"]
```

## Fix safety

Unsafe (opt-in): the program then runs on another image, as the non-root user 65532, without a
shell, package manager or the files of the build stage. The stage is named `AS build` (an
existing name is kept), and a runtime stage is appended: `FROM
gcr.io/distroless/<flavour>-debian12:nonroot` (or the configured `runtime_image`), `COPY
--from=build` of the binary to `/<name>`, the stage's `LABEL`, `EXPOSE` and `STOPSIGNAL` lines
and its `ENV` values other than Go build settings, and the `CMD`/`ENTRYPOINT` (moved out of the
build stage) in exec form, pointing at the copied binary. The flavour follows from cgo: off
(`CGO_ENABLED=0`, or unset on an image without a C compiler such as `golang:*-alpine`) gives
`static` (no libc); on with glibc (the default on Debian-based images) gives `cc` (glibc and
libgcc). A cgo binary built against musl (alpine) does not start on distroless and is not moved.

The edit is only made when every fact is certain: the binary is written by a `go build -o` with
a literal path, and the `CMD`/`ENTRYPOINT` runs exactly that file (`./myapp` resolved against the
`WORKDIR`, an absolute path, or a name found through `PATH`), in exec form or as a plain word
list in shell form (no variables, quotes or operators). It is reported without an edit when the
image may need more than the binary at run time: a `COPY` outside the source tree the build runs
in (configuration, templates, migrations), anything copied or run after the build other than
installing `ca-certificates`/`tzdata` (distroless ships both), packages installed besides build
tools (git, make, a C compiler), C libraries for a cgo build, `USER`, `VOLUME`, `HEALTHCHECK`,
`ONBUILD`, or a `-race`/`-buildmode` build. A program that reads files from its source tree at
run time (templates next to the code), writes into its working directory, or runs other
programs from the image needs more than this edit: check before merging.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from rewriters.artifacts import Product, products
from rewriters.context import RuleContext
from rewriters.document import Comment, Document, Instruction
from rewriters.edits import Edit, Span
from rewriters.findings import Unfixable
from rewriters.fixes import keyword_case, remove_instruction
from rewriters.goenv import GO_VARIABLES
from rewriters.images import ImageFacts, facts_for
from rewriters.model import Model, Stage
from rewriters.pkgmgr import install_of, manager_of
from rewriters.registry import Fix, Violation, rule
from rewriters.shell import SimpleCommand, scripts_for_run

DISTROLESS = "gcr.io/distroless/{flavour}-debian12:nonroot"
# Programs that need the Go toolchain to run: an image started with them ships Go on purpose.
_GO_RUNNERS = frozenset(
    {
        "go",
        "make",
        "air",
        "reflex",
        "gow",
        "CompileDaemon",
        "dlv",
        "goreleaser",
        "mage",
        "gotestsum",
        "golangci-lint",
        "ginkgo",
        "ko",
    }
)
# Runtime settings the Go runtime reads; every other Go variable is a build setting.
_RUNTIME_GO_VARIABLES = frozenset({"GODEBUG", "GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GOTRACEBACK"})
_BUILD_ONLY_ENV = (GO_VARIABLES - _RUNTIME_GO_VARIABLES) | {"PATH", "GOLANG_VERSION"}
# Packages a build stage installs for the build itself.
_BUILD_PACKAGES = frozenset(
    {
        "git",
        "make",
        "gcc",
        "g++",
        "musl-dev",
        "libc6-dev",
        "libc-dev",
        "build-base",
        "binutils",
        "upx",
        "openssh-client",
        "ca-certificates",
        "tzdata",
    }
)
_C_TOOLCHAIN_PACKAGES = frozenset({"gcc", "g++", "musl-dev", "libc6-dev", "libc-dev", "build-base"})
_SHIPPED_BY_DISTROLESS = frozenset({"ca-certificates", "tzdata"})
# Commands before the build that prepare the build, not the runtime.
_BUILD_COMMANDS = frozenset({"go", "git", "cd", "echo", "ls", "pwd", "true", "printf", "env"})
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9_@%+=:,./-]*")
_RESERVED_TOP = frozenset(
    {
        "bin",
        "boot",
        "dev",
        "etc",
        "home",
        "lib",
        "lib64",
        "proc",
        "root",
        "run",
        "sbin",
        "sys",
        "tmp",
        "usr",
        "var",
    }
)


@dataclass(frozen=True)
class _Start:
    """How the final stage starts its program."""

    entrypoint: Instruction | None
    cmd: Instruction | None
    argv: tuple[str, ...]  # the words of the instruction that names the program
    cmd_args: tuple[str, ...]  # CMD words passed to an ENTRYPOINT
    program: Instruction  # the instruction whose first word is the program


def _words(ins: Instruction) -> tuple[str, ...] | None:
    """The words of a CMD/ENTRYPOINT: exec form as written, shell form only when it is a plain
    word list (no variables, quotes or operators); None otherwise."""
    if ins.json:
        return tuple(a.value for a in ins.args)
    text = ins.rest.text if ins.rest is not None else ""
    words = tuple(text.split())
    if not words or any(_PLAIN_WORD.fullmatch(w) is None for w in words):
        return None
    return words


def _runs_go(ins: Instruction, doc: Document) -> bool:
    """Does this CMD/ENTRYPOINT run go (or a tool that needs it)?"""
    names: list[str | None] = []
    if ins.json and ins.args:
        names.append(posixpath.basename(ins.args[0].value))
    for script in scripts_for_run(ins, doc.text):
        for cmd in script.commands:
            if cmd.words:
                first = cmd.words[0]
                names.append(first.basename if first.basename is not None else first.value)
    return any(n in _GO_RUNNERS for n in names if n is not None)


def _interactive_shell(ins: Instruction) -> bool:
    """``CMD ["bash"]`` / ``CMD sh``: a shell without a script."""
    words = _words(ins)
    return words is not None and len(words) == 1 and posixpath.basename(words[0]) in _SHELLS


def _last(stage: Stage, name: str) -> list[Instruction]:
    return [i for i in stage.instructions if i.name == name]


def _line(doc: Document, ins: Instruction) -> int:
    return doc.line_of(ins.span.start)


def _flavour(
    doc: Document, ctx: RuleContext, stage: Stage, product: Product, facts: ImageFacts
) -> str:
    env = ctx.goenv(doc).at(
        product.instruction, product.invocation.script, product.invocation.command
    )
    cgo = env.get("CGO_ENABLED")
    installs_cc = any(n in _C_TOOLCHAIN_PACKAGES for n in _installed(doc, stage) if n is not None)
    if cgo.value is None and cgo.explicit:
        raise Unfixable("CGO_ENABLED is not known here, so neither is the libc the binary needs")
    if cgo.value == "0":
        cgo_on = False
    elif cgo.value == "1":
        cgo_on = True
    elif cgo.value is None:
        if facts.c_compiler is None:
            raise Unfixable("whether the image has a C compiler (and so cgo) is not known")
        cgo_on = facts.c_compiler or installs_cc
    else:
        raise Unfixable(f"CGO_ENABLED={cgo.value} is not a value gocomply reads")
    if not cgo_on:
        return "static"
    if facts.libc == "musl":
        raise Unfixable(
            "the binary is built with cgo against musl (alpine), and no distroless image has "
            "musl; build with CGO_ENABLED=0 or on a Debian-based image first"
        )
    if facts.libc != "glibc":
        raise Unfixable("the libc the cgo binary links against is not known")
    extra = [n for n in _installed(doc, stage) if n not in _BUILD_PACKAGES]
    if extra:
        raise Unfixable(
            "the cgo build may link the C libraries the stage installs, which distroless lacks"
        )
    return "cc"


def _installed(doc: Document, stage: Stage) -> list[str | None]:
    out: list[str | None] = []
    for ins in stage.instructions:
        if ins.effective.name != "RUN":
            continue
        for script in scripts_for_run(ins.effective, doc.text):
            for cmd in script.commands:
                inst = install_of(cmd)
                if inst is not None:
                    out.extend(inst.names())
    return out


def _check_command(doc: Document, ins: Instruction, cmd: SimpleCommand, after: bool) -> None:
    """Refuse a command that may prepare what the program needs at run time."""
    line = _line(doc, ins)
    found = manager_of(cmd)
    if found is not None:
        inst = install_of(cmd)
        if inst is None:
            return  # apk update, apt-get update/clean, …
        names = inst.names()
        allowed = _SHIPPED_BY_DISTROLESS if after else _BUILD_PACKAGES
        odd = [n if n is not None else "a package given by a variable" for n in names]
        odd = [n for n in odd if n not in allowed]
        if odd:
            raise Unfixable(
                f"line {line} installs {', '.join(odd)}, which the program may need at run time"
            )
        return
    name = cmd.words[0].basename if cmd.words and cmd.words[0].basename else cmd.name
    if name == "rm" and all(
        w.value is not None and (w.value.startswith("-") or w.value.startswith("/var/"))
        for w in cmd.args
    ):
        return  # package index clean-up
    if not after and name in _BUILD_COMMANDS:
        return
    shown = name if name is not None else "a command"
    where = "after the build" if after else "in the stage"
    raise Unfixable(
        f"`{shown}` on line {line} runs {where} and may prepare files or settings the program "
        "needs at run time"
    )


def _resolve_program(model: Model, stage: Stage, word: str) -> str | None:
    """The file the runtime starts for program word ``word`` (None when not certain)."""
    end = model.end_scope(stage)
    if word.startswith("/"):
        return posixpath.normpath(word)
    if end.workdir is None:
        return None
    return posixpath.normpath(posixpath.join(end.workdir, word))


def _program_product(
    doc: Document, ctx: RuleContext, stage: Stage, word: str
) -> tuple[Product, str]:
    model = ctx.model(doc)
    prods = [p for p in products(doc, model, ctx.goenv(doc)) if p.stage.index == stage.index]
    end = model.end_scope(stage)
    if "/" not in word:
        path = end.env.get("PATH")
        dirs = [] if path is None or path.value is None else path.value.split(":")
        found = None
        for d in dirs:
            cand = posixpath.join(posixpath.normpath(d), word) if d.startswith("/") else None
            if cand is not None and any(p.path == cand for p in prods):
                found = cand
                break
        if found is None:
            raise Unfixable(f"no `go build` of this stage writes `{word}` on the PATH")
        target = found
    else:
        resolved = _resolve_program(model, stage, word)
        if resolved is None:
            raise Unfixable(f"the working directory `{word}` is relative to is not known")
        target = resolved
    writers = [p for p in prods if p.path == target]
    if not writers:
        raise Unfixable(f"no `go build -o` with a literal path in this stage writes `{target}`")
    product = writers[-1]
    if product.how != "go-build" or not product.exact:
        raise Unfixable(f"`{target}` is written by `go install`, whose destination may move")
    if product.instruction.sub is not None:
        raise Unfixable("the binary is built by an ONBUILD trigger, in another image")
    inv = product.invocation
    if inv.script.has_errors:
        raise Unfixable("the shell script has syntax errors gocomply cannot rewrite")
    if not product.invocation.command.unconditional:
        raise Unfixable("the build sits inside a condition or loop, so it may not run")
    names = set(inv.go.args.names())
    if "-race" in names:
        raise Unfixable("a `-race` build needs cgo and is a test build")
    if "-buildmode" in names and inv.flag("-buildmode") not in ("exe", "default"):
        raise Unfixable("`-buildmode` changes how the binary is linked")
    env = ctx.goenv(doc).at(product.instruction, inv.script, product.invocation.command)
    goos = env.get("GOOS")
    if goos.explicit and goos.value != "linux":
        raise Unfixable("the binary is built for another GOOS than linux")
    return product, target


def _source_dirs(product: Product, model: Model) -> list[str]:
    scope = model.scope_before(product.instruction)
    cmd = product.invocation.command
    base = scope.workdir or "/"
    cwd = base if cmd.cwd is None else posixpath.normpath(posixpath.join(base, cmd.cwd))
    dirs = [cwd]
    c = product.invocation.flag("-C")
    if c is not None:
        dirs.append(posixpath.normpath(posixpath.join(cwd, c)))
    return dirs


def _related(a: str, b: str) -> bool:
    """Is ``a`` equal to, inside, or a parent of ``b``?"""
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


_ARCHIVE = re.compile(r"\.(?:tar|tgz|gz|bz2|xz|zst|lz4|zip)$")


def _plain_add(ins: Instruction) -> bool:
    """An ADD of local files that are not archives (which ADD would unpack): a COPY."""
    if ins.flags:
        return False
    return all(
        "://" not in w.value and not w.value.startswith("git@") and not _ARCHIVE.search(w.value)
        for w in ins.args[:-1]
    )


def _mkdir_in(cmd: SimpleCommand, workdir: str | None, sources: Sequence[str]) -> bool:
    """``mkdir [-p] DIR…`` that only creates (parents of) the source tree of the build."""
    if cmd.name != "mkdir" or workdir is None:
        return False
    dirs = [w.value for w in cmd.args if w.value is None or not w.value.startswith("-")]
    if not dirs or any(d is None for d in dirs):
        return False
    return all(
        any(_related(posixpath.normpath(posixpath.join(workdir, d)), s) for s in sources)
        for d in dirs
        if d is not None
    )


def _check_stage(
    doc: Document, model: Model, stage: Stage, product: Product, start: _Start
) -> list[Instruction]:
    """Refuse what cannot be carried; return the instructions to carry (LABEL, EXPOSE, …)."""
    build_at = product.instruction.span.start
    sources = _source_dirs(product, model)
    carried: list[Instruction] = []
    for ins in stage.instructions:
        name = ins.name
        line = _line(doc, ins)
        after = ins.span.start > build_at
        if name == "ONBUILD":
            raise Unfixable("an ONBUILD trigger runs in images built from this one")
        if name in ("USER", "VOLUME", "HEALTHCHECK", "SHELL"):
            if name == "HEALTHCHECK" and ins.rest is not None and ins.rest.text.strip() == "NONE":
                carried.append(ins)
                continue
            raise Unfixable(f"the {name} on line {line} cannot be carried to distroless as it is")
        if name in ("LABEL", "EXPOSE", "STOPSIGNAL"):
            if "$" in ins.span.slice(doc.text):
                raise Unfixable(f"the {name} on line {line} uses a variable")
            carried.append(ins)
        elif name in ("COPY", "ADD"):
            if after:
                raise Unfixable(
                    f"line {line} copies files after the build; the program may read them"
                )
            if ins.flag("from") is not None or (name == "ADD" and not _plain_add(ins)):
                raise Unfixable(f"the {name} on line {line} may bring files the program reads")
            if not ins.args:
                continue
            dest = model.expand(ins.args[-1], ins)
            workdir = model.scope_before(ins).workdir
            if dest.unresolved or workdir is None:
                raise Unfixable(f"the destination of the {name} on line {line} is not known")
            target = posixpath.normpath(posixpath.join(workdir, dest.value))
            if not any(_related(target, s) for s in sources):
                raise Unfixable(
                    f"line {line} copies files to `{target}`, outside the source tree; the "
                    "program may read them at run time"
                )
        elif name == "RUN":
            scripts = scripts_for_run(ins, doc.text)
            for script in scripts:
                if script.has_errors:
                    raise Unfixable(f"the shell script on line {line} has syntax errors")
                for cmd in script.commands:
                    if ins is product.instruction:
                        continue
                    if not after and _mkdir_in(cmd, model.scope_before(ins).workdir, sources):
                        continue
                    _check_command(doc, ins, cmd, after)
    return carried


def _find_start(doc: Document, stage: Stage) -> _Start | None:
    eps = _last(stage, "ENTRYPOINT")
    cmds = _last(stage, "CMD")
    if not eps and not cmds:
        return None
    if len(eps) > 1 or len(cmds) > 1:
        raise Unfixable("the stage has several ENTRYPOINT or CMD lines")
    ep = eps[0] if eps else None
    cmd = cmds[0] if cmds else None
    if ep is not None:
        argv = _words(ep)
        if argv is None:
            raise Unfixable(
                "the ENTRYPOINT is not a plain word list, so it cannot become exec form"
            )
        cmd_args: tuple[str, ...] = ()
        if cmd is not None:
            if not ep.json:
                raise Unfixable("a shell-form ENTRYPOINT ignores CMD; exec form would pass it")
            if not cmd.json:
                raise Unfixable("a shell-form CMD after an ENTRYPOINT runs through a shell")
            cmd_args = tuple(a.value for a in cmd.args)
        return _Start(ep, cmd, argv, cmd_args, ep)
    assert cmd is not None
    argv = _words(cmd)
    if argv is None:
        raise Unfixable("the CMD is not a plain word list, so it cannot become exec form")
    return _Start(None, cmd, argv, (), cmd)


def _env_lines(doc: Document, model: Model, stage: Stage) -> list[tuple[int, str]]:
    """(offset, ``ENV k=v …``) for the stage's ENV that the runtime needs, in file order."""
    end = model.end_scope(stage)
    grouped: dict[int, list[str]] = {}
    for name, b in end.env.items():
        if b.kind != "env" or name in _BUILD_ONLY_ENV or b.instruction is None:
            continue
        if b.value is None:
            raise Unfixable(f"the value of {name} is not known here, so it cannot be carried")
        grouped.setdefault(b.instruction.span.start, []).append(
            f"{name}={_env_value(b.value, doc.escape)}"
        )
    return [
        (at, keyword_case(doc, "ENV") + " " + " ".join(pairs))
        for at, pairs in sorted(grouped.items())
    ]


def _env_value(value: str, escape: str) -> str:
    if value and _PLAIN_WORD.fullmatch(value):
        return value
    if "\n" in value or "\r" in value:
        raise Unfixable("an ENV value holds a line break")
    special = {escape, '"', "$"}
    return '"' + "".join(escape + c if c in special else c for c in value) + '"'


def _runtime_image(ctx: RuleContext, flavour: str) -> str:
    configured = ctx.options.runtime_image
    if configured is None:
        return DISTROLESS.format(flavour=flavour)
    facts = facts_for(configured)
    if not facts.known or facts.go_toolchain or facts.family == "windows":
        raise Unfixable(f"the configured runtime image `{configured}` is not one gocomply knows")
    if flavour == "cc" and facts.libc != "glibc":
        raise Unfixable(
            f"the cgo binary needs glibc, and the configured runtime image `{configured}` "
            "does not have it"
        )
    return configured


def _plan(doc: Document, ctx: RuleContext, stage: Stage, start: _Start) -> Fix:
    model = ctx.model(doc)
    if stage.parent is not None:
        raise Unfixable("the final stage is built FROM another stage; split it by hand")
    if not stage.image_known:
        raise Unfixable(f"the base image `{stage.image}` depends on a build argument")
    facts = stage.base_facts
    if facts.family == "windows":
        raise Unfixable(
            "the stage builds on a Windows image, and gocomply only rewrites Linux images"
        )
    if any(f.source.index == stage.index for f in model.feeds()):
        raise Unfixable("another stage uses the final stage")
    program = start.argv[0]
    product, target = _program_product(doc, ctx, stage, program)
    if _PLAIN_PATH.fullmatch(target) is None:
        raise Unfixable(f"`{target}` would need quoting")
    carried = _check_stage(doc, model, stage, product, start)
    flavour = _flavour(doc, ctx, stage, product, facts)
    image = _runtime_image(ctx, flavour)
    binary = posixpath.basename(target)
    if binary in _RESERVED_TOP or not binary:
        raise Unfixable(f"a binary named `{binary}` cannot go to `/{binary}` on distroless")
    dest = "/" + binary

    alias = stage.alias
    edits: list[Edit] = []
    if alias is None:
        taken = {s.alias.lower() for s in model.stages if s.alias is not None}
        if "build" in taken:
            raise Unfixable("another stage is already named `build`")
        alias = "build"
        last = stage.from_.args[-1]
        edits.append(Edit.insert(last.span.end, f" {keyword_case(doc, 'AS')} build"))
    if stage.from_.name != "FROM" or not stage.from_.args:
        raise Unfixable("the FROM line is not one gocomply can extend")

    nl = doc.newline
    moved_kinds = ("EXPOSE", "STOPSIGNAL")
    lines: list[tuple[int, str]] = [
        (ins.span.start, _block(doc, ins) if ins.name in moved_kinds else _text(doc, ins))
        for ins in carried
    ]
    lines.extend(_env_lines(doc, model, stage))
    body = [keyword_case(doc, "FROM") + " " + image]
    body.extend(text for _, text in sorted(lines))
    body.append(f"{keyword_case(doc, 'COPY')} --from={alias} {target} {dest}")
    argv = [dest, *start.argv[1:]]
    if start.entrypoint is not None:
        body.extend(_comments(doc, start.entrypoint))
        body.append(f"{keyword_case(doc, 'ENTRYPOINT')} {json.dumps(argv)}")
        if start.cmd is not None:
            body.extend(_comments(doc, start.cmd))
            body.append(f"{keyword_case(doc, 'CMD')} {json.dumps(list(start.cmd_args))}")
    else:
        assert start.cmd is not None
        body.extend(_comments(doc, start.cmd))
        body.append(f"{keyword_case(doc, 'CMD')} {json.dumps(argv)}")
    # moved, not copied: ENTRYPOINT/CMD, EXPOSE and STOPSIGNAL describe the runtime image
    removed = [i for i in (start.entrypoint, start.cmd) if i is not None]
    removed.extend(i for i in carried if i.name in ("EXPOSE", "STOPSIGNAL"))
    text = doc.text
    tail = nl.join(body) + nl
    end = len(text)
    removals = [_move(doc, i) for i in removed]
    # the runtime stage follows the file's last line; a removal reaching the end of the file
    # takes the appended text as its replacement (an insertion there would touch it)
    at_end = [e for e in removals if e.span.end == end]
    rest = [e for e in removals if e.span.end != end]
    edits.extend(rest)
    if at_end:
        e = at_end[0]
        before = text[: e.span.start]
        sep = "" if before.endswith(nl + nl) or not before else nl
        if before and not before.endswith("\n"):
            sep = nl + nl
        edits.append(Edit(e.span, e.replacement + sep + tail))
    else:
        sep = nl if text.endswith("\n") else nl + nl
        edits.append(Edit.insert(end, sep + tail))
    what = f"`{image}`"
    return Fix(
        tuple(edits),
        f"build in stage `{alias}` and run `{target}` as `{dest}` on {what}",
        applicability="unsafe",
    )


def _comment_nodes(doc: Document, ins: Instruction) -> list[Comment]:
    """The comment lines right above ``ins`` (no blank line between): its annotation."""
    nodes = list(doc.nodes)
    i = next(k for k, n in enumerate(nodes) if n is ins)
    out: list[Comment] = []
    while i > 0 and isinstance(nodes[i - 1], Comment):
        i -= 1
        out.insert(0, cast(Comment, nodes[i]))
    return out


def _comments(doc: Document, ins: Instruction) -> list[str]:
    return [c.span.slice(doc.text).rstrip("\r\n") for c in _comment_nodes(doc, ins)]


def _text(doc: Document, ins: Instruction) -> str:
    return ins.span.slice(doc.text).rstrip("\r\n")


def _block(doc: Document, ins: Instruction) -> str:
    """An instruction with the comment lines above it, as it moves to the runtime stage."""
    return doc.newline.join([*_comments(doc, ins), _text(doc, ins)])


def _move(doc: Document, ins: Instruction) -> Edit:
    """The deletion of ``ins`` and the comment lines above it (see `remove_instruction`)."""
    edit = remove_instruction(doc, ins)
    comments = _comment_nodes(doc, ins)
    if not comments or edit.replacement:
        return edit
    start = comments[0].span.start
    text = doc.text
    end = edit.span.end
    prev_blank = start == 0 or not text[text.rfind("\n", 0, start - 1) + 1 : start].strip()
    if prev_blank and end == ins.span.end:
        nl = text.find("\n", end)
        if nl >= 0 and not text[end:nl].strip(" \t\r"):
            end = nl + 1
    return Edit(Span(start, end), "")


def _where(ins: Instruction) -> Span:
    if ins.args:
        return Span(ins.keyword.span.start, ins.args[0].span.end)
    return ins.keyword.span


@rule(
    code="GC202",
    name="toolchain-in-runtime",
    severity="warning",
    fix="unsafe",
    commit="run the binary on a distroless image instead of the Go toolchain image",
    outputs="the runtime image becomes distroless `:nonroot` with only the binary copied in",
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    stage = model.final
    if stage is None or not stage.base_facts.go_toolchain:
        return
    if ctx.options.is_toolchain_image(ctx.path):
        return
    lineage: Sequence[Stage] = model.lineage(stage)
    starts = [i for st in lineage for i in st.instructions if i.name in ("CMD", "ENTRYPOINT")]
    if not starts:
        return  # the image starts a shell: a build environment
    last_ep = [i for i in starts if i.name == "ENTRYPOINT"][-1:]
    last_cmd = [i for i in starts if i.name == "CMD"][-1:]
    if any(_runs_go(i, doc) for i in (*last_ep, *last_cmd)):
        return
    if any(_interactive_shell(i) for i in (*last_ep, *last_cmd)) and not last_ep:
        return  # CMD ["bash"]: the image starts a shell, a build environment
    root = model.root(stage)
    image = root.image
    message = (
        f"the final stage runs on `{image}`, a Go toolchain image: the runtime image ships the "
        "compiler, the sources and the module cache next to the program."
    )

    def build() -> Fix | None:
        start = _find_start(doc, stage)
        if start is None:
            raise Unfixable("the final stage sets neither ENTRYPOINT nor CMD")
        return _plan(doc, ctx, stage, start)

    yield Violation(_where(stage.from_), message, build=build)
