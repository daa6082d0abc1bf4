"""Image reference parsing and base-image classification (rewriters/images.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rewriters.images import (
    UNKNOWN_FACTS,
    ImageRef,
    c_install_packages,
    classify,
    facts_for,
    parse_image,
    parse_image_partial,
)

SHA = "sha256:" + "0123456789abcdef" * 4
SHA512 = "sha512:" + "ab" * 64

# --------------------------------------------------------------------------- parsing

# (reference, registry, path, tag, digest, familiar name)
VALID = [
    pytest.param("golang", "docker.io", "library/golang", None, None, "golang", id="hub-short"),
    pytest.param(
        "golang:1.22", "docker.io", "library/golang", "1.22", None, "golang", id="hub-tag"
    ),
    pytest.param(
        "library/golang:1.22", "docker.io", "library/golang", "1.22", None, "golang", id="library"
    ),
    pytest.param(
        "docker.io/golang", "docker.io", "library/golang", None, None, "golang", id="docker-io"
    ),
    pytest.param(
        "index.docker.io/library/golang:1.22-alpine",
        "docker.io",
        "library/golang",
        "1.22-alpine",
        None,
        "golang",
        id="legacy-index",
    ),
    pytest.param(
        "chainguard/go:latest",
        "docker.io",
        "chainguard/go",
        "latest",
        None,
        "chainguard/go",
        id="hub-namespace",
    ),
    pytest.param(
        "gcr.io/distroless/static-debian12:nonroot",
        "gcr.io",
        "distroless/static-debian12",
        "nonroot",
        None,
        "gcr.io/distroless/static-debian12",
        id="gcr",
    ),
    pytest.param(
        "registry.example.com:5000/team/app:v1.2_3",
        "registry.example.com:5000",
        "team/app",
        "v1.2_3",
        None,
        "registry.example.com:5000/team/app",
        id="registry-port",
    ),
    pytest.param("localhost/app", "localhost", "app", None, None, "localhost/app", id="localhost"),
    pytest.param(
        "localhost:5000/ns/app:dev",
        "localhost:5000",
        "ns/app",
        "dev",
        None,
        "localhost:5000/ns/app",
        id="localhost-port",
    ),
    pytest.param(
        "localhost:5000",
        "docker.io",
        "library/localhost",
        "5000",
        None,
        "localhost",
        id="bare-localhost-is-a-hub-name-with-tag",
    ),
    pytest.param(
        "[::1]:5000/app", "[::1]:5000", "app", None, None, "[::1]:5000/app", id="ipv6-registry"
    ),
    pytest.param(
        "MyRegistry/app",
        "MyRegistry",
        "app",
        None,
        None,
        "MyRegistry/app",
        id="uppercase-first-component-is-a-host",
    ),
    pytest.param(
        "my-org/my_app__x.y",
        "docker.io",
        "my-org/my_app__x.y",
        None,
        None,
        "my-org/my_app__x.y",
        id="separators",
    ),
    pytest.param(f"golang@{SHA}", "docker.io", "library/golang", None, SHA, "golang", id="digest"),
    pytest.param(
        f"golang:1.22.3-bookworm@{SHA}",
        "docker.io",
        "library/golang",
        "1.22.3-bookworm",
        SHA,
        "golang",
        id="tag-and-digest",
    ),
    pytest.param(
        f"registry.example.com:5000/app:1@{SHA512}",
        "registry.example.com:5000",
        "app",
        "1",
        SHA512,
        "registry.example.com:5000/app",
        id="sha512-digest",
    ),
    pytest.param("scratch", "", "scratch", None, None, "scratch", id="scratch"),
]


@pytest.mark.parametrize(("ref", "registry", "path", "tag", "digest", "name"), VALID)
def test_parse_valid(
    ref: str, registry: str, path: str, tag: str | None, digest: str | None, name: str
) -> None:
    parsed = parse_image(ref)
    assert parsed == ImageRef(raw=ref, registry=registry, path=path, tag=tag, digest=digest)
    assert parsed.name == name
    assert parse_image_partial(ref) == parsed  # the partial parser agrees on literal refs


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param("", id="empty"),
        pytest.param("Golang:1.22", id="uppercase-hub-name"),
        pytest.param("docker.io/Library/golang", id="uppercase-path"),
        pytest.param("gcr.io/Distroless/static", id="uppercase-path-on-registry"),
        pytest.param("golang:", id="empty-tag"),
        pytest.param("golang:-1.22", id="tag-starts-with-dash"),
        pytest.param("golang:1.22+build", id="tag-bad-char"),
        pytest.param("golang:" + "a" * 129, id="tag-too-long"),
        pytest.param("golang@sha256:abc", id="digest-too-short"),
        pytest.param("golang@sha256:" + "A" * 64, id="digest-uppercase-hex"),
        pytest.param("golang@md5:" + "a" * 32, id="digest-unsupported-algorithm"),
        pytest.param("golang@" + "a" * 64, id="digest-without-algorithm"),
        pytest.param("a" * 64, id="bare-image-id"),
        pytest.param("golang:1.22 ", id="trailing-space"),
        pytest.param("foo//bar", id="empty-component"),
        pytest.param("-foo", id="leading-separator"),
        pytest.param("foo-/bar", id="trailing-separator"),
        pytest.param("foo/bar:1:2", id="two-tags"),
        pytest.param("example.com/" + "a" * 250, id="name-too-long"),
    ],
)
def test_parse_invalid(ref: str) -> None:
    assert parse_image(ref) is None
    assert parse_image_partial(ref) is None


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param("$base_image", id="bare-var"),
        pytest.param("${GO_IMAGE}", id="braced-var"),
        pytest.param("golang:${GO_VERSION}", id="var-tag"),
        pytest.param("golang:$GO_VERSION-alpine", id="var-tag-suffix"),
        pytest.param("${REGISTRY}/golang:1.22", id="var-registry"),
        pytest.param("golang@sha256:${DIGEST}", id="var-digest"),
    ],
)
def test_parse_image_refuses_variables(ref: str) -> None:
    assert parse_image(ref) is None


# (reference, path, tag, digest)
PARTIAL = [
    pytest.param("golang:${GO_VERSION}", "library/golang", "${GO_VERSION}", None, id="whole-tag"),
    pytest.param(
        "golang:${GO_VERSION}-alpine",
        "library/golang",
        "${GO_VERSION}-alpine",
        None,
        id="version-var-alpine",
    ),
    pytest.param(
        "golang:$GO_VERSION-alpine$ALPINE_VERSION",
        "library/golang",
        "$GO_VERSION-alpine$ALPINE_VERSION",
        None,
        id="unbraced-vars",
    ),
    pytest.param(
        "golang:${GO_VERSION:-1.22}-bookworm",
        "library/golang",
        "${GO_VERSION:-1.22}-bookworm",
        None,
        id="default-with-colon",
    ),
    pytest.param(
        "gcr.io/distroless/static-debian12:${TAG:-nonroot}",
        "distroless/static-debian12",
        "${TAG:-nonroot}",
        None,
        id="registry-and-var-tag",
    ),
    pytest.param(
        "golang:${V:-${FALLBACK}}", "library/golang", "${V:-${FALLBACK}}", None, id="nested"
    ),
    pytest.param(
        "golang@sha256:${DIGEST}", "library/golang", None, "sha256:${DIGEST}", id="var-digest"
    ),
    pytest.param(
        "golang:1.22@${DIGEST}", "library/golang", "1.22", "${DIGEST}", id="whole-digest-var"
    ),
]


@pytest.mark.parametrize(("ref", "path", "tag", "digest"), PARTIAL)
def test_parse_partial(ref: str, path: str, tag: str | None, digest: str | None) -> None:
    parsed = parse_image_partial(ref)
    assert parsed is not None
    assert (parsed.path, parsed.tag, parsed.digest) == (path, tag, digest)
    assert parsed.has_variables
    assert not parsed.pinned


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param("$base_image", id="bare-var"),
        pytest.param("${GO_IMAGE}", id="braced-var"),
        pytest.param("${GO_IMAGE}:1.22", id="var-repository"),
        pytest.param("${REGISTRY}/golang:1.22", id="var-registry"),
        pytest.param("golang${SUFFIX}:1.22", id="var-in-name"),
        pytest.param("Golang:${V}", id="uppercase-name"),
        pytest.param("golang:${UNCLOSED", id="unclosed-brace"),
        pytest.param("golang:$1", id="positional"),
        pytest.param("golang:${}", id="empty-braces"),
        pytest.param("golang:\\$V", id="escaped-dollar"),
        pytest.param("golang:${V}+x", id="bad-literal-in-tag"),
        pytest.param("golang:-${V}", id="tag-starts-with-dash"),
        pytest.param("golang:${V}@sha256:xyz", id="bad-literal-digest"),
        pytest.param("golang@md5:${D}", id="unsupported-algorithm"),
        pytest.param("golang:" + "a" * 129 + "@sha256:${D}", id="literal-tag-too-long"),
        pytest.param("golang:\x00$V", id="nul-character"),
    ],
)
def test_parse_partial_invalid(ref: str) -> None:
    assert parse_image_partial(ref) is None


@pytest.mark.parametrize(
    ("ref", "pinned"),
    [
        pytest.param(f"golang:1.22@{SHA}", True, id="sha256"),
        pytest.param(f"golang@{SHA}", True, id="digest-only"),
        pytest.param("golang:1.22", False, id="tag-only"),
        pytest.param("golang", False, id="bare"),
        pytest.param(f"golang@{SHA512}", False, id="sha512-not-counted-by-scorecard"),
    ],
)
def test_pinned(ref: str, pinned: bool) -> None:
    parsed = parse_image(ref)
    assert parsed is not None
    assert parsed.pinned is pinned
    assert parsed.pinnable


def test_scratch_is_special() -> None:
    ref = parse_image("scratch")
    assert ref is not None
    assert ref.is_scratch
    assert not ref.pinnable
    assert not ref.pinned
    assert ref.repository == "scratch"
    # Only the bare name is Docker's empty image; anything else is an ordinary Hub name.
    other = parse_image("docker.io/library/scratch")
    assert other is not None
    assert not other.is_scratch
    assert other.repository == "docker.io/library/scratch"


def test_repository() -> None:
    ref = parse_image(f"golang:1.22@{SHA}")
    assert ref is not None
    assert ref.repository == "docker.io/library/golang"


# --------------------------------------------------------------------------- classification

DEBIAN_GO: dict[str, Any] = {
    "known": True,
    "go_toolchain": True,
    "family": "debian",
    "libc": "glibc",
    "c_compiler": True,
    "shell": True,
    "shell_form": True,
    "nonroot": False,
    "default_user_uid": 0,
}
ALPINE_GO: dict[str, Any] = {
    **DEBIAN_GO,
    "family": "alpine",
    "libc": "musl",
    "c_compiler": False,
}
WINDOWS_GO: dict[str, Any] = {
    **DEBIAN_GO,
    "family": "windows",
    "libc": "unknown",
    "c_compiler": False,
    "default_user_uid": None,
}
UNKNOWN_VARIANT_GO: dict[str, Any] = {
    **DEBIAN_GO,
    "family": "unknown",
    "libc": "unknown",
    "c_compiler": None,
    "default_user_uid": None,
}
DISTRO: dict[str, Any] = {
    "known": True,
    "go_toolchain": False,
    "c_compiler": False,
    "shell": True,
    "shell_form": True,
    "nonroot": False,
    "default_user_uid": 0,
    "distroless_variant": None,
}
DISTROLESS: dict[str, Any] = {
    "known": True,
    "go_toolchain": False,
    "family": "distroless",
    "c_compiler": False,
    "shell": False,
    "shell_form": False,
    "nonroot": False,
    "default_user_uid": 0,
}
NONROOT = {"nonroot": True, "default_user_uid": 65532}
DEBUG = {"shell": True, "shell_form": False}

CLASSIFY = [
    # official golang, Debian by default
    pytest.param("golang", {**DEBIAN_GO, "go_version": None}, id="golang-bare"),
    pytest.param("golang:1.22", {**DEBIAN_GO, "go_version": "1.22"}, id="golang-minor"),
    pytest.param("golang:1", {**DEBIAN_GO, "go_version": "1"}, id="golang-major"),
    pytest.param("golang:latest", {**DEBIAN_GO, "go_version": None}, id="golang-latest"),
    pytest.param(
        "golang:1.22.3-bookworm", {**DEBIAN_GO, "go_version": "1.22.3"}, id="golang-bookworm"
    ),
    pytest.param("golang:1.21-bullseye", DEBIAN_GO, id="golang-bullseye"),
    pytest.param("golang:1.25-trixie", DEBIAN_GO, id="golang-trixie"),
    pytest.param("golang:bookworm", {**DEBIAN_GO, "go_version": None}, id="golang-codename"),
    pytest.param("golang:1.23rc1", {**DEBIAN_GO, "go_version": "1.23rc1"}, id="golang-rc"),
    pytest.param("golang:tip-20251026-trixie", DEBIAN_GO, id="golang-tip"),
    pytest.param("docker.io/library/golang:1.22", DEBIAN_GO, id="golang-canonical"),
    pytest.param("public.ecr.aws/docker/library/golang:1.22", DEBIAN_GO, id="golang-ecr-mirror"),
    pytest.param("mirror.gcr.io/library/golang:1.22", DEBIAN_GO, id="golang-gcr-mirror"),
    # golang alpine
    pytest.param(
        "golang:1.22-alpine3.19", {**ALPINE_GO, "go_version": "1.22"}, id="golang-alpine3.19"
    ),
    pytest.param("golang:alpine", {**ALPINE_GO, "go_version": None}, id="golang-alpine"),
    pytest.param("golang:1.22.3-alpine", ALPINE_GO, id="golang-patch-alpine"),
    pytest.param(f"golang:1.22-alpine@{SHA}", ALPINE_GO, id="golang-alpine-pinned"),
    # golang windows
    pytest.param(
        "golang:1.22-windowsservercore-ltsc2022", WINDOWS_GO, id="golang-windowsservercore"
    ),
    pytest.param("golang:1.22-nanoserver", WINDOWS_GO, id="golang-nanoserver"),
    pytest.param("golang:nanoserver-ltsc2025", WINDOWS_GO, id="golang-nanoserver-ltsc"),
    # golang whose variant cannot be told
    pytest.param(f"golang@{SHA}", UNKNOWN_VARIANT_GO, id="golang-digest-only"),
    pytest.param("golang:mytag", UNKNOWN_VARIANT_GO, id="golang-unknown-tag"),
    pytest.param("golang:1.22-alpine-bookworm", UNKNOWN_VARIANT_GO, id="golang-conflicting-tag"),
    # variable tags
    pytest.param("golang:${GO_VERSION}", UNKNOWN_VARIANT_GO, id="var-whole-tag"),
    pytest.param("golang:${TAG}", UNKNOWN_VARIANT_GO, id="var-tag"),
    pytest.param("golang:${GO_VERSION}-alpine", {**ALPINE_GO, "go_version": None}, id="var-alpine"),
    pytest.param("golang:$GO_VERSION-alpine$ALPINE_VERSION", ALPINE_GO, id="var-alpine-version"),
    pytest.param("golang:${GO_VERSION:-1.22}-bookworm", DEBIAN_GO, id="var-bookworm"),
    pytest.param("golang:${GO_VERSION}-windowsservercore-ltsc2022", WINDOWS_GO, id="var-windows"),
    pytest.param(
        "golang:1.22-${VARIANT}",
        {**UNKNOWN_VARIANT_GO, "go_version": "1.22"},
        id="var-variant",
    ),
    pytest.param("alpine:${ALPINE_VERSION}", {**DISTRO, "family": "alpine"}, id="var-alpine-repo"),
    # Microsoft build of Go
    pytest.param(
        "mcr.microsoft.com/oss/go/microsoft/golang:1.22-bookworm", DEBIAN_GO, id="msgo-bookworm"
    ),
    pytest.param(
        "mcr.microsoft.com/oss/go/microsoft/golang:1.22", DEBIAN_GO, id="msgo-default-debian"
    ),
    pytest.param(
        "mcr.microsoft.com/oss/go/microsoft/golang:1.20.0-1-bullseye-amd64",
        {**DEBIAN_GO, "go_version": "1.20.0"},
        id="msgo-simple-tag",
    ),
    pytest.param(
        "mcr.microsoft.com/oss/go/microsoft/golang:1.22-fips-cbl-mariner2.0",
        {**DEBIAN_GO, "family": "other"},
        id="msgo-mariner",
    ),
    pytest.param(
        "mcr.microsoft.com/oss/go/microsoft/golang:1.23-azurelinux3.0",
        {**DEBIAN_GO, "family": "other"},
        id="msgo-azurelinux",
    ),
    pytest.param(
        "mcr.microsoft.com/oss/go/microsoft/golang:1.23-windowsservercore-ltsc2022",
        WINDOWS_GO,
        id="msgo-windows",
    ),
    # Chainguard
    pytest.param(
        "cgr.dev/chainguard/go:latest",
        {**DEBIAN_GO, "family": "chainguard", "go_version": None},
        id="chainguard-go",
    ),
    pytest.param(
        "chainguard/go:1.22",
        {**DEBIAN_GO, "family": "chainguard", "go_version": "1.22"},
        id="chainguard-go-hub",
    ),
    pytest.param(
        "cgr.dev/chainguard/static:latest",
        {
            **DISTRO,
            **NONROOT,
            "family": "chainguard",
            "libc": "none",
            "shell": False,
            "shell_form": False,
        },
        id="chainguard-static",
    ),
    pytest.param(
        "cgr.dev/chainguard/glibc-dynamic",
        {
            **DISTRO,
            **NONROOT,
            "family": "chainguard",
            "libc": "glibc",
            "shell": False,
            "shell_form": False,
        },
        id="chainguard-glibc-dynamic",
    ),
    pytest.param(
        "cgr.dev/chainguard/glibc-dynamic:latest-dev",
        {**DISTRO, **NONROOT, "family": "chainguard", "libc": "glibc", "shell": True},
        id="chainguard-glibc-dynamic-dev",
    ),
    pytest.param(
        "cgr.dev/chainguard/python:latest",
        {
            "known": True,
            "go_toolchain": False,
            "family": "chainguard",
            "libc": "unknown",
            "c_compiler": None,
            "shell": None,
            "nonroot": False,
            "default_user_uid": None,
        },
        id="chainguard-other",
    ),
    # plain distributions
    pytest.param("alpine:3.19", {**DISTRO, "family": "alpine", "libc": "musl"}, id="alpine"),
    pytest.param("alpine", {**DISTRO, "family": "alpine", "libc": "musl"}, id="alpine-bare"),
    pytest.param(
        "debian:bookworm-slim", {**DISTRO, "family": "debian", "libc": "glibc"}, id="debian"
    ),
    pytest.param("ubuntu:24.04", {**DISTRO, "family": "ubuntu", "libc": "glibc"}, id="ubuntu"),
    pytest.param(
        "busybox", {**DISTRO, "family": "busybox", "libc": "unknown"}, id="busybox-per-arch"
    ),
    pytest.param(
        "busybox:1.36-glibc", {**DISTRO, "family": "busybox", "libc": "glibc"}, id="busybox-glibc"
    ),
    pytest.param(
        "busybox:musl", {**DISTRO, "family": "busybox", "libc": "none"}, id="busybox-musl"
    ),
    pytest.param(
        "busybox:1-uclibc", {**DISTRO, "family": "busybox", "libc": "none"}, id="busybox-uclibc"
    ),
    pytest.param(
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        {**DISTRO, "family": "windows", "libc": "unknown", "default_user_uid": None},
        id="windows-servercore",
    ),
    # scratch
    pytest.param(
        "scratch",
        {
            **DISTRO,
            "family": "scratch",
            "libc": "none",
            "shell": False,
            "shell_form": False,
        },
        id="scratch",
    ),
    # distroless
    pytest.param(
        "gcr.io/distroless/static-debian12",
        {**DISTROLESS, "libc": "none", "distroless_variant": "static"},
        id="distroless-static",
    ),
    pytest.param(
        "gcr.io/distroless/static-debian12:nonroot",
        {**DISTROLESS, **NONROOT, "libc": "none", "distroless_variant": "static"},
        id="distroless-static-nonroot",
    ),
    pytest.param(
        "gcr.io/distroless/static:nonroot-arm64",
        {**DISTROLESS, **NONROOT, "libc": "none", "distroless_variant": "static"},
        id="distroless-static-legacy-name-arch",
    ),
    pytest.param(
        "gcr.io/distroless/static-debian12:debug",
        {**DISTROLESS, **DEBUG, "libc": "none", "distroless_variant": "static"},
        id="distroless-static-debug",
    ),
    pytest.param(
        "gcr.io/distroless/base-debian12:nonroot",
        {**DISTROLESS, **NONROOT, "libc": "glibc", "distroless_variant": "base"},
        id="distroless-base-nonroot",
    ),
    pytest.param(
        "gcr.io/distroless/base-nossl-debian12:latest",
        {**DISTROLESS, "libc": "glibc", "distroless_variant": "base-nossl"},
        id="distroless-base-nossl",
    ),
    pytest.param(
        "gcr.io/distroless/cc-debian12:debug-nonroot",
        {**DISTROLESS, **NONROOT, **DEBUG, "libc": "glibc", "distroless_variant": "cc"},
        id="distroless-cc-debug-nonroot",
    ),
    pytest.param(
        "gcr.io/distroless/java17-debian12:nonroot",
        {**DISTROLESS, **NONROOT, "libc": "glibc", "distroless_variant": "java17"},
        id="distroless-java",
    ),
    pytest.param(
        f"gcr.io/distroless/static-debian12@{SHA}",
        {
            **DISTROLESS,
            "libc": "none",
            "shell": None,
            "default_user_uid": None,
            "distroless_variant": "static",
        },
        id="distroless-digest-only",
    ),
    pytest.param(
        "gcr.io/distroless/static-debian12:${TAG}",
        {**DISTROLESS, "shell": None, "default_user_uid": None, "libc": "none"},
        id="distroless-var-tag",
    ),
    pytest.param(
        "gcr.io/distroless/static-debian12:nonroot-${ARCH}",
        {**DISTROLESS, **NONROOT, "shell": None},
        id="distroless-var-arch",
    ),
]


@pytest.mark.parametrize(("ref", "expected"), CLASSIFY)
def test_classify(ref: str, expected: dict[str, Any]) -> None:
    facts = facts_for(ref)
    actual = {key: getattr(facts, key) for key in expected}
    assert actual == expected


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param("myorg/builder:1.0", id="private-hub"),
        pytest.param("ghcr.io/acme/golang:1.22", id="golang-name-elsewhere"),
        pytest.param("docker.io/library/scratch", id="not-the-special-scratch"),
        pytest.param("library/golang/extra:1", id="nested-library-path"),
        pytest.param("gcr.io/distroless/nested/static", id="distroless-nested"),
        pytest.param("$base_image", id="var-image"),
        pytest.param("${REGISTRY}/golang:1.22", id="var-registry"),
        pytest.param("Not A Reference", id="garbage"),
    ],
)
def test_unknown_images_claim_nothing(ref: str) -> None:
    assert facts_for(ref) == UNKNOWN_FACTS


def test_unknown_facts_are_unknown() -> None:
    assert UNKNOWN_FACTS.known is False
    assert UNKNOWN_FACTS.go_toolchain is False
    assert UNKNOWN_FACTS.family == "unknown"
    assert UNKNOWN_FACTS.libc == "unknown"
    assert UNKNOWN_FACTS.c_compiler is None
    assert UNKNOWN_FACTS.shell is None
    assert UNKNOWN_FACTS.shell_form is None
    assert UNKNOWN_FACTS.nonroot is False
    assert UNKNOWN_FACTS.default_user_uid is None


def test_classify_matches_facts_for() -> None:
    ref = parse_image("golang:1.22-alpine")
    assert ref is not None
    assert classify(ref) == facts_for("golang:1.22-alpine")


@pytest.mark.parametrize(
    ("ref", "packages"),
    [
        pytest.param("golang:1.22-alpine", ("gcc", "musl-dev"), id="golang-alpine"),
        pytest.param("golang:${GO_VERSION}-alpine", ("gcc", "musl-dev"), id="golang-var-alpine"),
        pytest.param("alpine:3.19", ("gcc", "musl-dev"), id="alpine"),
        pytest.param("golang:1.22-bookworm", ("gcc", "libc6-dev"), id="golang-debian"),
        pytest.param("debian:bookworm", ("gcc", "libc6-dev"), id="debian"),
        pytest.param("ubuntu:24.04", ("gcc", "libc6-dev"), id="ubuntu"),
        pytest.param("scratch", None, id="scratch"),
        pytest.param("gcr.io/distroless/static-debian12:debug", None, id="distroless"),
        pytest.param("busybox:musl", None, id="busybox"),
        pytest.param("cgr.dev/chainguard/static", None, id="chainguard"),
        pytest.param("golang:1.22-nanoserver", None, id="windows"),
        pytest.param("golang:${TAG}", None, id="unknown-variant"),
        pytest.param("myorg/builder", None, id="unknown"),
    ],
)
def test_c_install_packages(ref: str, packages: tuple[str, ...] | None) -> None:
    assert c_install_packages(facts_for(ref)) == packages


def test_no_compiler_images_from_rules() -> None:
    """RULES.md: golang alpine, alpine, scratch, busybox and all distroless lack a C compiler."""
    for ref in (
        "golang:1.22-alpine",
        "alpine",
        "scratch",
        "busybox",
        "gcr.io/distroless/static-debian12",
        "gcr.io/distroless/base-debian12:debug",
        "gcr.io/distroless/cc-debian12:nonroot",
    ):
        assert facts_for(ref).c_compiler is False, ref


@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    parsed = parse_image(text)
    partial = parse_image_partial(text)
    if parsed is not None:
        assert partial == parsed
    facts = facts_for(text)
    if not facts.known:
        assert facts == UNKNOWN_FACTS


@pytest.mark.parametrize(
    ("ref", "tagged"),
    [
        ("golang:1.22", "docker.io/library/golang:1.22"),
        ("golang", "docker.io/library/golang:latest"),
        ("chainguard/go:latest-dev", "docker.io/chainguard/go:latest-dev"),
        ("index.docker.io/library/alpine:3.20", "docker.io/library/alpine:3.20"),
        ("gcr.io/distroless/static-debian12:nonroot", "gcr.io/distroless/static-debian12:nonroot"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("golang:1.22@sha256:" + "a" * 64, "docker.io/library/golang:1.22"),
    ],
)
def test_tagged_is_the_canonical_repository_and_tag(ref: str, tagged: str) -> None:
    parsed = parse_image(ref)
    assert parsed is not None
    assert parsed.tagged == tagged
