"""Build stages and variable scope, following Docker's rules.

- A stage starts at each ``FROM``; ``FROM <name|index>`` of an earlier stage makes that stage
  its parent. Global ``ARG``s (before the first ``FROM``) are substituted in ``FROM`` lines.
- ``ENV`` is visible to the rest of its stage and inherited by child stages; official ``golang``
  images add ``GOPATH=/go``, ``PATH=/go/bin:/usr/local/go/bin:…``, ``GOTOOLCHAIN=local`` and
  ``WORKDIR /go`` (RULES.md).
- ``ARG`` is visible to the rest of its stage only, never inherited; a global ARG is visible in
  a stage only after ``ARG NAME`` re-declares it there. ``ENV`` wins over ``ARG`` of the same
  name. In ``RUN`` both are environment variables of the command.
- Values given at build time (``--build-arg``) are unknown here: an ARG's value is its default,
  and an ARG without a default is unknown (never treated as the empty string).
- All pairs of one ``ENV``/``ARG`` instruction are evaluated with the scope before it.

Invariant: `Scope` values are only ever literal text Docker would produce from what the file
says; anything that depends on an unknown is absent from ``known`` and listed in ``unknown``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rewriters.document import Document, Instruction, KeyValue, Word
from rewriters.images import ImageFacts, facts_for
from rewriters.mounts import mount_options
from rewriters.words import WordValue, process_word

GOLANG_IMAGE_ENV: tuple[tuple[str, str], ...] = (
    ("GOPATH", "/go"),
    (
        "PATH",
        "/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ),
    ("GOTOOLCHAIN", "local"),
)
AUTOMATIC_PLATFORM_ARGS = frozenset(
    {
        "BUILDPLATFORM",
        "BUILDOS",
        "BUILDARCH",
        "BUILDVARIANT",
        "TARGETPLATFORM",
        "TARGETOS",
        "TARGETARCH",
        "TARGETVARIANT",
    }
)


@dataclass(frozen=True)
class Binding:
    """Where a variable got its value: the instruction and pair (None for image defaults)."""

    name: str
    value: str | None  # None: unknown (no default, or depends on an unknown)
    kind: str  # "env" | "arg" | "image"
    instruction: Instruction | None = None
    pair: KeyValue | None = None


@dataclass(frozen=True)
class Scope:
    """Variables, working directory and user in effect before an instruction."""

    env: Mapping[str, Binding]
    args: Mapping[str, Binding]
    workdir: str | None
    user: str | None
    image_env_known: bool = False  # the base image's own ENV is known (well-known images)

    def binding(self, name: str) -> Binding | None:
        return self.env.get(name) or self.args.get(name)

    def values(self) -> dict[str, str]:
        """Known values, ENV over ARG, for expansion."""
        out = {k: b.value for k, b in self.args.items() if b.value is not None}
        out.update({k: b.value for k, b in self.env.items() if b.value is not None})
        return out

    def expand(self, text: str, escape: str = "\\") -> WordValue:
        return process_word(text, escape, _KnownOnly(self))


class _KnownOnly(Mapping[str, str]):
    """Expansion environment that leaves unknown variables unresolved.

    A variable that no ENV or ARG declares is empty in Docker, but only when the base image's
    own environment is known too; otherwise it may come from the image and stays unresolved.
    """

    def __init__(self, scope: Scope) -> None:
        self._v = scope.values()
        self._declared = set(scope.env) | set(scope.args)
        self._empty_if_undeclared = scope.image_env_known

    def __getitem__(self, key: str) -> str:
        if key in self._v:
            return self._v[key]
        if self._empty_if_undeclared and key not in self._declared:
            return ""
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._v)

    def __len__(self) -> int:
        return len(self._v)


@dataclass(frozen=True)
class Stage:
    """One build stage.

    ``image`` is what this stage's ``FROM`` names (after global ARG substitution): an external
    image, or an earlier stage's alias/index when ``parent`` is set. ``root_image`` is always
    the external image at the root of the parent chain, and ``base_facts`` are that root
    image's facts (a ``FROM build`` stage has the facts of the image ``build`` started from).
    """

    index: int
    from_: Instruction
    alias: str | None
    image: str  # the FROM image text after global ARG substitution
    image_known: bool  # False when it still depends on an unknown ARG
    parent: int | None
    base_facts: ImageFacts  # of the external image at the root of the parent chain
    platform: str | None
    instructions: tuple[Instruction, ...]
    root_image: str = ""  # the external image at the root of the parent chain

    @property
    def root_facts(self) -> ImageFacts:
        """Facts of the external image this stage's filesystem starts from."""
        return self.base_facts

    @property
    def from_stage(self) -> bool:
        """True when ``FROM`` names an earlier stage rather than an image."""
        return self.parent is not None


FeedKind = Literal["from", "copy", "mount"]


@dataclass(frozen=True)
class Feed:
    """Stage ``source`` provides files to ``target``: as its base (``FROM source``), through
    ``COPY/ADD --from=source`` or through ``RUN --mount=from=source``."""

    source: Stage
    target: Stage
    kind: FeedKind
    instruction: Instruction  # the FROM, COPY/ADD or RUN that takes from ``source``


@dataclass(frozen=True)
class Model:
    doc: Document
    global_args: Mapping[str, Binding]
    stages: tuple[Stage, ...]
    _scopes: dict[int, Scope] = field(repr=False)
    _stage_of: dict[int, int] = field(repr=False)
    _ends: tuple[Scope, ...] = field(default=(), repr=False)
    _feeds: tuple[Feed, ...] = field(default=(), repr=False)

    @staticmethod
    def build(doc: Document) -> Model:
        return _build(doc)

    def scope_before(self, ins: Instruction) -> Scope:
        """Scope in effect for ``ins`` (ONBUILD triggers see their ONBUILD's scope)."""
        return self._scopes[ins.span.start]

    def stage_of(self, ins: Instruction) -> Stage | None:
        idx = self._stage_of.get(ins.span.start)
        return None if idx is None else self.stages[idx]

    def stage_named(self, ref: str) -> Stage | None:
        """An earlier stage by alias (case-insensitive, as Docker) or by index."""
        for st in self.stages:
            if st.alias is not None and st.alias.lower() == ref.lower():
                return st
        if ref.isdigit() and int(ref) < len(self.stages):
            return self.stages[int(ref)]
        return None

    def lineage(self, stage: Stage) -> tuple[Stage, ...]:
        """``stage`` and the stages it is built ``FROM``, root first, ``stage`` last."""
        out = [stage]
        p = stage.parent
        while p is not None:
            out.append(self.stages[p])
            p = self.stages[p].parent
        return tuple(reversed(out))

    def ancestors(self, stage: Stage) -> tuple[Stage, ...]:
        """The stages ``stage`` is built ``FROM`` (transitively), root first; not ``stage``."""
        return self.lineage(stage)[:-1]

    def root(self, stage: Stage) -> Stage:
        """The first stage of ``stage``'s lineage: the one whose ``FROM`` names an image."""
        return self.lineage(stage)[0]

    def descends_from(self, stage: Stage, ancestor: Stage) -> bool:
        """True when ``ancestor`` is ``stage`` or one of the stages it is built ``FROM``."""
        return any(st.index == ancestor.index for st in self.lineage(stage))

    def end_scope(self, stage: Stage) -> Scope:
        """ENV, ARG, WORKDIR and USER in effect after the last instruction of ``stage``: what
        its child stages inherit (ENV, WORKDIR, USER) and what its image runs with."""
        return self._ends[stage.index]

    def end_binding(self, stage: Stage, name: str) -> Binding | None:
        """The ENV binding of ``name`` at the end of ``stage`` (ARGs end with their stage)."""
        return self._ends[stage.index].env.get(name)

    def feeds(self) -> tuple[Feed, ...]:
        """Every stage-to-stage dependency, in file order."""
        return self._feeds

    def sources_of(self, stage: Stage) -> tuple[Feed, ...]:
        """What ``stage`` takes from other stages (its base, ``COPY --from``, mounts)."""
        return tuple(f for f in self._feeds if f.target.index == stage.index)

    def consumers_of(self, stage: Stage) -> tuple[Feed, ...]:
        """Where other stages take from ``stage``."""
        return tuple(f for f in self._feeds if f.source.index == stage.index)

    def children(self, stage: Stage) -> Iterator[Stage]:
        """Stages built FROM ``stage``, directly or transitively."""
        for st in self.stages:
            p = st.parent
            while p is not None:
                if p == stage.index:
                    yield st
                    break
                p = self.stages[p].parent

    def image_stages(self) -> set[int]:
        """Stages that may be built as an image: the last one, and any no other stage uses
        (``FROM``, ``COPY/ADD --from``, ``RUN --mount=from=``), which ``--target`` can build."""
        used = {f.source.index for f in self._feeds}
        last = len(self.stages) - 1
        return {st.index for st in self.stages if st.index == last or st.index not in used}

    @property
    def final(self) -> Stage | None:
        """The stage ``docker build`` builds without ``--target``: the last one."""
        return self.stages[-1] if self.stages else None

    def expand(self, word: Word, ins: Instruction) -> WordValue:
        return self.scope_before(ins).expand(word.text, word.escape)

    def shell_at(self, ins: Instruction) -> tuple[str, ...] | None:
        """The ``SHELL`` in effect for ``ins``: the argument list of the last ``SHELL`` before
        it in its stage or the stages it is built ``FROM`` (an image keeps its SHELL); None
        when no SHELL changed Docker's default (``/bin/sh -c`` on Linux). A SHELL argument
        that is not literal is ``""``."""
        stage = self.stage_of(ins)
        if stage is None:
            return None
        found: tuple[str, ...] | None = None
        for st in self.lineage(stage):
            for other in st.instructions:
                if st.index == stage.index and other.span.start >= ins.span.start:
                    break
                if other.sub is None and other.name == "SHELL":
                    found = tuple(a.value if a.value is not None else "" for a in other.args)
        return found


def _parse_from(ins: Instruction, global_values: Mapping[str, str]) -> tuple[str, bool, str | None]:
    args = [a for a in ins.args]
    image_word = args[0] if args else None
    alias = None
    if len(args) >= 3 and args[1].text.lower() == "as":
        alias = args[2].value
    if image_word is None:
        return "", False, alias
    wv = process_word(image_word.text, ins.escape, global_values)
    return wv.value, not wv.unresolved, alias


def _build(doc: Document) -> Model:
    global_args: dict[str, Binding] = {}
    stages: list[Stage] = []
    scopes: dict[int, Scope] = {}
    stage_of: dict[int, int] = {}
    # per stage: final env/workdir/user so children inherit them
    finals: list[tuple[dict[str, Binding], str | None, str | None]] = []
    ends: list[Scope] = []

    env: dict[str, Binding] = {}
    args: dict[str, Binding] = {}
    workdir: str | None = None
    user: str | None = None
    current: int | None = None
    image_known = False
    stage_instrs: list[Instruction] = []
    pending: (
        tuple[Instruction, str, bool, str | None, int | None, ImageFacts, str | None] | None
    ) = None

    def close_stage() -> None:
        if pending is None:
            return
        ins, image, known, alias, parent, facts, platform = pending
        root_image = image if parent is None else stages[parent].root_image
        stages.append(
            Stage(
                len(stages),
                ins,
                alias,
                image,
                known,
                parent,
                facts,
                platform,
                tuple(stage_instrs),
                root_image,
            )
        )
        finals.append((dict(env), workdir, user))
        ends.append(Scope(dict(env), dict(args), workdir, user, image_known))

    for ins in doc.instructions:
        name = ins.name
        if name == "FROM":
            close_stage()
            stage_instrs = []
            gvals = {k: b.value for k, b in global_args.items() if b.value is not None}
            image, known, alias = _parse_from(ins, gvals)
            parent: int | None = None
            for st in reversed(stages):
                if st.alias is not None and st.alias.lower() == image.lower():
                    parent = st.index
                    break
            if parent is None and image.isdigit() and int(image) < len(stages):
                parent = int(image)
            plat = ins.flag("platform")
            if parent is not None:
                facts = stages[parent].base_facts
                penv, workdir, user = finals[parent]
                env = dict(penv)
            else:
                facts = facts_for(image)
                env = {}
                workdir, user = None, None
                if facts.go_toolchain:
                    env = {k: Binding(k, v, "image") for k, v in GOLANG_IMAGE_ENV}
                    workdir = "/go"
            args = {}
            image_known = facts.known
            scopes[ins.span.start] = Scope(dict(env), dict(global_args), workdir, user, True)
            current = len(stages)
            stage_of[ins.span.start] = current
            pending = (ins, image, known, alias, parent, facts, plat.value if plat else None)
            continue
        if current is None:
            scope = Scope({}, dict(global_args), None, None, True)
        else:
            scope = Scope(dict(env), dict(args), workdir, user, image_known)
        scopes[ins.span.start] = scope
        if ins.sub is not None:
            scopes[ins.sub.span.start] = scope
        if current is None:
            if name == "ARG":
                for p in ins.pairs:
                    global_args[p.key.value] = _arg_binding(p, ins, scope)
            continue
        stage_of[ins.span.start] = current
        stage_instrs.append(ins)
        if name == "ARG":
            for p in ins.pairs:
                key = p.key.value
                if p.value is None and key in global_args:
                    g = global_args[key]
                    args[key] = Binding(key, g.value, "arg", ins, p)
                elif p.value is None and key in AUTOMATIC_PLATFORM_ARGS:
                    args[key] = Binding(key, None, "arg", ins, p)
                else:
                    args[key] = _arg_binding(p, ins, scope)
        elif name == "ENV":
            updates = {}
            for p in ins.pairs:
                key = p.key.value
                if p.value is None:
                    continue
                wv = scope.expand(p.value.text, ins.escape)
                updates[key] = Binding(key, None if wv.unresolved else wv.value, "env", ins, p)
            env.update(updates)
        elif name == "WORKDIR" and ins.args:
            wv = scope.expand(ins.args[0].text, ins.escape)
            if wv.unresolved:
                workdir = None
            else:
                base = workdir or "/"
                workdir = posixpath.normpath(posixpath.join(base, wv.value))
        elif name == "USER" and ins.args:
            wv = scope.expand(ins.args[0].text, ins.escape)
            user = None if wv.unresolved else wv.value
    close_stage()
    model = Model(doc, global_args, tuple(stages), scopes, stage_of, tuple(ends))
    object.__setattr__(model, "_feeds", _feeds(model))
    return model


def _feeds(model: Model) -> tuple[Feed, ...]:
    out: list[Feed] = []
    for st in model.stages:
        if st.parent is not None:
            out.append(Feed(model.stages[st.parent], st, "from", st.from_))
        for ins in st.instructions:
            e = ins.effective
            if ins.sub is not None:
                continue  # an ONBUILD trigger runs in another build
            refs: list[tuple[str, FeedKind]] = []
            if e.name in ("COPY", "ADD"):
                refs.extend((f.value, "copy") for f in e.flags_named("from") if f.value)
            elif e.name == "RUN":
                for f in e.flags_named("mount"):
                    ref = mount_options(f.value or "").get("from")
                    if ref:
                        refs.append((ref.strip(), "mount"))
            for ref, kind in refs:
                source = model.stage_named(ref)
                if source is not None and source.index != st.index:
                    out.append(Feed(source, st, kind, ins))
    return tuple(out)


def _arg_binding(p: KeyValue, ins: Instruction, scope: Scope) -> Binding:
    key = p.key.value
    if p.value is None:
        return Binding(key, None, "arg", ins, p)
    wv = scope.expand(p.value.text, ins.escape)
    return Binding(key, None if wv.unresolved else wv.value, "arg", ins, p)
