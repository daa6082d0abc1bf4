"""`go install` of the project's own packages into the global bin directory.

## What it does

Finds `go install` of local packages (`./cmd/app`, `.`, `./...`, no package at all, an absolute
source path, or a package of the main module named by import path when the build context's
`go.mod` is known) with no `GOBIN` in effect — none set by `ENV`, `ARG`, `export`, `GOBIN=… go
install`, or `go env -w GOBIN=…` in the stage or a parent stage. Such a binary goes to the global
bin directory, `$GOPATH/bin`: `/go/bin` in the official `golang` images (not `/usr/local/go/bin`,
which holds the Go toolchain itself).

`go install tool@v1.2.3` and other remote packages are not reported: installing a tool into the
global bin is what `go install pkg@version` is for (an unpinned tool is GC106's concern).
`go run build/ci.go install` is not `go install`.

## Why is this bad?

This is about an unstated destination, not an insecure build. The binary the image is built for
lands in the directory every installed tool shares, which the `golang` images put first on
`PATH`: a `COPY --from=build /go/bin/ …` ships whatever tools are there too, and a binary named
like a tool or a system command shadows it for every later `RUN`. Where it lands depends on
settings the command does not show: `GOBIN` (also from `go env -w` or a parent stage), `GOPATH`,
and cross-compiling — with `GOOS`/`GOARCH` different from the build machine, `go install` writes
to `$GOPATH/bin/<goos>_<goarch>/` instead (and refuses to run when `GOBIN` is set), so a later
`COPY --from=build /go/bin/app` finds nothing. `go build -o <dir>/` states the destination in
the command.

## Example

```dockerfile
FROM golang:1.22 AS build
COPY . .
RUN go install -trimpath ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/app /app
ENTRYPOINT ["/app"]
```

becomes

```dockerfile
FROM golang:1.22 AS build
COPY . .
RUN go build -o /go/bin/ -trimpath ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/app /app
ENTRYPOINT ["/app"]
```

## Fix safety

Safe: the binaries stay at exactly the same paths, so every `COPY --from`, `ENTRYPOINT`, `CMD`
and `RUN` that used them (by absolute path, or by name through `PATH`) keeps working; other
flags (`-ldflags`, `-tags`, `-trimpath`, …) are kept. `go install` becomes `go build -o <dir>/`
(trailing slash: `<dir>/<name>` for each main package) when every package is a named local
directory, at least one of its binaries is used later in the file (which proves it is a main
package: `go build -o` fails on a lone non-main package), and the image's Go is 1.16 or newer.
Otherwise, when the destination is still known, the destination is made explicit with
`GOBIN=<dir> go install …`. Nothing is edited, and the reason is reported, when the path is not
known: `GOOS`/`GOARCH` set (cross-compiled output may go to `<dir>/<goos>_<goarch>/`), an
unrecognised base image (it may set `GOBIN` or `GOPATH`), `GOPATH` set by `go env -w` or not at
all, or an `ONBUILD` trigger (it runs in another image).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rewriters.artifacts import Consumer, GoInvocation, consumers, invocations
from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit
from rewriters.fixes import Refusal
from rewriters.gocmd import is_local, language_version, package_binary_name, parse_go_mod
from rewriters.goenv import CommandEnv
from rewriters.model import Model, Stage
from rewriters.registry import Fix, Violation, rule
from rewriters.shell import ShellWord

_PLAIN_PATH = re.compile(r"/[A-Za-z0-9_./+@-]*")
_ENV_WRAPPER_OPTIONS = frozenset({"env", "-i", "-", "--ignore-environment", "-u", "--unset"})
_MIN_GO_BUILD_O_DIR = (1, 16)  # `go build -o dir/` for a directory that may not exist yet


def _c_value_word(inv: GoInvocation) -> ShellWord | None:
    """The word after which `-o` goes when `-C dir` is used (`-C` must stay first)."""
    f = inv.go.flag("-C")
    return inv.command.words[f.indices[-1]] if f is not None else None


def _main_module(go_mod: str | None) -> str | None:
    if not go_mod:
        return None
    return parse_go_mod(go_mod).module


def _consumer_resolves(
    c: Consumer, path: str, stage: Stage, inv: GoInvocation, model: Model
) -> bool:
    """Does consumer ``c`` use the file at ``path`` that ``inv`` writes in ``stage``?"""
    if c.instruction.sub is not None:
        return False  # an ONBUILD trigger runs in another build
    if c.kind == "copy-from":
        fs = c.from_stage
        if fs is None or not model.descends_from(fs, stage):
            return False
        return c.path == path
    if not model.descends_from(c.stage, stage):
        return False
    if c.stage.index == stage.index and c.span.start < inv.command.span.end:
        return False
    if "/" in c.path:
        return c.path.startswith("/") and posixpath.normpath(c.path) == path
    if c.path != posixpath.basename(path):
        return False
    binding = model.scope_before(c.instruction).binding("PATH")
    if binding is None or binding.value is None:
        return False
    dirs = {posixpath.normpath(d) for d in binding.value.split(":") if d}
    return posixpath.dirname(path) in dirs


def _go_build_edits(doc: Document, inv: GoInvocation, outdir: str, exec_form: bool) -> list[Edit]:
    words = inv.command.words
    c_word = _c_value_word(inv)
    sub = words[1]
    if exec_form:
        sep = doc.text[words[0].span.end : words[1].span.start]
        if "\n" in sep or "," not in sep:
            sep = ", "
        if c_word is not None:
            return [
                Edit(sub.span, '"build"'),
                Edit.insert(c_word.span.end, f'{sep}"-o"{sep}"{outdir}"'),
            ]
        return [Edit(sub.span, f'"build"{sep}"-o"{sep}"{outdir}"')]
    if c_word is not None:
        return [Edit(sub.span, "build"), Edit.insert(c_word.span.end, f" -o {outdir}")]
    return [Edit(sub.span, f"build -o {outdir}")]


@dataclass(frozen=True)
class _Outcome:
    fix: Fix | None
    note: str | None
    where: str  # the destination as the message states it


def _plan(
    doc: Document,
    model: Model,
    outer: Instruction,
    inv: GoInvocation,
    stage: Stage,
    env: CommandEnv,
    cons: Sequence[Consumer],
) -> _Outcome:
    global_bin = "the global bin (GOPATH/bin, or GOBIN if the base image sets it)"
    if outer.sub is not None:
        return _Outcome(
            None,
            Refusal.ONBUILD.sentence(),
            global_bin,
        )
    root = model.root(stage)
    facts = root.base_facts
    cmd, script = inv.command, inv.script
    scope = model.scope_before(outer)
    if not scope.image_env_known:
        return _Outcome(
            None,
            Refusal.UNKNOWN_BASE_IMAGE.sentence(image=root.image),
            global_bin,
        )
    if facts.family == "windows":
        return _Outcome(
            None,
            Refusal.WINDOWS_IMAGE.sentence(),
            global_bin,
        )
    gopath = env.get("GOPATH")
    if gopath.origin == "go-env-w":
        return _Outcome(None, Refusal.GO_ENV_W.sentence(name="GOPATH"), global_bin)
    value = gopath.value or ""
    if not env.is_set("GOPATH") or not value.startswith("/"):
        return _Outcome(
            None, "GOPATH is not known here, so the destination is not either", global_bin
        )
    outdir = posixpath.join(posixpath.normpath(value.split(":")[0]), "bin")
    where = f"the global bin `{outdir}` (GOPATH/bin)"
    if ":" in value:
        return _Outcome(
            None,
            "GOPATH has several entries; in GOPATH mode go install uses the "
            "bin of the entry holding the package",
            where,
        )
    goos = env.get("GOOS")
    if env.is_set("GOARCH") or (env.is_set("GOOS") and goos.value != "linux"):
        where = f"the global bin `{outdir}` (or `{outdir}/<goos>_<goarch>/` when cross-compiling)"
        return _Outcome(
            None,
            f"GOOS/GOARCH are set: when they differ from the build machine, go install writes "
            f"to `{outdir}/<goos>_<goarch>/` instead, so the path cannot be kept; write the "
            "destination with `go build -o` by hand",
            where,
        )
    if script.has_errors:
        return _Outcome(None, Refusal.SHELL_SYNTAX.sentence(), where)
    if _PLAIN_PATH.fullmatch(outdir) is None:
        return _Outcome(None, Refusal.NEEDS_QUOTING.sentence(value=outdir), where)
    # exec form without a shell: the command's words are the JSON strings themselves
    exec_form = outer.effective.json and any(
        cmd.words[0].span == a.span for a in outer.effective.args
    )
    reasons: list[str] = []

    # 1. `go build -o <dir>/` when every binary is named and one of them is proven used
    pkgs = [w.value for w in inv.packages]
    names = [None if p is None else package_binary_name(p) for p in pkgs]
    version = language_version(facts.go_version)
    flags = set(inv.go.args.names())
    paths = [posixpath.join(outdir, n) for n in names if n is not None]
    used = [c for c in cons for p in paths if _consumer_resolves(c, p, stage, inv, model)]
    if not pkgs or None in names or any(p is None or "..." in p for p in pkgs):
        reasons.append("the binary names are not spelled out (`.`, `./...` or a variable)")
    elif not facts.go_toolchain or (version is not None and version < _MIN_GO_BUILD_O_DIR):
        reasons.append(
            "`go build -o <dir>/` needs Go 1.16 and this image's Go version is "
            + ("older" if facts.go_toolchain else "unknown")
        )
    elif flags & {"-buildmode", "-o", "-i"}:
        reasons.append("its flags (-buildmode/-o/-i) make `go build` behave differently")
    elif not used:
        reasons.append(
            "no later line uses the binary, so nothing proves it is a main package "
            "(`go build -o` fails on a lone non-main package)"
        )
    else:
        edits = _go_build_edits(doc, inv, outdir + "/", exec_form)
        lines = sorted({doc.line_of(c.span.start) for c in used})
        shown = ", ".join(f"`{p}`" for p in paths)
        stay = "stays where it was" if len(paths) == 1 else "stay where they were"
        on = f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}"
        return _Outcome(
            Fix(
                tuple(edits),
                f"`go install` → `go build -o {outdir}/`: {shown} {stay} (used on {on})",
            ),
            None,
            where,
        )

    # 2. `GOBIN=<dir> go install …`: same command, destination stated
    if exec_form:
        reasons.append("an exec-form RUN has no shell to set GOBIN in")
    elif cmd.clears_env or any(w.value not in _ENV_WRAPPER_OPTIONS for w in cmd.wrapper):
        reasons.append("the command runs through a wrapper that GOBIN=… cannot precede safely")
    else:
        edit = Edit.insert(cmd.words[0].span.start, f"GOBIN={outdir} ")
        return _Outcome(
            Fix(
                (edit,),
                f"`GOBIN={outdir}` makes the destination explicit; the binaries stay in `{outdir}`",
            ),
            None,
            where,
        )
    return _Outcome(None, "; ".join(reasons), where)


@rule(
    code="GC103",
    name="go-install-global-bin",
    severity="warning",
    fix="safe",
    commit="install Go binaries to explicit paths",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    goenv = ctx.goenv(doc)
    module = _main_module(ctx.build_context.go_mod)
    cons: list[Consumer] | None = None
    for outer, inv in invocations(doc, model):
        if inv.subcommand != "install":
            continue
        stage = model.stage_of(outer)
        if stage is None:
            continue
        # a package word with an expansion still shows whether it is local (`./cmd/$APP`)
        texts = [w.value if w.value is not None else w.text.strip("\"'") for w in inv.packages]
        if any("@" in p or p.endswith(".go") for p in texts):
            continue  # a tool install (`tool@version`), or files (an error without GOBIN)
        if texts and not any(
            is_local(p) or (module is not None and (p == module or p.startswith(module + "/")))
            for p in texts
        ):
            continue  # remote or dependency packages, or unknown ones: a tool install
        env = goenv.at(outer, inv.script, inv.command)
        if env.get("GOBIN").explicit:
            continue
        if cons is None:
            cons = consumers(doc, model)
        outcome = _plan(doc, model, outer, inv, stage, env, cons)
        shown = " ".join(["go install", *texts])
        one = len(texts) <= 1 and not any("..." in t for t in texts)
        message = (
            f"`{shown}` writes {'its binary' if one else 'its binaries'} into "
            f"{outcome.where}, shared with every tool `go install` adds, at a path that "
            "silently moves when GOBIN, GOPATH or a cross-compiling GOOS/GOARCH is set "
            "elsewhere."
        )
        yield Violation(inv.command.span, message, outcome.fix, note=outcome.note)
