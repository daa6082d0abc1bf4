"""Shared helpers for rule tests: run one rule through the real engine (with verification)."""

from __future__ import annotations

from rewriters.context import BuildContext
from rewriters.engine import FileResult, analyze
from rewriters.options import Options
from rewriters.registry import find_rule

# A Dockerfile that follows every practice of RULES.md: no rule may report an error on it
# or change it (tests/rules/test_negative_controls.py checks every rule at once).
POLICY_FOLLOWING = """\
# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM golang:1.22-bookworm AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
RUN go install golang.org/x/tools/cmd/stringer@v0.24.0
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
"""


def run_rule(
    code: str, text: str, options: Options | None = None, build_context: BuildContext | None = None
) -> FileResult:
    r = find_rule(code)
    assert r is not None, code
    result = analyze(text, options=options, build_context=build_context, rules=[r])
    assert result.error is None, result.error
    return result


def assert_fix(
    code: str,
    before: str,
    after: str,
    options: Options | None = None,
    build_context: BuildContext | None = None,
) -> FileResult:
    """``before`` has findings of ``code`` and the verified fix produces exactly ``after``."""
    result = run_rule(code, before, options, build_context)
    assert [f.code for f in result.findings if f.code == code], "rule did not fire"
    assert result.refused == (), result.refused
    assert result.new_text == after
    again = run_rule(code, after, options, build_context)
    assert again.new_text == after, "second pass changed the file"
    return result


def assert_noop(
    code: str, text: str, options: Options | None = None, build_context: BuildContext | None = None
) -> None:
    result = run_rule(code, text, options, build_context)
    assert [f for f in result.findings if f.code == code] == []
    assert result.new_text == text


def assert_report_only(
    code: str, text: str, options: Options | None = None, build_context: BuildContext | None = None
) -> FileResult:
    result = run_rule(code, text, options, build_context)
    assert [f.code for f in result.findings if f.code == code], "rule did not fire"
    assert result.new_text == text
    return result
