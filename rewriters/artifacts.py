"""Paths that build steps produce and paths later lines consume.

Producers (per RUN, including heredoc and exec-form bodies):
- ``go build -o OUT [pkg]``: OUT relative to the command's directory (``cd`` in the same RUN,
  else WORKDIR); ``-o DIR/`` (trailing slash) writes ``DIR/<package name>``.
- ``go install pkg[@version]``: ``$GOBIN/<name>`` when GOBIN is set, else
  ``$GOPATH/bin/<name>`` (``/go/bin`` in official golang images). With ``GOOS``/``GOARCH`` set
  the binary may land in ``$GOPATH/bin/<goos>_<goarch>/`` instead, so such products are not
  ``exact``. The name is the last path element of the package, without ``@version`` and
  without a ``/vN`` major-version suffix.

Consumers:
- ``COPY --from=<stage> SRC… DEST``: each SRC, a path in that stage's filesystem;
- ``ENTRYPOINT``/``CMD``: the program (exec form: first element; shell form: first command);
- ``RUN``: every command name.

Invariant: a path is only reported when it is known literally (after ARG/ENV expansion with
the model's scope); anything else is skipped, and rules that need completeness must treat a
skipped part as "cannot prove" (report, do not edit).
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from rewriters.document import Document, Instruction, Word
from rewriters.edits import Span
from rewriters.gocmd import GoCommand, package_binary_name, parse_go_command
from rewriters.goenv import GoEnv
from rewriters.model import Model, Scope, Stage
from rewriters.shell import ShellScript, ShellWord, SimpleCommand, scripts_for_run


@dataclass(frozen=True)
class GoInvocation:
    """One ``go build``/``go install`` command (parsed by `rewriters.gocmd`) and its script."""

    go: GoCommand
    script: ShellScript

    @property
    def subcommand(self) -> str:
        return self.go.subcommand[0]

    @property
    def command(self) -> SimpleCommand:
        return self.go.command

    @property
    def packages(self) -> tuple[ShellWord, ...]:
        return self.go.positional_words()

    def flag(self, name: str) -> str | None:
        """The value of flag ``name`` (the last one wins, as in go), None when absent."""
        f = self.go.flag(name)
        return f.value if f is not None else None


def parse_go_invocation(cmd: SimpleCommand, script: ShellScript) -> GoInvocation | None:
    """``go build|install …`` split into flags and package arguments (None for other commands)."""
    go = parse_go_command(cmd)
    if go is None or go.subcommand not in (("build",), ("install",)):
        return None
    return GoInvocation(go, script)


@dataclass(frozen=True)
class Product:
    path: str
    stage: Stage
    instruction: Instruction
    how: Literal["go-build", "go-install"]
    invocation: GoInvocation
    package: str | None
    exact: bool


@dataclass(frozen=True)
class Consumer:
    path: str  # absolute path, or a bare command name looked up through PATH
    stage: Stage
    instruction: Instruction
    kind: Literal["copy-from", "entrypoint", "cmd", "run"]
    span: Span
    from_stage: Stage | None = None


def _cwd(cmd: SimpleCommand, scope: Scope) -> str | None:
    if cmd.cwd_unknown:
        return None
    base = scope.workdir or "/"
    if cmd.cwd is None:
        return base
    return posixpath.normpath(posixpath.join(base, cmd.cwd))


def invocations(doc: Document, model: Model) -> Iterator[tuple[Instruction, GoInvocation]]:
    """Every ``go build``/``go install`` in RUN instructions, in file order."""
    for outer in doc.instructions:
        ins = outer.effective
        if ins.name != "RUN":
            continue
        for script in scripts_for_run(ins, doc.text):
            for cmd in script.commands:
                inv = parse_go_invocation(cmd, script)
                if inv is not None:
                    yield outer, inv


def products(doc: Document, model: Model, goenv: GoEnv | None = None) -> list[Product]:
    """Binaries the document's ``go build``/``go install`` commands write, where known."""
    env_of = goenv if goenv is not None else GoEnv.of(doc, model)
    out: list[Product] = []
    for outer, inv in invocations(doc, model):
        stage = model.stage_of(outer)
        if stage is None:
            continue
        scope = model.scope_before(outer)
        cmd = inv.command
        env = env_of.at(outer, inv.script, cmd)
        cross = env.is_set("GOOS") or env.is_set("GOARCH")
        pkgs = [p.value for p in inv.packages]
        if inv.subcommand == "build":
            o = inv.flag("-o")
            cwd = _cwd(cmd, scope)
            if o is None or cwd is None:
                continue
            if o.endswith("/"):
                for pkg in pkgs:
                    name = package_binary_name(pkg) if pkg else None
                    if name is not None:
                        path = posixpath.join(cwd, o, name)
                        out.append(
                            Product(
                                posixpath.normpath(path), stage, outer, "go-build", inv, pkg, True
                            )
                        )
                continue
            pkg = pkgs[0] if len(pkgs) == 1 else None
            path = posixpath.join(cwd, o)
            out.append(Product(posixpath.normpath(path), stage, outer, "go-build", inv, pkg, True))
            continue
        gobin = env.gopath_bin().value
        if not gobin:
            continue  # GOBIN or GOPATH is unknown here
        for pkg in pkgs:
            if pkg is None:
                continue
            name = package_binary_name(pkg)
            if name is None:
                continue
            out.append(
                Product(
                    posixpath.join(gobin, name), stage, outer, "go-install", inv, pkg, not cross
                )
            )
    return out


def _program_word(ins: Instruction, doc: Document) -> tuple[str, Span] | None:
    if ins.json:
        if not ins.args:
            return None
        w: Word = ins.args[0]
        return w.value, w.span
    for script in scripts_for_run(ins, doc.text):
        for cmd in script.commands:
            if cmd.words and cmd.words[0].value is not None:
                return cmd.words[0].value, cmd.words[0].span
            return None
    return None


def consumers(doc: Document, model: Model) -> list[Consumer]:
    out: list[Consumer] = []
    for outer in doc.instructions:
        ins = outer.effective
        stage = model.stage_of(outer)
        if stage is None:
            continue
        if ins.name == "COPY" and ins.flag("from") is not None and len(ins.args) >= 2:
            src_ref = ins.flag("from")
            assert src_ref is not None and src_ref.value is not None
            from_stage = model.stage_named(src_ref.value)
            for w in ins.args[:-1]:
                val = model.expand(w, outer)
                if val.unresolved:
                    continue
                path = posixpath.normpath(posixpath.join("/", val.value))
                out.append(Consumer(path, stage, outer, "copy-from", w.span, from_stage))
        elif ins.name in ("ENTRYPOINT", "CMD"):
            prog = _program_word(ins, doc)
            if prog is not None:
                kind: Literal["entrypoint", "cmd"] = (
                    "entrypoint" if ins.name == "ENTRYPOINT" else "cmd"
                )
                out.append(Consumer(prog[0], stage, outer, kind, prog[1]))
        elif ins.name == "RUN":
            for script in scripts_for_run(ins, doc.text):
                for cmd in script.commands:
                    if cmd.words and cmd.words[0].value is not None:
                        out.append(
                            Consumer(cmd.words[0].value, stage, outer, "run", cmd.words[0].span)
                        )
    return out


# ------------------------------------------------------------------ what reaches an image

_GLOB_CHARS = frozenset("*?[")


def _segments_match(pattern: str, path: str) -> bool:
    """COPY's glob matching, segment by segment (``*`` never crosses ``/``)."""
    pp, ps = pattern.strip("/").split("/"), path.strip("/").split("/")
    return len(pp) == len(ps) and all(
        fnmatch.fnmatchcase(s, p) for p, s in zip(pp, ps, strict=True)
    )


def carries(source: str, path: str) -> bool:
    """Does a ``COPY --from`` source ``source`` (absolute, normalised) copy the file at
    ``path``? True when it names the file, a directory above it, or a glob matching it."""
    if source == path:
        return True
    if source == "/" or path.startswith(source.rstrip("/") + "/"):
        return True
    if any(c in source for c in _GLOB_CHARS):
        parts = path.strip("/").split("/")
        return any(
            _segments_match(source, "/" + "/".join(parts[:n])) for n in range(1, len(parts) + 1)
        )
    return False


def copy_sources(doc: Document, model: Model, ins: Instruction) -> tuple[str, ...] | None:
    """The absolute source paths of ``COPY/ADD --from=…`` ``ins``, None when one of them
    depends on a value unknown here (then what it copies cannot be told)."""
    eff = ins.effective
    if eff.name not in ("COPY", "ADD") or len(eff.args) < 2 or eff.heredocs:
        return None
    out: list[str] = []
    for w in eff.args[:-1]:
        if w.text.startswith("--"):
            return None  # a flag this view does not know
        val = model.expand(w, ins)
        if val.unresolved:
            return None
        out.append(posixpath.normpath(posixpath.join("/", val.value)))
    return tuple(out)


@dataclass(frozen=True)
class Delivery:
    """A built binary that ends up in image stage ``target``: through ``consumer`` (a
    ``COPY --from`` in ``target``), or, with ``consumer`` None, because ``target`` is built
    ``FROM`` the stage that produced it (or is that stage)."""

    product: Product
    target: Stage
    consumer: Consumer | None


def deliveries(
    doc: Document, model: Model, target: Stage, goenv: GoEnv | None = None
) -> list[Delivery]:
    """The known products of ``go build``/``go install`` that stage ``target`` contains, one
    hop deep: built in ``target``'s own lineage, or copied by a ``COPY --from=<stage>`` of
    ``target`` whose stage descends from the producing stage and whose source names the
    binary, a directory above it or a matching glob. A binary passed on through a third
    stage is not followed (rules treat that as unknown)."""
    prods = products(doc, model, goenv)
    copies = [
        c
        for c in consumers(doc, model)
        if c.kind == "copy-from" and c.stage.index == target.index and c.from_stage is not None
    ]
    out: list[Delivery] = []
    for p in prods:
        if model.descends_from(target, p.stage):
            out.append(Delivery(p, target, None))
            continue
        for c in copies:
            assert c.from_stage is not None
            if model.descends_from(c.from_stage, p.stage) and carries(c.path, p.path):
                out.append(Delivery(p, target, c))
    return out
