"""A GOTOOLCHAIN setting that lets go download and run another Go toolchain at build time.

## What it does

Finds `GOTOOLCHAIN` set to a value that makes the go command run a toolchain other than the one
in the base image: `auto` (the same as `local+auto`), a version (`go1.22.3`), a version with
`+auto` or `+path`, and the invalid `path+auto` — in `ENV`, `ARG` defaults, `export`,
`GOTOOLCHAIN=… go …`, `env GOTOOLCHAIN=… go …`, `go env -w` and make variables. An empty value
in a Go 1.21+ `golang` image is reported too: go then falls back to the `GOTOOLCHAIN=auto` of
the toolchain's own `go.env`. `local`, `path` and `local+path` never download and are not
reported.

## Why is this bad?

With `auto` (or `goX.Y.Z+auto`) go reads the `go` and `toolchain` lines of go.mod and, when they
ask for a newer Go than the one installed, downloads that toolchain from the module proxy at
build time and builds with it. A version (`GOTOOLCHAIN=go1.22.3`) always runs that release,
downloading it unless a `go1.22.3` binary is in `PATH`; with `+path` go only looks in `PATH`
and fails with `cannot find "go1.22.3" in PATH` when it is not there. Either way the binary is
not built by the Go that the base image (and its digest, and the scans of it) pins, and the
build depends on the proxy being reachable. The official `golang` images set
`GOTOOLCHAIN=local` on purpose. `path+auto` is not a valid value at all: every go command in
module mode stops with `invalid GOTOOLCHAIN "path+auto"`.

The severity is a warning rather than an error: a downloaded toolchain is verified against the
checksum database like any module, so this is about which Go builds the image and where it
comes from, not about accepting unverified code.

## Example

```dockerfile
FROM golang:1.23 AS build
ENV GOTOOLCHAIN=auto
COPY . .
RUN go build -o /app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
```

becomes (when go.mod asks for Go 1.23 or older, so `auto` never switched):

```dockerfile
FROM golang:1.23 AS build
COPY . .
RUN go build -o /app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
```

## Fix safety

The override is dropped (an `ARG` keeps its declaration without the default), so the image's
`GOTOOLCHAIN=local` applies. That is safe only when it does not change which Go builds the
program, so the fix is applied only when that is known:

- `auto`, `local+auto` (and an empty value): the base image's Go version is known from its tag,
  the build context's go.mod is known, and its `go` and `toolchain` lines ask for no more than
  the oldest release that tag can be (`golang:1.23` is at least 1.23.0). Then `auto` never
  switched, and `local` builds with the same Go.
- `goX.Y.Z`, `goX.Y.Z+auto`, `goX.Y.Z+path`: the toolchain go selects (the version, or what
  go.mod asks for if newer) is exactly the base image's version (`golang:1.23.4`).
- `path+auto` (invalid: every go command in module mode fails) and a `go env -w` that the
  environment overrides (in `golang` images `GOTOOLCHAIN=local` is set, and the environment
  wins over the go env file): dropping them changes nothing that works.

An `ENV` (or a `go env -w`) that stays in an image someone may run — the last stage, or a
stage no other stage uses — also affects the go commands run in its containers, on modules
gocomply cannot see (golangci-lint's image sets `GOTOOLCHAIN=auto` for its users); there the
removal is an **unsafe** fix, applied only with `unsafe_fixes: [GC107]`.

Otherwise the finding is reported without an edit, with the base image to move to when it is
known: removing `auto` while go.mod asks for a newer Go than the image has would fail the build
with `go: go.mod requires go >= 1.24 (running go 1.23.4; GOTOOLCHAIN=local)`. The module that
decides is not known either when the build fetches or edits modules whose `go` line gocomply
cannot read (`go install pkg@version`, `go run pkg@version`, `go get`, `go mod tidy`,
`go mod edit`, `go work`, `git clone`), or when no stage copies the build context; those are
reported too. Values that come from another variable and `ONBUILD` settings are reported
without an edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit, Span
from rewriters.fixes import Refusal, remove_instruction
from rewriters.gocmd import GoMod, Key, parse_go_mod, show_key, version_key
from rewriters.goenv import Setting, find_settings
from rewriters.model import Model, Stage
from rewriters.registry import Fix, Violation, rule
from rewriters.shell import scripts_for_run

NAME = "GOTOOLCHAIN"
NAMES = frozenset({NAME})
_FINE = frozenset({"local", "path", "local+path"})
_AUTO = frozenset({"auto", "local+auto"})
# go subcommands that read or change the go line of a module gocomply cannot see
_MODULE_CHANGING = frozenset({"get", "work"})
_DYNAMIC_PIN = re.compile(r"""^["']?go(?:\d|\$)""")


@dataclass(frozen=True)
class ImageGo:
    """The Go a base image tag names: its oldest possible release, and whether it is exact."""

    tag: str
    oldest: Key
    exact: bool
    image: str = ""  # the FROM reference, to suggest the same image at another version

    def moved_to(self, version: str) -> str:
        """The same image reference at Go ``version`` (variant kept, digest dropped)."""
        ref = self.image.split("@", 1)[0]
        name, colon, tag = ref.rpartition(":")
        if colon and "/" not in tag and tag.startswith(self.tag):
            return f"{name}:{version}{tag[len(self.tag) :]}"
        return f"golang:{version}"


def image_go(facts_version: str | None, image: str = "") -> ImageGo | None:
    if facts_version is None:
        return None
    k = version_key(facts_version)
    if k is None:
        return None
    major, minor, kind, _ = k
    if kind == 0:
        # `golang:1.23` is some 1.23.x: at least 1.23.0 (before Go 1.21 the first release of
        # a minor version had no .0)
        oldest = (major, minor, 3, 0) if (major, minor) >= (1, 21) else k
        return ImageGo(facts_version, oldest, False, image)
    return ImageGo(facts_version, k, True, image)


def _as_toolchain(k: Key) -> Key:
    """The toolchain go picks for a `go` line: 1.23 → 1.23.0 (Go 1.21+)."""
    major, minor, kind, _ = k
    if kind == 0 and (major, minor) >= (1, 21):
        return (major, minor, 3, 0)
    return k


# --------------------------------------------------------------------------------- scope


def _stage_chain(model: Model, s: Setting) -> list[Stage]:
    """Stages whose builds the setting can reach (its stage and the stages built FROM it)."""
    if s.stage is None:
        return list(model.stages)
    return [s.stage, *model.children(s.stage)]


def _affected_runs(doc: Document, model: Model, s: Setting) -> list[Instruction]:
    stages = {st.index for st in _stage_chain(model, s)}
    out: list[Instruction] = []
    for ins in doc.instructions:
        if ins.effective.name != "RUN" or ins.span.start < s.instruction.span.start:
            continue
        st = model.stage_of(ins)
        if st is not None and st.index in stages:
            out.append(ins)
    return out


def _unknown_module(doc: Document, model: Model, s: Setting) -> str | None:
    """Why the go.mod that decides the toolchain may not be the build context's, if so."""
    for ins in _affected_runs(doc, model, s):
        for script in scripts_for_run(ins.effective, doc.text):
            for cmd in script.commands:
                if not cmd.words:
                    continue
                argv = cmd.argv_values
                name = cmd.words[0].basename
                line = doc.line_of(cmd.span.start)
                if name == "git" and "clone" in argv[1:]:
                    return f"line {line} builds code cloned at build time"
                if name != "go" or len(argv) < 2:
                    continue
                sub = argv[1]
                args = [a for a in argv[2:] if a is not None and not a.startswith("-")]
                if sub in _MODULE_CHANGING or (sub == "mod" and args[:1] in (["tidy"], ["edit"])):
                    return f"`go {sub}` on line {line} may raise the go version the module needs"
                if sub in ("install", "run") and any("@" in a for a in args):
                    return (
                        f"`go {sub}` on line {line} builds a module at a version whose go.mod "
                        "gocomply cannot read"
                    )
    copies = any(
        ins.effective.name in ("COPY", "ADD") and ins.effective.flag("from") is None
        for st in _stage_chain(model, s)
        for ins in st.instructions
    )
    if not copies:
        return "no stage it reaches copies the build context, so its go.mod is not the one built"
    return None


def _image_versions(model: Model, s: Setting) -> list[ImageGo | None]:
    """The Go of each base image the setting reaches (None: not known)."""
    stages = [s.stage] if s.stage is not None else [st for st in model.stages if _redeclares(st)]
    return [
        image_go(st.base_facts.go_version, st.root_image) if st.base_facts.go_toolchain else None
        for st in stages
    ]


def _redeclares(st: Stage) -> bool:
    return any(
        ins.name == "ARG" and any(p.key.value == NAME and p.value is None for p in ins.pairs)
        for ins in st.instructions
    )


def _shadowed_by_env(
    doc: Document, model: Model, s: Setting, settings: list[Setting]
) -> str | None:
    """For `go env -w`: the environment setting that wins over the go env file, if any."""
    if s.kind != "go-env-w":
        return None
    bound = model.scope_before(s.instruction).env.get(NAME)
    if bound is None or not bound.value:
        return None
    if any(t is not s and t.instruction.span.start >= s.instruction.span.start for t in settings):
        return None  # a later setting may clear the environment value
    if bound.kind != "image":
        line = bound.instruction.start_line if bound.instruction is not None else 0
        return f"`GOTOOLCHAIN={bound.value}` in the environment (line {line}) wins over that file"
    stage = s.stage
    go = image_go(stage.base_facts.go_version) if stage is not None else None
    if go is not None and go.oldest >= (1, 21, 0, 0):
        return (
            f"the golang image sets `GOTOOLCHAIN={bound.value}` in the environment, which wins "
            "over that file"
        )
    return (
        "golang images set `GOTOOLCHAIN=local` in the environment from Go 1.21 on, which wins "
        "over that file, and older go commands reject the setting (`go: unknown go command "
        "variable GOTOOLCHAIN`)"
    )


def _carries(model: Model, st: Stage, s: Setting) -> bool:
    """Does the image of stage ``st`` keep setting ``s`` in its environment or go env file?"""
    if s.kind == "go-env-w":
        return True  # the go env file is part of the image's filesystem
    bound = model.end_binding(st, NAME)
    return bound is not None and bound.pair is not None and bound.pair.span == s.span


def _runtime_image(model: Model, s: Setting) -> Stage | None:
    """An image stage whose containers run go with this setting in effect, if any."""
    if s.kind not in ("env", "go-env-w") or s.stage is None or s.instruction.sub is not None:
        return None
    images = model.image_stages()
    for st in _stage_chain(model, s):
        if st.index in images and _carries(model, st, s):
            return st
    return None


# ------------------------------------------------------------------------------ the rule


@dataclass(frozen=True)
class _Form:
    kind: str  # "auto" | "pin" | "invalid" | "language"
    minimum: Key | None = None
    suffix: str = ""


def classify(value: str) -> _Form | None:
    """What a GOTOOLCHAIN value asks for (None: nothing this rule reports)."""
    v = value.strip()
    if v in _FINE:
        return None
    if v in _AUTO:
        return _Form("auto")
    if v == "path+auto":
        return _Form("invalid")
    name, plus, suffix = v.partition("+")
    if plus and suffix not in ("auto", "path"):
        return None
    if not name.startswith("go"):
        return None
    k = version_key(name.split("-", 1)[0])
    if k is None:
        return None
    if k[2] == 0 and (k[0], k[1]) >= (1, 21) and not plus:
        return _Form("language", k)
    return _Form("pin", k, suffix)


def _drop(doc: Document, s: Setting) -> Fix | None:
    shown = s.shown()
    if s.kind == "arg" and s.value_span is not None:
        eq = Span(s.value_span.start - 1, s.value_span.end)
        return Fix((Edit(eq, ""),), f"default of `ARG {NAME}` removed (`{shown}`)")
    removal = s.removal
    if removal is None and s.kind == "go-env-w":
        removal = _whole_run_removal(doc, s)
    if removal is None:
        return None
    return Fix(removal, f"`{shown}` removed; the image's GOTOOLCHAIN applies")


def _whole_run_removal(doc: Document, s: Setting) -> tuple[Edit, ...] | None:
    """Remove a RUN whose whole script is the ``go env -w`` command of ``s``.

    (`rewriters.goenv` counts a ``$(…)`` inside the command as a second command and gives up.)
    """
    outer = s.instruction
    ins = outer.effective
    if ins.json or ins.heredocs:
        return None
    scripts = scripts_for_run(ins, doc.text)
    if len(scripts) != 1 or scripts[0].has_errors or scripts[0].exports:
        return None
    script = scripts[0]
    for cmd in script.commands:
        if any(w.span == s.span for w in cmd.words):
            lo, hi = cmd.logical
            text = script.source.text
            if text[:lo].strip() or text[hi:].strip():
                return None
            return (remove_instruction(doc, outer),)
    return None


def _message(s: Setting, form: _Form, value: str, image: ImageGo | None, shadow: str | None) -> str:
    shown = s.shown()
    if shadow is not None:
        return (
            f"`{shown}` does not take effect: {shadow}; it only misleads readers, and would let go "
            "download toolchains once that environment variable is gone."
        )
    if form.kind == "invalid":
        return (
            f"`{shown}` is not a valid GOTOOLCHAIN value: every go command in module mode stops "
            f'with `go: invalid GOTOOLCHAIN "{value}": invalid minimum toolchain "path"`.'
        )
    if form.kind == "auto":
        lead = (
            f"`{shown}` (empty) falls back to the `GOTOOLCHAIN=auto` in the toolchain's go.env, "
            "which"
            if value == ""
            else f"`{shown}`"
        )
        return (
            f"{lead} lets go download a newer Go toolchain from the module proxy at build time "
            "whenever go.mod's `go` or `toolchain` line asks for more than the image has, so the "
            "binary may not be built by the Go in the base image (official golang images set "
            "`GOTOOLCHAIN=local` on purpose)."
        )
    if form.minimum is None:
        return (
            f"`{shown}` makes go run the Go release the command names instead of the Go in the "
            "base image, downloading it from the module proxy at build time unless that binary "
            "is in PATH."
        )
    v = "go" + show_key(form.minimum)
    if form.kind == "language":
        return (
            f"`{shown}` names a language version, not a toolchain: go looks for a `{v}` binary "
            f"in PATH and otherwise fails with `invalid toolchain: {v} is a language version but "
            f"not a toolchain version ({v}.x)`."
        )
    if image is not None and image.exact and image.oldest == form.minimum:
        return (
            f"`{shown}` pins the Go the base image already has; once the image is bumped, go "
            f"{'looks for' if form.suffix == 'path' else 'downloads'} {v} instead of using it."
        )
    if form.suffix == "path":
        return (
            f"`{shown}` makes go run a `{v}` binary from PATH (or a newer one go.mod asks for) "
            f'instead of the Go in the base image, failing with `cannot find "{v}" in PATH` when '
            "there is none."
        )
    newer = " (or the newer one go.mod asks for)" if form.suffix == "auto" else ""
    return (
        f"`{shown}` makes go run {v}{newer} instead of the Go in the base image, downloading it "
        f"from the module proxy at build time unless a `{v}` binary is in PATH."
    )


def _plan(
    doc: Document,
    model: Model,
    ctx: RuleContext,
    s: Setting,
    form: _Form,
    shadowed: bool,
) -> tuple[Fix | None, str | None]:
    if s.via is not None:
        return None, f"the value comes from ${s.via}; change it where {s.via} is set"
    if s.instruction.sub is not None:
        return None, ("ONBUILD settings apply in images built from this one, with their own go.mod")
    if form.kind == "invalid" or shadowed:
        fix = _drop(doc, s)
        return fix, None if fix is not None else Refusal.NOT_REMOVABLE.sentence()
    if form.kind == "language":
        return None, f"use a toolchain version ({s.value}.x) or drop the override"
    if form.kind == "pin" and form.minimum is None:
        return (
            None,
            "the version is computed when the image is built, so gocomply cannot compare it",
        )
    images = _image_versions(model, s)
    if not images:
        return _drop(doc, s), None  # a global ARG no stage re-declares: it reaches no go command
    if any(i is None for i in images):
        return None, (
            "the base image's Go version is not known from its tag, so gocomply cannot tell "
            "which Go would build without the override"
        )
    known = [i for i in images if i is not None]
    mod: GoMod | None = None
    bc = ctx.build_context
    needs_mod = form.kind == "auto" or form.suffix in ("auto", "path")
    if needs_mod:
        if not bc.known or bc.go_mod is None:
            return None, (
                "the build context's go.mod is not known, so gocomply cannot tell whether it "
                "needs a newer Go than the base image has"
            )
        why = _unknown_module(doc, model, s)
        if why is not None:
            return None, why
        mod = parse_go_mod(bc.go_mod)
    wanted: list[Key] = []  # the toolchain go would pick, at least
    if form.minimum is not None:
        wanted.append(form.minimum)
    if mod is not None:
        if mod.go_key is not None:
            wanted.append(_as_toolchain(mod.go_key))
        if mod.toolchain_key is not None:
            wanted.append(mod.toolchain_key)
    if form.kind == "auto":
        need = max(wanted) if wanted else None
        if need is None or all(need <= i.oldest for i in known):
            return _drop(doc, s), None
        return None, _bump_note(need, known, mod, or_newer=True)
    # a pinned version: the selected toolchain must be exactly the image's Go
    need = max(wanted)
    if all(i.exact and i.oldest == need for i in known):
        return _drop(doc, s), None
    return None, _bump_note(need, known, mod, or_newer=form.suffix == "auto")


def _bump_note(need: Key, images: list[ImageGo], mod: GoMod | None, or_newer: bool) -> str:
    target = show_key(need)
    if mod is not None and mod.go_key is not None and need == _as_toolchain(mod.go_key):
        target = show_key(mod.go_key)  # `go 1.24` → golang:1.24
    tags = ", ".join(sorted({i.tag for i in images}))
    moved = ", ".join(sorted({i.moved_to(target) for i in images}))
    note = (
        f"go builds with Go {target}{' or newer' if or_newer else ''} here while the base image "
        f"has {tags}: move the base image to {moved}, then drop the override"
    )
    if mod is None or mod.go_key is None:
        return note
    go = mod.go_key
    running = " / ".join(sorted({i.tag if i.exact else f"{i.tag}.x" for i in images}))
    error = f"`go: go.mod requires go >= {show_key(go)} (running go {running}; GOTOOLCHAIN=local)`"
    if any(_newer_than_image(go, i) for i in images):
        return f"{note}; dropping it alone makes the build fail with {error}"
    if any(go > i.oldest for i in images):
        return f"{note}; dropping it alone can make the build fail with {error}"
    return note


def _newer_than_image(go: Key, image: ImageGo) -> bool:
    """Is a `go` line newer than every release the image tag can be?"""
    if image.exact:
        return go > image.oldest
    return (go[0], go[1]) > (image.oldest[0], image.oldest[1])


@rule(
    code="GC107",
    name="toolchain-download",
    severity="warning",
    fix="safe",
    commit="stop toolchain downloads during the build",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    settings = [
        s
        for s in find_settings(doc, model, NAMES)
        if s.value_span is not None or s.kind in ("go-env-w", "make")
    ]
    for s in settings:
        value = s.value
        shown_value = (value or "").strip()
        if value is None:
            if s.via is not None or not _DYNAMIC_PIN.match(s.raw_value):
                continue
            form: _Form | None = _Form("pin")  # `go$(cat .go-version)`: some go1.x release
            shown_value = s.raw_value
        elif value.strip() == "":
            st = s.stage
            facts = st.base_facts if st is not None else None
            go = image_go(facts.go_version) if facts is not None and facts.go_toolchain else None
            if go is None or go.oldest < (1, 21, 0, 0) or s.kind in ("go-env-w", "make"):
                continue
            form = _Form("auto")
        else:
            form = classify(value)
        if form is None:
            continue
        shadow = _shadowed_by_env(doc, model, s, settings)
        images = _image_versions(model, s)
        image = images[0] if len(images) == 1 else None
        fix, note = _plan(doc, model, ctx, s, form, shadow is not None)
        runtime = _runtime_image(model, s) if shadow is None and form.kind != "invalid" else None
        if fix is not None and runtime is not None:
            fix = replace(fix, applicability="unsafe")
            where = (
                f"stage `{runtime.alias}`"
                if runtime.alias
                else f"the image of the stage on line {runtime.from_.start_line}"
            )
            note = (
                f"the setting stays in {where}, so go commands run in its containers may "
                "download toolchains too (golangci-lint's image relies on that to lint modules "
                "that need a newer Go); apply the removal with `unsafe_fixes: [GC107]` if they "
                "should not"
            )
        yield Violation(s.span, _message(s, form, shown_value, image, shadow), fix, note=note)
