"""GC102 goroot-override: every place GOROOT can be set, and every later use keeps its path."""

from __future__ import annotations

import pytest

from rewriters.options import Options
from tests.rules.helpers import assert_fix, assert_noop, assert_report_only, run_rule

UNSAFE = Options(unsafe_fixes=("GC102",))
B = "FROM golang:1.22 AS build\n"
END = "\nFROM scratch\nCOPY --from=build /out/app /app\n"

FIX = [
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nENV PATH=$GOROOT/bin:$PATH\n"
        "RUN $GOROOT/bin/go build -o /out/app .\n" + END,
        B
        + "ENV PATH=/usr/local/go/bin:$PATH\nRUN /usr/local/go/bin/go build -o /out/app .\n"
        + END,
        None,
        id="issue-case-path-and-go-binary-keep-their-value",
    ),
    pytest.param(
        B
        + "ENV GOROOT /usr/local/go\nENV PATH ${GOROOT}/bin:$PATH\nRUN go build -o /out/app .\n"
        + END,
        B + "ENV PATH /usr/local/go/bin:$PATH\nRUN go build -o /out/app .\n" + END,
        None,
        id="legacy-env-form",
    ),
    pytest.param(
        B + 'ENV GOROOT="/usr/local/go"\nENV PATH="$GOROOT/bin:$PATH"\n' + END,
        B + 'ENV PATH="/usr/local/go/bin:$PATH"\n' + END,
        None,
        id="double-quoted-values",
    ),
    pytest.param(
        B + "ENV CGO_ENABLED=0 \\\n    # where Go lives\n    GOROOT=/usr/local/go \\\n"
        "    GOPATH=/go\nRUN $GOROOT/bin/go build -o /out/app .\n" + END,
        B + "ENV CGO_ENABLED=0 \\\n    # where Go lives\n    GOPATH=/go\n"
        "RUN /usr/local/go/bin/go build -o /out/app .\n" + END,
        None,
        id="multi-pair-continuation-comment-survives",
    ),
    pytest.param(
        B + "ENV GOROOT=/usr/local/go \\\n    GOPATH=/go \\\n    PATH=$GOROOT/bin:$PATH\n"
        "RUN go build -o /out/app .\n" + END,
        B + "ENV GOPATH=/go \\\n    PATH=$GOROOT/bin:$PATH\nRUN go build -o /out/app .\n" + END,
        None,
        id="same-env-instruction-sees-the-previous-value",
    ),
    pytest.param(
        B + "RUN apt-get update \\\n    # GOROOT is set below\n    && apt-get install -y git\n"
        "ENV GOROOT=/usr/local/go\nRUN ${GOROOT}/bin/go build -o /out/app . && \\\n"
        "    # drop the docs under $GOROOT too\n    rm -rf ${GOROOT}/pkg\n" + END,
        B + "RUN apt-get update \\\n    # GOROOT is set below\n    && apt-get install -y git\n"
        "RUN /usr/local/go/bin/go build -o /out/app . && \\\n"
        "    # drop the docs under $GOROOT too\n    rm -rf /usr/local/go/pkg\n" + END,
        None,
        id="comment-lines-in-continued-runs-survive",
    ),
    pytest.param(
        "FROM golang:1.22 AS build\r\nENV GOROOT=/usr/local/go\r\n"
        "RUN $GOROOT/bin/go build -o /out/app .\r\n\r\nFROM scratch\r\n"
        "COPY --from=build /out/app /app\r\n",
        "FROM golang:1.22 AS build\r\nRUN /usr/local/go/bin/go build -o /out/app .\r\n\r\n"
        "FROM scratch\r\nCOPY --from=build /out/app /app\r\n",
        None,
        id="crlf",
    ),
    pytest.param(
        "# escape=`\n" + B + "ENV GOROOT=/usr/local/go `\n    CGO_ENABLED=0\n"
        "RUN $GOROOT/bin/go build `\n    -o /out/app .\n" + END,
        "# escape=`\n" + B + "ENV CGO_ENABLED=0\nRUN /usr/local/go/bin/go build `\n"
        "    -o /out/app .\n" + END,
        None,
        id="backtick-escape-directive",
    ),
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nRUN $GOROOT/bin/go build -o /out/app .\n\n"
        "FROM build AS test\nRUN $GOROOT/bin/go test ./... > /out/report.txt\n\n"
        "FROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=test /out/report.txt /r\n",
        B + "RUN /usr/local/go/bin/go build -o /out/app .\n\n"
        "FROM build AS test\nRUN /usr/local/go/bin/go test ./... > /out/report.txt\n\n"
        "FROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=test /out/report.txt /r\n",
        None,
        id="child-stage-inherits-env-and-its-uses",
    ),
    pytest.param(
        B + "ARG GOROOT=/usr/local/go\nRUN $GOROOT/bin/go build -o /out/app .\n\n"
        "FROM build AS test\nRUN echo $GOROOT > /out/goroot.txt\n\n"
        "FROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=test /out/goroot.txt /g\n",
        B + "RUN /usr/local/go/bin/go build -o /out/app .\n\n"
        "FROM build AS test\nRUN echo $GOROOT > /out/goroot.txt\n\n"
        "FROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=test /out/goroot.txt /g\n",
        None,
        id="arg-is-not-inherited-by-child-stages",
    ),
    pytest.param(
        "ARG GOROOT=/usr/local/go\n"
        + B
        + "ARG GOROOT\nRUN $GOROOT/bin/go build -o /out/app .\n"
        + END,
        B + "RUN /usr/local/go/bin/go build -o /out/app .\n" + END,
        None,
        id="global-arg-and-its-redeclaration",
    ),
    pytest.param(
        B + "RUN export GOROOT=/usr/local/go && export PATH=$GOROOT/bin:$PATH && \\\n"
        '    go build -o "$GOROOT/../app" .\n' + END,
        B + "RUN export PATH=/usr/local/go/bin:$PATH && \\\n"
        '    go build -o "/usr/local/go/../app" .\n' + END,
        None,
        id="export-and-the-rest-of-its-script",
    ),
    pytest.param(
        B + "RUN echo $GOROOT && export GOROOT=/usr/local/go && go build -o /out/app .\n" + END,
        B + "RUN echo $GOROOT && go build -o /out/app .\n" + END,
        None,
        id="export-leaves-earlier-references-alone",
    ),
    pytest.param(
        B + "RUN GOROOT=/usr/local/go go build -o /out/app . && \\\n"
        "    env GOROOT=/usr/local/go CGO_ENABLED=0 go vet ./...\n" + END,
        B + "RUN go build -o /out/app . && \\\n    env CGO_ENABLED=0 go vet ./...\n" + END,
        None,
        id="inline-and-env-assignments-for-go",
    ),
    pytest.param(
        B + "ARG GO_HOME=/usr/local/go\nRUN GOROOT=$GO_HOME go build -o /out/app .\n" + END,
        B + "ARG GO_HOME=/usr/local/go\nRUN go build -o /out/app .\n" + END,
        None,
        id="inline-for-go-needs-no-literal-value",
    ),
    pytest.param(
        B + "RUN go env -w GOROOT=$(go env GOROOT) && go build -o /out/app .\n" + END,
        B + "RUN go build -o /out/app .\n" + END,
        None,
        id="go-env-w-computed-value",
    ),
    pytest.param(
        B + "RUN go env -w GOROOT=/usr/local/go && go build -o /out/app .\n" + END,
        B + "RUN go build -o /out/app .\n" + END,
        None,
        id="go-env-w",
    ),
    pytest.param(
        B
        + "ENV GOROOT=/usr/local/go\nRUN <<EOF\nset -e\n$GOROOT/bin/go build -o /out/app .\nEOF\n"
        + END,
        B + "RUN <<EOF\nset -e\n/usr/local/go/bin/go build -o /out/app .\nEOF\n" + END,
        None,
        id="heredoc-run-body",
    ),
    pytest.param(
        B
        + "RUN <<EOF\nexport GOROOT=/usr/local/go\n$GOROOT/bin/go build -o /out/app .\nEOF\n"
        + END,
        B + "RUN <<EOF\n/usr/local/go/bin/go build -o /out/app .\nEOF\n" + END,
        None,
        id="export-in-heredoc-body",
    ),
    pytest.param(
        B
        + 'ENV GOROOT=/usr/local/go\nRUN ["sh", "-c", "$GOROOT/bin/go build -o /out/app ."]\n'
        + END,
        B + 'RUN ["sh", "-c", "/usr/local/go/bin/go build -o /out/app ."]\n' + END,
        None,
        id="exec-form-sh-c",
    ),
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nWORKDIR ${GOROOT}/src/app\nCOPY . $GOROOT/src/app/\n"
        "RUN go build -o /out/app . && rm -rf ${GOROOT}/pkg/tool/*/doc\n" + END,
        B + "WORKDIR /usr/local/go/src/app\nCOPY . /usr/local/go/src/app/\n"
        "RUN go build -o /out/app . && rm -rf /usr/local/go/pkg/tool/*/doc\n" + END,
        None,
        id="workdir-copy-and-rm-paths",
    ),
    pytest.param(
        "FROM debian:bookworm AS build\nENV GOROOT=/opt/go\nENV PATH=$GOROOT/bin:$PATH\n"
        "RUN curl -fsSL https://go.dev/dl/go1.22.5.linux-amd64.tar.gz | tar -xz -C /opt\n"
        "RUN go build -o /out/app .\n" + END,
        "FROM debian:bookworm AS build\nENV PATH=/opt/go/bin:$PATH\n"
        "RUN curl -fsSL https://go.dev/dl/go1.22.5.linux-amd64.tar.gz | tar -xz -C /opt\n"
        "RUN go build -o /out/app .\n" + END,
        None,
        id="manual-install-elsewhere",
    ),
    pytest.param(
        "FROM golang:1.22\nONBUILD RUN GOROOT=/usr/local/go go build -o /app .\n",
        "FROM golang:1.22\nONBUILD RUN go build -o /app .\n",
        None,
        id="onbuild-run-inline",
    ),
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nRUN export GOROOT=/usr/local/go && $GOROOT/bin/go version\n"
        "RUN $GOROOT/bin/go build -o /out/app .\n" + END,
        B
        + "RUN /usr/local/go/bin/go version\nRUN /usr/local/go/bin/go build -o /out/app .\n"
        + END,
        None,
        id="env-and-export-converge-over-passes",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOROOT=/usr/local/go\nENV PATH=$GOROOT/bin:$PATH\n"
        "CMD $GOROOT/bin/go run .\n",
        "FROM golang:1.22\nENV PATH=/usr/local/go/bin:$PATH\nCMD /usr/local/go/bin/go run .\n",
        UNSAFE,
        id="image-env-with-unsafe-opt-in-shell-form-cmd",
    ),
]

NOOP = [
    pytest.param(
        "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nWORKDIR /src\n"
        "COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n"
        'USER 65532:65532\nENTRYPOINT ["/app"]\n',
        id="clean-dockerfile",
    ),
    pytest.param(
        "FROM golang:1.22\nENV GOROOT_BOOTSTRAP=/usr/local/go\n"
        "RUN cd /src/go/src && GOROOT_FINAL=/opt/go ./make.bash\n",
        id="goroot-bootstrap-and-final-are-other-settings",
    ),
    pytest.param(
        "FROM golang:1.22\nRUN echo GOROOT=/usr/local/go && go env GOROOT\n",
        id="printing-is-not-setting",
    ),
    pytest.param("FROM golang:1.22\nENV GOROOT=\n", id="empty-value-means-unset"),
    pytest.param("FROM golang:1.22\nARG GOROOT\n", id="arg-without-default"),
]


@pytest.mark.parametrize(("before", "after", "options"), FIX)
def test_fix(before: str, after: str, options: Options | None) -> None:
    assert_fix("GC102", before, after, options)


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC102", text)


REPORT = [
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nRUN echo ${GOROOT:-/usr/lib/go}\n" + END,
        "`${GOROOT:-/usr/lib/go}` on line 3 is not a plain reference",
        id="default-operator",
    ),
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nRUN sh -c '$GOROOT/bin/go build -o /out/app .'\n" + END,
        "GOROOT on line 3 is used",
        id="single-quotes-expanded-later-by-another-shell",
    ),
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nRUN cat <<'EOF' > /usr/local/bin/build\n"
        "$GOROOT/bin/go build -o /out/app .\nEOF\n" + END,
        "GOROOT on line 4 is used",
        id="quoted-heredoc-data",
    ),
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nRUN printenv GOROOT > /out/goroot\n" + END,
        "GOROOT on line 3 is used",
        id="read-by-name",
    ),
    pytest.param(
        B + "ENV GOROOT=/usr/local/go\nRUN echo $GO\\\nROOT > /out/goroot\n" + END,
        "`$GOROOT` on line 3 is split across lines",
        id="reference-split-by-a-continuation",
    ),
    pytest.param(
        B
        + "ENV GOROOT=/usr/local/go\nRUN --mount=type=cache,target=$GOROOT/pkg go build .\n"
        + END,
        "GOROOT on line 3 is used",
        id="mount-flag",
    ),
    pytest.param(
        B + 'ENV GOROOT=/usr/local/go\nRUN ["$GOROOT/bin/go", "build", "-o", "/out/app"]\n' + END,
        "GOROOT on line 3 is used",
        id="exec-form-argument-is-not-expanded",
    ),
    pytest.param(
        B + 'RUN ["go", "env", "-w", "GOROOT=/usr/local/go"]\n' + END,
        "cannot be removed cleanly",
        id="exec-form-go-env-w",
    ),
    pytest.param(
        B + "ARG GO_HOME=/usr/local/go\nENV GOROOT=$GO_HOME\n" + END,
        "the value comes from $GO_HOME",
        id="value-from-another-variable",
    ),
    pytest.param(
        B + "RUN make build GOROOT=/usr/local/go\n" + END,
        "make passes GOROOT to the Makefile",
        id="make-variable",
    ),
    pytest.param(
        B + "RUN GOROOT=/usr/local/go ./build.sh\n" + END,
        "GOROOT is passed to `./build.sh`, not to go",
        id="inline-for-another-program",
    ),
    pytest.param(
        B + "RUN (export GOROOT=/opt/go && go build -o /out/app .) && echo $GOROOT\n" + END,
        "inside a subshell",
        id="export-in-subshell",
    ),
    pytest.param(
        "FROM debian:wheezy AS build\nENV GOROOT=/goroot\nENV PATH=$PATH:$GOROOT/bin\n"
        "RUN curl https://storage.googleapis.com/golang/go1.5.linux-amd64.tar.gz "
        "| tar xzf - -C /goroot\n" + END,
        "go1.5 is installed here",
        id="go-before-1.9-needs-goroot",
    ),
    pytest.param(
        "FROM golang:1.22\nONBUILD ENV GOROOT=/usr/local/go\n",
        "ONBUILD settings apply in images built from this one",
        id="onbuild-env",
    ),
    pytest.param(
        'FROM golang:1.22\nENV GOROOT=/usr/local/go\nCMD ["golangci-lint", "run"]\n',
        "runtime.GOROOT()",
        id="image-env-is-an-unsafe-suggestion",
    ),
]


@pytest.mark.parametrize(("text", "note"), REPORT)
def test_report_only(text: str, note: str) -> None:
    result = assert_report_only("GC102", text)
    (f,) = [f for f in result.findings if f.code == "GC102"]
    assert f.note is not None and note in f.note, f.note


def test_image_env_suggestion_names_the_opt_in() -> None:
    result = assert_report_only("GC102", "FROM golang:1.22\nENV GOROOT=/usr/local/go\n")
    (f,) = result.findings
    assert f.fix is not None and f.fix.applicability == "unsafe" and not f.fix_applied
    assert "unsafe_fixes: [GC102]" in (f.note or "")


def test_redundant_value_in_golang_image_says_so() -> None:
    result = run_rule("GC102", B + "ENV GOROOT=/usr/local/go\n" + END)
    (f,) = result.findings
    assert (f.line, f.severity, f.fix_applied) == (2, "error", True)
    assert "repeats what go already knows" in f.message
    assert "/usr/local/go" in f.message
    assert 'compile: version "go1.X" does not match go tool version "go1.Y"' in f.message


def test_other_value_message_names_the_mismatch() -> None:
    result = run_rule("GC102", B + "ENV GOROOT=/opt/go\n" + END)
    (f,) = result.findings
    assert "repeats" not in f.message
    assert "finds from the location of its own binary" in f.message
    assert "does not match go tool version" in f.message


def test_go_env_w_message_says_it_persists() -> None:
    result = run_rule("GC102", "FROM golang:1.22\nRUN go env -w GOROOT=/opt/go\n")
    (f,) = result.findings
    assert "go env file" in f.message and "cannot find GOROOT directory" in f.message
