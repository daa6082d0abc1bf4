"""The Go environment at a command: one row per way a value can be set (or not)."""

from __future__ import annotations

import pytest

from rewriters.document import Document
from rewriters.goenv import CommandEnv, GoEnv, find_settings
from rewriters.model import Model
from rewriters.shell import scripts_for_run


def env_at(text: str, command: str = "go", nth: int = -1) -> CommandEnv:
    """The environment of the ``nth`` command named ``command`` in ``text``."""
    doc = Document.parse(text)
    model = Model.build(doc)
    env = GoEnv.of(doc, model)
    found = []
    for ins in doc.instructions:
        if ins.effective.name != "RUN":
            continue
        for script in scripts_for_run(ins.effective, doc.text):
            for cmd in script.commands:
                if cmd.name == command:
                    found.append(env.at(ins, script, cmd))
    assert found, f"no {command} command in the text"
    return found[nth]


G = "FROM golang:1.23 AS build\n"

ROWS = [
    # (id, dockerfile, variable, value, origin)
    ("image-default", G + "RUN go build .\n", "GOPATH", "/go", "image"),
    ("env", G + "ENV GOPATH=/x\nRUN go build .\n", "GOPATH", "/x", "env"),
    ("env-legacy-form", G + "ENV GOPATH /x\nRUN go build .\n", "GOPATH", "/x", "env"),
    ("arg-default", G + "ARG GOPROXY=https://p\nRUN go build .\n", "GOPROXY", "https://p", "arg"),
    ("arg-without-default", G + "ARG GOPROXY\nRUN go build .\n", "GOPROXY", None, "arg"),
    (
        "global-arg-redeclared",
        "ARG P=https://g\n" + G + "ARG P\nENV GOPROXY=$P\nRUN go build .\n",
        "GOPROXY",
        "https://g",
        "env",
    ),
    (
        "env-inherited-from-parent-stage",
        G + "ENV GOFLAGS=-mod=vendor\nFROM build AS t\nRUN go test ./...\n",
        "GOFLAGS",
        "-mod=vendor",
        "env",
    ),
    (
        "arg-not-inherited",
        G + "ARG GOFLAGS=-x\nFROM build AS t\nRUN go test ./...\n",
        "GOFLAGS",
        "",
        "default",
    ),
    ("export", G + "RUN export GOOS=linux && go build .\n", "GOOS", "linux", "shell"),
    ("declare-x", G + "RUN declare -x GOOS=linux; go build .\n", "GOOS", "linux", "shell"),
    (
        "plain-assignment-to-exported-var",
        G + "RUN GOPATH=/opt/gp; go install ./cmd/app\n",
        "GOPATH",
        "/opt/gp",
        "shell",
    ),
    (
        "plain-assignment-not-exported",
        G + "RUN GOFLAGS=-x; go build .\n",
        "GOFLAGS",
        "",
        "default",
    ),
    (
        "plain-assignment-then-export",
        G + "RUN GOFLAGS=-x; export GOFLAGS; go build .\n",
        "GOFLAGS",
        "-x",
        "shell",
    ),
    (
        "export-after-command-ignored",
        G + "RUN go build . && export GOOS=linux\n",
        "GOOS",
        None,
        "default",
    ),
    ("inline", G + "RUN GOOS=linux go build .\n", "GOOS", "linux", "inline"),
    ("env-prefix", G + "RUN env GOOS=linux go build .\n", "GOOS", "linux", "inline"),
    (
        "inline-over-export",
        G + "RUN export GOOS=darwin; GOOS=linux go build .\n",
        "GOOS",
        "linux",
        "inline",
    ),
    ("env-i-clears", G + "ENV GOFLAGS=-x\nRUN env -i go build .\n", "GOFLAGS", None, "cleared"),
    (
        "go-env-w-earlier-run",
        G + "RUN go env -w GOPROXY=https://p\nRUN go build .\n",
        "GOPROXY",
        "https://p",
        "go-env-w",
    ),
    (
        "go-env-w-same-run-before",
        G + "RUN go env -w GOFLAGS=-mod=mod && go build .\n",
        "GOFLAGS",
        "-mod=mod",
        "go-env-w",
    ),
    (
        "go-env-w-after-command",
        G + "RUN go build . && go env -w GOFLAGS=-mod=mod\n",
        "GOFLAGS",
        "",
        "default",
    ),
    (
        "env-beats-go-env-w",
        G + "RUN go env -w GOPROXY=https://file\nENV GOPROXY=https://env\nRUN go build .\n",
        "GOPROXY",
        "https://env",
        "env",
    ),
    (
        "empty-env-falls-back-to-go-env-file",
        G + "ENV GOFLAGS=\nRUN go env -w GOFLAGS=-mod=mod\nRUN go build .\n",
        "GOFLAGS",
        "-mod=mod",
        "go-env-w",
    ),
    (
        "go-env-w-in-parent-stage",
        G + "RUN go env -w GOPROXY=https://p\nFROM build AS t\nRUN go build .\n",
        "GOPROXY",
        "https://p",
        "go-env-w",
    ),
    (
        "go-env-w-in-unrelated-stage",
        G + "RUN go env -w GOPROXY=https://p\nFROM golang:1.23 AS other\nRUN go build .\n",
        "GOPROXY",
        "https://proxy.golang.org,direct",
        "default",
    ),
    (
        "go-env-w-of-another-home",
        G + "RUN go env -w GOPROXY=https://p\nENV HOME=/home/u\nRUN go build .\n",
        "GOPROXY",
        "https://proxy.golang.org,direct",
        "default",
    ),
    (
        "go-env-w-onbuild-trigger-ignored",
        G + "ONBUILD RUN go env -w GOPROXY=https://p\nRUN go build .\n",
        "GOPROXY",
        "https://proxy.golang.org,direct",
        "default",
    ),
    ("go-default-gobin", G + "RUN go install ./x\n", "GOBIN", "", "default"),
    ("gocache-root", G + "RUN go build .\n", "GOCACHE", "/root/.cache/go-build", "default"),
    (
        "gocache-follows-home",
        G + "ENV HOME=/home/b\nRUN go build .\n",
        "GOCACHE",
        "/home/b/.cache/go-build",
        "default",
    ),
    (
        "gocache-follows-xdg",
        G + "ENV XDG_CACHE_HOME=/c\nRUN go build .\n",
        "GOCACHE",
        "/c/go-build",
        "default",
    ),
    (
        "gocache-other-user-unknown",
        G + "USER app\nRUN go build .\n",
        "GOCACHE",
        None,
        "default",
    ),
    (
        "gomodcache-follows-gopath",
        G + "ENV GOPATH=/a:/b\nRUN go build .\n",
        "GOMODCACHE",
        "/a/pkg/mod",
        "default",
    ),
    ("home-of-root", G + "RUN go build .\n", "HOME", "/root", "default"),
    (
        "expansion-through-scope",
        G + "RUN export GOBIN=$GOPATH/tools && go install ./x\n",
        "GOBIN",
        "/go/tools",
        "shell",
    ),
    (
        "expansion-through-script",
        G + 'RUN export GOPATH=/w; export GOBIN="${GOPATH}/b"; go install ./x\n',
        "GOBIN",
        "/w/b",
        "shell",
    ),
    (
        "expansion-where-the-statement-runs",
        G + "RUN export GOPATH=/a; export GOBIN=$GOPATH/b; export GOPATH=/c; go install ./x\n",
        "GOBIN",
        "/a/b",
        "shell",
    ),
    (
        "inline-assigns-left-to-right",
        G + "RUN GOPATH=/p GOBIN=$GOPATH/bin go install ./x\n",
        "GOBIN",
        "/p/bin",
        "inline",
    ),
    (
        "expansion-with-operator-unknown",
        G + "RUN export GOBIN=${GOPATH:-/x}/b; go install ./x\n",
        "GOBIN",
        None,
        "shell",
    ),
    ("make-variable", G + "RUN make build GOOS=linux\n", "GOOS", "linux", "make"),
    (
        "make-variable-over-inline",
        G + "RUN GOOS=darwin make build GOOS=linux\n",
        "GOOS",
        "linux",
        "make",
    ),
    ("unknown-base-image", "FROM corp/builder\nRUN go build .\n", "GOPATH", None, "base-image"),
    (
        "onbuild-sees-end-of-stage",
        G + "ENV GOPATH=/x\nONBUILD RUN go build .\nENV GOPATH=/y\nARG GOFLAGS=-x\n",
        "GOPATH",
        "/y",
        "env",
    ),
    ("onbuild-no-args", G + "ARG GOFLAGS=-x\nONBUILD RUN go build .\n", "GOFLAGS", "", "default"),
    ("windows", "FROM golang:1.23-windowsservercore\nRUN go build\n", "GOCACHE", None, "default"),
]


@pytest.mark.parametrize(
    ("text", "name", "value", "origin"),
    [pytest.param(*row[1:], id=row[0]) for row in ROWS],
)
def test_value_at_command(text: str, name: str, value: str | None, origin: str) -> None:
    command = "make" if "make " in text else "go"
    got = env_at(text, command).get(name)
    assert (got.value, got.origin) == (value, origin)


def test_origin_locates_the_setting() -> None:
    text = G + "ENV GOPATH=/x\nRUN GOOS=linux go build .\n"
    env = env_at(text)
    gopath, goos = env.get("GOPATH"), env.get("GOOS")
    assert gopath.span is not None and text[gopath.span.start : gopath.span.end] == "GOPATH=/x"
    assert goos.span is not None and text[goos.span.start : goos.span.end] == "GOOS=linux"
    assert gopath.explicit and goos.explicit and not env.get("GOCACHE").explicit


def test_go_install_destination_follows_the_same_resolver() -> None:
    """The issue's GOPATH case: the binary lands in /opt/gp/bin, not /go/bin."""
    text = (
        G
        + "WORKDIR /src\nCOPY . .\nRUN GOPATH=/opt/gp; go install ./cmd/app\n"
        + "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /go/bin/app /app\n"
    )
    assert env_at(text).gopath_bin().value == "/opt/gp/bin"
    assert env_at(G + "ENV GOBIN=/b\nRUN go install ./x\n").gopath_bin().value == "/b"
    assert env_at(G + "ARG GOBIN\nRUN go install ./x\n").gopath_bin().value is None


def test_end_of_stage() -> None:
    text = G + "ENV GOCACHE=/c\nRUN go env -w GOFLAGS=-mod=vendor\nFROM build AS t\nENV GOPATH=/p\n"
    doc = Document.parse(text)
    model = Model.build(doc)
    env = GoEnv.of(doc, model)
    build, t = model.stages
    assert env.at_end(build).value("GOCACHE") == "/c"
    assert env.at_end(build).value("GOMODCACHE") == "/go/pkg/mod"
    assert env.at_end(t).value("GOMODCACHE") == "/p/pkg/mod"
    assert env.at_end(t).get("GOFLAGS").origin == "go-env-w"


def test_find_settings_without_names_lists_everything() -> None:
    text = G + "ENV A=1 B=2\nRUN export C=3 && go env -w D=4\n"
    doc = Document.parse(text)
    names = [s.name for s in find_settings(doc, Model.build(doc))]
    assert names == ["A", "B", "C", "D"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (G + "ENV GOFLAGS=-x\n", "ENV GOFLAGS=-x"),
        (G + "ENV GOFLAGS -x\n", "ENV GOFLAGS -x"),
        (G + "ARG GOFLAGS='-x'\n", "ARG GOFLAGS='-x'"),
        (G + "RUN export GOFLAGS=-x\n", "export GOFLAGS=-x"),
        (G + "RUN GOFLAGS=-x go build\n", "GOFLAGS=-x"),
        (G + "RUN go env -w GOFLAGS=-x\n", "go env -w GOFLAGS=-x"),
    ],
)
def test_setting_shown_as_written(text: str, shown: str) -> None:
    doc = Document.parse(text)
    (setting,) = find_settings(doc, Model.build(doc), frozenset({"GOFLAGS"}))
    assert setting.shown() == shown


# ------------------------------------------------------------------ cgo_state

CGO_CASES = [
    pytest.param("FROM golang:1.22\nRUN go build .\n", "default-on", id="debian-default-on"),
    pytest.param(
        "FROM golang:1.22\nRUN GOOS=linux go build .\n", "default-on", id="goos-linux-native"
    ),
    pytest.param("FROM golang:1.22\nRUN GOARCH=arm64 go build .\n", "unknown", id="cross"),
    pytest.param("FROM golang:1.22\nRUN GOOS=darwin go build .\n", "unknown", id="other-os"),
    pytest.param("FROM golang:1.22-alpine\nRUN go build .\n", "unknown", id="no-compiler"),
    pytest.param("FROM golang:1.22\nENV CGO_ENABLED=0\nRUN go build .\n", "off", id="env-off"),
    pytest.param("FROM golang:1.22-alpine\nRUN CGO_ENABLED=1 go build .\n", "on", id="inline-on"),
    pytest.param(
        "FROM golang:1.22\nARG CGO_ENABLED\nRUN go build .\n", "unknown", id="arg-no-default"
    ),
    pytest.param("FROM myorg/builder\nRUN go build .\n", "unknown", id="unknown-image"),
]


@pytest.mark.parametrize(("text", "state"), CGO_CASES)
def test_cgo_state(text: str, state: str) -> None:
    from rewriters.goenv import cgo_state

    assert cgo_state(env_at(text)) == state
