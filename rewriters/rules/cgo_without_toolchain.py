"""`CGO_ENABLED=1` in a stage that has no C compiler.

## What it does

Finds `CGO_ENABLED=1` that is in effect for a Go build (`go build`, `go install`, `go run`,
`go test`, `go vet`, `xx-go …`, or `make`) in a stage whose base image ships no C compiler and
that installs none before the build. The setting is found in every form: `ENV` (also inherited
from a parent stage), `ARG` defaults (including a global `ARG` re-declared in the stage),
`export`, `CGO_ENABLED=1 go build`, `env CGO_ENABLED=1 go build`, `go env -w CGO_ENABLED=1`
and make variables (`make build CGO_ENABLED=1`).

A compiler counts as present when the base image ships one (Debian-based `golang` images do),
or when the stage or one of its parent stages installs one before the build (`apk add gcc` /
`build-base` / `clang`, `apt-get install gcc` / `build-essential` / `clang`, also through the
`xx-apk`/`xx-apt-get` cross helpers). A stage that inherits gcc from its parent stage is
therefore not reported, and nothing is reported when the base image is not recognised or when
`CC` names a compiler of its own.

## Why is this bad?

Since Go 1.20, cgo is off by default when no C compiler is found; setting `CGO_ENABLED=1`
explicitly removes that fallback. In an image without a compiler (`golang:*-alpine*`, `alpine`,
`debian`, `ubuntu`, `scratch`, `busybox`, distroless) the build then fails for any program that
links `runtime/cgo` (on Linux: anything importing `net` or `os/user`) with
`cgo: C compiler "gcc" not found` (or `exec: "gcc": executable file not found in $PATH`). It
does not fall back to a pure-Go build.

## Example

```dockerfile
FROM golang:1.22-alpine AS build
ENV CGO_ENABLED=1
RUN apk add --no-cache git
COPY . .
RUN go build -o /out/app ./cmd/app
```

becomes

```dockerfile
FROM golang:1.22-alpine AS build
ENV CGO_ENABLED=1
RUN apk add --no-cache git gcc musl-dev
COPY . .
RUN go build -o /out/app ./cmd/app
```

Without an `apk add` before the build, `RUN apk add --no-cache gcc musl-dev` is added right
after the stage's `FROM` (and its `ARG` lines); on Debian or Ubuntu the packages are
`gcc libc6-dev`, added to an existing `apt-get install` or installed with
`apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev`.

## Fix safety

Safe: the compiler is added to the stage that builds (or to the parent stage all affected
builds share), before the build, so the build the file asks for, with cgo on, can succeed; no
other line changes. The packages are appended to an existing `apk add`/`apt-get install` of that
stage chain when there is one, keeping its line layout; otherwise one `RUN` line is inserted
with the file's line breaks and keyword case. When the base image has no package manager
(`scratch`, `busybox`, distroless, Chainguard static images), or a new line would run as a
non-root `USER`, no safe fix exists; the unsafe alternative, applied only with
`unsafe_fixes: [GC104]`, sets `CGO_ENABLED=0`, which changes the binary (pure-Go DNS resolver
and user lookup, no C code) and fails for programs that need cgo.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit, Span
from rewriters.fixes import Refusal, indentation, insert_after
from rewriters.goenv import GoEnv, Setting, find_settings
from rewriters.images import ImageFacts, c_install_packages
from rewriters.model import Model, Stage
from rewriters.pkgmgr import Install, install_of, package_name
from rewriters.registry import Fix, Violation, rule
from rewriters.shell import ShellScript, ShellWord, SimpleCommand, scripts_for_run

NAME = "CGO_ENABLED"
_GO_COMMANDS = frozenset({"go", "xx-go"})
_CGO_SUBCOMMANDS = frozenset({"build", "install", "run", "test", "vet"})
_MAKE_COMMANDS = frozenset({"make", "gmake"})
_COMPILER_PACKAGE = re.compile(
    r"gcc|clang|cc|tcc|g\+\+|gcc-c\+\+|build-base|alpine-sdk|build-essential|musl-tools"
    r"|(?:gcc|g\+\+|clang)-[0-9][0-9.]*"
    r"|(?:gcc|g\+\+)(?:-[0-9]+)?-[a-z0-9_]+-linux-[a-z0-9_]+"
    r"|crossbuild-essential-[a-z0-9]+"
)
# package names that already provide the C library headers cgo needs
_LIBC_DEV = {"musl-dev": frozenset({"musl-dev", "libc-dev"}), "libc6-dev": frozenset({"libc6-dev"})}
_ROOT_USERS = frozenset({"root", "0", "root:root", "0:0", "root:0", "0:root"})
# constructs that make a command conditional or undo an install: never merge into those
_UNSAFE_MERGE = re.compile(
    r"\b(?:if|then|else|elif|case|for|while|until|del|remove|purge|autoremove)\b|\|\||[()]"
)


@dataclass(frozen=True)
class _Use:
    """A command that compiles Go with ``CGO_ENABLED=1`` in a stage without a compiler."""

    stage: Stage
    outer: Instruction
    command: SimpleCommand
    label: str


# ------------------------------------------------------------------ stage chains and settings


# ------------------------------------------------------------------ compilers and installers


def _base(word: ShellWord) -> str | None:
    return word.basename if word.basename is not None else word.value


def _installs_compiler(cmd: SimpleCommand, model: Model, outer: Instruction) -> bool | None:
    """True when ``cmd`` installs a C compiler, None when its package list is not literal."""
    found = install_of(cmd)
    if found is None:
        return False
    unknown = False
    for w in found.packages:
        text = w.value
        if text is None:
            wv = model.scope_before(outer).expand(w.text.strip("\"'"))
            if wv.unresolved:
                unknown = True
                continue
            text = wv.value
        if any(_COMPILER_PACKAGE.fullmatch(package_name(t, found.family)) for t in text.split()):
            return True
    return None if unknown else False


def _compiler(
    doc: Document, model: Model, chain: Sequence[Stage], outer: Instruction, at: int
) -> bool | None:
    """Is a C compiler present before offset ``at`` of ``outer``? None: cannot tell."""
    facts = chain[0].base_facts
    if facts.c_compiler is None:
        return None
    if facts.c_compiler:
        return True
    unknown = False
    stage = chain[-1]
    for st in chain:
        for ins in st.instructions:
            if st is stage and ins.span.start > outer.span.start:
                break
            if st is stage and ins.sub is not None:
                continue  # an ONBUILD trigger runs in another build
            eff = ins.effective
            if eff.name != "RUN":
                continue
            for script in scripts_for_run(eff, doc.text):
                for c in script.commands:
                    if ins.span == outer.span and c.span.start >= at:
                        continue
                    got = _installs_compiler(c, model, ins)
                    if got:
                        return True
                    unknown = unknown or got is None
    return None if unknown else False


def _own_compiler(
    model: Model, outer: Instruction, script: ShellScript, cmd: SimpleCommand
) -> bool:
    """``CC`` is set: the build uses a compiler this rule does not follow."""
    if model.scope_before(outer).binding("CC") is not None:
        return True
    if any(a.name == "CC" for a in cmd.assignments):
        return True
    return any(e.assignment.name == "CC" and e.span.end <= cmd.span.start for e in script.exports)


def _label(cmd: SimpleCommand) -> str | None:
    """``go build``/``make``… when ``cmd`` compiles Go, else None."""
    if not cmd.words:
        return None
    name = _base(cmd.words[0])
    if name in _MAKE_COMMANDS:
        return name
    if name in _GO_COMMANDS and len(cmd.words) > 1 and cmd.words[1].value in _CGO_SUBCOMMANDS:
        return f"{name} {cmd.words[1].value}"
    return None


def _uses(doc: Document, model: Model, goenv: GoEnv) -> dict[Span, list[_Use]]:
    """Commands that compile with CGO_ENABLED=1 and no compiler, by the setting's span."""
    found: dict[Span, list[_Use]] = {}
    for stage in model.stages:
        chain = model.lineage(stage)
        if chain[0].base_facts.c_compiler is not False:
            continue
        for outer in stage.instructions:
            if outer.sub is not None or outer.name not in ("RUN", "CMD", "ENTRYPOINT"):
                continue
            for script in scripts_for_run(outer, doc.text):
                for cmd in script.commands:
                    label = _label(cmd)
                    if label is None:
                        continue
                    src = goenv.at(outer, script, cmd).get(NAME)
                    if src.span is None or src.value != "1":
                        continue
                    if _own_compiler(model, outer, script, cmd):
                        continue
                    at = cmd.span.start if outer.name == "RUN" else outer.span.end
                    if _compiler(doc, model, chain, outer, at) is not False:
                        continue
                    found.setdefault(src.span, []).append(_Use(stage, outer, cmd, label))
    return found


# ------------------------------------------------------------------ the fix


def _in_heredoc(outer: Instruction, offset: int) -> bool:
    return any(h.body.start <= offset < h.body.end for h in outer.effective.heredocs)


def _merge(
    doc: Document, model: Model, chain: Sequence[Stage], before: int, facts: ImageFacts
) -> tuple[Edit, str] | None:
    """Append the compiler packages to the last native install of ``chain`` before ``before``."""
    wanted = c_install_packages(facts)
    assert wanted is not None
    managers = {"alpine": frozenset({"apk"}), "debian": frozenset({"apt-get", "apt"})}
    allowed = managers["alpine" if facts.family == "alpine" else "debian"]
    best: tuple[Instruction, SimpleCommand, Install] | None = None
    for st in chain:
        for ins in st.instructions:
            if ins.span.start >= before or ins.sub is not None or ins.name != "RUN" or ins.json:
                continue
            for script in scripts_for_run(ins, doc.text):
                if script.has_errors or _UNSAFE_MERGE.search(script.source.text):
                    continue
                for cmd in script.commands:
                    got = install_of(cmd)
                    if got is None or got.manager not in allowed or not got.packages:
                        continue
                    if cmd.wrapper or cmd.flag("--virtual") or cmd.flag("-t"):
                        continue  # a virtual package is meant to be deleted again
                    best = (ins, cmd, got)
    if best is None:
        return None
    ins, cmd, install = best
    packages = install.packages
    present = {n for n in install.names() if n is not None}
    missing = [p for p in wanted if not (present & _LIBC_DEV.get(p, frozenset({p})))]
    if not missing:
        return None
    text = doc.text
    last = packages[-1]
    prev = packages[-2] if len(packages) > 1 else cmd.words[0]
    own_line = not text[text.rfind("\n", 0, last.span.start) + 1 : last.span.start].strip()
    if own_line and "\n" in text[prev.span.end : last.span.start]:
        escape = "\\" if _in_heredoc(ins, last.span.start) else doc.escape
        indent = indentation(text, last.span.start)
        added = "".join(f" {escape}{doc.newline}{indent}{p}" for p in missing)
    else:
        added = "".join(f" {p}" for p in missing)
    what = f"{' '.join(missing)} added to the install on line {doc.line_of(ins.span.start)}"
    return Edit.insert(last.span.end, added), what


def _insert(
    doc: Document, model: Model, stage: Stage, facts: ImageFacts
) -> tuple[Edit, str] | None:
    """A new RUN installing the compiler right after the stage's FROM and its ARG lines."""
    wanted = c_install_packages(facts)
    assert wanted is not None
    after: Instruction = stage.from_
    for ins in stage.instructions:
        if ins.name != "ARG":
            break
        after = ins
    user = model.scope_before(stage.from_).user
    if user is not None and user not in _ROOT_USERS:
        return None
    pkgs = " ".join(wanted)
    if facts.family == "alpine":
        command = f"apk add --no-cache {pkgs}"
    else:
        command = (
            "apt-get update && apt-get install -y --no-install-recommends "
            f"{pkgs} && rm -rf /var/lib/apt/lists/*"
        )
    edit = insert_after(doc, after, f"RUN {command}")
    return edit, f"`RUN {command}` added after line {after.end_line}"


def _fix(doc: Document, model: Model, uses: Sequence[_Use]) -> tuple[Fix | None, str | None]:
    facts = uses[0].stage.base_facts
    if c_install_packages(facts) is None:
        return None, Refusal.NO_PACKAGE_MANAGER.sentence(what="a C compiler")
    common = set.intersection(*({st.index for st in model.lineage(u.stage)} for u in uses))
    target = model.stages[max(common)]
    chain = model.lineage(target)
    first = min(u.command.span.start if u.outer.name == "RUN" else u.outer.span.start for u in uses)
    made = _merge(doc, model, chain, first, facts) or _insert(doc, model, target, facts)
    if made is None:
        return None, Refusal.NON_ROOT_USER.sentence()
    edit, what = made
    return Fix((edit,), what), None


def _unsafe(setting: Setting | None) -> Fix | None:
    if setting is None:
        return None
    edit = setting.replace_value("0")
    if edit is None:
        return None
    return Fix((edit,), "`CGO_ENABLED=1` → `CGO_ENABLED=0` (cgo off)", "unsafe")


@rule(
    code="GC104",
    name="cgo-without-toolchain",
    severity="error",
    fix="safe",
    commit="install the C compiler cgo builds need",
    outputs=(
        "the stage that builds now installs a C compiler, so the cgo build the file asks "
        "for can succeed (GC104)"
    ),
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    settings = find_settings(doc, model, frozenset({NAME}))
    by_span = {s.span: s for s in settings}
    for span, uses in sorted(_uses(doc, model, ctx.goenv(doc)).items()):
        first = min(uses, key=lambda u: u.command.span.start)
        root = model.root(first.stage)
        image = root.image or "the base image"
        line = doc.line_of(first.command.span.start)
        fix, reason = _fix(doc, model, uses)
        has_pm = c_install_packages(root.base_facts) is not None
        missing = (
            "ships no C compiler and none is installed before it"
            if has_pm
            else "ships no C compiler and no package manager to install one"
        )
        message = (
            f"`CGO_ENABLED=1` turns cgo on for `{first.label}` on line {line}, but `{image}` "
            f'{missing}, so the build fails with `cgo: C compiler "gcc" not found` for any '
            "program that links runtime/cgo (one importing net or os/user, for example)."
        )
        note = None
        if fix is None:
            fix = _unsafe(by_span.get(span))
            note = reason
            if fix is not None:
                note = (
                    f"{reason}; the unsafe fix sets CGO_ENABLED=0 instead (applied only with "
                    "unsafe_fixes: [GC104])"
                )
        yield Violation(span, message, fix, note=note)
