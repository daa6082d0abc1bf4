"""The build context sends `.git` into a whole-context copy.

## What it does

Reports a Dockerfile that copies the whole build context (`COPY . .`, `ADD . /src`,
`COPY ./ /app/`, a `*` wildcard at the context root, or a `RUN --mount=type=bind` of the
context) when the context has no `.dockerignore`, or has one that does not keep `.git` out.
The patterns are read the way Docker reads them: `.git`, `/.git`, `.git/`, `**/.git`, `.*` and
`*` all exclude it, and a later `!` exception that re-includes `.git` or part of it counts as
not excluding it. The finding is reported once per Dockerfile, on its first whole-context copy.

Dockerfiles that only copy named files or directories (`COPY go.mod go.sum ./`,
`COPY cmd/ cmd/`) are not reported, and nothing is reported when the build context is not
known. gocomply reads the `.dockerignore` at the root of the build context; a
Dockerfile-specific `<Dockerfile name>.dockerignore` next to the Dockerfile is not looked at.

## Why is this bad?

`COPY . .` then copies the repository's whole git history into the build stage: every commit,
fetch or checkout changes files under `.git`, so that layer and every step after it is built
again even when no source file changed, and whatever `.git` holds (the history of deleted
files, a remote URL with a token in `.git/config`) is inside the build stage, and inside the
image when that stage is the one shipped.

## Example

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app
```

with no `.dockerignore` next to it gets a new `.dockerignore`:

```
.git
```

An existing `.dockerignore` gets the `.git` line appended, after its last line; nothing else
in it changes.

## Fix safety

Unsafe, applied only with `unsafe_fixes: [GC208]`: without `.git` in the context, `go build`
cannot stamp version control information (`-buildvcs`) into the binary, so a program that
prints `vcs.revision` or `vcs.time` from `debug.ReadBuildInfo` loses them. To keep a revision,
pass it in explicitly, for example with an `ARG REVISION` and
`go build -ldflags "-X main.revision=$REVISION"`. A Makefile or script run by the build that
calls `git` also sees no repository any more.

The engine checks the new `.dockerignore`: it must parse as Docker reads it and must not
exclude `go.mod`, `go.sum`, `vendor/modules.txt` or the Dockerfile itself. No fix is offered,
and the reason is reported, when the `.dockerignore` could not be read or its state is not
known, when Docker would reject one of its patterns, or when a `RUN` runs `git` (other than
`git config` or `git clone`) or `goreleaser`, which read the repository the fix would remove.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator

from rewriters.buildcontext import BuildContext
from rewriters.context import RuleContext
from rewriters.dockerignore import DockerignoreError, excludes
from rewriters.dockerignore import check as check_patterns
from rewriters.document import Document, Instruction
from rewriters.fixes import append_to_dockerignore
from rewriters.model import Model
from rewriters.mounts import mount_options
from rewriters.registry import Fix, Unfixable, Violation, rule
from rewriters.shell import scripts_for_run

GIT_DIR = ".git"
# .git itself and what `git status` reads inside it: a re-included part counts as included
_PROBES = (".git", ".git/HEAD", ".git/config", ".git/index")
_GLOB = frozenset("*?[")
_GIT_OK = frozenset({"config", "clone"})


def keeps_git_out(patterns: tuple[str, ...]) -> bool:
    """Do ``.dockerignore`` patterns keep ``.git`` (and everything in it) out of the context?"""
    return all(excludes(patterns, p) for p in _PROBES)


def _whole_context(source: str) -> bool:
    """Does a COPY/ADD source (relative to the context root) take ``.git`` with it?"""
    if "$" in source or "://" in source or source.startswith("git@"):
        return False
    cleaned = posixpath.normpath("/" + source).lstrip("/")
    if cleaned in ("", "."):
        return True
    if "/" in cleaned or not (_GLOB & set(cleaned)):
        return False
    return fnmatch.fnmatchcase(GIT_DIR, cleaned)


def _copies_context(model: Model, ins: Instruction) -> bool:
    if ins.sub is not None:
        return False  # an ONBUILD trigger copies the child build's context
    if ins.name in ("COPY", "ADD"):
        if ins.flag("from") is not None or ins.heredocs or len(ins.args) < 2:
            return False
        return any(_whole_context(model.expand(w, ins).value) for w in ins.args[:-1])
    if ins.name == "RUN":
        for f in ins.flags_named("mount"):
            opts = mount_options(f.value or "")
            source = opts.get("source", ".")
            if opts.get("type") == "bind" and "from" not in opts and _whole_context(source):
                return True
    return False


def _reads_repository(doc: Document) -> Instruction | None:
    """The first RUN that runs ``git`` on the repository, or ``goreleaser``."""
    for ins in doc.instructions:
        eff = ins.effective
        if eff.name != "RUN":
            continue
        for script in scripts_for_run(eff, doc.text):
            for cmd in script.commands:
                if not cmd.words:
                    continue
                name = cmd.words[0].basename or cmd.words[0].value
                sub = cmd.words[1].value if len(cmd.words) > 1 else None
                if name == "goreleaser" or (name == "git" and sub not in _GIT_OK):
                    return ins
    return None


def _fix(doc: Document, bc: BuildContext) -> Fix | None:
    user = _reads_repository(doc)
    if user is not None:
        raise Unfixable(
            f"the RUN on line {user.start_line} runs git or goreleaser, which may read the "
            "repository's .git"
        )
    text = bc.dockerignore or ""
    line = GIT_DIR + ("\r\n" if "\r\n" in text else "\n")
    edit = append_to_dockerignore(bc, line)
    verb = "created with" if edit.create else "appended to"
    return Fix((edit,), f"`{bc.dockerignore_path}` {verb} `.git`", "unsafe")


@rule(
    code="GC208",
    name="dockerignore",
    severity="info",
    fix="unsafe",
    commit="keep .git out of the build context",
    outputs=(
        "the build context no longer contains .git, so go build stamps no VCS information "
        "(vcs.revision, vcs.time) into the binaries (GC208)"
    ),
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    bc = ctx.build_context
    if not bc.known:
        return
    model = ctx.model(doc)
    copy = next((ins for ins in doc.instructions if _copies_context(model, ins)), None)
    if copy is None:
        return
    what = f"`{copy.name} {' '.join(w.text for w in copy.args)}` on line {copy.start_line}"
    if copy.name == "RUN":
        what = f"the bind mount of the build context on line {copy.start_line}"
    exists, text = bc.side_file(bc.dockerignore_path)
    if exists is None or (exists and text is None):
        message = (
            "The build context's `.dockerignore` could not be read, so gocomply cannot tell "
            f"whether {what} takes `.git` with it."
        )
    elif not exists:
        message = (
            f"The build context has no `.dockerignore`, so {what} takes the repository's "
            "`.git` directory into the build."
        )
    else:
        assert text is not None
        try:
            patterns = check_patterns(text)
        except DockerignoreError as exc:
            yield Violation(
                copy.span,
                f"The build context's `.dockerignore` has a pattern Docker rejects ({exc}), so "
                f"gocomply cannot tell whether {what} takes `.git` with it.",
                note="fix the pattern first; gocomply does not edit a .dockerignore it cannot read",
            )
            return
        if keeps_git_out(patterns):
            return
        message = (
            f"The build context's `.dockerignore` does not exclude `.git`, so {what} takes the "
            "repository's `.git` directory into the build."
        )
    yield Violation(copy.span, message, build=lambda: _fix(doc, bc))
