"""Where a Dockerfile sets a Go environment variable, in every form Docker and the shell allow.

`find_settings` returns one `Setting` per place that gives a variable a value:

- ``ENV K=V`` (and legacy ``ENV K V``, multi-pair and continued ENV), ``ARG K=V`` defaults
  (an ARG is an environment variable of later RUNs in its stage);
- in RUN bodies (shell form, heredoc scripts, ``["sh","-c",…]`` and direct exec form, also
  under ONBUILD): ``export K=V``, ``K=V cmd``, ``env K=V cmd``, ``go env -w K=V`` (written to
  the go env file, so it applies to every later go command like an ENV) and make variables
  (``make build K=V``) when the target is run by make.

Values are interpreted (quotes removed) and expanded with the stage's scope when they refer to
ARG/ENV values (``ENV GOPROXY=$PROXY`` with ``ARG PROXY=direct`` → ``direct``, ``via`` = the
variable). Each setting carries the edits that would remove it cleanly, or None when no clean
removal exists (the rule then reports without editing).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from rewriters.document import Document, Instruction, KeyValue
from rewriters.edits import Edit, Span
from rewriters.fixes import quote_like, remove_element, remove_instruction
from rewriters.model import Model, Scope, Stage
from rewriters.shell import (
    Assignment,
    Export,
    ShellScript,
    ShellWord,
    SimpleCommand,
    removal_span,
    scripts_for_run,
)

SettingKind = Literal["env", "arg", "export", "inline", "go-env-w", "make"]


@dataclass(frozen=True)
class Setting:
    name: str
    value: str | None  # interpreted and expanded; None when unknown
    raw_value: str  # the value as written (quotes kept)
    span: Span  # NAME=value (for ENV legacy form: NAME value)
    value_span: Span | None  # the value as written, None when there is no value text
    kind: SettingKind
    instruction: Instruction  # the instruction as it stands in the file (ONBUILD included)
    stage: Stage | None
    via: str | None  # variable the value was expanded from, if any
    removal: tuple[Edit, ...] | None
    json: bool = False  # the value sits inside a JSON string (exec form)
    script_has_errors: bool = False

    def shown(self) -> str:
        """The setting as a maintainer would write it (``ENV K=v``, ``export K=v``, …)."""
        name, raw = self.name, self.raw_value
        if self.kind == "env":
            legacy = any(p.span == self.span and p.legacy for p in self.instruction.effective.pairs)
            return f"ENV {name} {raw}" if legacy else f"ENV {name}={raw}"
        if self.kind == "arg":
            return f"ARG {name}={raw}"
        if self.kind == "export":
            return f"export {name}={raw}"
        if self.kind == "go-env-w":
            return f"go env -w {name}={raw}"
        return f"{name}={raw}"

    def replace_value(self, new_value: str) -> Edit | None:
        """Edit writing ``new_value`` in place of the value, keeping its quoting."""
        if self.value_span is None or self.via is not None or self.script_has_errors:
            return None
        spaced = any(c in new_value for c in " \t")
        if self.json:
            if spaced or any(c in new_value for c in '"\\'):
                return None
            return Edit(self.value_span, new_value)
        written = quote_like(self.raw_value, new_value)
        if spaced and written == new_value:
            written = f'"{new_value}"'
        return Edit(self.value_span, written)


def _pair_setting(
    doc: Document,
    model: Model,
    outer: Instruction,
    ins: Instruction,
    pair: KeyValue,
    index: int,
    kind: SettingKind,
) -> Setting:
    scope = model.scope_before(ins)
    value: str | None = None
    via: str | None = None
    raw = ""
    vspan: Span | None = None
    if pair.value is not None:
        raw = pair.value.text
        vspan = pair.value.span
        wv = scope.expand(pair.value.text, ins.escape)
        value = None if wv.unresolved else wv.value
        if wv.refs:
            via = wv.refs[0]
    if len(ins.pairs) == 1:
        removal: tuple[Edit, ...] | None = (remove_instruction(doc, outer),)
    else:
        edits = remove_element(doc, ins, [p.span for p in ins.pairs], index)
        removal = None if edits is None else tuple(edits)
    return Setting(
        pair.key.value,
        value,
        raw,
        pair.span,
        vspan,
        kind,
        outer,
        model.stage_of(outer),
        via,
        removal,
    )


def _word_value(word: ShellWord, model: Model, ins: Instruction) -> tuple[str | None, str | None]:
    """Value of a shell word, expanding a plain ``$VAR``/``${VAR}`` through the stage scope."""
    if word.value is not None:
        return word.value, None
    if len(word.expansions) == 1:
        name = word.expansions[0]
        if word.text in (f"${name}", f"${{{name}}}", f'"${name}"', f'"${{{name}}}"'):
            b = model.scope_before(ins).binding(name)
            return (b.value if b is not None else None), name
    return None, (word.expansions[0] if word.expansions else None)


def _command_removal(
    doc: Document, outer: Instruction, script: ShellScript, item: SimpleCommand | Export
) -> tuple[Edit, ...] | None:
    """Remove a command from its list, or the whole RUN when it is the only command."""
    span = removal_span(script, item, doc.text)
    if span is not None:
        return (Edit(span, ""),)
    alone = len(script.commands) + len({e.command_span for e in script.exports}) == 1
    if alone and not outer.effective.heredocs and not outer.effective.json:
        return (remove_instruction(doc, outer),)
    return None


def _shell_settings(
    doc: Document, model: Model, outer: Instruction, names: frozenset[str] | None
) -> Iterator[Setting]:
    ins = outer.effective
    stage = model.stage_of(outer)
    for script in scripts_for_run(ins, doc.text):
        errors = script.has_errors
        for exp in script.exports:
            a = exp.assignment
            if names is not None and a.name not in names:
                continue
            raw = a.value.text if a.value else ""
            value, via = _word_value(a.value, model, outer) if a.value else ("", None)
            siblings = [e for e in script.exports if e.command_span == exp.command_span]
            removal: tuple[Edit, ...] | None = None
            if not errors:
                if len(siblings) == 1:
                    removal = _command_removal(doc, outer, script, exp)
                else:
                    idx = siblings.index(exp)
                    edits = remove_element(doc, outer, [e.assignment.span for e in siblings], idx)
                    removal = None if edits is None else tuple(edits)
            yield Setting(
                a.name,
                value,
                raw,
                a.span,
                a.value.span if a.value else None,
                "export",
                outer,
                stage,
                via,
                removal,
                script_has_errors=errors,
            )
        for cmd in script.commands:
            yield from _command_settings(doc, model, outer, script, cmd, names, stage)


def _command_settings(
    doc: Document,
    model: Model,
    outer: Instruction,
    script: ShellScript,
    cmd: SimpleCommand,
    names: frozenset[str] | None,
    stage: Stage | None,
) -> Iterator[Setting]:
    errors = script.has_errors
    is_json = outer.effective.json and not script.source.segments
    items = [a.span for a in cmd.assignments] + [w.span for w in cmd.words]
    value: str | None
    via: str | None
    removal: tuple[Edit, ...] | None
    for i, a in enumerate(cmd.assignments):
        if names is not None and a.name not in names:
            continue
        value, via = _word_value(a.value, model, outer) if a.value else ("", None)
        removal = None
        if not errors:
            edits = remove_element(doc, outer, items, i)
            removal = None if edits is None else tuple(edits)
        yield Setting(
            a.name,
            value,
            a.value.text if a.value else "",
            a.span,
            a.value.span if a.value else None,
            "inline",
            outer,
            stage,
            via,
            removal,
            script_has_errors=errors,
        )
    argv = cmd.argv_values
    name = cmd.name
    kv_from = -1
    kind: SettingKind = "make"
    if name is not None and name.rsplit("/", 1)[-1] == "go" and argv[1:3] == ("env", "-w"):
        kv_from, kind = 3, "go-env-w"
    elif name is not None and name.rsplit("/", 1)[-1] in ("make", "gmake"):
        kv_from, kind = 1, "make"
    if kv_from < 0:
        return
    kv_words = [
        (j, w) for j, w in enumerate(cmd.words) if j >= kv_from and "=" in (w.value or w.text)
    ]
    for j, w in kv_words:
        text = w.value if w.value is not None else w.text
        key, _, val_text = text.partition("=")
        if names is not None and key not in names:
            continue
        value, via = val_text, None
        if w.value is None:
            value, via = None, (w.expansions[0] if w.expansions else None)
        removal = None
        if not errors and not outer.effective.json:
            if kind == "go-env-w" and len(kv_words) == 1:
                removal = _command_removal(doc, outer, script, cmd)
            else:
                edits = remove_element(doc, outer, items, len(cmd.assignments) + j)
                removal = None if edits is None else tuple(edits)
        eq = w.text.find("=")
        vspan = Span(w.span.start + eq + 1, w.span.end) if eq >= 0 and w.value == w.text else None
        yield Setting(
            key,
            value,
            val_text,
            w.span,
            vspan,
            kind,
            outer,
            stage,
            via,
            removal,
            json=is_json,
            script_has_errors=errors,
        )


def find_settings(
    doc: Document, model: Model, names: frozenset[str] | None = None
) -> list[Setting]:
    """Every place ``doc`` sets one of ``names`` (every variable when None), in file order."""
    out: list[Setting] = []
    for outer in doc.instructions:
        ins = outer.effective
        if ins.name in ("ENV", "ARG"):
            kind: SettingKind = "env" if ins.name == "ENV" else "arg"
            for i, pair in enumerate(ins.pairs):
                if names is None or pair.key.value in names:
                    out.append(_pair_setting(doc, model, outer, ins, pair, i, kind))
        elif ins.name == "RUN":
            out.extend(_shell_settings(doc, model, outer, names))
    return out


# ============================================================================================
# The Go environment at a command


Origin = Literal[
    "make",  # a make command-line variable (``make build K=V``), exported to its recipes
    "inline",  # ``K=V cmd`` / ``env K=V cmd``
    "shell",  # ``export K=V`` (or ``K=V`` to an exported variable) earlier in the script
    "env",  # Dockerfile ENV (this stage or a parent stage)
    "arg",  # Dockerfile ARG (an environment variable of RUN)
    "image",  # the base image's own ENV (official golang images: GOPATH, PATH, GOTOOLCHAIN)
    "go-env-w",  # the go env file, written by an earlier ``go env -w``
    "default",  # Go's (or Docker's, for HOME) default for this image
    "unset",  # nothing sets it and nothing defaults it
    "cleared",  # ``env -i`` started the command with an empty environment
    "base-image",  # the base image is not recognised: its own ENV may set it
]

# Variables Go reads through its own lookup (`go help environment`): an empty value in the
# process environment falls back to the go env file and then to Go's default.
GO_VARIABLES = frozenset(
    {
        "AR", "CC", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_ENABLED", "CGO_FFLAGS",
        "CGO_LDFLAGS", "CXX", "FC", "GCCGO", "GO111MODULE", "GOAMD64", "GOARCH", "GOARM",
        "GOARM64", "GOAUTH", "GOBIN", "GOCACHE", "GOCACHEPROG", "GODEBUG", "GOEXPERIMENT",
        "GOFIPS140", "GOFLAGS", "GOINSECURE", "GOMIPS", "GOMIPS64", "GOMODCACHE", "GONOPROXY",
        "GONOSUMCHECK", "GONOSUMDB", "GOOS", "GOPATH", "GOPPC64", "GOPRIVATE", "GOPROXY",
        "GORISCV64", "GOROOT", "GOSUMDB", "GOTELEMETRY", "GOTMPDIR", "GOTOOLCHAIN", "GOVCS",
        "GOWASM", "GOWORK", "PKG_CONFIG",
    }
)  # fmt: skip

# Go's defaults that do not depend on the image (`go help environment`).
_FIXED_DEFAULTS: dict[str, str] = {
    "GOBIN": "",
    "GOFLAGS": "",
    "GO111MODULE": "",
    "GOPROXY": "https://proxy.golang.org,direct",
    "GOSUMDB": "sum.golang.org",
    "GONOPROXY": "",
    "GONOSUMDB": "",
    "GOPRIVATE": "",
    "GOINSECURE": "",
    "GOTOOLCHAIN": "auto",
    "GOWORK": "",
    "GOEXPERIMENT": "",
}

_MAKE = frozenset({"make", "gmake"})


@dataclass(frozen=True)
class GoValue:
    """The value a variable has for a command, and where it came from.

    ``value`` is None when it cannot be known from the Dockerfile (a build argument without a
    default, an unrecognised base image, an expansion of something unknown, …); rules must
    then report instead of guessing. ``span``/``instruction`` locate the text that set it
    (None for image and Go defaults).
    """

    name: str
    value: str | None
    origin: Origin
    span: Span | None = None
    instruction: Instruction | None = None

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def explicit(self) -> bool:
        """Set by the Dockerfile itself (not by the image, Go's defaults or nobody)."""
        return self.origin in ("make", "inline", "shell", "env", "arg", "go-env-w")


def _root_home(user: str | None, stage: Stage, model: Model) -> str | None:
    """HOME as Docker sets it for ``user`` (None: the image's default user) when the
    environment does not: the user's home directory in the image's ``/etc/passwd``."""
    facts = model.root(stage).base_facts
    if not facts.known or facts.family == "windows":
        return None
    name = None if user is None else user.split(":", 1)[0]
    if name is None:
        if facts.nonroot:
            return "/home/nonroot" if facts.distroless_variant is not None else None
        return "/root" if facts.default_user_uid in (0, None) else None
    if name in ("root", "0"):
        return "/root"
    if name in ("nonroot", "65532") and facts.distroless_variant is not None:
        return "/home/nonroot"
    return None


class GoEnv:
    """The Go environment of a document: one resolver every rule asks.

    ``GoEnv.of(doc, model).at(run, script, command).get("GOPATH")`` answers what ``command``
    (inside RUN ``run``'s ``script``) sees, following, highest precedence first:

    1. make command-line variables (``make build GOOS=linux``), for a make command;
    2. ``K=V cmd`` and ``env K=V cmd`` (``env -i`` clears everything else);
    3. the script before the command: ``export K=V``, ``declare -x``, and a plain ``K=V`` to a
       variable that is already exported (Docker exports every ENV and ARG to RUN);
    4. Docker's scope: ENV (inherited through ``FROM <stage>``), ARG, the base image's ENV;
    5. for Go's own variables, when the environment leaves them empty: the go env file written
       by an earlier ``go env -w`` in this stage or a parent stage (Go reads the environment
       first, so an ENV of the same name wins over ``go env -w``);
    6. Go's defaults for the image: ``GOPATH=$HOME/go``, ``GOBIN`` empty (``go install``
       writes to the first GOPATH entry's ``bin``), ``GOMODCACHE=$GOPATH/pkg/mod``,
       ``GOCACHE=$XDG_CACHE_HOME/go-build`` or ``$HOME/.cache/go-build``, and ``HOME`` of the
       ``USER`` in effect (``/root`` for root).

    An ONBUILD trigger runs right after the ``FROM`` of a build based on this image, so it sees
    the stage's ENV, USER and go env file as they are at the end of the stage (no ARGs).
    ``at_end(stage)`` gives the same answer for the end of a stage (what its image and its
    child stages start with), without any script.
    """

    def __init__(self, doc: Document, model: Model) -> None:
        self.doc = doc
        self.model = model
        self.go_env_w: tuple[Setting, ...] = tuple(
            s for s in find_settings(doc, model) if s.kind == "go-env-w"
        )

    @staticmethod
    def of(doc: Document, model: Model) -> GoEnv:
        return GoEnv(doc, model)

    def at(
        self, run: Instruction, script: ShellScript | None = None, cmd: SimpleCommand | None = None
    ) -> CommandEnv:
        """The environment ``cmd`` of ``script`` in ``run`` runs with (before ``run`` when no
        command is given: Docker's scope only)."""
        stage = self.model.stage_of(run)
        limit = cmd.span.start if cmd is not None else run.span.start
        shell_limit = limit
        if run.sub is not None and stage is not None:
            limit = self.at_end(stage)._limit  # the go env file as the image ends
        return CommandEnv(self, stage, run, script, cmd, limit, shell_limit)

    def at_end(self, stage: Stage) -> CommandEnv:
        """The environment at the end of ``stage``: ENV, the go env file and Go's defaults."""
        end = stage.instructions[-1].span.end if stage.instructions else stage.from_.span.end
        return CommandEnv(self, stage, None, None, None, end, end)


class CommandEnv:
    """The environment at one point of a build; see `GoEnv`. Answers are cached per name."""

    def __init__(
        self,
        env: GoEnv,
        stage: Stage | None,
        run: Instruction | None,
        script: ShellScript | None,
        cmd: SimpleCommand | None,
        limit: int,
        shell_limit: int,
    ) -> None:
        self._env = env
        self.stage = stage
        self.run = run
        self.script = script
        self.cmd = cmd
        self._limit = limit  # go env -w settings before this offset (in this stage) apply
        self._shell_limit = shell_limit  # shell statements before this offset apply
        self._cache: dict[str, GoValue] = {}
        self._busy: set[str] = set()

    @property
    def model(self) -> Model:
        return self._env.model

    @property
    def user(self) -> str | None:
        """The ``USER`` in effect (None: the image's default user, or unknown)."""
        return self._scope().user

    def _scope(self) -> Scope:
        if self.run is not None and (self.run.sub is None or self.stage is None):
            return self.model.scope_before(self.run)
        assert self.stage is not None
        end = self.model.end_scope(self.stage)
        if self.run is not None:
            # an ONBUILD trigger runs right after the FROM of a build based on this image: it
            # sees the image's ENV, WORKDIR and USER as they are at the end of this stage
            return Scope(end.env, {}, end.workdir, end.user, end.image_env_known)
        return end

    def get(self, name: str) -> GoValue:
        """What ``name`` is for this command, or UNKNOWN (``value`` None) with the reason."""
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        if name in self._busy:  # a value defined through itself (GOPATH=$GOPATH:/x)
            return GoValue(name, None, "unset")
        self._busy.add(name)
        try:
            got = self._resolve(name)
        finally:
            self._busy.discard(name)
        self._cache[name] = got
        return got

    def value(self, name: str) -> str | None:
        return self.get(name).value

    def is_set(self, name: str) -> bool:
        """True when something other than Go's default may give ``name`` a value."""
        return self.get(name).origin not in ("default", "unset")

    def gopath_bin(self) -> GoValue:
        """Where ``go install`` writes: GOBIN, else the first GOPATH entry's ``bin``."""
        gobin = self.get("GOBIN")
        if gobin.value is None or gobin.value:
            return gobin
        gopath = self.get("GOPATH")
        if gopath.value is None:
            return GoValue("GOBIN", None, gopath.origin, gopath.span, gopath.instruction)
        first = gopath.value.split(":")[0]
        if not first:
            return GoValue("GOBIN", None, gopath.origin, gopath.span, gopath.instruction)
        return GoValue(
            "GOBIN", posixpath.join(first, "bin"), gopath.origin, gopath.span, gopath.instruction
        )

    # ---------------------------------------------------------------- resolution

    def _resolve(self, name: str) -> GoValue:
        proc = self._process(name)
        if proc is not None and (proc.value != "" or name not in GO_VARIABLES):
            return proc
        if proc is not None and proc.value is None:
            return proc
        if name in GO_VARIABLES:
            filed = self._go_env_file(name)
            if filed is not None:
                return filed
        if proc is not None:
            # set to the empty string: Go treats it as unset and uses its default
            default = self._default(name)
            return GoValue(name, default.value, proc.origin, proc.span, proc.instruction)
        return self._default(name)

    def _process(self, name: str) -> GoValue | None:
        """The variable in the command's process environment; None when it is not there."""
        cmd, run, script, stage = self.cmd, self.run, self.script, self.stage
        if cmd is not None and cmd.name is not None and cmd.name.rsplit("/", 1)[-1] in _MAKE:
            for w in reversed(cmd.words[1:]):
                text = w.value if w.value is not None else w.text
                if text.startswith(f"{name}="):
                    val = w.value[len(name) + 1 :] if w.value is not None else None
                    return GoValue(name, val, "make", w.span, run)
        if cmd is not None:
            for i in range(len(cmd.assignments) - 1, -1, -1):
                a = cmd.assignments[i]
                if a.name == name:
                    # `A=1 B=$A cmd`: the shell assigns left to right, B sees A=1
                    earlier = replace(cmd, assignments=cmd.assignments[:i], words=(), wrapper=())
                    before = CommandEnv(
                        self._env, stage, run, script, earlier, self._limit, cmd.span.start
                    )
                    val = before.word(a.value) if a.value is not None else ""
                    return GoValue(name, val, "inline", a.span, run)
            if cmd.clears_env:
                return GoValue(name, None, "cleared", cmd.span, run)
        scope = self._scope()
        binding = scope.binding(name)
        if script is not None:
            shell = self._shell(name, script, binding is not None)
            if shell is not None:
                return shell
        if binding is not None:
            span = None
            pair = binding.pair
            if binding.kind == "arg" and pair is not None and pair.value is None:
                glob = self.model.global_args.get(name)
                if glob is not None and glob.pair is not None:
                    pair = glob.pair
            if pair is not None:
                span = pair.span
            origin: Origin = "env" if binding.kind == "env" else "arg"
            if binding.kind == "image":
                origin = "image"
            return GoValue(name, binding.value, origin, span, binding.instruction)
        if not scope.image_env_known:
            return GoValue(name, None, "base-image")
        return None

    def _shell(self, name: str, script: ShellScript, exported: bool) -> GoValue | None:
        """``export``/plain assignments of ``name`` before the command, in script order."""
        statements: list[tuple[int, Assignment, bool]] = [
            (e.span.start, e.assignment, True)
            for e in script.exports
            if e.assignment.name == name and e.span.end <= self._shell_limit
        ]
        statements.extend(
            (v.span.start, v, False)
            for v in script.variables
            if v.name == name and v.span.end <= self._shell_limit
        )
        if not statements:
            return None
        statements.sort(key=lambda t: t[0])
        last: Assignment | None = None
        for _, a, is_export in statements:
            if is_export:
                exported = True
            if a.value is not None or not is_export:
                last = a
        if not exported or last is None:
            return None
        val = self._before(last.span.start).word(last.value) if last.value is not None else ""
        return GoValue(name, val, "shell", last.span, self.run)

    def _before(self, offset: int) -> CommandEnv:
        """The script's environment just before ``offset`` (where a statement's own
        expansions are evaluated), without this command's prefix assignments."""
        return CommandEnv(self._env, self.stage, self.run, self.script, None, self._limit, offset)

    def word(self, word: ShellWord) -> str | None:
        """A shell word's value for this command: ``$VAR``/``${VAR}`` parts are resolved in
        this environment (the script, ENV/ARG, Go defaults); None when not knowable."""
        if word.value is not None:
            return word.value
        if not word.refs or not all(r.simple for r in word.refs):
            return None
        base = word.logical[0]
        out: list[str] = []
        pos = 0
        for ref in sorted(word.refs, key=lambda r: r.logical[0]):
            out.append(word.text[pos : ref.logical[0] - base])
            got = self.get(ref.name).value
            if got is None:
                return None
            out.append("\x00" + got + "\x01")
            pos = ref.logical[1] - base
        out.append(word.text[pos:])
        joined = "".join(out)
        literal = "".join(part.split("\x01")[-1] for part in joined.split("\x00"))
        if any(c in literal for c in "'\\`$"):
            return None  # quoting this view does not interpret; say unknown
        return joined.replace('"', "").replace("\x00", "").replace("\x01", "")

    def _go_env_file(self, name: str) -> GoValue | None:
        """The last ``go env -w name=…`` that ran before this point in this lineage."""
        stage = self.stage
        if stage is None:
            return None
        lineage = {st.index for st in self.model.lineage(stage)}
        for s in reversed(self._env.go_env_w):
            if s.name != name or s.stage is None or s.instruction.sub is not None:
                continue
            if s.stage.index not in lineage:
                continue
            if s.stage.index == stage.index and s.span.end > self._limit:
                continue
            here_home = self.get("HOME").value  # cached after the first look-up
            there = self._env.at(s.instruction).get("HOME").value
            if here_home is None or there is None:
                return GoValue(name, None, "go-env-w", s.span, s.instruction)
            if here_home != there:
                continue  # another user's go env file
            goenv = self.get("GOENV")
            if goenv.explicit:
                return GoValue(name, None, "go-env-w", s.span, s.instruction)
            return GoValue(name, s.value, "go-env-w", s.span, s.instruction)
        return None

    def _default(self, name: str) -> GoValue:
        stage = self.stage
        if stage is None:
            return GoValue(name, None, "default")
        facts = self.model.root(stage).base_facts
        if facts.family == "windows":
            return GoValue(name, None, "default")
        if name == "HOME":
            return GoValue(name, _root_home(self.user, stage, self.model), "default")
        if name in _FIXED_DEFAULTS:
            return GoValue(name, _FIXED_DEFAULTS[name], "default")
        if name == "GOPATH":
            home = self.get("HOME").value
            return GoValue(name, None if home is None else posixpath.join(home, "go"), "default")
        if name == "GOMODCACHE":
            gopath = self.get("GOPATH").value
            first = None if gopath is None else gopath.split(":")[0]
            path = posixpath.join(first, "pkg", "mod") if first else None
            return GoValue(name, path, "default")
        if name in ("GOCACHE", "GOENV"):
            xdg_name, sub, leaf = (
                ("XDG_CACHE_HOME", ".cache", "go-build")
                if name == "GOCACHE"
                else ("XDG_CONFIG_HOME", ".config", "go/env")
            )
            xdg = self.get(xdg_name)
            if xdg.value is None and xdg.origin != "unset":
                return GoValue(name, None, "default")
            if xdg.value:
                return GoValue(name, posixpath.join(xdg.value, leaf), "default")
            home = self.get("HOME").value
            path = None if home is None else posixpath.join(home, sub, leaf)
            return GoValue(name, path, "default")
        if name in GO_VARIABLES:
            # GOOS/GOARCH follow the toolchain's platform, CGO_ENABLED whether a C compiler is
            # found, GOROOT where the toolchain lives: not knowable from the names alone.
            return GoValue(name, None, "default")
        return GoValue(name, "", "unset")


# ============================================================================================
# cgo at a command

CgoState = Literal["off", "on", "default-on", "unknown"]


def cgo_state(env: CommandEnv) -> CgoState:
    """Whether cgo is on for the go command ``env`` describes (`GoEnv.at` a command).

    - ``off``: ``CGO_ENABLED=0`` is in effect;
    - ``on``: ``CGO_ENABLED=1`` is in effect (set by the Dockerfile, so explicitly requested);
    - ``default-on``: ``CGO_ENABLED`` is unset, the stage's base image ships a C compiler
      (Debian-based ``golang`` images) and the build is native (``GOARCH`` unset, ``GOOS``
      unset or ``linux``): Go then turns cgo on by default;
    - ``unknown``: anything else (a value from a build argument, an unrecognised image, a
      cross-compile whose host platform is not known, a base image without a compiler, where
      whether a later install added one is not followed here).
    """
    got = env.get("CGO_ENABLED")
    if got.value == "0":
        return "off"
    if got.value == "1":
        return "on"
    if got.value is not None or got.origin not in ("default", "unset"):
        return "unknown"
    stage = env.stage
    if stage is None or env.model.root(stage).base_facts.c_compiler is not True:
        return "unknown"
    goos, goarch = env.get("GOOS"), env.get("GOARCH")
    if goarch.origin not in ("default", "unset"):
        return "unknown"
    if goos.origin not in ("default", "unset") and goos.value != "linux":
        return "unknown"
    return "default-on"
