"""`go get` run while building the image.

## What it does

Finds `go get` in every form a `RUN` can take: shell form, `&&` chains, continuation lines,
`cd dir && go get …`, `["go","get",…]` exec form, `["sh","-c",…]`, heredoc scripts and
`ONBUILD RUN` — especially with `-u` or `-u=patch`. Dependency forms (`go get ./...`,
`go get -d ./...`, `go get -u all`, `go get -u` with no arguments) and tool installs pinned to a
version (`go get -u example.com/tool@v1.2.3`) are rewritten; other uses are reported.

## Why is this bad?

Since Go 1.18, `go get` only edits go.mod/go.sum; it no longer builds or installs binaries.
Inside an image build, `go get -u` (or `-u=patch`) rewrites go.mod/go.sum to whatever is newest
at build time, so the image no longer matches the repository and two builds of one commit
differ; without `-u` it still adds any missing requirement at the newest version. To fetch the
dependencies the repository pins, use `go mod download`; to install a tool, use
`go install pkg@version`. In GOPATH mode (`GO111MODULE=off`) `go get -u` downloads the newest
commit of every package into GOPATH, with the same effect on reproducibility.

## Example

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go get -u ./... && go build -o /out/app ./cmd/app
RUN go get -u github.com/google/wire/cmd/wire@v0.6.0 && wire ./...
```

becomes

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go mod download && go build -o /out/app ./cmd/app
RUN go install github.com/google/wire/cmd/wire@v0.6.0 && wire ./...
```

## Fix safety

Safe. Dependency forms (`./...` and other local patterns, `all`, no arguments) become
`go mod download`, which takes no `-u`/`-d`/`-t`/`-v`/`-tags`; `-x` is kept. The build then uses
exactly the versions in the repository's go.mod/go.sum, which must list every requirement —
as `go build` already demands since Go 1.16. `go get [-u] pkg@vX.Y.Z` (a full semantic version or
a commit hash) becomes `go install pkg@vX.Y.Z` (`-u`/`-t` dropped, `-v`/`-x` kept): the binary
lands in GOBIN (default `$GOPATH/bin`, `/go/bin` in official golang images), where `go get` put
it before Go 1.18, so a later `COPY --from=<stage> /go/bin/tool …` still finds it. That rewrite
is made only when a later step uses the binary (proof that the package is a tool, not a
library added to go.mod).

Reported without an edit: remote packages without a fixed version (pin them, see GC106
unpinned-go-tool), `@none`, `-d` with a version, several packages at once, words that come from
variables, stages whose Go version is unknown or older than 1.16, `GO111MODULE=off` or `auto`
(in GOPATH mode later steps build from the sources `go get` downloads into GOPATH), a go.mod
created in the image by `go mod init`, a later `go run pkg` that relies on the requirement
`go get` adds, `ONBUILD` tool installs, and layouts where the words cannot be replaced cleanly.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from rewriters.artifacts import Consumer, consumers
from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit, Span, apply_edits
from rewriters.fixes import Refusal
from rewriters.gocmd import (
    PIN_FORMAT,
    GoArgs,
    expanded_values,
    go_commands,
    is_local,
    is_pinned,
    is_remote,
    language_version,
    package_binary_name,
    parse_go_args,
    split_version,
    subcommand,
)
from rewriters.goenv import GoEnv
from rewriters.model import Model, Stage
from rewriters.registry import Fix, Violation, rule
from rewriters.shell import ShellScript, SimpleCommand, scripts_for_run

Kind = Literal["deps", "tool", "unpinned", "none", "other"]
Context = Literal["shell", "heredoc", "exec", "json-shell"]

MIN_GO = (1, 16)  # module mode by default; `go install pkg@version` exists
# go get flags a rewrite may drop or keep; anything else makes the rewrite a guess
_DEPS_FLAGS = frozenset({"-u", "-d", "-t", "-v", "-x", "-tags"})
_TOOL_FLAGS = frozenset({"-u", "-t", "-v", "-x"})
_KEEP_DEPS = frozenset({"-x"})
_KEEP_TOOL = frozenset({"-v", "-x"})
_USES_PACKAGE = frozenset({"run", "install", "build", "test", "vet", "list", "generate"})


def _gap_pattern(context: Context, escape: str) -> re.Pattern[str]:
    """Text that may separate two words of one command, continuation lines included."""
    if context == "heredoc":
        return re.compile(r"(?:[ \t]|\\\r?\n)*")
    e = re.escape(escape)
    cont = rf"{e}[ \t]*\r?\n(?:[ \t\r]*(?:#[^\n]*)?\n)*"
    blank = rf"(?:[ \t]|{cont})*"
    if context == "exec":
        return re.compile(rf"{blank},{blank}")
    return re.compile(blank)


def _line_rest(text: str, offset: int) -> str:
    nl = text.find("\n", offset)
    return text[offset : len(text) if nl < 0 else nl]


@dataclass(frozen=True)
class _Rewrite:
    sub: tuple[str, ...]  # replacement of the `get` word (`mod download` / `install`)
    keep: frozenset[int]  # indices of cmd.words kept after it


@dataclass
class _Analysis:
    """Facts about one document shared by all `go get` commands in it."""

    doc: Document
    model: Model
    goenv: GoEnv

    @cached_property
    def consumers(self) -> list[Consumer]:
        return consumers(self.doc, self.model)

    @cached_property
    def go_commands(self) -> list[tuple[Instruction, ShellScript, SimpleCommand]]:
        return list(go_commands(self.doc))

    # -- scope -----------------------------------------------------------------------------

    def related(self, stage: Stage) -> set[int]:
        """The stage and its descendants (where a file it writes is visible)."""
        return {stage.index, *(s.index for s in self.model.children(stage))}

    def gobin(self, outer: Instruction, script: ShellScript, cmd: SimpleCommand) -> str | None:
        """Where `go install` puts binaries for ``cmd``, when known."""
        return self.goenv.at(outer, script, cmd).gopath_bin().value or None

    def mode(
        self, outer: Instruction, script: ShellScript, cmd: SimpleCommand
    ) -> tuple[bool | None, str | None]:
        """(module mode established?, why not). False means GO111MODULE=off (GOPATH mode)."""
        stage = self.model.stage_of(outer)
        mode = self.goenv.at(outer, script, cmd).get("GO111MODULE")
        for v in [mode.value] if mode.origin not in ("default", "unset", "base-image") else []:
            if v is None:
                return None, (
                    "GO111MODULE is set to a value not known here, so the command may run in "
                    "GOPATH mode, where later steps build from the sources `go get` downloads "
                    "into GOPATH"
                )
            if v.strip().lower() == "off":
                return False, (
                    "GO111MODULE=off: in GOPATH mode later steps build from the sources "
                    "`go get` downloads into GOPATH; move the build to modules first"
                )
            if v.strip().lower() not in ("", "on"):
                return None, (
                    f"GO111MODULE={v}: without a go.mod the command runs in GOPATH mode, where "
                    "later steps build from the sources `go get` downloads into GOPATH"
                )
        if stage is None:
            return None, "the instruction is not in a build stage"
        root = self.model.root(stage)
        facts = root.base_facts
        if not facts.go_toolchain:
            return None, (
                f"the Go version of this stage (base image `{root.image}`) is not known here, "
                "and the rewrite needs Go 1.16 or later (module mode by default)"
            )
        if not root.image_known:
            return None, (
                f"the Go version of `{root.image}` depends on a build argument without a "
                "default, and the rewrite needs Go 1.16 or later"
            )
        version = facts.go_version
        language = language_version(version)
        if language is not None and language < MIN_GO:
            return None, (
                f"`{root.image}` ships Go {version}: before Go 1.16 module mode was not the "
                "default and `go install pkg@version` did not exist; update the base image "
                "first"
            )
        return True, None

    def mod_init_before(self, stage: Stage, cmd: SimpleCommand) -> bool:
        chain = {st.index for st in self.model.lineage(stage)}
        for outer, _, other in self.go_commands:
            st = self.model.stage_of(outer)
            if st is None or st.index not in chain or other.span.start >= cmd.span.start:
                continue
            if other.argv_values[1:3] == ("mod", "init"):
                return True
        return False

    def tool_consumer(
        self, outer: Instruction, script: ShellScript, cmd: SimpleCommand, stage: Stage, name: str
    ) -> Consumer | None:
        gobin = self.gobin(outer, script, cmd)
        target = posixpath.join(gobin, name) if gobin else None
        related = self.related(stage)
        for c in self.consumers:
            if c.kind == "copy-from":
                if c.from_stage is not None and c.from_stage.index in related and c.path == target:
                    return c
            elif (
                c.stage.index in related
                and c.span.start >= cmd.span.end
                and c.path in (name, target)
            ):
                return c
        return None

    def later_module_use(
        self, stage: Stage, cmd: SimpleCommand, path: str, name: str
    ) -> str | None:
        """A later go command that needs the go.mod requirement `go get` adds, if any."""
        related = self.related(stage)
        for outer, _, other in self.go_commands:
            st = self.model.stage_of(outer)
            if st is None or st.index not in related or other.span.start < cmd.span.end:
                continue
            values = other.argv_values
            sub = values[1]
            if sub == "tool" and len(values) > 2 and values[2] in (name, path):
                return other.shown()
            if sub not in _USES_PACKAGE:
                continue
            args = parse_go_args(values, texts=[w.text for w in other.words], subcommand=(sub,))
            for i in args.positional:
                v = values[i]
                if v is not None and "@" not in v and (v == path or v.startswith(path + "/")):
                    return other.shown()
        return None


# -- messages -------------------------------------------------------------------------------


def _message(kind: Kind, module: bool | None, display: str, upgrade: str | None, pkg: str) -> str:
    path, version = split_version(pkg) if pkg else ("", None)
    releases = "patch releases" if upgrade == "patch" else "versions"
    newest = f"dependency {releases}"
    if module is False and version is not None:
        return (
            f"With GO111MODULE=off, `{display}` fails, because GOPATH mode does not accept the "
            "`path@version` syntax; tools are installed with `go install path@version` in module "
            "mode."
        )
    if module is False:
        what = "each package and its dependencies" if upgrade else "each missing package"
        return (
            f"With GO111MODULE=off, `{display}` downloads the newest commit of {what} into "
            "GOPATH at build time, so two builds of one commit can differ."
        )
    if kind == "deps":
        if upgrade and module:
            return (
                f"`{display}` rewrites go.mod/go.sum to whatever {newest} are newest at build "
                "time, so the image no longer matches the repository and two builds of one commit "
                "differ."
            )
        if upgrade:
            return (
                f"`{display}` upgrades dependencies to whatever {releases} are newest at build "
                "time, so two builds of one commit differ."
            )
        if module:
            return (
                f"Since Go 1.18 `go get` only edits go.mod/go.sum: in an image build `{display}` "
                "adds any missing requirement at whatever version is newest at build time, while "
                "`go mod download` fetches exactly what the repository's go.mod/go.sum list."
            )
        return (
            f"`{display}` fetches any missing dependency at whatever version is newest at build "
            "time, so two builds of one commit can differ."
        )
    if kind == "tool":
        also = " (and -u upgrades its dependencies at build time)" if upgrade else ""
        return (
            f"Since Go 1.18 `{display}` only edits go.mod/go.sum{also}, so the image's go.mod "
            f"can differ from the repository, and it builds or installs nothing; "
            f"`go install {pkg}` is the way to install a tool."
        )
    if kind == "unpinned":
        resolved = (
            "whatever version is newest"
            if version in (None, "latest", "upgrade")
            else f"whatever `@{version}` resolves to"
        )
        also = ", and -u upgrades its dependencies too" if upgrade else ""
        if module:
            return (
                f"`{display}` adds {path} to go.mod at {resolved} at build time{also}, so the "
                "image no longer matches the repository and two builds of one commit differ."
            )
        return (
            f"`{display}` fetches {path} at {resolved} at build time{also}, so two builds of one "
            "commit differ."
        )
    if kind == "none":
        return (
            f"`{display}` removes {path} from go.mod during the image build, so the image no "
            "longer matches the repository."
        )
    return (
        f"`{display}` resolves module versions while the image is built, so the image can differ "
        "from the repository and between two builds of one commit."
    )


def _pin_note(path: str) -> str:
    return (
        f"pin it: for a tool, `go install {path}@vX.Y.Z` ({PIN_FORMAT}, the form OpenSSF "
        "Scorecard accepts; see GC106 unpinned-go-tool); for a library, require it in the "
        "repository's go.mod"
    )


# -- edits ----------------------------------------------------------------------------------


def _context(doc: Document, ins: Instruction, cmd: SimpleCommand) -> Context:
    if ins.json:
        return "exec" if doc.text[cmd.words[0].span.start] == '"' else "json-shell"
    for h in ins.heredocs:
        if h.body.start <= cmd.span.start < h.body.end:
            return "heredoc"
    return "shell"


def _edits(
    doc: Document, ins: Instruction, cmd: SimpleCommand, rewrite: _Rewrite
) -> list[Edit] | None:
    """Replace the `get` word and delete the dropped words, keeping everything else as written.

    A dropped run of words goes together with the gap before it (continuations included); when
    that gap holds a comment line, only the words go, and only when their line keeps other
    content (so the comment line stays inside the instruction). None when no clean edit exists.
    """
    text = doc.text
    words = cmd.words
    context = _context(doc, ins, cmd)
    gap_ok = _gap_pattern(context, doc.escape)
    for k in range(1, len(words)):
        if gap_ok.fullmatch(text, words[k - 1].span.end, words[k].span.start) is None:
            return None
    if context == "exec":
        sep = text[words[0].span.end : words[1].span.start]
        if re.fullmatch(r"[ \t]*,[ \t]*", sep) is None:
            sep = ", "
        sub = sep.join(f'"{w}"' for w in rewrite.sub)
    else:
        sub = " ".join(rewrite.sub)
    edits = [Edit(words[1].span, sub)]
    dropped = [i for i in range(2, len(words)) if i not in rewrite.keep]
    runs: list[list[int]] = []
    for i in dropped:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        a, b = run[0], run[-1]
        comments = [k for k in run if "#" in text[words[k - 1].span.end : words[k].span.start]]
        if not comments:
            edits.append(Edit(Span(words[a - 1].span.end, words[b].span.end), ""))
            continue
        if context != "shell" or len(comments) > 1:
            return None
        got = _around_comment(text, ins, [w.span for w in words], a, comments[0], b)
        if got is None:
            return None
        edits.extend(got)
    return edits


def _around_comment(
    text: str, ins: Instruction, spans: Sequence[Span], a: int, k: int, b: int
) -> list[Edit] | None:
    """Delete words ``a..b`` when a comment line sits in the gap before word ``k``.

    The comment line stays: the words before it go with the gap before them; the words after it
    go from their own line, and when nothing else follows them in the instruction their lines go
    and the continuation marker before the comment goes too (the comment then simply follows
    the instruction).
    """
    edits: list[Edit] = []
    end = spans[b].end
    while end < len(text) and text[end] in " \t":
        end += 1
    rest = _line_rest(text, end)
    if rest.strip(" \t\r"):
        if k > a:
            edits.append(Edit(Span(spans[a - 1].end, spans[k - 1].end), ""))
        edits.append(Edit(Span(spans[k].start, end), ""))
        return edits
    # the dropped words end the instruction
    line_start = text.rfind("\n", 0, spans[k].start) + 1
    if text[line_start : spans[k].start].strip(" \t"):
        return None
    marker_end = spans[k - 1].end + len(_line_rest(text, spans[k - 1].end).rstrip("\r"))
    nl = text.find("\n", end)
    last_end = len(text) if nl < 0 else nl + 1
    if last_end > ins.span.end:
        return None
    edits.append(Edit(Span(spans[a - 1].end if k > a else spans[k - 1].end, marker_end), ""))
    edits.append(Edit(Span(line_start, last_end), ""))
    return edits


_REDIRECT_RE = re.compile(r"[ \t]*(?:\d*(?:>>|>&|>\||<&|<>|>|<)|&>>?)[ \t]*[^\s;&|()<>]+")
_WORD_AFTER_RE = re.compile(r"[ \t]*[^\s;&|()<>#]")


def _words_after_redirect(script: ShellScript, cmd: SimpleCommand) -> bool:
    """``go get -u 2>/dev/null ./...``: the shell view stops the command at the redirection, so
    the words after it are not in ``cmd.words``; such a command is not edited."""
    text = script.source.text
    pos = cmd.logical[1]
    seen = False
    while True:
        m = _REDIRECT_RE.match(text, pos)
        if m is None:
            break
        seen, pos = True, m.end()
    return seen and _WORD_AFTER_RE.match(text, pos) is not None


def _still_same(
    doc: Document,
    outer: Instruction,
    script: ShellScript,
    edits: Sequence[Edit],
    expected: tuple[str | None, ...],
) -> bool:
    """Re-parse the edited text: the instruction keeps its form and its commands, and the
    edited command now reads ``expected``."""
    new_text = apply_edits(doc.text, edits)
    new_doc = Document.parse(new_text)
    if new_doc.error is not None or len(new_doc.instructions) != len(doc.instructions):
        return False
    new = next((i for i in new_doc.instructions if i.span.start == outer.span.start), None)
    if new is None or new.name != outer.name or new.effective.json != outer.effective.json:
        return False
    old_scripts = scripts_for_run(outer.effective, doc.text)
    new_scripts = scripts_for_run(new.effective, new_text)
    if len(old_scripts) != len(new_scripts):
        return False
    found = False
    for old_s, new_s in zip(old_scripts, new_scripts, strict=True):
        if new_s.has_errors != old_s.has_errors or len(new_s.commands) != len(old_s.commands):
            return False
        found = found or any(c.argv_values == expected for c in new_s.commands)
    return found


# -- the rule -------------------------------------------------------------------------------


def _classify(values: Sequence[str | None], args: GoArgs) -> tuple[Kind, str]:
    """What kind of `go get` this is, and the package it is about ("" for dependency forms)."""
    pkgs = [values[i] for i in args.positional]
    if args.dynamic or any(p is None for p in pkgs):
        return "other", ""
    literal = [p for p in pkgs if p is not None]
    if all(is_local(p) or p == "all" for p in literal):
        return "deps", ""
    remote = [p for p in literal if is_remote(split_version(p)[0])]
    for p in remote:
        version = split_version(p)[1]
        if version is None or not is_pinned(version):
            return "unpinned", p
    if len(literal) == 1 and remote:
        return ("none" if split_version(remote[0])[1] == "none" else "tool"), remote[0]
    return "other", remote[0] if remote else ""


def _violation(
    an: _Analysis, outer: Instruction, script: ShellScript, cmd: SimpleCommand
) -> Violation:
    doc, model = an.doc, an.model
    scope = model.scope_before(outer)
    values = expanded_values(cmd, scope, script)
    args = parse_go_args(values, texts=[w.text for w in cmd.words], subcommand=("get",))
    kind, pkg = _classify(values, args)
    upgrade: str | None = None
    for f in args.flags:
        if f.name == "-u" and (f.value or "true").lower() not in ("false", "0"):
            upgrade = "patch" if f.value == "patch" else "all"
    display = cmd.shown()
    module, why_not = an.mode(outer, script, cmd)
    message = _message(kind, module, display, upgrade, pkg)
    path = split_version(pkg)[0] if pkg else ""

    if kind == "unpinned":
        return Violation(cmd.span, message, note=_pin_note(path))
    if kind == "none":
        return Violation(
            cmd.span, message, note="drop the requirement from go.mod in the repository"
        )
    if kind == "other":
        note = (
            "not rewritten: several packages in one `go get`; install each tool with "
            "`go install pkg@vX.Y.Z` and fetch dependencies with `go mod download`"
            if pkg
            else "not rewritten: its arguments come from variables or command output"
        )
        return Violation(cmd.span, message, note=note)

    def report(reason: str) -> Violation:
        return Violation(cmd.span, message, note=f"not rewritten: {reason}")

    if script.has_errors:
        return report(Refusal.SHELL_SYNTAX.sentence())
    if _context(doc, outer.effective, cmd) != "exec" and _words_after_redirect(script, cmd):
        return report(Refusal.REDIRECTION_BETWEEN_WORDS.sentence())
    if why_not is not None:
        return report(why_not)
    stage = model.stage_of(outer)
    assert stage is not None  # mode() established one
    flag_names = list(args.names())
    keep: set[int] = set()
    if kind == "deps":
        bad = [n for n in flag_names if n not in _DEPS_FLAGS]
        if bad:
            return report(Refusal.FLAG_UNSUPPORTED.sentence(flag=bad[0], command="go mod download"))
        if an.mod_init_before(stage, cmd):
            return report(
                "go.mod is created in the image by `go mod init`, so `go get` is what fills in "
                "its requirements; commit go.mod and go.sum to the repository and run "
                "`go mod download`"
            )
        for f in args.flags:
            if f.name in _KEEP_DEPS:
                keep.update(f.indices)
        sub: tuple[str, ...] = ("mod", "download")
        after = "go mod download" + "".join(f" {n}" for n in flag_names if n in _KEEP_DEPS)
    else:  # a pinned tool
        if "-d" in flag_names:
            return report(
                f"`-d` asks only to download {path}, not to install it; require it in the "
                "repository's go.mod instead"
            )
        bad = [n for n in flag_names if n not in _TOOL_FLAGS]
        if bad:
            return report(f"`{bad[0]}` is not carried over to `go install` automatically")
        if outer.sub is not None:
            return report("the images that run this ONBUILD trigger are not visible here")
        binary = package_binary_name(pkg)
        if binary is None:
            return report(f"no binary name can be derived from {path}")
        if an.tool_consumer(outer, script, cmd, stage, binary) is None:
            return report(
                f"nothing later in the image uses a `{binary}` binary, so {path} may be a library "
                f"added to go.mod rather than a tool; for a tool write `go install {pkg}`, for a "
                "library require it in the repository's go.mod"
            )
        later = an.later_module_use(stage, cmd, path, binary)
        if later is not None:
            return report(f"the later `{later}` relies on the go.mod requirement `go get` adds")
        for f in args.flags:
            if f.name in _KEEP_TOOL:
                keep.update(f.indices)
        keep.update(args.positional)
        sub = ("install",)
        after = "go install" + "".join(f" {n}" for n in flag_names if n in _KEEP_TOOL)
        after += f" {pkg}"

    rewrite = _Rewrite(sub, frozenset(keep))
    edits = _edits(doc, outer.effective, cmd, rewrite)
    if edits is None:
        return report(
            "comment lines, redirections or quoting between its words leave no clean word "
            "replacement"
        )
    words = cmd.words
    expected = (
        words[0].value,
        *sub,
        *(words[i].value for i in range(2, len(words)) if i in keep),
    )
    if not _still_same(doc, outer, script, edits, expected):
        return report(Refusal.FORM_CHANGED.sentence())
    return Violation(cmd.span, message, Fix(tuple(edits), f"`{display}` → `{after}`"))


@rule(
    code="GC101",
    name="go-get-in-build",
    severity="error",
    fix="safe",
    commit="replace go get in image builds",
    outputs=(
        "the binaries are built from the dependency versions go.mod/go.sum pin instead of "
        "the newest ones at build time (GC101)"
    ),
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    an = _Analysis(doc, ctx.model(doc), ctx.goenv(doc))
    for outer, script, cmd in an.go_commands:
        if subcommand(cmd) == ("get",):
            yield _violation(an, outer, script, cmd)
