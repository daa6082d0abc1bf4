"""GC103 go-install-global-bin: local installs get an explicit destination at the same path."""

from __future__ import annotations

import pytest

from rewriters.context import BuildContext
from rewriters.options import Options
from tests.rules.helpers import assert_fix, assert_noop, assert_report_only, run_rule

GO_MOD = BuildContext(go_mod="module github.com/acme/app\n\ngo 1.22\n", known=True)

FIX = [
    pytest.param(
        "FROM golang:1.22 AS build\nCOPY . .\nRUN go install -trimpath ./cmd/app\n\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /go/bin/app /app\n"
        'ENTRYPOINT ["/app"]\n',
        "FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /go/bin/ -trimpath ./cmd/app\n\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /go/bin/app /app\n"
        'ENTRYPOINT ["/app"]\n',
        None,
        id="copy-from-consumer",
    ),
    pytest.param(
        'FROM golang:1.22\nCOPY . .\nRUN go install ./cmd/app\nCMD ["app"]\n',
        'FROM golang:1.22\nCOPY . .\nRUN go build -o /go/bin/ ./cmd/app\nCMD ["app"]\n',
        None,
        id="cmd-by-name-through-path",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go install ./cmd/app\nENTRYPOINT /go/bin/app --serve\n",
        "FROM golang:1.22\nRUN go build -o /go/bin/ ./cmd/app\nENTRYPOINT /go/bin/app --serve\n",
        None,
        id="shell-form-entrypoint-absolute",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\nRUN go install ./cmd/gen\nFROM build AS gen\nRUN gen -out /x\n",
        "FROM golang:1.22 AS build\nRUN go build -o /go/bin/ ./cmd/gen\n"
        "FROM build AS gen\nRUN gen -out /x\n",
        None,
        id="run-by-name-in-child-stage",
    ),
    pytest.param(
        'FROM golang:1.22\nRUN go install -ldflags="-s -w -X main.v=$VERSION" -tags netgo'
        " ./cmd/a ./cmd/b\nRUN a --version\n",
        'FROM golang:1.22\nRUN go build -o /go/bin/ -ldflags="-s -w -X main.v=$VERSION" -tags netgo'
        " ./cmd/a ./cmd/b\nRUN a --version\n",
        None,
        id="flags-kept-multiple-packages",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go install -C tools ./cmd/gen && gen\n",
        "FROM golang:1.22\nRUN go build -C tools -o /go/bin/ ./cmd/gen && gen\n",
        None,
        id="dash-C-stays-first",
    ),
    pytest.param(
        'FROM golang:1.22\nRUN ["go", "install", "./cmd/app"]\nCMD ["app"]\n',
        'FROM golang:1.22\nRUN ["go", "build", "-o", "/go/bin/", "./cmd/app"]\nCMD ["app"]\n',
        None,
        id="exec-form",
    ),
    pytest.param(
        'FROM golang:1.22\nRUN GOOS=linux CGO_ENABLED=0 go install ./cmd/app\nCMD ["app"]\n',
        "FROM golang:1.22\nRUN GOOS=linux CGO_ENABLED=0 go build -o /go/bin/ ./cmd/app\n"
        'CMD ["app"]\n',
        None,
        id="goos-linux-is-not-a-cross-compile",
    ),
    pytest.param(
        'FROM golang:1.22\nENV GOPATH=/src\nRUN go install ./cmd/app\nCMD ["app"]\n',
        'FROM golang:1.22\nENV GOPATH=/src\nRUN GOBIN=/src/bin go install ./cmd/app\nCMD ["app"]\n',
        None,
        id="gopath-from-env-not-on-path",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go env -w GOPATH=/src\nRUN go install ./cmd/app\n",
        "FROM golang:1.22\nRUN go env -w GOPATH=/src\nRUN GOBIN=/go/bin go install ./cmd/app\n",
        None,
        id="image-env-gopath-wins-over-go-env-w",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go install \\\n    # the server\n    ./cmd/app\n"
        "COPY . /x\nRUN /go/bin/app --check\n",
        "FROM golang:1.22\nRUN go build -o /go/bin/ \\\n    # the server\n    ./cmd/app\n"
        "COPY . /x\nRUN /go/bin/app --check\n",
        None,
        id="comment-in-continued-run-survives",
    ),
    pytest.param(
        'FROM golang:1.22\r\nRUN go install \\\r\n    ./cmd/app\r\nCMD ["app"]\r\n',
        'FROM golang:1.22\r\nRUN go build -o /go/bin/ \\\r\n    ./cmd/app\r\nCMD ["app"]\r\n',
        None,
        id="crlf",
    ),
    pytest.param(
        "# escape=`\nFROM golang:1.22\nRUN go install `\n    -tags netgo `\n    ./cmd/app\n"
        'CMD ["app"]\n',
        "# escape=`\nFROM golang:1.22\nRUN go build -o /go/bin/ `\n    -tags netgo `\n"
        '    ./cmd/app\nCMD ["app"]\n',
        None,
        id="backtick-escape",
    ),
    pytest.param(
        'FROM golang:1.22\nRUN <<EOF\nset -e\ngo install ./cmd/app\nEOF\nCMD ["app"]\n',
        'FROM golang:1.22\nRUN <<EOF\nset -e\ngo build -o /go/bin/ ./cmd/app\nEOF\nCMD ["app"]\n',
        None,
        id="heredoc",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN go install ./cmd/app\n",
        "FROM golang:1.22\nCOPY . .\nRUN GOBIN=/go/bin go install ./cmd/app\n",
        None,
        id="unused-binary-gets-explicit-gobin",
    ),
    pytest.param(
        'FROM golang:1.22\nCOPY . .\nRUN go install -v ./...\nCMD ["app"]\n',
        'FROM golang:1.22\nCOPY . .\nRUN GOBIN=/go/bin go install -v ./...\nCMD ["app"]\n',
        None,
        id="dot-dot-dot-names-unknown",
    ),
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src/app\nRUN go install .\n",
        "FROM golang:1.22\nWORKDIR /src/app\nRUN GOBIN=/go/bin go install .\n",
        None,
        id="dot-name-comes-from-module-path",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN cd /src && CGO_ENABLED=0 go install\n",
        "FROM golang:1.22\nRUN cd /src && CGO_ENABLED=0 GOBIN=/go/bin go install\n",
        None,
        id="no-package-inline-assignment-kept",
    ),
    pytest.param(
        'FROM golang:1.12\nRUN go install ./cmd/app\nCMD ["app"]\n',
        'FROM golang:1.12\nRUN GOBIN=/go/bin go install ./cmd/app\nCMD ["app"]\n',
        None,
        id="old-go-has-no-build-o-dir",
    ),
    pytest.param(
        "FROM ubuntu:22.04\nENV GOPATH /root/go\nRUN go install -v ./cmd/tool\n",
        "FROM ubuntu:22.04\nENV GOPATH /root/go\nRUN GOBIN=/root/go/bin go install -v ./cmd/tool\n",
        None,
        id="hand-installed-go-version-unknown",
    ),
    pytest.param(
        'from golang:1.22\nrun\tgo install ./cmd/app\ncmd\t["app"]\n',
        'from golang:1.22\nrun\tgo build -o /go/bin/ ./cmd/app\ncmd\t["app"]\n',
        None,
        id="lowercase-and-tabs",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go install github.com/acme/app/cmd/app\n",
        "FROM golang:1.22\nRUN GOBIN=/go/bin go install github.com/acme/app/cmd/app\n",
        GO_MOD,
        id="main-module-import-path",
    ),
]

NOOP = [
    pytest.param(
        "FROM golang:1.22\nRUN go install golang.org/x/tools/cmd/goimports@v0.24.0\n",
        None,
        id="versioned-tool-install",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go install github.com/go-delve/delve/cmd/dlv@latest\n",
        None,
        id="unpinned-tool-is-gc106",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go install github.com/golang/mock/mockgen\n",
        None,
        id="dependency-tool-from-go-mod",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go install github.com/other/tool/cmd/tool\n",
        GO_MOD,
        id="import-path-outside-main-module",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN go run build/ci.go install\n", None, id="go-run-ci-install"
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOBIN=/usr/local/bin\nRUN go install ./cmd/app\n",
        None,
        id="gobin-env",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN GOBIN=/out go install ./cmd/app\n", None, id="gobin-inline"
    ),
    pytest.param(
        "FROM golang:1.22\nRUN export GOBIN=/out && go install ./cmd/app\n",
        None,
        id="gobin-export",
    ),
    pytest.param(
        "FROM golang:1.22 AS base\nRUN go env -w GOBIN=/out\nFROM base\nRUN go install ./cmd/app\n",
        None,
        id="gobin-go-env-w-in-parent-stage",
    ),
    pytest.param(
        "FROM golang:1.22\nARG GOBIN\nRUN go install ./cmd/app\n", None, id="gobin-build-arg"
    ),
    pytest.param("FROM golang:1.22\nRUN go build -o /go/bin/app ./cmd/app\n", None, id="go-build"),
    pytest.param(
        "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n"
        'USER 65532:65532\nENTRYPOINT ["/app"]\n',
        None,
        id="clean-dockerfile",
    ),
]


@pytest.mark.parametrize(("before", "after", "build_context"), FIX)
def test_fix(before: str, after: str, build_context: BuildContext | None) -> None:
    assert_fix("GC103", before, after, build_context=build_context)


@pytest.mark.parametrize(("text", "build_context"), NOOP)
def test_noop(text: str, build_context: BuildContext | None) -> None:
    assert_noop("GC103", text, build_context=build_context)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param(
            "FROM golang:1.22\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go install ./cmd/app\n"
            "FROM alpine\nCOPY --from=0 /go/bin/app /app\n",
            "<goos>_<goarch>",
            id="cross-compile",
        ),
        pytest.param(
            "FROM golang:1.22\nENV GOOS=windows\nRUN go install ./cmd/app\n",
            "<goos>_<goarch>",
            id="cross-compile-env",
        ),
        pytest.param(
            "FROM registry.access.redhat.com/ubi8/go-toolset:latest\nRUN go install ./cmd/app\n",
            "not recognised",
            id="unknown-base-image",
        ),
        pytest.param(
            "FROM golang:1.22\nONBUILD RUN go install ./cmd/app\n", "ONBUILD", id="onbuild"
        ),
        pytest.param(
            "FROM ubuntu:22.04\nRUN go env -w GOPATH=/src\nRUN go install ./cmd/app\n",
            "go env -w",
            id="gopath-go-env-w",
        ),
        pytest.param(
            'FROM golang:1.22\nRUN ["go", "install", "./..."]\n', "exec-form", id="exec-form-dots"
        ),
        pytest.param("FROM golang:1.22\nRUN sudo go install ./cmd/app\n", "wrapper", id="sudo"),
        pytest.param(
            "FROM alpine:3.20\nRUN apk add go\nRUN go install ./cmd/app\n",
            "GOPATH is not known",
            id="gopath-unset",
        ),
    ],
)
def test_report_only(text: str, reason: str) -> None:
    result = assert_report_only("GC103", text)
    (f,) = result.findings
    assert f.note is not None and reason in f.note, f.note


def test_message_and_severity() -> None:
    result = assert_fix(
        "GC103",
        'FROM golang:1.22\nRUN go install ./cmd/app\nCMD ["app"]\n',
        'FROM golang:1.22\nRUN go build -o /go/bin/ ./cmd/app\nCMD ["app"]\n',
    )
    (f,) = result.findings
    assert (f.line, f.severity, f.fix_applied) == (2, "warning", True)
    assert "`go install ./cmd/app` writes its binary into the global bin `/go/bin`" in f.message
    assert "/usr/local/go/bin" not in f.message
    assert f.fix is not None and "`/go/bin/app` stays where it was (used on line 3)" in (
        f.fix.description
    )


def test_unsafe_options_do_not_change_the_fix() -> None:
    text = "FROM golang:1.22\nRUN go install ./cmd/app\n"
    after = "FROM golang:1.22\nRUN GOBIN=/go/bin go install ./cmd/app\n"
    assert_fix("GC103", text, after, Options(unsafe_fixes=("all",)))


def test_plain_assignment_to_exported_gopath_moves_the_binary() -> None:
    """`GOPATH=/opt/gp;` changes the exported GOPATH for `go install`: the binary lands in
    /opt/gp/bin/app, so no fix may claim `/go/bin/app` stays where it was."""
    text = (
        "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\n"
        "RUN GOPATH=/opt/gp; go install ./cmd/app\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /go/bin/app /app\n"
    )
    result = run_rule("GC103", text)
    (f,) = result.findings
    assert "/go/bin/app` stays" not in (f.fix.description if f.fix else "")
    assert "/go/bin" not in f.message or "/opt/gp/bin" in f.message, f.message
    assert "`/opt/gp/bin`" in f.message
    if result.changed:  # a fix, if any, must keep the binary at /opt/gp/bin/app
        assert "RUN GOPATH=/opt/gp; GOBIN=/opt/gp/bin go install ./cmd/app" in result.new_text
