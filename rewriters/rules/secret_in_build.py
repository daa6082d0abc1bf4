"""Credentials passed to the build as ARG, ENV or copied files instead of secret mounts.

## What it does

Finds credentials that reach an image build in ways that keep them around:

- an `ARG` named like a credential (`GITHUB_TOKEN`, `GH_PAT`, `CI_JOB_TOKEN`, `NPM_TOKEN`,
  `DB_PASSWORD`, `CLIENT_SECRET`, `SSH_KEY`, `NETRC`, …) that a later `RUN` of its stage uses,
  i.e. a value given with `docker build --build-arg NAME=…`;
- an `ENV` named like a credential, whether its value is written in the Dockerfile or taken
  from an `ARG` (`ENV GITHUB_TOKEN=$GITHUB_TOKEN`);
- an `ARG` default that holds a credential value, and credential values written into
  instructions: a password in a URL (`https://user:pass@host/`) or a token in a well-known
  format (`ghp_…`, `github_pat_…`, `glpat-…`, `AKIA…`);
- `COPY`/`ADD` of credential files: `.netrc`, `.git-credentials`, `.ssh/` and SSH private keys
  (`id_rsa`, `id_ed25519`, …).

Names that only point at a credential are not reported: `*_FILE`, `*_PATH`, `*_DIR`, `*_URL`,
`*_ID`, `*_NAME` and similar (`ENV SECRET_PATH=/run/secrets/token`), public keys (`GPG_KEY`,
`*_PUBLIC_KEY`), values that are paths, booleans or empty, and Go's own settings (`GOPROXY`,
`GOPRIVATE`, `GOAUTH`, …). A `RUN` that already reads the credential from a
`--mount=type=secret` is not reported.

## Why is this bad?

A build argument used by a `RUN` is recorded with that step: `docker history` of the image
shows it for steps of the final stage, and the build cache and provenance attestations
(`mode=max`) keep it for every stage. An `ENV` is written into the image configuration, so
everyone who can pull the image can read it with `docker inspect`, and it is inherited by
every stage built `FROM` it. A copied `.netrc` or SSH key is a file in a layer: deleting it in
a later step does not remove it from the layer that added it. A value written in the
Dockerfile is in the repository's history as well.

BuildKit secret mounts (`RUN --mount=type=secret,…`, Dockerfile frontend 1.2+) expose the
credential only while that one `RUN` runs, as a file under `/run/secrets/` or (frontend 1.10+,
`env=`) as an environment variable; it never ends up in the image, its history or the cache.
A command that writes the credential into a file (`git config --global url.….insteadOf`,
`echo … > ~/.netrc`) still stores it in that layer, so such steps have to take the secret in
the same `RUN` that needs it.

## Example

```dockerfile
FROM golang:1.23-bookworm AS build
ARG GITHUB_TOKEN
RUN curl -fsSLo /tmp/tool.tgz \\
    -H "Authorization: Bearer ${GITHUB_TOKEN}" https://api.github.com/repos/acme/tool/tarball
```

becomes (build with `docker build --secret id=github_token,env=GITHUB_TOKEN .`):

```dockerfile
# syntax=docker/dockerfile:1
FROM golang:1.23-bookworm AS build
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN curl -fsSLo /tmp/tool.tgz \\
    -H "Authorization: Bearer ${GITHUB_TOKEN}" https://api.github.com/repos/acme/tool/tarball
```

## Fix safety

**Unsafe** (applied only with `unsafe_fixes: [GC207]`): it changes the build invocation. The
fix is offered for one shape only: an `ARG NAME` without a default whose only uses are `RUN`
steps of its stage that name it. Each of those steps gets
`--mount=type=secret,id=<name>,env=NAME` and the `ARG` goes; the build then needs
`--secret id=<name>,env=NAME` instead of `--build-arg NAME=…` (in GitHub Actions,
`docker/build-push-action`'s `secrets:` instead of `build-args:`), as the pull request
describes. `env=` needs Dockerfile frontend 1.10 or newer, so the fix adds
`# syntax=docker/dockerfile:1` (the newest 1.x) when the file has no syntax directive, and
moves a pinned older `docker/dockerfile:1.N` to `1.10` (the 1.x frontends are backward
compatible); a digest-pinned or unrecognised frontend is left alone and the finding reported.

Everything else is reported with guidance and not edited: an `ARG` that other instructions or
a default use, a step that writes the credential into a file (`git config`, a `>`
redirection, `go env -w`, `tee`), a later step whose program may read the variable from its
environment without naming it (a script, `make`, `gh`), `ENV` credentials (other stages and
the image's users may read them), copied credential files and values written in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rewriters.context import RuleContext
from rewriters.document import Document, Instruction, KeyValue
from rewriters.edits import Edit, Span
from rewriters.fixes import add_secret_env_mount, remove_element, remove_instruction
from rewriters.model import Model, Stage
from rewriters.mounts import mount_options
from rewriters.registry import Fix, Unfixable, Violation, rule
from rewriters.shell import ShellScript, scripts_for_run

# --------------------------------------------------------------------------------------------
# Which names and values are credentials

_SECRET_WORDS = frozenset(
    {
        "TOKEN",
        "TOKENS",
        "PASSWORD",
        "PASSWORDS",
        "PASSWD",
        "SECRET",
        "SECRETS",
        "PAT",
        "NETRC",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
        "APIKEY",
        "PRIVATEKEY",
    }
)
# a last word that makes the name point at a credential, or describe it, rather than hold it
_NOT_SECRET_SUFFIXES = frozenset(
    {
        "FILE",
        "FILES",
        "PATH",
        "DIR",
        "URL",
        "URI",
        "ID",
        "NAME",
        "TYPE",
        "HEADER",
        "ENV",
        "VAR",
        "MOUNT",
        "HOST",
        "USER",
        "USERNAME",
        "ENDPOINT",
        "REGION",
        "LENGTH",
        "SIZE",
        "TTL",
        "EXPIRY",
        "ENABLED",
        "KIND",
        "PREFIX",
        "ARN",
        "COMMAND",
        "CMD",
        "HELPER",
        "PROVIDER",
        "VERSION",
        "FORMAT",
        "SCOPE",
        "SCOPES",
    }
)
# ``X_KEY`` names that are public or not keys to anything
_PUBLIC_KEY_WORDS = frozenset({"GPG", "PGP", "PUBLIC", "PUB", "CACHE", "SORT", "PRIMARY"})
_BOOLEAN_LIKE = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1", "none", "null"})


def is_credential_name(name: str) -> bool:
    """Does a variable name say it holds a credential (``GITHUB_TOKEN``, ``DB_PASSWORD``)?"""
    words = [w for w in re.split(r"[_\-]+", name.upper()) if w]
    if not words or (name.upper().startswith("GO") and len(words) == 1):
        return False
    if words[-1] in _NOT_SECRET_SUFFIXES:
        return False
    if any(w in _SECRET_WORDS for w in words):
        return True
    if words[-1] == "PASS" and len(words) > 1:
        return True
    return words[-1] == "KEY" and len(words) > 1 and words[-2] not in _PUBLIC_KEY_WORDS


def _value_kind(value: str) -> str:
    """``empty``, ``path``, ``reference`` (only ``$X``), ``other`` (not a credential value),
    or ``literal`` (a value that may be the credential itself)."""
    v = value.strip()
    if not v:
        return "empty"
    if re.fullmatch(r"\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)", v):
        return "reference"
    if v.startswith(("/", "./", "../", "~/", "$HOME/", "${HOME}/")):
        return "path"
    if v.lower() in _BOOLEAN_LIKE or "$" in v:
        return "other"
    return "literal"


_LITERAL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@$'\"]+:[^/\s@$'\"{}]+@[^\s]"), "a password in a URL"),
    (re.compile(r"\bghp_[A-Za-z0-9]{36}\b"), "a GitHub token"),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{22,}\b"), "a GitHub token"),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20}\b"), "a GitLab token"),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), "an AWS access key"),
)

_CREDENTIAL_FILES = frozenset(
    {".netrc", "_netrc", ".git-credentials", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}
)

# --------------------------------------------------------------------------------------------
# Which RUN steps may take the credential from an environment variable of their own

# commands that read no variable of an arbitrary name from their environment
_ENV_BLIND = frozenset(
    {
        "go",
        "gofmt",
        "apk",
        "apt-get",
        "apt",
        "dpkg",
        "dnf",
        "yum",
        "microdnf",
        "mkdir",
        "cp",
        "mv",
        "rm",
        "ln",
        "chmod",
        "chown",
        "chgrp",
        "echo",
        "printf",
        "cd",
        "ls",
        "cat",
        "true",
        "false",
        "test",
        "[",
        "touch",
        "tar",
        "gzip",
        "gunzip",
        "unzip",
        "sed",
        "grep",
        "find",
        "adduser",
        "addgroup",
        "useradd",
        "groupadd",
        "update-ca-certificates",
        "upx",
        "strip",
        "git",
        "curl",
        "wget",
        "set",
        "install",
        "sha256sum",
        "tr",
        "head",
        "tail",
        "sort",
        "uniq",
        "wc",
        "file",
        "stat",
        "id",
        "whoami",
        "uname",
        "date",
    }
)
_REDIRECT_RE = re.compile(r"(?:&>>?|\d*>>?\|?)(?!&)\s*([^\s;&|)]*)")
_HARMLESS_TARGETS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr"})


@dataclass(frozen=True)
class _Use:
    ins: Instruction
    satisfied: bool  # the RUN already has a secret mount with env=NAME


def _refs(text: str, name: str) -> bool:
    pattern = r"\$(\{" + re.escape(name) + r"\b|" + re.escape(name) + r"\b)"
    return re.search(pattern, text) is not None


def _secret_envs(ins: Instruction) -> set[str]:
    out = set()
    for f in ins.flags_named("mount"):
        opts = mount_options(f.value or "")
        if opts.get("type") == "secret" and opts.get("env"):
            out.add(opts["env"])
    return out


def _later(stage: Stage, ins: Instruction, name: str) -> list[Instruction]:
    """The instructions of ``stage`` after ``ins`` that still see ``ARG name`` from it."""
    out: list[Instruction] = []
    seen = False
    for other in stage.instructions:
        if other is ins:
            seen = True
            continue
        if not seen:
            continue
        if other.name in ("ARG", "ENV") and any(p.key.value == name for p in other.pairs):
            out.append(other)
            break
        out.append(other)
    return out


def _persisting(script: ShellScript, name: str) -> str | None:
    """Why a step of ``script`` may write the credential into a file, or None."""
    for m in _REDIRECT_RE.finditer(script.source.text):
        target = m.group(1)
        if target and target not in _HARMLESS_TARGETS:
            return f"the step writes to `{target}` with a redirection"
    for cmd in script.commands:
        uses = any(_refs(w.text, name) for w in cmd.words) or any(
            a.value is not None and _refs(a.value.text, name) for a in cmd.assignments
        )
        if not uses:
            continue
        words = [w.value for w in cmd.words]
        what = cmd.shown(40)
        if cmd.name == "tee":
            return f"`{what}` writes it into a file"
        if cmd.is_command("git") and any(
            v in ("config", "clone", "remote", "submodule") for v in words[1:3]
        ):
            return f"`{what}` stores it in git's configuration, which stays in the layer"
        if cmd.is_command("go", "env") and "-w" in words:
            return f"`{what}` writes it into the go env file"
        if cmd.name in ("npm", "yarn", "pnpm") and "config" in words:
            return f"`{what}` writes it into a configuration file"
    return None


def _implicit_reader(script: ShellScript) -> str | None:
    for cmd in script.commands:
        name = cmd.words[0].basename if cmd.words else None
        if name is None or name not in _ENV_BLIND:
            return cmd.shown(40) if cmd.words else "a command"
    return None


# --------------------------------------------------------------------------------------------
# The syntax directive

_FRONTEND_RE = re.compile(
    r"^(?:docker\.io/)?docker/dockerfile:(?P<tag>[0-9A-Za-z._-]+)(?P<digest>@sha256:[0-9a-f]{64})?$"
)
_MIN_MINOR = 10


def _syntax_edit(doc: Document) -> Edit | None:
    """The edit that makes the file use a frontend supporting ``env=`` on secret mounts (None
    when it already does); `Unfixable` when the frontend is pinned or not recognised."""
    d = doc.directive("syntax")
    if d is None:
        at = 1 if doc.text.startswith("\ufeff") else 0
        return Edit.insert(at, "# syntax=docker/dockerfile:1" + doc.newline)
    m = _FRONTEND_RE.match(d.value.strip())
    if m is None:
        raise Unfixable(
            f"the file uses the frontend `{d.value}`, and gocomply cannot tell whether it "
            "supports `env=` on secret mounts (Dockerfile frontend 1.10+)"
        )
    tag = m.group("tag")
    base, _, labs = tag.partition("-")
    if base in ("1", "latest", "labs"):
        return None
    vm = re.fullmatch(r"1\.(\d+)(?:\.\d+)?", base)
    if vm is None:
        raise Unfixable(f"the syntax directive's frontend tag `{tag}` is not a 1.x version")
    if int(vm.group(1)) >= _MIN_MINOR:
        return None
    if m.group("digest"):
        raise Unfixable(
            f"the frontend is pinned by digest at `{tag}`, older than 1.10, which `env=` on "
            "secret mounts needs; update the pin first"
        )
    text = doc.text
    line = text[d.span.start : d.span.end]
    col = line.find(tag, line.find("dockerfile:"))
    if col < 0:
        raise Unfixable("the syntax directive could not be located")
    start = d.span.start + col
    new = "1.10" + (f"-{labs}" if labs else "")
    return Edit(Span(start, start + len(tag)), new)


# --------------------------------------------------------------------------------------------
# The check


def _secret_id(name: str) -> str:
    return name.lower()


def usage(name: str) -> str:
    """The ``docker build`` flag that passes ``name`` as a secret after the fix."""
    return f"--secret id={_secret_id(name)},env={name}"


def _arg_fix(doc: Document, model: Model, stage: Stage, ins: Instruction, pair: KeyValue) -> Fix:
    name = pair.key.value
    later = _later(stage, ins, name)
    runs: list[Instruction] = []
    for other in later:
        if other.name in ("ARG", "ENV") and any(p.key.value == name for p in other.pairs):
            if _refs(doc.text[other.span.start : other.span.end], name):
                raise Unfixable(f"line {other.start_line} uses {name} in another {other.name}")
            break
        text = doc.text[other.span.start : other.span.end]
        mentioned = _refs(text, name)
        if other.name == "ONBUILD" and mentioned:
            raise Unfixable(f"the ONBUILD on line {other.start_line} uses {name}")
        if other.name != "RUN":
            if mentioned:
                raise Unfixable(
                    f"{name} is also used by the {other.name} on line {other.start_line}, "
                    "which a secret mount cannot serve"
                )
            continue
        scripts = scripts_for_run(other, doc.text)
        if mentioned and name in _secret_envs(other):
            continue
        if other.json and mentioned:
            raise Unfixable(f"the exec-form RUN on line {other.start_line} uses {name}")
        if other.heredocs and mentioned:
            raise Unfixable(f"the heredoc RUN on line {other.start_line} uses {name}")
        if any(s.has_errors for s in scripts):
            raise Unfixable(
                f"the shell script on line {other.start_line} has syntax errors gocomply "
                "cannot read"
            )
        if mentioned:
            for s in scripts:
                why = _persisting(s, name)
                if why is not None:
                    raise Unfixable(
                        f"on line {other.start_line} {why}: a secret mount would not keep "
                        f"{name} out of the image; take the secret in the step that needs it "
                        "(`RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod "
                        "download` for git and go fetches) instead"
                    )
            runs.append(other)
            continue
        for s in scripts:
            reader = _implicit_reader(s)
            if reader is not None:
                raise Unfixable(
                    f"`{reader}` on line {other.start_line} still sees {name} in its "
                    "environment and may read it without naming it"
                )
    if not runs:
        raise Unfixable(f"no RUN names {name}")
    edits: list[Edit] = []
    syntax = _syntax_edit(doc)
    if syntax is not None:
        edits.append(syntax)
    for r in runs:
        e = add_secret_env_mount(doc, r, _secret_id(name), name)
        if e is not None:
            edits.append(e)
    if len(ins.pairs) == 1:
        edits.append(remove_instruction(doc, ins))
    else:
        k = ins.pairs.index(pair)
        removal = remove_element(doc, ins, [p.span for p in ins.pairs], k)
        if removal is None:
            raise Unfixable(f"{name} cannot be removed cleanly from its ARG")
        edits.extend(removal)
    where = "the RUN that uses it" if len(runs) == 1 else f"the {len(runs)} RUNs that use it"
    return Fix(
        tuple(edits),
        f"`ARG {name}` becomes a secret mount on {where}; build with `{usage(name)}` "
        f"instead of `--build-arg {name}=…`",
        "unsafe",
    )


def _check_arg(
    doc: Document, model: Model, stage: Stage, ins: Instruction, pair: KeyValue
) -> Iterator[Violation]:
    name = pair.key.value
    if pair.value is not None:
        kind = _value_kind(pair.value.value)
        if kind == "literal":
            yield Violation(
                pair.span,
                f"`ARG {name}` has a credential written into the Dockerfile as its default.",
                note="remove the default and pass the value as a build secret "
                f"(`RUN --mount=type=secret,id={_secret_id(name)},env={name} …`, "
                f"`{usage(name)}`); the value is in the repository's history, so rotate it",
            )
            return
        if kind != "empty":
            return  # a path, a reference or a flag value: not the credential itself
    later = _later(stage, ins, name)
    used = [
        o
        for o in later
        if o.name == "RUN"
        and _refs(doc.text[o.span.start : o.span.end], name)
        and name not in _secret_envs(o)
    ]
    if not used:
        return
    lines = ", ".join(str(o.start_line) for o in used)
    message = (
        f"`ARG {name}` passes a credential as a build argument; the RUN on "
        f"{'line' if len(used) == 1 else 'lines'} {lines} "
        f"{'uses' if len(used) == 1 else 'use'} it, so it is recorded with the build."
    )

    def build() -> Fix:
        return _arg_fix(doc, model, stage, ins, pair)

    yield Violation(pair.span, message, build=build)


def _check_env(
    doc: Document, model: Model, ins: Instruction, pair: KeyValue
) -> Iterator[Violation]:
    name = pair.key.value
    if pair.value is None:
        return
    kind = _value_kind(pair.value.text)
    scope = model.scope_before(ins)
    if kind == "literal":
        yield Violation(
            pair.span,
            f"`ENV {name}` writes a credential into the Dockerfile and the image configuration.",
            note="anyone who can pull the image reads it with `docker inspect`; remove it, "
            f"rotate the credential and pass it as a build secret (`{usage(name)}`) to the "
            "steps that need it",
        )
    elif kind == "reference":
        ref = pair.value.text.strip().strip("${}")
        b = scope.binding(ref)
        if (b is not None and b.kind == "arg") or is_credential_name(ref):
            yield Violation(
                pair.span,
                f"`ENV {name}` copies the build argument {ref} into the image configuration, "
                "where anyone who can pull the image reads it.",
                note=f"drop the ENV and give the steps that need it a secret mount "
                f"(`RUN --mount=type=secret,id={_secret_id(name)},env={name} …`, "
                f"`{usage(name)}`)",
            )


def _check_copy(doc: Document, ins: Instruction) -> Iterator[Violation]:
    eff = ins.effective
    if eff.name not in ("COPY", "ADD") or (eff.json and not eff.args):
        return
    sources = eff.args[:-1]
    for w in sources:
        v = w.value.rstrip("/")
        base = v.rsplit("/", 1)[-1]
        if base in _CREDENTIAL_FILES or base == ".ssh":
            if base in (".netrc", "_netrc", ".git-credentials"):
                how = (
                    "`RUN --mount=type=secret,id=netrc,target=/root/.netrc …` (the HOME of the "
                    "USER running the step) on the steps that fetch, built with "
                    "`--secret id=netrc,src=$HOME/.netrc`"
                )
            else:
                how = (
                    "`RUN --mount=type=ssh …` on the steps that need the key, built with "
                    "`--ssh default`"
                )
            yield Violation(
                w.span,
                f"`{eff.keyword.text} {w.text}` copies a credential file into a layer of the "
                "image.",
                note=f"a later deletion does not remove it from that layer; use {how}",
            )


def _check_literals(doc: Document, ins: Instruction) -> Iterator[Violation]:
    if ins.name in ("ARG", "ENV"):
        return  # judged by name and value above
    text = doc.text[ins.span.start : ins.span.end]
    for pattern, what in _LITERAL_PATTERNS:
        m = pattern.search(text)
        if m is not None:
            start = ins.span.start + m.start()
            yield Violation(
                Span(start, ins.span.start + m.end()),
                f"The {ins.name} on line {ins.start_line} writes {what} into the Dockerfile.",
                note="the value is in the repository's history and the image's build record; "
                "rotate it and pass it as a build secret (`RUN --mount=type=secret,…`)",
            )
            return


def _stages_args(model: Model) -> Iterator[tuple[Stage, Instruction]]:
    for stage in model.stages:
        for ins in stage.instructions:
            yield stage, ins


@rule(
    code="GC207",
    name="secret-in-build",
    severity="warning",
    fix="unsafe",
    commit="pass credentials as build secrets",
    outputs="the build takes the credential with `docker build --secret` instead of `--build-arg`",
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    for ins in _global_args(doc, model):
        for pair in ins.pairs:
            if (
                is_credential_name(pair.key.value)
                and pair.value is not None
                and _value_kind(pair.value.value) == "literal"
            ):
                yield Violation(
                    pair.span,
                    f"`ARG {pair.key.value}` has a credential written into the Dockerfile "
                    "as its default.",
                    note="remove the default and pass the value as a build secret; the value "
                    "is in the repository's history, so rotate it",
                )
    for stage, ins in _stages_args(model):
        if ins.name == "ARG":
            for pair in ins.pairs:
                if is_credential_name(pair.key.value):
                    yield from _check_arg(doc, model, stage, ins, pair)
        elif ins.name == "ENV":
            for pair in ins.pairs:
                if is_credential_name(pair.key.value):
                    yield from _check_env(doc, model, ins, pair)
        else:
            yield from _check_copy(doc, ins)
        yield from _check_literals(doc, ins)


def _global_args(doc: Document, model: Model) -> Sequence[Instruction]:
    first = model.stages[0].from_.span.start if model.stages else len(doc.text)
    return [i for i in doc.instructions if i.name == "ARG" and i.span.start < first]
