"""The go command's vocabulary: command lines, package patterns, versions, go.mod and pinning.

One place for the facts every rule needs about the go command, so that rules never keep copies
that drift apart:

- `parse_go_args`: a go command line split like the go command's flag package does it — flags
  (``-name``, ``--name``, ``-name=value``, ``-name value`` for the flags that take a value in
  `value_flags`) until the first argument that is not a flag, ``--`` or ``-``; the rest are
  positional arguments. A word whose value is unknown but whose text starts with ``-`` (after
  quotes) is still a flag: its name is literal (``-ldflags="-X main.v=$V"``).
- `split_version`, `is_local`, `is_remote`, `is_meta`: package patterns (``./cmd/...``, ``.``,
  ``/abs``, ``all``, ``host.tld/path@version``).
- `version_kind`, `is_pinned`: module queries, and the ONE definition of a pinned ``go install``/
  ``go get`` version — OpenSSF Scorecard's (``checks/raw/shell_download_validate.go``,
  ``isGoUnpinnedDownload``): ``@none``, a commit hash of 40+ hex digits, or a full semantic
  version ``@vX.Y.Z`` (pre-release and build suffixes allowed; not with ``-insecure``). Digits are
  ASCII only, as in Go's RE2.
- `version_key`, `language_version`: Go release versions ordered like the go command.
- `parse_go_mod`: the directives of a go.mod file (`GoMod`).
- `go_commands`, `expanded_values`: the go commands of a document and their words' values.

Invariant: nothing here reads files, the network or the environment; every function is pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from rewriters.buildcontext import BuildContext
from rewriters.document import Document, Instruction
from rewriters.model import Scope
from rewriters.shell import ShellScript, ShellWord, SimpleCommand, scripts_for_run

# --------------------------------------------------------------------------------------------
# flags

# `go help build`: the build flags shared by build, install, run, test, get, list, vet, generate
BUILD_VALUE_FLAGS = frozenset(
    {
        "-C",
        "-asmflags",
        "-buildmode",
        "-compiler",
        "-coverpkg",
        "-covermode",
        "-debug-actiongraph",
        "-debug-deprecated-importcfg",
        "-debug-runtime-trace",
        "-debug-trace",
        "-gccgoflags",
        "-gcflags",
        "-installsuffix",
        "-ldflags",
        "-mod",
        "-modfile",
        "-o",
        "-overlay",
        "-p",
        "-pgo",
        "-pkgdir",
        "-tags",
        "-toolexec",
    }
)
# `go help testflag`: flags of go test (and of the test binary) that take a value
_TEST_VALUE_FLAGS = frozenset(
    {
        "-bench",
        "-benchtime",
        "-blockprofile",
        "-blockprofilerate",
        "-count",
        "-coverprofile",
        "-cpu",
        "-cpuprofile",
        "-exec",
        "-fuzz",
        "-fuzzminimizetime",
        "-fuzztime",
        "-list",
        "-memprofile",
        "-memprofilerate",
        "-mutexprofile",
        "-mutexprofilefraction",
        "-outputdir",
        "-parallel",
        "-run",
        "-shuffle",
        "-skip",
        "-timeout",
        "-trace",
        "-vet",
    }
)
# `go help mod edit` / `go help work edit`: value flags (usually written `-flag=value`)
_EDIT_VALUE_FLAGS = frozenset(
    {
        "-module",
        "-go",
        "-toolchain",
        "-godebug",
        "-dropgodebug",
        "-require",
        "-droprequire",
        "-exclude",
        "-dropexclude",
        "-replace",
        "-dropreplace",
        "-retract",
        "-dropretract",
        "-tool",
        "-droptool",
        "-use",
        "-dropuse",
    }
)
# per subcommand (a tuple: `("mod", "download")`); a subcommand not listed gets the build flags
_VALUE_FLAGS: dict[tuple[str, ...], frozenset[str]] = {
    ("build",): BUILD_VALUE_FLAGS,
    ("install",): BUILD_VALUE_FLAGS,
    ("get",): BUILD_VALUE_FLAGS,
    ("run",): BUILD_VALUE_FLAGS | {"-exec"},
    ("test",): BUILD_VALUE_FLAGS | _TEST_VALUE_FLAGS,
    ("vet",): BUILD_VALUE_FLAGS | {"-vettool"},
    ("generate",): BUILD_VALUE_FLAGS | {"-run", "-skip"},
    ("list",): BUILD_VALUE_FLAGS | {"-f", "-reuse"},
    ("env",): frozenset(),
    ("version",): frozenset(),
    ("mod", "download"): frozenset({"-C", "-modfile", "-reuse"}),
    ("mod", "edit"): _EDIT_VALUE_FLAGS | {"-C", "-modfile"},
    ("mod", "tidy"): frozenset({"-C", "-modfile", "-go", "-compat"}),
    ("mod", "graph"): frozenset({"-C", "-modfile", "-go"}),
    ("mod", "vendor"): frozenset({"-C", "-modfile", "-o"}),
    ("mod", "verify"): frozenset({"-C", "-modfile"}),
    ("mod", "why"): frozenset({"-C", "-modfile"}),
    ("mod", "init"): frozenset({"-C"}),
    ("work", "edit"): _EDIT_VALUE_FLAGS | {"-C"},
}
# subcommands whose next word names a sub-subcommand (`go mod download`, `go work sync`)
_GROUPS = frozenset({"mod", "work"})


def value_flags(subcommand: Sequence[str]) -> frozenset[str]:
    """The flags of ``go <subcommand>`` that take a value (``-o out`` as well as ``-o=out``)."""
    return _VALUE_FLAGS.get(tuple(subcommand), BUILD_VALUE_FLAGS)


@dataclass(frozen=True)
class GoFlag:
    """One flag: ``name`` normalised to one dash (``--ldflags`` → ``-ldflags``).

    ``value`` is the inline (``-n=v``) or separate (``-n v``) value, None for a boolean flag or
    a value that is not literal; ``indices`` are the word indices it occupies (1 or 2).
    """

    name: str
    value: str | None
    indices: tuple[int, ...]
    has_value: bool = False  # written with a value (inline or separate), known or not


@dataclass(frozen=True)
class GoArgs:
    """The arguments after a go subcommand; all indices are into the parsed sequence.

    ``dynamic`` is True when a word in flag position (a flag itself, not the separate value of
    a value flag) is not literal, so its meaning cannot be trusted.
    """

    flags: tuple[GoFlag, ...]
    positional: tuple[int, ...]
    dynamic: bool

    def flag(self, name: str) -> GoFlag | None:
        """The last occurrence of flag ``name`` (go's flag package: the last one wins)."""
        found = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found

    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.flags)


def _normalise(text: str) -> tuple[str, bool, str]:
    """``--name=value`` → (``-name``, True, ``value``)."""
    body = text[2:] if text.startswith("--") else text[1:]
    name, eq, val = body.partition("=")
    return "-" + name, bool(eq), val


def parse_go_args(
    values: Sequence[str | None],
    start: int = 2,
    *,
    texts: Sequence[str] | None = None,
    subcommand: Sequence[str] | None = None,
) -> GoArgs:
    """Split ``values[start:]`` like the go command: flags until the first non-flag.

    ``values`` holds each word's literal value (None: not literal); ``texts`` the words as
    written, used to read the name of a non-literal flag word. ``subcommand`` chooses the value
    flags (default: the build flags).
    """
    vflags = value_flags(subcommand) if subcommand is not None else BUILD_VALUE_FLAGS
    flags: list[GoFlag] = []
    positional: list[int] = []
    dynamic = False
    i = start
    n = len(values)
    while i < n:
        v = values[i]
        if v is None:
            raw = texts[i].lstrip("\"'") if texts is not None else ""
            if not raw.startswith("-") or raw == "-":
                positional.extend(range(i, n))
                break
            dynamic = True
            name, eq, _ = _normalise(raw)
            if not eq and name in vflags and i + 1 < n:
                flags.append(GoFlag(name, values[i + 1], (i, i + 1), True))
                i += 2
            else:
                flags.append(GoFlag(name, None, (i,), eq))
                i += 1
            continue
        if v == "--":
            positional.extend(range(i + 1, n))
            break
        if not v.startswith("-") or v == "-":
            positional.extend(range(i, n))
            break
        name, eq, val = _normalise(v)
        if eq:
            flags.append(GoFlag(name, val, (i,), True))
        elif name in vflags and i + 1 < n:
            flags.append(GoFlag(name, values[i + 1], (i, i + 1), True))
            i += 1
        else:
            flags.append(GoFlag(name, None, (i,)))
        i += 1
    return GoArgs(tuple(flags), tuple(positional), dynamic)


def subcommand(cmd: SimpleCommand) -> tuple[str, ...] | None:
    """``("build",)``, ``("mod", "download")``… for a ``go`` command (any path to go), else None.

    None also when the subcommand word is not literal. A group (``go mod``) without a literal
    second word is ``("mod",)``.
    """
    words = cmd.words
    if len(words) < 2 or words[0].basename != "go" or words[1].value is None:
        return None
    first = words[1].value
    if first in _GROUPS and len(words) > 2 and words[2].value is not None:
        return (first, words[2].value)
    return (first,)


@dataclass(frozen=True)
class GoCommand:
    """A go command line: its subcommand, flags and positional arguments.

    ``values[i]`` is the value of ``command.words[i]`` (possibly expanded by the caller); the
    indices of ``args`` refer to it.
    """

    subcommand: tuple[str, ...]
    args: GoArgs
    values: tuple[str | None, ...]
    command: SimpleCommand

    def flag(self, name: str) -> GoFlag | None:
        return self.args.flag(name)

    def positionals(self) -> tuple[str | None, ...]:
        return tuple(self.values[i] for i in self.args.positional)

    def positional_words(self) -> tuple[ShellWord, ...]:
        return tuple(self.command.words[i] for i in self.args.positional)


def parse_go_command(
    cmd: SimpleCommand, values: Sequence[str | None] | None = None
) -> GoCommand | None:
    """Parse ``go …`` (None for other commands). ``values`` replaces the words' literal values
    (for example with `expanded_values`)."""
    sub = subcommand(cmd)
    if sub is None:
        return None
    vals = tuple(values) if values is not None else cmd.argv_values
    args = parse_go_args(vals, 1 + len(sub), texts=[w.text for w in cmd.words], subcommand=sub)
    return GoCommand(sub, args, vals, cmd)


# --------------------------------------------------------------------------------------------
# package patterns and versions

_DOMAIN_RE = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?", re.ASCII)
SEMVER_RE = re.compile(r"v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?", re.ASCII)
COMMIT_RE = re.compile(r"[A-Fa-f0-9]{40,}")
_SHORT_COMMIT_RE = re.compile(r"[a-f0-9]{7,39}")
_PREFIX_RE = re.compile(r"v\d+(\.\d+)?", re.ASCII)
PIN_FORMAT = "a full semantic version `@vX.Y.Z` or a commit hash of 40+ hex digits"
# `go help packages`: patterns that name sets of packages rather than a path
META_PATTERNS = frozenset({"all", "std", "cmd", "main", "tool", "work"})

VersionKind = Literal[
    "semver", "commit", "none", "latest", "upgrade", "patch", "prefix", "revision", "other"
]


_NAMED_QUERIES: dict[str, VersionKind] = {
    "latest": "latest",
    "upgrade": "upgrade",
    "patch": "patch",
    "none": "none",
}


def split_version(arg: str) -> tuple[str, str | None]:
    """``path@version`` → (path, version); no ``@`` → (arg, None). The first ``@`` splits."""
    path, at, version = arg.partition("@")
    return path, (version if at else None)


def is_local(pattern: str) -> bool:
    """A file-system pattern: ``.``, ``..``, ``./…``, ``../…`` or a rooted path (``go help
    packages``: such import paths are directories, not module paths)."""
    return pattern in (".", "..") or pattern.startswith(("./", "../", "/"))


def is_meta(pattern: str) -> bool:
    """``all``, ``std``, ``cmd``… (version suffix ignored)."""
    return split_version(pattern)[0] in META_PATTERNS


def is_remote(path: str) -> bool:
    """Does this package path name a remote module (a domain-like first element)?"""
    if not path or path[0] in "./-~$\\":
        return False
    first = path.split("/", 1)[0]
    if "/" not in path and path.endswith(".go"):
        return False  # go run main.go
    return _DOMAIN_RE.fullmatch(first) is not None


def version_kind(version: str) -> VersionKind:
    """What a module query after ``@`` is (``go help get``, "Module queries")."""
    named = _NAMED_QUERIES.get(version)
    if named is not None:
        return named
    if SEMVER_RE.fullmatch(version):
        return "semver"
    if COMMIT_RE.fullmatch(version):
        return "commit"
    if _PREFIX_RE.fullmatch(version):
        return "prefix"  # v1, v1.2: the newest release with that prefix
    if _SHORT_COMMIT_RE.fullmatch(version):
        return "revision"  # a short hash (or a branch that looks like one)
    return "other"  # a branch, tag or comparison (`<v1.2.3`)


def is_pinned(version: str, *, insecure: bool = False) -> bool:
    """A version OpenSSF Scorecard counts as pinned for ``go install``/``go get``.

    ``@none`` and 40+ hex digits always; a full semantic version unless ``-insecure`` was given.
    """
    if not version.isascii():
        return False
    if version == "none" or COMMIT_RE.fullmatch(version):
        return True
    return not insecure and SEMVER_RE.fullmatch(version) is not None


def package_binary_name(pkg: str) -> str | None:
    """The binary name go derives from a package path (``./cmd/x`` → ``x``; a ``/vN``
    major-version suffix is skipped: ``example.com/tool/v2`` → ``tool``)."""
    path = pkg.split("@", 1)[0].rstrip("/")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or "..." in parts[-1]:
        return None
    last = parts[-1]
    if len(parts) > 1 and last.startswith("v") and last[1:].isdigit():
        last = parts[-2]
    return None if last == ".." else last


# --------------------------------------------------------------------------------------------
# Go release versions

_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+)|(rc|beta)(\d+))?", re.ASCII)
_LANGUAGE_RE = re.compile(r"(\d+)\.(\d+)", re.ASCII)

Key = tuple[int, int, int, int]  # major, minor, kind (0 language, 1 beta, 2 rc, 3 release), n


def version_key(v: str) -> Key | None:
    """Order Go versions like the go command: 1.22 < 1.22rc1 < 1.22.0 < 1.22.1.

    Accepts ``1.22``, ``1.22.3``, ``1.22rc1``, ``1.22beta2`` with an optional ``go`` prefix.
    """
    m = _VERSION_RE.fullmatch(v.removeprefix("go"))
    if m is None:
        return None
    major, minor = int(m.group(1)), int(m.group(2))
    if m.group(3) is not None:
        return (major, minor, 3, int(m.group(3)))
    if m.group(4) is not None:
        return (major, minor, 1 if m.group(4) == "beta" else 2, int(m.group(5)))
    return (major, minor, 0, 0)


def show_key(k: Key) -> str:
    """The version text of a key (without ``go``)."""
    major, minor, kind, n = k
    if kind == 3:
        return f"{major}.{minor}.{n}"
    if kind in (1, 2):
        return f"{major}.{minor}{'beta' if kind == 1 else 'rc'}{n}"
    return f"{major}.{minor}"


def language_version(v: str | None) -> tuple[int, int] | None:
    """``(major, minor)`` of a version that starts ``X.Y`` (``1.22.3``, ``go1.16rc1``), else
    None (``1``, ``latest``)."""
    if v is None:
        return None
    m = _LANGUAGE_RE.match(v.removeprefix("go"))
    return (int(m.group(1)), int(m.group(2))) if m else None


# --------------------------------------------------------------------------------------------
# go.mod


@dataclass(frozen=True)
class Require:
    path: str
    version: str
    indirect: bool = False


@dataclass(frozen=True)
class Replace:
    old: str
    old_version: str | None
    new: str
    new_version: str | None  # None for a directory replacement (`=> ../local`)


@dataclass(frozen=True)
class GoMod:
    """The directives of a go.mod file (`golang.org/x/mod/modfile` syntax: ``//`` comments,
    ``verb ( … )`` blocks, quoted strings). Directives that do not parse are left out; the first
    ``module``/``go``/``toolchain`` line wins."""

    module: str | None = None
    go: str | None = None
    toolchain: str | None = None
    requires: tuple[Require, ...] = ()
    replaces: tuple[Replace, ...] = ()

    @property
    def go_key(self) -> Key | None:
        return version_key(self.go) if self.go is not None else None

    @property
    def toolchain_key(self) -> Key | None:
        """The toolchain line's version (``go1.23.4-custom`` → 1.23.4); None for ``default``."""
        if self.toolchain is None or self.toolchain == "default":
            return None
        return version_key(self.toolchain.split("-", 1)[0])


_TOKEN_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`|//.*|\(|\)|=>|[^\s()"`]+')


def _tokens(line: str) -> tuple[list[str], bool]:
    """Tokens of one line, comment dropped; and whether the comment says ``indirect``."""
    out: list[str] = []
    indirect = False
    for m in _TOKEN_RE.finditer(line):
        t = m.group()
        if t.startswith("//"):
            indirect = t[2:].strip().split(";")[0].strip() == "indirect"
            break
        if t[0] == '"':
            t = t[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        elif t[0] == "`":
            t = t[1:-1]
        out.append(t)
    return out, indirect


def parse_go_mod(text: str) -> GoMod:
    """Parse a go.mod file's ``module``, ``go``, ``toolchain``, ``require`` and ``replace``."""
    module = go = toolchain = None
    requires: list[Require] = []
    replaces: list[Replace] = []
    block: str | None = None
    for line in text.splitlines():
        toks, indirect = _tokens(line)
        if not toks:
            continue
        if block is not None:
            if toks == [")"]:
                block = None
                continue
            verb, args = block, toks
        elif len(toks) == 2 and toks[1] == "(":
            block = toks[0]
            continue
        else:
            verb, args = toks[0], toks[1:]
        if verb == "module" and len(args) == 1 and module is None:
            module = args[0]
        elif verb == "go" and len(args) == 1 and go is None:
            go = args[0]
        elif verb == "toolchain" and len(args) == 1 and toolchain is None:
            toolchain = args[0]
        elif verb == "require" and len(args) == 2:
            requires.append(Require(args[0], args[1], indirect))
        elif verb == "replace" and "=>" in args:
            k = args.index("=>")
            old, new = args[:k], args[k + 1 :]
            if len(old) in (1, 2) and len(new) in (1, 2):
                replaces.append(
                    Replace(
                        old[0],
                        old[1] if len(old) == 2 else None,
                        new[0],
                        new[1] if len(new) == 2 else None,
                    )
                )
    return GoMod(module, go, toolchain, tuple(requires), tuple(replaces))


# --------------------------------------------------------------------------------------------
# go commands of a document


def go_commands(
    doc: Document, names: frozenset[str] = frozenset({"RUN"})
) -> Iterator[tuple[Instruction, ShellScript, SimpleCommand]]:
    """Every ``go <subcommand> …`` of the instructions named ``names`` (ONBUILD triggers too),
    in file order; the subcommand word is literal."""
    for outer in doc.instructions:
        ins = outer.effective
        if ins.name not in names:
            continue
        for script in scripts_for_run(ins, doc.text):
            for cmd in script.commands:
                if subcommand(cmd) is not None:
                    yield outer, script, cmd


def word_value(
    word: ShellWord, scope: Scope, script: ShellScript, cmd: SimpleCommand
) -> str | None:
    """The word's value; ``$VAR``/``${VAR}`` references are expanded with known ARG/ENV values
    when nothing in the script itself sets those variables. None when unknown."""
    if word.value is not None:
        return word.value
    if not word.refs or len(word.refs) != len(word.expansions):
        return None  # command substitution or an expansion we cannot follow
    if any(not r.simple for r in word.refs):
        return None
    names = {r.name for r in word.refs}
    local = {a.name for a in cmd.assignments}
    local |= {e.assignment.name for e in script.exports}
    local |= {a.name for a in script.variables}
    if names & local:
        return None
    wv = scope.expand(word.text, "\\")
    if wv.unresolved:
        return None
    return wv.value


def expanded_values(
    cmd: SimpleCommand, scope: Scope, script: ShellScript
) -> tuple[str | None, ...]:
    """`word_value` of every word of ``cmd``."""
    return tuple(word_value(w, scope, script, cmd) for w in cmd.words)


# --------------------------------------------------------------------------------------------
# module mode: which caches a go command reads and writes

# `go help modules` / `go help cache`: commands that resolve modules, so read (and fill) the
# module cache GOMODCACHE, unless the build is vendored (see `vendored`)
MODULE_SUBCOMMANDS = frozenset(
    {
        ("mod", "download"),
        ("mod", "tidy"),
        ("mod", "vendor"),
        ("mod", "verify"),
        ("mod", "graph"),
        ("mod", "why"),
        ("work", "sync"),
        ("work", "vendor"),
        ("build",),
        ("install",),
        ("test",),
        ("run",),
        ("vet",),
        ("get",),
        ("list",),
        ("generate",),
    }
)
# commands that compile packages, so read and fill the build cache GOCACHE
COMPILE_SUBCOMMANDS = frozenset({("build",), ("install",), ("test",), ("run",), ("vet",)})
# commands that load packages in the -mod mode (they honour -mod=vendor)
_MOD_FLAG_SUBCOMMANDS = frozenset(
    {("build",), ("install",), ("test",), ("run",), ("vet",), ("list",), ("generate",)}
)


def goflags_value(goflags: str | None, name: str) -> tuple[bool, str | None]:
    """The last ``-name=value`` / ``--name=value`` of a ``GOFLAGS`` value (the go command
    splits GOFLAGS on blanks, each entry one flag): (found?, value). ``goflags`` None (not
    known) → (True, None): it may set the flag to anything."""
    if goflags is None:
        return True, None
    found: tuple[bool, str | None] = (False, None)
    for entry in goflags.split():
        if not entry.startswith("-"):
            continue
        flag, eq, value = _normalise(entry)
        if flag == "-" + name:
            found = (True, value if eq else "")
    return found


def vendor_in_context(bc: BuildContext) -> bool | None:
    """Is ``vendor/modules.txt`` sent with the build context (present, and not excluded by
    its ``.dockerignore``)? None when that is not known."""
    if not bc.known:
        return None
    if not bc.has("vendor/modules.txt"):
        return False
    if bc.has_dockerignore is None:
        return None
    if not bc.has_dockerignore:
        return True
    if bc.dockerignore is None:
        return None
    from rewriters.dockerignore import DockerignoreError, excludes, read_patterns

    try:
        return not excludes(read_patterns(bc.dockerignore), "vendor/modules.txt")
    except DockerignoreError:
        return None


def vendored(cmd: GoCommand, goflags: str | None, bc: BuildContext) -> bool | None:
    """Does ``cmd`` build from ``vendor/`` rather than the module cache? None: cannot tell.

    ``-mod`` on the command line wins over ``GOFLAGS``; ``-mod=vendor`` is vendored,
    ``-mod=mod``/``readonly`` are not. Without it, the go command defaults to ``-mod=vendor``
    when the main module's go version is 1.14 or newer and ``vendor/modules.txt`` exists
    (`go help modules`); the context's vendor/ is taken as what the image holds. A remote
    ``pkg@version`` is built outside the main module and never vendored.
    """
    if cmd.subcommand not in _MOD_FLAG_SUBCOMMANDS:
        return False
    if any(v is not None and "@" in v and not v.startswith("-") for v in cmd.positionals()):
        return False
    flag = cmd.flag("-mod")
    mode: str | None
    if flag is not None:
        mode = flag.value
        if mode is None:
            return None
    else:
        found, mode = goflags_value(goflags, "mod")
        if found and mode is None:
            return None
        if not found:
            mode = None
    if mode == "vendor":
        return True
    if mode in ("mod", "readonly"):
        return False
    present = vendor_in_context(bc)
    if not present:
        return present
    if bc.go_mod is None:
        return None
    key = parse_go_mod(bc.go_mod).go_key
    if key is None:
        return False  # no go line: go 1.16 semantics before 1.21, below 1.14 never assumed
    return key >= (1, 14, 0, 0)


def builds_local(cmd: GoCommand) -> bool:
    """Does ``cmd`` (build/install/test) build the main module's packages: no package
    arguments, or only local patterns (``.``, ``./...``, ``./cmd/x``)? False when an
    argument is not literal or names a remote package."""
    pos: tuple[str | None, ...] = ()
    for p in cmd.positionals():
        if cmd.subcommand == ("test",) and p is not None and p.startswith("-"):
            break  # `go test ./... -run X`: the rest are flags of the test binary
        pos = (*pos, p)
    if not pos:
        return True
    return all(p is not None and is_local(p) and "@" not in p for p in pos)
