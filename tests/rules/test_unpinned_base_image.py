"""GC209 unpinned-base-image: digests come in through the options (no network here)."""

from __future__ import annotations

import pytest

from rewriters.options import ImageDigest, Options
from tests.rules.helpers import (
    POLICY_FOLLOWING,
    assert_fix,
    assert_noop,
    assert_report_only,
    run_rule,
)

D1 = "sha256:" + "1" * 64
D2 = "sha256:" + "2" * 64
D3 = "sha256:" + "3" * 64
KNOWN = Options(
    image_digests=(
        ("docker.io/library/golang:1.22", ImageDigest(D1)),
        ("docker.io/library/alpine:latest", ImageDigest(D2)),
        ("gcr.io/distroless/static-debian12:nonroot", ImageDigest(D3)),
        ("docker.io/library/golang:1.23", ImageDigest(None, "the registry did not answer")),
    )
)

FIX = [
    pytest.param("FROM golang:1.22\n", f"FROM golang:1.22@{D1}\n", id="plain"),
    pytest.param(
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN go build ./...\n",
        f"FROM --platform=$BUILDPLATFORM golang:1.22@{D1} AS build\nRUN go build ./...\n",
        id="platform-and-alias-kept",
    ),
    pytest.param(
        "from   golang:1.22   as   Build\r\nRUN go build ./...\r\n",
        f"from   golang:1.22@{D1}   as   Build\r\nRUN go build ./...\r\n",
        id="case-spacing-crlf-kept",
    ),
    pytest.param("FROM alpine\n", f"FROM alpine@{D2}\n", id="tagless-keeps-what-is-written"),
    pytest.param(
        "FROM docker.io/library/golang:1.22\n",
        f"FROM docker.io/library/golang:1.22@{D1}\n",
        id="fully-qualified-same-key",
    ),
    pytest.param(
        "FROM \\\n  golang:1.22 \\\n  AS build\n",
        f"FROM \\\n  golang:1.22@{D1} \\\n  AS build\n",
        id="continuation-lines",
    ),
    pytest.param(
        "# base\nFROM golang:1.22 AS build\nRUN go build -o /app .\n\n"
        "FROM build AS test\nRUN go test ./...\n\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n",
        f"# base\nFROM golang:1.22@{D1} AS build\nRUN go build -o /app .\n\n"
        "FROM build AS test\nRUN go test ./...\n\n"
        f"FROM gcr.io/distroless/static-debian12:nonroot@{D3}\nCOPY --from=build /app /app\n",
        id="multi-stage-stage-ref-untouched",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert_fix("GC209", before, after, KNOWN)


NOOP = [
    pytest.param(f"FROM golang:1.22@{D1}\n", id="already-pinned"),
    pytest.param(f"FROM golang:1.22@{D1} AS build\nFROM build\n", id="stage-ref-of-pinned"),
    pytest.param("FROM scratch\nCOPY app /app\n", id="scratch"),
    pytest.param("ARG D=sha256:" + "a" * 64 + "\nFROM golang:1.22@${D}\n", id="digest-from-arg"),
    pytest.param(f"ARG BASE=golang:1.22@{D1}\nFROM $BASE\n", id="arg-default-pinned-by-digest"),
    pytest.param("ARG BASE=scratch\nFROM ${BASE}\n", id="arg-default-scratch"),
    pytest.param(
        f"FROM golang:1.22@{D1} AS base\nFROM base AS linux\nFROM base AS windows\n"
        "FROM ${TARGETOS} AS target\n",
        id="arg-selects-a-stage",
    ),
    pytest.param(
        f"FROM golang:1.22@{D1} AS build-linux\nARG TARGETOS\nFROM build-$TARGETOS\n",
        id="arg-selects-a-stage-by-prefix",
    ),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC209", text, KNOWN)


def _notes(text: str, options: Options = KNOWN) -> list[str | None]:
    result = assert_report_only("GC209", text, options)
    found = [f for f in result.findings if f.code == "GC209"]
    assert all(not f.fixable for f in found)
    return [f.note for f in found]


def test_arg_valued_image_is_reported_with_the_reason() -> None:
    text = "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-alpine AS build\n"
    (note,) = _notes(text)
    assert note is not None
    assert note.startswith("cannot pin: the image comes from an ARG (`GO_VERSION`)")


def test_arg_that_matches_no_stage_is_reported() -> None:
    (note,) = _notes(f"FROM golang:1.22@{D1} AS base\nARG TARGETOS\nFROM tool-${{TARGETOS}}\n")
    assert note is not None and "(`TARGETOS`)" in note


def test_whole_image_from_arg_without_default() -> None:
    (note,) = _notes("ARG BASE\nFROM $BASE\n")
    assert note is not None and "(`BASE`)" in note


def test_not_looked_up_reports_why() -> None:
    (note,) = _notes("FROM golang:1.22\n", Options())
    assert note == (
        "the digest of docker.io/library/golang:1.22 was not looked up (digest resolution is "
        "off; `gocomply fix --resolve-digests` asks the registry)"
    )


def test_registry_failure_reports_its_reason() -> None:
    (note,) = _notes("FROM golang:1.23\n")
    assert note == (
        "cannot pin: no digest for docker.io/library/golang:1.23: the registry did not answer"
    )


def test_malformed_digest_is_never_written() -> None:
    bad = Options(image_digests=(("docker.io/library/golang:1.22", ImageDigest("sha256:abc")),))
    (note,) = _notes("FROM golang:1.22\n", bad)
    assert note is not None and "'sha256:abc' is not a sha256 digest" in note


def test_quoted_reference_is_left_alone() -> None:
    (note,) = _notes('FROM "golang:1.22"\n')
    assert note is not None and "quoted or escaped" in note


def test_message_names_what_is_written_and_the_pin_format() -> None:
    result = run_rule("GC209", "FROM golang:1.22 AS build\n", KNOWN)
    (finding,) = result.findings
    assert finding.severity == "info"
    assert finding.line == 1 and finding.column == 6
    assert finding.message.startswith("`golang:1.22` is not pinned by digest")
    assert "`golang:1.22@sha256:<index digest>`" in finding.message


def test_one_finding_per_unpinned_from() -> None:
    text = "FROM golang:1.22 AS a\nFROM alpine AS b\nFROM a\nFROM scratch\n"
    result = run_rule("GC209", text, KNOWN)
    assert [f.line for f in result.findings] == [1, 2]


def test_policy_following_without_digests_is_reported_not_changed() -> None:
    result = run_rule("GC209", POLICY_FOLLOWING)
    assert {f.severity for f in result.findings} == {"info"}
    assert len(result.findings) == 2
    assert result.new_text == POLICY_FOLLOWING


def test_policy_following_is_pinned_when_digests_are_known() -> None:
    options = Options(
        image_digests=(
            ("docker.io/library/golang:1.22-bookworm", ImageDigest(D1)),
            ("gcr.io/distroless/static-debian12:nonroot", ImageDigest(D3)),
        )
    )
    after = POLICY_FOLLOWING.replace("golang:1.22-bookworm", f"golang:1.22-bookworm@{D1}").replace(
        "static-debian12:nonroot", f"static-debian12:nonroot@{D3}"
    )
    assert_fix("GC209", POLICY_FOLLOWING, after, options)
