"""Tests for rewriters.gocmd: go command lines, patterns, versions, go.mod and pinning."""

from __future__ import annotations

import pytest

from rewriters.buildcontext import BuildContext
from rewriters.gocmd import (
    GoCommand,
    GoFlag,
    GoMod,
    Replace,
    Require,
    is_local,
    is_meta,
    is_pinned,
    is_remote,
    language_version,
    package_binary_name,
    parse_go_args,
    parse_go_command,
    parse_go_mod,
    show_key,
    split_version,
    value_flags,
    version_key,
    version_kind,
)
from rewriters.shell import parse_shell
from rewriters.text import LogicalText


def command(src: str):  # type: ignore[no-untyped-def]
    script = parse_shell(LogicalText.build(src, [(0, len(src))]))
    assert len(script.commands) >= 1
    return script.commands[0]


# -- flags ------------------------------------------------------------------------------------

FLAGS = [
    # (command line, flags as (name, value, indices), positional values)
    ("go build -o out ./cmd/x", [("-o", "out", (2, 3))], ["./cmd/x"]),
    ("go build -o=out ./cmd/x", [("-o", "out", (2,))], ["./cmd/x"]),
    ("go build --o out .", [("-o", "out", (2, 3))], ["."]),
    ("go build --o=out .", [("-o", "out", (2,))], ["."]),
    ("go build -trimpath -v .", [("-trimpath", None, (2,)), ("-v", None, (3,))], ["."]),
    ("go build -x=false .", [("-x", "false", (2,))], ["."]),
    ("go build -C sub -o /out .", [("-C", "sub", (2, 3)), ("-o", "/out", (4, 5))], ["."]),
    ("go build -p 4 .", [("-p", "4", (2, 3))], ["."]),
    ("go build -tags netgo,osusergo .", [("-tags", "netgo,osusergo", (2, 3))], ["."]),
    ("go build -ldflags '-s -w' .", [("-ldflags", "-s -w", (2, 3))], ["."]),
    ("go build -gcflags all=-N .", [("-gcflags", "all=-N", (2, 3))], ["."]),
    ("go build -asmflags x .", [("-asmflags", "x", (2, 3))], ["."]),
    ("go build -gccgoflags x .", [("-gccgoflags", "x", (2, 3))], ["."]),
    ("go build -mod vendor .", [("-mod", "vendor", (2, 3))], ["."]),
    ("go build -modfile alt.mod .", [("-modfile", "alt.mod", (2, 3))], ["."]),
    ("go build -overlay o.json .", [("-overlay", "o.json", (2, 3))], ["."]),
    ("go build -pgo off .", [("-pgo", "off", (2, 3))], ["."]),
    ("go build -pkgdir /p .", [("-pkgdir", "/p", (2, 3))], ["."]),
    ("go build -toolexec t .", [("-toolexec", "t", (2, 3))], ["."]),
    ("go build -buildmode pie .", [("-buildmode", "pie", (2, 3))], ["."]),
    ("go build -compiler gc .", [("-compiler", "gc", (2, 3))], ["."]),
    ("go build -installsuffix static .", [("-installsuffix", "static", (2, 3))], ["."]),
    ("go build -covermode atomic .", [("-covermode", "atomic", (2, 3))], ["."]),
    ("go build -coverpkg ./... .", [("-coverpkg", "./...", (2, 3))], ["."]),
    ("go run -exec wrap ./cmd/x arg", [("-exec", "wrap", (2, 3))], ["./cmd/x", "arg"]),
    ("go test -run TestX ./...", [("-run", "TestX", (2, 3))], ["./..."]),
    ("go test -bench . ./...", [("-bench", ".", (2, 3))], ["./..."]),
    ("go test -timeout 5m ./...", [("-timeout", "5m", (2, 3))], ["./..."]),
    ("go test -count 1 -v ./...", [("-count", "1", (2, 3)), ("-v", None, (4,))], ["./..."]),
    ("go generate -run stringer ./...", [("-run", "stringer", (2, 3))], ["./..."]),
    ("go vet -vettool /v ./...", [("-vettool", "/v", (2, 3))], ["./..."]),
    ("go list -f '{{.Dir}}' ./...", [("-f", "{{.Dir}}", (2, 3))], ["./..."]),
    # a boolean flag takes no separate value: the next word is a package
    ("go get -u patch", [("-u", None, (2,))], ["patch"]),
    ("go get -u=patch ./...", [("-u", "patch", (2,))], ["./..."]),
    # flags stop at the first positional, `--` or `-`
    ("go run ./cmd/x -o y", [], ["./cmd/x", "-o", "y"]),
    ("go build -- -weird", [], ["-weird"]),
    ("go run - a", [], ["-", "a"]),
    ("go mod download -x", [("-x", None, (3,))], []),
    ("go mod download -reuse old.json", [("-reuse", "old.json", (3, 4))], []),
    ("go mod edit -go 1.22", [("-go", "1.22", (3, 4))], []),
    ("go env -w GOFLAGS=-mod=mod", [("-w", None, (2,))], ["GOFLAGS=-mod=mod"]),
    ("go env -json", [("-json", None, (2,))], []),
    # a value flag at the end has nothing to take
    ("go build -o", [("-o", None, (2,))], []),
]


@pytest.mark.parametrize(("src", "flags", "positional"), FLAGS, ids=[f[0] for f in FLAGS])
def test_flags(
    src: str, flags: list[tuple[str, str | None, tuple[int, ...]]], positional: list[str]
) -> None:
    go = parse_go_command(command(src))
    assert go is not None
    assert [(f.name, f.value, f.indices) for f in go.args.flags] == flags
    assert list(go.positionals()) == positional
    assert not go.args.dynamic


def test_subcommands() -> None:
    cases = {
        "go build .": ("build",),
        "/usr/local/go/bin/go install x@v1.0.0": ("install",),
        "go mod download": ("mod", "download"),
        "go work sync": ("work", "sync"),
        "go env -w X=1": ("env",),
        "go mod": ("mod",),
    }
    for src, sub in cases.items():
        go = parse_go_command(command(src))
        assert go is not None and go.subcommand == sub, src
    assert parse_go_command(command("go")) is None
    assert parse_go_command(command("gofmt -l .")) is None
    assert parse_go_command(command("go $SUB .")) is None


def test_non_literal_flag_words() -> None:
    go = parse_go_command(command('go build -ldflags="-X main.v=$V" -o /out .'))
    assert go is not None
    assert go.flag("-ldflags") == GoFlag("-ldflags", None, (2,), True)
    assert go.flag("-o") == GoFlag("-o", "/out", (3, 4), True)
    assert go.positionals() == (".",) and go.args.dynamic
    # a non-literal value flag without `=` still takes the next word
    go = parse_go_command(command("go build -$FLAG out ."))
    assert go is not None and go.positionals() == ("out", ".") and go.args.dynamic
    # a non-literal word that is not a flag is a positional, and ends the flags
    go = parse_go_command(command("go install $PKG -v"))
    assert go is not None and go.args.positional == (2, 3) and not go.args.dynamic
    # a separate value that is not literal: known flag, unknown value, not dynamic
    go = parse_go_command(command("go build -o $OUT ."))
    assert go is not None and go.flag("-o") == GoFlag("-o", None, (2, 3), True)
    assert not go.args.dynamic


def test_last_flag_wins_and_values_override() -> None:
    args = parse_go_args(["go", "build", "-o", "a", "-o=b", "."])
    flag = args.flag("-o")
    assert flag is not None and flag.value == "b"
    assert args.names() == ("-o", "-o")
    go = parse_go_command(command("go install $P"), ["go", "install", "example.com/x@v1.2.3"])
    assert go is not None and go.positionals() == ("example.com/x@v1.2.3",)


def test_value_flags_per_subcommand() -> None:
    assert "-run" in value_flags(("test",)) and "-run" not in value_flags(("build",))
    assert "-f" in value_flags(("list",)) and "-f" not in value_flags(("get",))
    assert "-o" in value_flags(("build",)) and value_flags(("env",)) == frozenset()
    assert value_flags(("unknown",)) == value_flags(("build",))


# -- patterns ---------------------------------------------------------------------------------

PATTERNS = [
    # (argument, path, version, local, remote, meta)
    ("./...", "./...", None, True, False, False),
    (".", ".", None, True, False, False),
    ("..", "..", None, True, False, False),
    ("../lib", "../lib", None, True, False, False),
    ("/src/cmd/app", "/src/cmd/app", None, True, False, False),
    ("all", "all", None, False, False, True),
    ("std", "std", None, False, False, True),
    ("cmd", "cmd", None, False, False, True),
    ("main.go", "main.go", None, False, False, False),
    ("build/ci.go", "build/ci.go", None, False, False, False),
    ("github.com/a/b", "github.com/a/b", None, False, True, False),
    ("github.com/a/b@latest", "github.com/a/b", "latest", False, True, False),
    ("golang.org/x/tools/cmd/goimports@v0.24.0", "golang.org/x/tools/cmd/goimports", "v0.24.0",
     False, True, False),
    ("example.com:8080/x@v1.0.0", "example.com:8080/x", "v1.0.0", False, True, False),
    ("gopkg.in/yaml.v3", "gopkg.in/yaml.v3", None, False, True, False),
    ("example/pkg", "example/pkg", None, False, False, False),
    ("$PKG", "$PKG", None, False, False, False),
    ("a@b@v1.2.3", "a", "b@v1.2.3", False, False, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("arg", "path", "version", "local", "remote", "meta"), PATTERNS, ids=[p[0] for p in PATTERNS]
)
def test_patterns(
    arg: str, path: str, version: str | None, local: bool, remote: bool, meta: bool
) -> None:
    assert split_version(arg) == (path, version)
    assert is_local(path) is local
    assert is_remote(path) is remote
    assert is_meta(arg) is meta


VERSIONS = [
    # (version after @, kind, pinned, pinned with -insecure)
    ("v1.2.3", "semver", True, False),
    ("v0.0.0-20240101000000-abcdefabcdef", "semver", True, False),
    ("v1.2.3-rc.1", "semver", True, False),
    ("v2.0.0+incompatible", "semver", True, False),
    ("v1.2.3+build.5", "semver", True, False),
    ("a" * 40, "commit", True, True),
    ("0123456789ABCDEF0123456789abcdef01234567aa", "commit", True, True),
    ("none", "none", True, True),
    ("latest", "latest", False, False),
    ("upgrade", "upgrade", False, False),
    ("patch", "patch", False, False),
    ("v1", "prefix", False, False),
    ("v1.59", "prefix", False, False),
    ("abcdef1", "revision", False, False),
    ("master", "other", False, False),
    ("<v1.2.3", "other", False, False),
    ("1.2.3", "other", False, False),
    ('v1.2.3"', "other", False, False),
    ("", "other", False, False),
    # Go (RE2) digits are ASCII: Arabic-Indic digits do not make a version
    ("v\u0661.2.3", "other", False, False),
]


@pytest.mark.parametrize(
    ("version", "kind", "pinned", "insecure"), VERSIONS, ids=[v[0] or "empty" for v in VERSIONS]
)
def test_versions_and_pinning(version: str, kind: str, pinned: bool, insecure: bool) -> None:
    assert version_kind(version) == kind
    assert is_pinned(version) is pinned
    assert is_pinned(version, insecure=True) is insecure


@pytest.mark.parametrize(
    ("pkg", "name"),
    [
        ("./cmd/app", "app"),
        ("./cmd/app/", "app"),
        (".", None),
        ("./...", None),
        ("..", None),
        ("example.com/tool/v2", "tool"),
        ("example.com/tool/v2@v2.1.0", "tool"),
        ("example.com/v2tool", "v2tool"),
        ("v2", "v2"),
    ],
)
def test_package_binary_name(pkg: str, name: str | None) -> None:
    assert package_binary_name(pkg) == name


# -- Go release versions ------------------------------------------------------------------------

KEYS = [
    ("1.21", (1, 21, 0, 0)),
    ("1.21.0", (1, 21, 3, 0)),
    ("1.21rc1", (1, 21, 2, 1)),
    ("1.22beta2", (1, 22, 1, 2)),
    ("go1.22.3", (1, 22, 3, 3)),
    ("go1.9", (1, 9, 0, 0)),
    ("1", None),
    ("1.22.3-alpine", None),
    ("latest", None),
    ("1.\u0662", None),
]


@pytest.mark.parametrize(("text", "key"), KEYS, ids=[k[0] for k in KEYS])
def test_version_key(text: str, key: tuple[int, int, int, int] | None) -> None:
    assert version_key(text) == key
    if key is not None:
        assert version_key(show_key(key)) == key


def test_version_order() -> None:
    order = ["1.9", "1.21", "1.21rc1", "1.21.0", "1.21.1", "1.22beta1", "1.22rc2", "1.22.0"]
    keys = [version_key(v) for v in order]
    assert all(k is not None for k in keys)
    assert keys == sorted(keys)  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("1.22", (1, 22)),
        ("1.22.3", (1, 22)),
        ("go1.16rc1", (1, 16)),
        ("1.15-alpine", (1, 15)),
        ("1", None),
        ("latest", None),
        (None, None),
    ],
)
def test_language_version(text: str | None, lang: tuple[int, int] | None) -> None:
    assert language_version(text) == lang


# -- go.mod -------------------------------------------------------------------------------------

GO_MODS = [
    ("module example.com/app\n", GoMod(module="example.com/app")),
    ('module "example.com/app" // quoted\n', GoMod(module="example.com/app")),
    ("module (\n\texample.com/app\n)\n", GoMod(module="example.com/app")),
    ("go 1.22\n", GoMod(go="1.22")),
    ("go 1.23.1 // pinned\n", GoMod(go="1.23.1")),
    ("go 1.22 extra\n", GoMod()),
    ("toolchain go1.23.4\n", GoMod(toolchain="go1.23.4")),
    ("require example.com/a v1.2.3\n", GoMod(requires=(Require("example.com/a", "v1.2.3"),))),
    (
        "require (\n\texample.com/a v1.2.3 // indirect\n\texample.com/b v0.1.0\n)\n",
        GoMod(
            requires=(
                Require("example.com/a", "v1.2.3", True),
                Require("example.com/b", "v0.1.0"),
            )
        ),
    ),
    (
        "replace example.com/a => ../a\n",
        GoMod(replaces=(Replace("example.com/a", None, "../a", None),)),
    ),
    (
        "replace (\n\texample.com/a v1.0.0 => example.com/fork v1.0.1\n)\n",
        GoMod(replaces=(Replace("example.com/a", "v1.0.0", "example.com/fork", "v1.0.1"),)),
    ),
    ("// module commented.out/x\n", GoMod()),
    ("module a\nmodule b\n", GoMod(module="a")),
]


@pytest.mark.parametrize(("text", "mod"), GO_MODS, ids=[t for t, _ in GO_MODS])
def test_parse_go_mod(text: str, mod: GoMod) -> None:
    assert parse_go_mod(text) == mod


def test_go_mod_keys() -> None:
    mod = parse_go_mod("module x // c\n\ngo 1.23.1 // pinned\ntoolchain go1.23.4-custom\n")
    assert (mod.go_key, mod.toolchain_key) == (version_key("1.23.1"), version_key("1.23.4"))
    assert parse_go_mod("toolchain default\n").toolchain_key is None
    assert parse_go_mod("").go_key is None


# ---------------------------------------------------------------- module mode (GC201, GC206)


def _go(script: str) -> GoCommand:
    from rewriters.gocmd import parse_go_command

    cmd = parse_shell(LogicalText.build(script, [(0, len(script))]), script).commands[0]
    gc = parse_go_command(cmd)
    assert gc is not None
    return gc


@pytest.mark.parametrize(
    ("goflags", "found", "value"),
    [
        ("", False, None),
        ("-mod=vendor", True, "vendor"),
        ("-tags=x --mod=mod", True, "mod"),
        ("-mod=vendor -mod=readonly", True, "readonly"),
        (None, True, None),
    ],
)
def test_goflags_value(goflags: str | None, found: bool, value: str | None) -> None:
    from rewriters.gocmd import goflags_value

    assert goflags_value(goflags, "mod") == (found, value)


def _bc(*files: str, go: str | None = "1.22", ignore: str | None = None) -> BuildContext:
    return BuildContext(
        files=frozenset(files),
        go_mod=None if go is None else f"module x\n\ngo {go}\n",
        known=True,
        dockerignore=ignore,
        has_dockerignore=ignore is not None,
    )


@pytest.mark.parametrize(
    ("script", "goflags", "bc", "want"),
    [
        ("go build .", "", _bc("go.mod"), False),
        ("go build -mod=vendor .", "", BuildContext(), True),
        ("go build .", "-mod=vendor", BuildContext(), True),
        ("go build -mod=mod .", "-mod=vendor", _bc("vendor/modules.txt"), False),
        ("go build .", "", _bc("vendor/modules.txt"), True),
        ("go build .", "", _bc("vendor/modules.txt", go="1.13"), False),
        ("go build .", "", _bc("vendor/modules.txt", go=None), None),
        ("go build .", "", _bc("vendor/modules.txt", ignore="vendor\n"), False),
        ("go build .", "", BuildContext(), None),
        ("go build .", None, _bc("go.mod"), None),
        ("go install example.com/tool@v1.2.3", "-mod=vendor", BuildContext(), False),
        ("go mod download", "-mod=vendor", BuildContext(), False),
    ],
)
def test_vendored(script: str, goflags: str | None, bc: BuildContext, want: bool | None) -> None:
    from rewriters.gocmd import vendored

    assert vendored(_go(script), goflags, bc) is want


@pytest.mark.parametrize(
    ("script", "want"),
    [
        ("go build", True),
        ("go build -o /out/ ./cmd/...", True),
        ("go test ./... -run TestX -count 1", True),
        ("go install example.com/tool@v1.2.3", False),
        ("go build $PKG", False),
        ("go build github.com/x/y", False),
    ],
)
def test_builds_local(script: str, want: bool) -> None:
    from rewriters.gocmd import builds_local

    assert builds_local(_go(script)) is want
