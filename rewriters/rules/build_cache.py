"""Go builds and module downloads without BuildKit cache mounts.

## What it does

Finds `RUN` instructions whose go commands work on the main module — `go mod download`, and
`go build`, `go test`, `go install`, `go run`, `go vet`, `go list`, `go generate`, `go mod
tidy`/`vendor`/`verify` of the project's own packages — without a `--mount=type=cache` at the
caches those commands use:

- the module cache `GOMODCACHE` (default `$GOPATH/pkg/mod`, so `/go/pkg/mod` in official
  `golang` images) for every command that resolves modules, unless the build is vendored
  (`-mod=vendor`, or a `vendor/modules.txt` with go 1.14 or newer in go.mod);
- the build cache `GOCACHE` (default `$HOME/.cache/go-build`, so `/root/.cache/go-build` for
  root) for the commands that compile (`build`, `install`, `test`, `run`, `vet`).

The paths are the effective values for that command: `ENV GOPATH`, `GOMODCACHE`, `GOCACHE`,
`HOME`, `XDG_CACHE_HOME`, `USER`, `export` and `go env -w` change them. Installing a remote tool
(`go install example.com/tool@v1.2.3`) is not reported.

## Why is this bad?

Without a cache mount every change to the sources that invalidates the layer downloads every
module again and recompiles every package from scratch. A cache mount keeps the module cache
and the build cache across builds on the same builder, and cache mounts never end up in the
image, so the image also no longer carries the caches in its layers.

## Example

```dockerfile
# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \\
    go build -o /out/app ./cmd/app
```

becomes

```dockerfile
# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\
    go build -o /out/app ./cmd/app
```

## Fix safety

Safe with BuildKit (the default builder since Docker Engine 23.0; `RUN --mount` is stable since
Dockerfile frontend 1.2): the flags are added after the RUN's existing flags, and a cache mount
already at that target is kept as it is. A module cache mount hides the modules from the image,
so it is added to every RUN of the stage chain that works on the main module at once, or to
none: no fix for it when one of them has an unknown `GOMODCACHE`, when `make`, a script or a
go command this rule cannot read may use the modules, when another stage copies from the
module cache, when the image itself runs `go`, or when something else reads or writes the
module cache path. Nothing is added when the target is not known (a variable known only at build
time, an unrecognised base image), when another kind of mount already uses the target, when
the output or the working directory is inside the cache, on Windows images, or when the RUN
runs as a non-root `USER` (a cache mount is owned by root unless `uid=` says otherwise).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rewriters.buildcontext import BuildContext
from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit
from rewriters.fixes import Refusal, add_run_flag
from rewriters.gocmd import (
    COMPILE_SUBCOMMANDS,
    MODULE_SUBCOMMANDS,
    GoCommand,
    builds_local,
    parse_go_command,
)
from rewriters.gocmd import vendored as is_vendored
from rewriters.goenv import GoEnv
from rewriters.model import Model, Stage
from rewriters.mounts import mount_options
from rewriters.registry import Fix, Unfixable, Violation, rule
from rewriters.shell import SimpleCommand, scripts_for_run

_ROOT_USERS = frozenset({"root", "0", "root:root", "0:0", "root:0", "0:root"})
# commands that may run go commands this rule cannot see
_OPAQUE = frozenset(
    {"make", "gmake", "mage", "task", "just", "goreleaser", "bazel", "bazelisk", "ko", "xx-go"}
)
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
MODCACHE, GOCACHE = "GOMODCACHE", "GOCACHE"


@dataclass
class _Need:
    """One cache a RUN's go commands use: the variable, its value (None: unknown), why."""

    name: str
    path: str | None
    label: str


@dataclass
class _Run:
    ins: Instruction
    stage: Stage
    labels: list[str] = field(default_factory=list)
    needs: list[_Need] = field(default_factory=list)
    blockers: dict[str, str] = field(default_factory=dict)  # variable → why no mount

    def need(self, name: str) -> list[_Need]:
        return [n for n in self.needs if n.name == name]


def _label(gc: GoCommand) -> str:
    return "go " + " ".join(gc.subcommand)


def _cache_mounts(model: Model, ins: Instruction) -> tuple[dict[str, str], bool]:
    """Targets of the RUN's mounts (normalised) → type; and whether one is unknown."""
    out: dict[str, str] = {}
    unknown = False
    scope = model.scope_before(ins)
    for f in ins.effective.flags_named("mount"):
        opts = mount_options(f.value or "")
        target = opts.get("target", "")
        if "$" in target:
            wv = scope.expand(target, ins.effective.escape)
            if wv.unresolved:
                unknown = True
                continue
            target = wv.value
        if target:
            out[posixpath.normpath(target)] = opts["type"]
    return out, unknown


def _inside(path: str, root: str) -> bool:
    p, r = posixpath.normpath(path), posixpath.normpath(root)
    return p == r or p.startswith(r.rstrip("/") + "/")


def _overlap(a: str, b: str) -> bool:
    return _inside(a, b) or _inside(b, a)


def _opaque(cmd: SimpleCommand, binaries: bool = True) -> str | None:
    """The name of a command that may run go commands of its own (make, a script…);
    ``binaries``: also a program run by a relative path (``./build``)."""
    if not cmd.words:
        return None
    w = cmd.words[0]
    name = w.basename if w.basename is not None else w.value
    if name is None:
        return w.text
    if name in _OPAQUE or name.endswith(".sh") or (binaries and (w.value or "").startswith("./")):
        return name
    if name in _SHELLS and cmd.positionals():
        return name
    if name == "go" and parse_go_command(cmd) is None:
        return "go"
    return None


def _output_paths(
    gc: GoCommand, model: Model, ins: Instruction, env_gobin: str | None
) -> list[str]:
    """Where a build writes (``-o``, GOBIN for install), absolute when it can be told."""
    out: list[str] = []
    workdir = model.scope_before(ins).workdir or "/"
    base = gc.command.cwd
    if base is not None and not gc.command.cwd_unknown:
        workdir = posixpath.join(workdir, base)
    o = gc.flag("-o")
    if o is not None and o.value:
        out.append(posixpath.normpath(posixpath.join(workdir, o.value)))
    if gc.subcommand == ("install",) and env_gobin:
        out.append(env_gobin)
    return out


def _collect(doc: Document, model: Model, goenv: GoEnv, bc: BuildContext) -> list[_Run]:
    runs: list[_Run] = []
    for stage in model.stages:
        facts = model.root(stage).base_facts
        for ins in stage.instructions:
            if ins.sub is not None or ins.name != "RUN":
                continue
            run = _Run(ins, stage)
            scope = model.scope_before(ins)
            for script in scripts_for_run(ins, doc.text):
                for cmd in script.commands:
                    gc = parse_go_command(cmd)
                    if gc is None:
                        continue
                    sub = gc.subcommand
                    if sub not in MODULE_SUBCOMMANDS or sub == ("get",):
                        continue
                    if sub != ("mod", "download") and not (
                        sub[0] in ("mod", "work") or builds_local(gc)
                    ):
                        continue  # a remote tool (`go install x@v1.2.3`): not the project's
                    env = goenv.at(ins, script, cmd)
                    label = _label(gc)
                    run.labels.append(label)
                    vend = is_vendored(gc, env.value("GOFLAGS"), bc)
                    if vend is not True:
                        run.needs.append(_Need(MODCACHE, env.value(MODCACHE), label))
                    if sub in COMPILE_SUBCOMMANDS:
                        run.needs.append(_Need(GOCACHE, env.value(GOCACHE), label))
                        for path in _output_paths(gc, model, ins, env.gopath_bin().value):
                            for n in run.needs:
                                if n.path is not None and _inside(path, n.path):
                                    run.blockers[n.name] = (
                                        f"`{label}` writes `{path}` inside the cache `{n.path}`"
                                    )
            if not run.needs:
                continue
            if facts.family == "windows":
                run.blockers = dict.fromkeys((MODCACHE, GOCACHE), Refusal.WINDOWS_IMAGE.sentence())
            user = scope.user
            if user is not None and user not in _ROOT_USERS:
                why = (
                    f"the RUN runs as USER `{user}`, and a cache mount is owned by root "
                    "unless `uid=` says otherwise"
                )
                run.blockers = dict.fromkeys((MODCACHE, GOCACHE), why)
            workdir = scope.workdir
            for n in run.needs:
                if workdir is not None and n.path is not None and _inside(workdir, n.path):
                    run.blockers.setdefault(
                        n.name, f"the working directory `{workdir}` is inside the cache"
                    )
            runs.append(run)
    return runs


def _component(model: Model, stage: Stage) -> set[int]:
    root = model.root(stage).index
    return {st.index for st in model.stages if model.root(st).index == root}


def _group_blocker(doc: Document, model: Model, runs: Sequence[_Run], comp: set[int]) -> str | None:
    """Why the module cache mount cannot go on every main-module RUN of ``comp``."""
    members = [r for r in runs if r.stage.index in comp and r.need(MODCACHE)]
    paths: set[str] = set()
    for r in members:
        for n in r.need(MODCACHE):
            if n.path is None:
                return Refusal.UNKNOWN_VALUE.sentence(
                    name=f"GOMODCACHE for `{n.label}` on line {doc.line_of(r.ins.span.start)}"
                )
            paths.add(n.path)
        if MODCACHE in r.blockers:
            return r.blockers[MODCACHE]
    for st in (model.stages[i] for i in sorted(comp)):
        scope_ins = st.instructions
        for ins in scope_ins:
            line = doc.line_of(ins.span.start)
            eff = ins.effective
            if ins.sub is not None:
                continue
            if eff.name == "RUN":
                for script in scripts_for_run(eff, doc.text):
                    if script.has_errors:
                        return Refusal.SHELL_SYNTAX.sentence()
                    for cmd in script.commands:
                        name = _opaque(cmd)
                        if name is not None:
                            return (
                                f"`{name}` on line {line} may run go commands that need the modules"
                            )
                body = eff.rest.text if eff.rest is not None else " ".join(a.text for a in eff.args)
                if "GOMODCACHE" in body or any(p in body for p in paths) or "pkg/mod" in body:
                    return f"the RUN on line {line} uses the module cache path"
            elif eff.name in ("COPY", "ADD") and eff.args:
                dest = model.expand(eff.args[-1], ins)
                workdir = model.scope_before(ins).workdir
                if dest.unresolved or workdir is None:
                    continue
                target = posixpath.join(workdir, dest.value)
                if any(_inside(target, p) for p in paths):
                    return f"line {line} copies files into the module cache `{target}`"
            elif eff.name in ("CMD", "ENTRYPOINT") and st.index in model.image_stages():
                for script in scripts_for_run(eff, doc.text):
                    for cmd in script.commands:
                        if parse_go_command(cmd) is not None or _opaque(cmd, False):
                            return (
                                f"the image runs `{cmd.shown(30)}` (line {line}), which may "
                                "need the modules"
                            )
    for feed in model.feeds():
        if feed.source.index not in comp or feed.kind == "from":
            continue
        line = doc.line_of(feed.instruction.span.start)
        eff = feed.instruction.effective
        if feed.kind == "mount":
            for f in eff.flags_named("mount"):
                opts = mount_options(f.value or "")
                src = opts.get("source", "/") or "/"
                same = opts.get("from") and model.stage_named(opts["from"].strip()) is feed.source
                if same and ("$" in src or any(_overlap(src, p) for p in paths)):
                    return f"the RUN on line {line} mounts `{src}` from a stage with the modules"
            continue
        for word in eff.args[:-1]:
            got = model.expand(word, feed.instruction)
            if got.unresolved or any(_overlap(posixpath.join("/", got.value), p) for p in paths):
                return f"line {line} copies `{word.text}` from a stage that downloads modules"
    return None


def _flag(path: str) -> str:
    return f"--mount=type=cache,target={path}"


def _build(doc: Document, run: _Run, missing: list[_Need], group_why: str | None) -> Fix | None:
    flags: list[str] = []
    for n in missing:
        if n.name == MODCACHE and group_why is not None:
            continue
        if n.name in run.blockers or n.path is None:
            continue
        if _flag(n.path) not in flags:
            flags.append(_flag(n.path))
    if not flags:
        reasons = [run.blockers.get(n.name) for n in missing]
        reasons.append(group_why if any(n.name == MODCACHE for n in missing) else None)
        unknown = [n for n in missing if n.path is None]
        if unknown:
            reasons.append(Refusal.UNKNOWN_VALUE.sentence(name=unknown[0].name))
        raise Unfixable(next(r for r in reasons if r))
    text = ""
    at: int | None = None
    for flag in flags:
        edit = add_run_flag(doc, run.ins, flag)
        if edit is None:
            continue
        at = edit.span.start
        text += edit.replacement
    if at is None:
        return None
    shown = " ".join(f"`{f}`" for f in flags)
    return Fix((Edit.insert(at, text),), f"{shown} added to the RUN")


@rule(
    code="GC206",
    name="build-cache",
    severity="info",
    fix="safe",
    commit="cache go modules and builds with BuildKit cache mounts",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    runs = _collect(doc, model, ctx.goenv(doc), ctx.build_context)
    group_why: dict[int, str | None] = {}
    for run in runs:
        mounts, unknown = _cache_mounts(model, run.ins)
        if unknown:
            continue  # a mount's target is only known at build time: it may be the cache
        missing: list[_Need] = []
        taken: str | None = None
        for n in run.needs:
            if n.path is None:
                missing.append(n)
                continue
            kind = mounts.get(posixpath.normpath(n.path))
            if kind == "cache":
                continue
            if kind is not None:
                taken = Refusal.MOUNT_TARGET_TAKEN.sentence(target=n.path)
                run.blockers[n.name] = taken
            if all(m.name != n.name for m in missing):
                missing.append(n)
        if not missing:
            continue
        comp_key = model.root(run.stage).index
        if any(n.name == MODCACHE for n in missing) and comp_key not in group_why:
            group_why[comp_key] = _group_blocker(doc, model, runs, _component(model, run.stage))
        why = group_why.get(comp_key)
        names = sorted({n.name for n in missing}, key=lambda s: s != MODCACHE)
        paths = {m.name: m.path for m in missing}
        caches = " and ".join(f"{n} (`{paths[n]}`)" if paths[n] else n for n in names)
        line = doc.line_of(run.ins.span.start)
        labels = ", ".join(f"`{x}`" for x in dict.fromkeys(run.labels))
        message = (
            f"The RUN on line {line} runs {labels} without a BuildKit cache mount for {caches}, "
            "so every rebuild of this layer downloads or compiles everything again."
        )

        try:
            fix = _build(doc, run, missing, why)
        except Unfixable as exc:
            yield Violation(run.ins.span, message, None, exc.reason)
            continue
        note = None
        held = why is not None or MODCACHE in run.blockers
        if fix is not None and held and any(n.name == MODCACHE for n in missing):
            note = f"no module cache mount: {why or run.blockers[MODCACHE]}"
        yield Violation(run.ins.span, message, fix, note)
