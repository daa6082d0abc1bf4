"""The final stage runs as root.

## What it does

Looks at the stage `docker build` builds without `--target` (the last one) and reports when
the image it makes runs its process as root (uid 0):

- the last `USER` in effect is `root` or uid `0` (`USER root`, `USER 0`, `USER 0:0`,
  `USER root:root`), also when it comes from an earlier stage the final stage is built
  `FROM` (a `USER` is inherited along `FROM <stage>`);
- or no `USER` is in effect and the base image runs as root by default: `golang`, `alpine`,
  `debian`, `ubuntu`, `busybox`, `scratch`, Chainguard's `go` image and the plain distroless
  tags (`:latest`, `:debug`).

Images that already run as a non-root user are not reported: distroless `:nonroot` and
`:debug-nonroot` tags and Chainguard's `static` and `glibc-dynamic` images run as uid/gid
65532. Nothing is reported when the user is not known from the file: a `USER` whose value is a
build `ARG`, or a base image gocomply does not recognise (it may set a user of its own). A
`FROM scratch` final stage with no `CMD` or `ENTRYPOINT` is not reported either: such an image
has no program to run and is how `docker build --output` exports build artefacts.

## Why is this bad?

A process running as uid 0 in the container has root's rights over the container's whole
filesystem, and any way out of the container (a kernel or runtime bug, a mounted host path or
socket) is then a way in as root on the host, unless the runtime remaps uids. Policies such as
Kubernetes' `runAsNonRoot` (required by the "restricted" Pod Security Standard) refuse to start
such an image. A Go server binary needs no root rights, except to bind a port below 1024.

## Example

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
```

becomes

```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
```

## Fix safety

Safe on distroless and `scratch` final stages that run no `RUN`: `USER 65532:65532` is added
to the final stage after its last `COPY`, `ADD` or `WORKDIR` (so every build step still runs
as before), with the file's line breaks and keyword case. 65532 is the `nonroot` user every
distroless image lists in `/etc/passwd`; `scratch` has no passwd file, so the user must be
numeric there. The numeric form is used on distroless too because Kubernetes' `runAsNonRoot`
check can only verify a numeric user. Such an image holds only what the file copied into it,
and a copied binary stays readable and executable for any user unless the file restricts its
mode. A program that writes into a directory the file created or copied (its `WORKDIR`, a
data directory) can no longer write there; a mounted volume or `/tmp` is where it should write.

The unsafe fix, applied only with `unsafe_fixes: [GC203]`, adds the same line after the last
`RUN`, `COPY`, `ADD` or `WORKDIR` on other bases (`golang`, `alpine`, `debian`, …) and on
distroless stages that `RUN` something. There the image has files a `RUN` made as root: uid
65532 has no passwd entry and no home directory on those images (`HOME` becomes `/`), and the
program can no longer write to directories that belong to root (caches, data or log
directories, `/root`), so check what it writes before opting in.

No fix is offered, and the reason is reported, when a non-root user may not work: the final
stage `EXPOSE`s a port below 1024 (a non-root process cannot bind it without extra
capabilities) or a port known only at build time, declares a `VOLUME` (its directory belongs
to root), copies files with `--chown` to another user or with a `--chmod` that takes read
access from other users, `ADD`s a URL (the download is readable by root only), has an
`ONBUILD` trigger (it would run in child images as the new user), starts a shell script
(which may need root, for example to change ownership), runs `go` itself (`go run` needs a
writable build cache in the home directory), or uses `gosu`, `su-exec`, `setpriv`, `runuser`
or `chpst` (the image starts as root on purpose and drops privileges itself). An explicit
`USER root` is never changed: the file asked for root, and only the maintainer knows why.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence

from rewriters.context import RuleContext
from rewriters.document import Document, Instruction
from rewriters.fixes import insert_after
from rewriters.model import Model, Stage
from rewriters.registry import Fix, Violation, rule

NONROOT_USER = "65532:65532"
_SAFE_FAMILIES = frozenset({"distroless", "scratch"})
_UNSAFE_FAMILIES = frozenset({"debian", "ubuntu", "alpine", "busybox", "chainguard", "other"})
_OWNERS_OK = frozenset({"65532", "nonroot"})
_PRIVILEGED_PORTS = 1024
_PORT = re.compile(r"(?P<low>[0-9]+)(?:-(?P<high>[0-9]+))?(?:/[A-Za-z]+)?")
_URL = re.compile(r"^(?:https?://|git@|git://)", re.IGNORECASE)
_ANCHORS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})  # steps that keep running as root


def is_root_user(user: str) -> bool:
    """``root`` or uid 0, with or without a group (``0:0``, ``root:root``, ``0:65532``)."""
    name = user.partition(":")[0].strip()
    return name == "root" or (name.isdigit() and int(name) == 0)


def _instructions(chain: Sequence[Stage]) -> Iterator[Instruction]:
    for st in chain:
        yield from st.instructions


def _last_user(chain: Sequence[Stage]) -> Instruction | None:
    last = None
    for ins in _instructions(chain):
        if ins.sub is None and ins.name == "USER" and ins.args:
            last = ins
    return last


def _runs_something(chain: Sequence[Stage]) -> bool:
    return any(ins.effective.name in ("CMD", "ENTRYPOINT") for ins in _instructions(chain))


_SHELLS = frozenset({"sh", "bash", "ash", "dash"})
_DROPS_PRIVILEGES = re.compile(r"(?<![\w-])(?:gosu|su-exec|setpriv|runuser|chpst)(?![\w-])")


def _start_problem(doc: Document, chain: Sequence[Stage]) -> str | None:
    """Why the program the image starts may need root to start, or None."""
    for ins in _instructions(chain):
        eff = ins.effective
        if eff.name not in ("CMD", "ENTRYPOINT") or not eff.args:
            continue
        first = eff.args[0].value if eff.json else (eff.args[0].value.split() or [""])[0]
        name = posixpath.basename(first)
        if name == "go":
            return (
                f"the image runs `go` itself (line {ins.start_line}), which needs a writable "
                "build cache in the home directory that uid 65532 does not have"
            )
        if name.endswith(".sh") or (eff.json and name in _SHELLS):
            return (
                f"the image starts a script (line {ins.start_line}), which may need root, for "
                "example to change file ownership before it starts the program"
            )
    found = _DROPS_PRIVILEGES.search(doc.text)
    if found is not None:
        return (
            f"the file uses `{found[0]}` (line {doc.line_of(found.start())}), so the image "
            "probably starts as root on purpose and drops privileges itself"
        )
    return None


def _port_problem(model: Model, ins: Instruction) -> str | None:
    for word in ins.args:
        wv = model.expand(word, ins)
        if wv.unresolved:
            return (
                f"the port `EXPOSE` names on line {ins.start_line} is known only when the image "
                "is built, so gocomply cannot tell whether a non-root user can bind it"
            )
        m = _PORT.fullmatch(wv.value.strip())
        if m is None:
            return f"the `EXPOSE` on line {ins.start_line} is not a port gocomply understands"
        if int(m["low"]) < _PRIVILEGED_PORTS:
            return (
                f"the image exposes port {m['low']} (line {ins.start_line}), which a non-root "
                "process cannot bind without extra capabilities"
            )
    return None


def _chmod_readable(mode: str) -> bool:
    """Does an octal ``--chmod`` keep read access for other users (on files they must run)?"""
    if re.fullmatch(r"[0-7]{3,4}", mode) is None:
        return False
    return int(mode, 8) & 0o004 != 0


def _owner_ok(owner: str) -> bool:
    user, _, group = owner.partition(":")
    return user in _OWNERS_OK and (not group or group in _OWNERS_OK)


def _copy_problem(model: Model, ins: Instruction) -> str | None:
    line = ins.start_line
    for f in ins.flags_named("chown"):
        wv = model.scope_before(ins).expand(f.value or "", ins.escape)
        if wv.unresolved or not _owner_ok(wv.value):
            return (
                f"`--chown={f.value}` on line {line} gives files to another user, so the program "
                "may need to run as that user"
            )
    for f in ins.flags_named("chmod"):
        if not _chmod_readable(f.value or ""):
            return (
                f"`--chmod={f.value}` on line {line} may leave files unreadable for a non-root user"
            )
    if ins.name == "ADD" and any(_URL.match(w.value) for w in ins.args[:-1]):
        return f"the file `ADD` downloads on line {line} is readable by root only"
    return None


def _refusal(model: Model, chain: Sequence[Stage]) -> str | None:
    """Why adding a non-root ``USER`` to the final stage may break the image, or None."""
    for ins in _instructions(chain):
        if ins.sub is not None:
            return (
                f"the ONBUILD trigger on line {ins.start_line} would run as the new user in "
                "images built from this one"
            )
        name = ins.name
        problem = None
        if name == "EXPOSE":
            problem = _port_problem(model, ins)
        elif name == "VOLUME":
            problem = (
                f"the VOLUME on line {ins.start_line} is a directory that belongs to root, "
                "which a non-root user may not be able to write"
            )
        elif name in ("COPY", "ADD"):
            problem = _copy_problem(model, ins)
        if problem is not None:
            return problem
    return None


def _fix(doc: Document, model: Model, final: Stage, applicability: str) -> Fix:
    anchor = final.from_
    for ins in final.instructions:
        if ins.name in _ANCHORS:
            anchor = ins
    edit = insert_after(doc, anchor, f"USER {NONROOT_USER}")
    return Fix(
        (edit,),
        f"`USER {NONROOT_USER}` added after line {anchor.end_line}",
        "safe" if applicability == "safe" else "unsafe",
    )


@rule(
    code="GC203",
    name="runs-as-root",
    severity="warning",
    fix="safe",
    commit="run the image as a non-root user",
    outputs="the image's process runs as uid/gid 65532 instead of root (GC203)",
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    final = model.final
    if final is None:
        return
    chain = model.lineage(final)
    user = _last_user(chain)
    if user is not None:
        wv = model.expand(user.args[0], user)
        if wv.unresolved or not is_root_user(wv.value):
            return
        where = "" if user in final.instructions else " (inherited from an earlier stage)"
        yield Violation(
            user.span,
            f"The final stage runs as root: `USER {wv.value}` on line {user.start_line}{where} "
            "is the last USER in effect, so the program runs as uid 0 in the container.",
            note=(
                "the file switches to root on purpose; gocomply does not change a USER the "
                "maintainer wrote"
            ),
        )
        return
    facts = final.base_facts
    if facts.nonroot or facts.default_user_uid != 0:
        return
    if facts.family == "scratch" and not _runs_something(chain):
        return
    image = model.root(final).image
    message = (
        f"The final stage runs as root: `{image}` runs as uid 0 unless a USER says otherwise, "
        "and no USER line does."
    )
    runs = next((i for i in _instructions(chain) if i.effective.name == "RUN"), None)
    if facts.family in _SAFE_FAMILIES and runs is None:
        applicability = "safe"
    elif facts.family in _UNSAFE_FAMILIES or facts.family in _SAFE_FAMILIES:
        applicability = "unsafe"
    else:
        yield Violation(final.from_.span, message)
        return
    reason = _refusal(model, chain) or _start_problem(doc, chain)
    if reason is not None:
        yield Violation(final.from_.span, message, note=reason)
        return
    fix = _fix(doc, model, final, applicability)
    note = None
    if runs is not None and facts.family in _SAFE_FAMILIES:
        note = (
            f"the RUN on line {runs.start_line} may create files only root can write, so adding "
            "`USER 65532:65532` is an unsafe fix"
        )
    elif applicability == "unsafe":
        note = (
            f"`{image}` has files of its own that a non-root user may not be able to write, so "
            "adding `USER 65532:65532` is an unsafe fix"
        )
    yield Violation(final.from_.span, message, fix, note=note)
