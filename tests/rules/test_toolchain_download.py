"""GC107 toolchain-download: the override is dropped only when that keeps the same Go."""

from __future__ import annotations

import pytest

from rewriters.context import BuildContext
from rewriters.gocmd import parse_go_mod, version_key
from rewriters.options import Options
from rewriters.rules.toolchain_download import classify, image_go
from tests.rules.helpers import assert_fix, assert_noop, assert_report_only, run_rule


def ctx(go_mod: str | None) -> BuildContext:
    if go_mod is None:
        return BuildContext(files=frozenset(), known=True)
    return BuildContext(files=frozenset({"go.mod"}), go_mod=go_mod, known=True)


GO123 = ctx("module x\n\ngo 1.23\n")
GO124 = ctx("module x\n\ngo 1.24\n")
UNSAFE = Options(unsafe_fixes=("GC107",))
B = "FROM golang:1.23 AS build\n"
END = "\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n"
BUILD = "COPY . .\nRUN go build -o /app .\n"

FIX = [
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END, B + BUILD + END, GO123, None, id="env-auto"
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN auto\n" + BUILD + END, B + BUILD + END, GO123, None, id="legacy-env"
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=local+auto\n" + BUILD + END,
        B + BUILD + END,
        GO123,
        None,
        id="local-plus-auto",
    ),
    pytest.param(
        B
        + "ENV CGO_ENABLED=0 \\\n    # let go fetch what go.mod wants\n    GOTOOLCHAIN=auto\n"
        + BUILD
        + END,
        B + "ENV CGO_ENABLED=0\n    # let go fetch what go.mod wants\n" + BUILD + END,
        GO123,
        None,
        id="continuation-comment-survives",
    ),
    pytest.param(
        "FROM golang:1.23 AS build\r\nENV GOTOOLCHAIN=auto GOFLAGS=-mod=mod\r\nCOPY . .\r\n"
        "RUN go build -o /app .\r\n",
        "FROM golang:1.23 AS build\r\nENV GOFLAGS=-mod=mod\r\nCOPY . .\r\n"
        "RUN go build -o /app .\r\n",
        GO123,
        UNSAFE,
        id="crlf",
    ),
    pytest.param(
        "# escape=`\n" + B + "ENV GOTOOLCHAIN=auto `\n    CGO_ENABLED=0\n" + BUILD + END,
        "# escape=`\n" + B + "ENV CGO_ENABLED=0\n" + BUILD + END,
        GO123,
        None,
        id="backtick-escape",
    ),
    pytest.param(
        B + "ARG GOTOOLCHAIN=auto\n" + BUILD + END,
        B + "ARG GOTOOLCHAIN\n" + BUILD + END,
        GO123,
        None,
        id="arg-default-dropped-arg-kept",
    ),
    pytest.param(
        "ARG GOTOOLCHAIN=auto\n" + B + "ARG GOTOOLCHAIN\n" + BUILD + END,
        "ARG GOTOOLCHAIN\n" + B + "ARG GOTOOLCHAIN\n" + BUILD + END,
        GO123,
        None,
        id="global-arg",
    ),
    pytest.param(
        B + "COPY . .\nRUN export GOTOOLCHAIN=auto && go build -o /app .\n" + END,
        B + BUILD + END,
        GO123,
        None,
        id="export",
    ),
    pytest.param(
        B
        + "COPY . .\nRUN GOTOOLCHAIN=auto go build -o /app . && env GOTOOLCHAIN=auto go vet\n"
        + END,
        B + "COPY . .\nRUN go build -o /app . && env go vet\n" + END,
        GO123,
        None,
        id="inline-and-env",
    ),
    pytest.param(
        B + "COPY . .\nRUN make build GOTOOLCHAIN=auto\n" + END,
        B + "COPY . .\nRUN make build\n" + END,
        GO123,
        None,
        id="make-variable",
    ),
    pytest.param(
        B + "COPY . .\nRUN <<EOF\nexport GOTOOLCHAIN=auto\ngo build -o /app .\nEOF\n" + END,
        B + "COPY . .\nRUN <<EOF\ngo build -o /app .\nEOF\n" + END,
        GO123,
        None,
        id="heredoc-body",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\nCOPY . .\n\nFROM build AS test\nRUN go test ./... > /report\n"
        "\nFROM scratch\nCOPY --from=test /report /report\n",
        B + "COPY . .\n\nFROM build AS test\nRUN go test ./... > /report\n"
        "\nFROM scratch\nCOPY --from=test /report /report\n",
        GO123,
        None,
        id="child-stage-inherits",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END,
        B + BUILD + END,
        ctx("module x\n\ngo 1.22.5\n\ntoolchain default\n"),
        None,
        id="older-go-line-and-toolchain-default",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END,
        B + BUILD + END,
        ctx("module x\n\ngo 1.21\n\ntoolchain go1.23.0\n"),
        None,
        id="toolchain-line-within-image",
    ),
    pytest.param(
        "FROM golang:1.23.4 AS build\nENV GOTOOLCHAIN=go1.23.4\n" + BUILD + END,
        "FROM golang:1.23.4 AS build\n" + BUILD + END,
        None,
        None,
        id="pin-equal-to-exact-image",
    ),
    pytest.param(
        "FROM golang:1.23.4 AS build\nENV GOTOOLCHAIN=go1.23.4+auto\n" + BUILD + END,
        "FROM golang:1.23.4 AS build\n" + BUILD + END,
        GO123,
        None,
        id="pin-auto-selects-the-image-go",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=path+auto\n" + BUILD + END,
        B + BUILD + END,
        None,
        None,
        id="invalid-path-plus-auto",
    ),
    pytest.param(
        B + "RUN go env -w GOTOOLCHAIN=auto\n" + BUILD + END,
        B + BUILD + END,
        None,
        None,
        id="go-env-w-overridden-by-image-env",
    ),
    pytest.param(
        B + 'RUN go env -w GOTOOLCHAIN="go$(cat .go-version)"\n' + BUILD + END,
        B + BUILD + END,
        None,
        None,
        id="go-env-w-computed-pin-overridden",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=\n" + BUILD + END, B + BUILD + END, GO123, None, id="empty-value"
    ),
    pytest.param(
        "FROM golang:1.23\nENV GOTOOLCHAIN=auto\n" + BUILD,
        "FROM golang:1.23\n" + BUILD,
        GO123,
        UNSAFE,
        id="image-env-with-unsafe-opt-in",
    ),
]

NOOP = [
    pytest.param(B + "ENV GOTOOLCHAIN=local\n" + BUILD + END, id="local"),
    pytest.param(B + "ENV GOTOOLCHAIN=path\n" + BUILD + END, id="path"),
    pytest.param(B + "RUN GOTOOLCHAIN=local+path go build -o /app .\n" + END, id="local-path"),
    pytest.param("FROM debian:bookworm\nENV GOTOOLCHAIN=\n", id="empty-outside-golang"),
    pytest.param(B + "RUN echo GOTOOLCHAIN=auto\n" + END, id="echo-is-not-a-setting"),
    pytest.param(
        "# syntax=docker/dockerfile:1\nFROM golang:1.23 AS build\nWORKDIR /src\n"
        "COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n"
        'ENTRYPOINT ["/app"]\n',
        id="clean-dockerfile",
    ),
]


@pytest.mark.parametrize(("before", "after", "build_context", "options"), FIX)
def test_fix(
    before: str, after: str, build_context: BuildContext | None, options: Options | None
) -> None:
    assert_fix("GC107", before, after, options, build_context)


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC107", text, build_context=GO123)


REPORT = [
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END,
        GO124,
        "move the base image to golang:1.24",
        id="go-mod-newer-than-image",
    ),
    pytest.param(
        "FROM golang:1.23-alpine AS build\nENV GOTOOLCHAIN=auto\n" + BUILD + END,
        GO124,
        "move the base image to golang:1.24-alpine",
        id="suggestion-keeps-the-image-variant",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END,
        ctx("module x\n\ngo 1.23.4\n"),
        "can make the build fail",
        id="go-mod-patch-the-tag-may-not-have",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END,
        ctx("module x\n\ngo 1.22\n\ntoolchain go1.24.1\n"),
        "golang:1.24.1",
        id="toolchain-line-newer",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END,
        None,
        "go.mod is not known",
        id="go-mod-unknown",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END,
        ctx(None),
        "go.mod is not known",
        id="no-go-mod-in-context",
    ),
    pytest.param(
        "FROM golang:latest AS build\nENV GOTOOLCHAIN=auto\n" + BUILD + END,
        GO123,
        "Go version is not known",
        id="image-version-unknown",
    ),
    pytest.param(
        "FROM debian:bookworm AS build\nENV GOTOOLCHAIN=auto\n" + BUILD + END,
        GO123,
        "Go version is not known",
        id="not-a-golang-image",
    ),
    pytest.param(
        B
        + "ENV GOTOOLCHAIN=auto\n"
        + BUILD
        + "RUN go install golang.org/x/tools/gopls@latest\n"
        + END,
        GO123,
        "`go install` on line 5",
        id="remote-install-may-need-newer-go",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=auto\n" + BUILD + "RUN go get -u ./...\n" + END,
        GO123,
        "`go get` on line 5",
        id="go-get-may-raise-the-go-line",
    ),
    pytest.param(
        B
        + "ENV GOTOOLCHAIN=auto\nRUN git clone https://example.com/x /x && cd /x && go build\n"
        + END,
        GO123,
        "cloned at build time",
        id="cloned-module",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=go1.24.1\n" + BUILD + END,
        GO123,
        "move the base image to golang:1.24.1",
        id="pin-other-version",
    ),
    pytest.param(
        B + "ENV GOTOOLCHAIN=go1.23\n" + BUILD + END,
        GO123,
        "use a toolchain version (go1.23.x)",
        id="language-version",
    ),
    pytest.param(
        B + "ARG TC=auto\nENV GOTOOLCHAIN=$TC\n" + BUILD + END,
        GO123,
        "the value comes from $TC",
        id="value-from-arg",
    ),
    pytest.param(
        "FROM golang:1.23\nONBUILD ENV GOTOOLCHAIN=auto\n",
        GO123,
        "ONBUILD settings",
        id="onbuild-env",
    ),
    pytest.param(
        "FROM golang:1.23\nONBUILD COPY . .\nONBUILD RUN GOTOOLCHAIN=auto go build -o /app .\n",
        GO123,
        "with their own go.mod",
        id="onbuild-run-uses-another-go-mod",
    ),
    pytest.param(
        "FROM golang:1.23\nENV GOTOOLCHAIN=auto\n" + BUILD,
        GO123,
        "unsafe_fixes: [GC107]",
        id="image-env-is-an-unsafe-suggestion",
    ),
]


@pytest.mark.parametrize(("text", "build_context", "note"), REPORT)
def test_report_only(text: str, build_context: BuildContext | None, note: str) -> None:
    result = assert_report_only("GC107", text, build_context=build_context)
    (f,) = [f for f in result.findings if f.code == "GC107"]
    assert f.note is not None and note in f.note, f.note


def test_newer_go_mod_note_quotes_the_go_error() -> None:
    result = run_rule("GC107", B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END, build_context=GO124)
    (f,) = result.findings
    assert f.severity == "warning" and not f.fixable
    assert "`go: go.mod requires go >= 1.24 (running go 1.23.x; GOTOOLCHAIN=local)`" in (
        f.note or ""
    )


def test_messages() -> None:
    auto = run_rule("GC107", B + "ENV GOTOOLCHAIN=auto\n" + BUILD + END, build_context=GO123)
    assert "download a newer Go toolchain from the module proxy" in auto.findings[0].message
    assert "GOTOOLCHAIN=local` on purpose" in auto.findings[0].message
    bad = run_rule("GC107", B + "ENV GOTOOLCHAIN=path+auto\n" + BUILD + END)
    assert 'invalid minimum toolchain "path"' in bad.findings[0].message
    shadowed = run_rule("GC107", B + "RUN go env -w GOTOOLCHAIN=auto\n" + BUILD + END)
    assert "does not take effect" in shadowed.findings[0].message
    pinned = run_rule(
        "GC107", B + "ENV GOTOOLCHAIN=go1.24.1+path\n" + BUILD + END, build_context=GO123
    )
    assert 'cannot find "go1.24.1" in PATH' in pinned.findings[0].message


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("local", None),
        ("path", None),
        ("local+path", None),
        ("auto", "auto"),
        ("local+auto", "auto"),
        ("path+auto", "invalid"),
        ("go1.22.3", "pin"),
        ("go1.22.3+auto", "pin"),
        ("go1.22.3+path", "pin"),
        ("go1.22", "language"),
        ("go1.20", "pin"),
        ("go1.22.3+fast", None),
        ("bash", None),
    ],
)
def test_classify(value: str, kind: str | None) -> None:
    form = classify(value)
    assert (form.kind if form else None) == kind


def test_version_order_follows_the_go_command() -> None:
    order = ["1.21", "1.21rc1", "1.21.0", "1.21.1", "1.22beta1", "1.22rc2", "1.22.0"]
    keys = [version_key(v) for v in order]
    assert keys == sorted(keys)  # type: ignore[type-var]
    img = image_go("1.23")
    assert img is not None and not img.exact and img.oldest == version_key("1.23.0")
    assert image_go("1.20") is not None and image_go("1") is None
    mod = parse_go_mod("module x // c\n\ngo 1.23.1 // pinned\ntoolchain go1.23.4\n")
    assert (mod.go_key, mod.toolchain_key) == (version_key("1.23.1"), version_key("1.23.4"))
