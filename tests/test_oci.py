"""bot.oci against a real registry (CNCF distribution, tests/oci_registry.py) on 127.0.0.1.

The registry holds small images pushed by the tests through its own API. Token auth is the
registry's own ``auth: token`` mode with a local token server; the GET fallback is checked
against a tiny local HTTP server because distribution always sends the digest header.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.oci import (
    CREDENTIALS_ENV,
    CredentialsError,
    RegistryClient,
    credentials_from_env,
    parse_challenge,
    references,
)
from rewriters.images import ImageRef, parse_image
from rewriters.options import ImageDigest
from tests.oci_registry import (
    OCI_INDEX,
    Registry,
    TokenIssuer,
    TokenServer,
    free_port,
    registry_server,
    sha256,
)

ROOT = Path(__file__).resolve().parents[1]
DISTROLESS = "gcr.io/distroless/static-debian12:nonroot"


def ref(text: str) -> ImageRef:
    parsed = parse_image(text)
    assert parsed is not None
    return parsed


class CountingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []

    def request(self, method: str | bytes, url: str | bytes, *a: Any, **kw: Any) -> Any:  # type: ignore[override]
        self.calls.append((str(method), str(url)))
        return super().request(method, url, *a, **kw)


@pytest.fixture(scope="module")
def registry() -> Iterator[Registry]:
    with registry_server() as reg:
        yield reg


# --------------------------------------------------------------------------- the open registry


def test_oci_index_tag_resolves_to_the_index_digest(registry: Registry) -> None:
    index, platforms = registry.push_index("team/app", "1.0")
    session = CountingSession()
    client = RegistryClient(session=session)
    answer = client.resolve(ref(f"{registry.host}/team/app:1.0"))
    assert answer == ImageDigest(index)
    assert index not in platforms
    assert session.calls == [("HEAD", f"{registry.url}/v2/team/app/manifests/1.0")]


def test_docker_manifest_list_resolves_to_the_list_digest(registry: Registry) -> None:
    index, _ = registry.push_index("team/legacy", "2", docker=True)
    answer = RegistryClient().resolve(ref(f"{registry.host}/team/legacy:2"))
    assert answer == ImageDigest(index)


def test_single_platform_tag_pins_its_manifest(registry: Registry) -> None:
    digest, _ = registry.push_image("team/single", "v1")
    assert RegistryClient().resolve(ref(f"{registry.host}/team/single:v1")) == ImageDigest(digest)


def test_tagless_reference_asks_for_latest(registry: Registry) -> None:
    digest, _ = registry.push_image("team/tagless", "latest", docker=True)
    answer = RegistryClient().resolve(ref(f"{registry.host}/team/tagless"))
    assert answer == ImageDigest(digest)


def test_unknown_tag_and_repository_are_reasons(registry: Registry) -> None:
    registry.push_image("team/known", "v1")
    client = RegistryClient()
    assert client.resolve(ref(f"{registry.host}/team/known:v9")) == ImageDigest(
        None, f"{registry.url} has no manifest for this tag (HTTP 404)"
    )
    assert client.resolve(ref(f"{registry.host}/team/nothing:v1")).reason == (
        f"{registry.url} has no manifest for this tag (HTTP 404)"
    )


def test_answers_are_cached_per_client(registry: Registry) -> None:
    index, _ = registry.push_index("team/cached", "1")
    session = CountingSession()
    client = RegistryClient(session=session)
    text = f"FROM {registry.host}/team/cached:1 AS a\nFROM {registry.host}/team/cached:1\n"
    expected = ((f"{registry.host}/team/cached:1", ImageDigest(index)),)
    assert client.answers_for(text) == expected
    assert client.answers_for(text) == expected
    assert len(session.calls) == 1


def test_docker_hub_names_go_through_the_mirror_with_library_prefix(registry: Registry) -> None:
    index, _ = registry.push_index("library/golang", "1.22-alpine")
    session = CountingSession()
    client = RegistryClient(mirrors={"docker.io": registry.url + "/"}, session=session)
    assert client.resolve(ref("golang:1.22-alpine")) == ImageDigest(index)
    assert session.calls == [("HEAD", f"{registry.url}/v2/library/golang/manifests/1.22-alpine")]


def test_unreachable_registry_is_a_reason() -> None:
    host = f"127.0.0.1:{free_port()}"  # nothing listens there
    answer = RegistryClient(timeout=2).resolve(ref(f"{host}/team/app:1"))
    assert answer == ImageDigest(None, f"http://{host} could not be reached (ConnectionError)")


def test_docker_hub_default_endpoint_and_schemes() -> None:
    client = RegistryClient(mirrors={"ghcr.io": "https://ghcr-mirror.example/prefix"})
    assert client.base_url("docker.io") == "https://registry-1.docker.io"
    assert client.base_url("gcr.io") == "https://gcr.io"
    assert client.base_url("localhost:5000") == "http://localhost:5000"
    assert client.base_url("127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert client.base_url("ghcr.io") == "https://ghcr-mirror.example/prefix"


# --------------------------------------------------------------------------- token auth


@pytest.fixture(scope="module")
def issuer() -> TokenIssuer:
    return TokenIssuer.create()


def test_bearer_challenge_gets_an_anonymous_pull_token(issuer: TokenIssuer) -> None:
    with TokenServer(issuer) as tokens, registry_server((issuer, tokens.url)) as reg:
        index, _ = reg.push_index("library/alpine", "3.20")
        tokens.requests.clear()
        client = RegistryClient(mirrors={"docker.io": reg.url})
        assert client.resolve(ref("alpine:3.20")) == ImageDigest(index)
        assert tokens.requests == [("repository:library/alpine:pull", None)]


def test_token_server_that_needs_credentials(
    issuer: TokenIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        TokenServer(issuer, credentials=("ci", "s3cret")) as tokens,
        registry_server((issuer, tokens.url)) as reg,
    ):
        index, _ = reg.push_index("team/private", "1")
        image = ref(f"{reg.host}/team/private:1")
        refused = RegistryClient().resolve(image)
        assert refused == ImageDigest(None, f"{reg.url} refused access (HTTP 401)")
        monkeypatch.setenv(CREDENTIALS_ENV, json.dumps({reg.host: "ci:s3cret"}))
        creds = credentials_from_env(os.environ)
        assert RegistryClient(credentials=creds).resolve(image) == ImageDigest(index)
        assert tokens.requests[-1] == ("repository:team/private:pull", "ci")
        # credentials for another host are never sent
        other = RegistryClient(credentials={"docker.io": ("ci", "s3cret")}).resolve(image)
        assert other.digest is None
        assert tokens.requests[-1] == ("repository:team/private:pull", None)


# --------------------------------------------------------------------------- GET fallback


class _Fallback(BaseHTTPRequestHandler):
    body = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}).encode()
    header: str | None = None

    def do_HEAD(self) -> None:
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", OCI_INDEX)
        if self.header is not None:
            self.send_header("Docker-Content-Digest", self.header)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param(None, ImageDigest(sha256(_Fallback.body)), id="hash-of-body"),
        pytest.param(sha256(_Fallback.body), ImageDigest(sha256(_Fallback.body)), id="header"),
        pytest.param(
            "sha256:" + "0" * 64,
            ImageDigest(None, "the manifest the registry sent does not match its digest"),
            id="mismatch",
        ),
    ],
)
def test_get_fallback_when_head_is_refused(header: str | None, expected: ImageDigest) -> None:
    handler = type("H", (_Fallback,), {"header": header})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        host = f"127.0.0.1:{httpd.server_address[1]}"
        assert RegistryClient().resolve(ref(f"{host}/x/y:1")) == expected
    finally:
        httpd.shutdown()
        httpd.server_close()


# --------------------------------------------------------------------------- pure parts


def test_parse_challenge() -> None:
    scheme, params = parse_challenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",'
        'scope="repository:library/golang:pull"'
    )
    assert scheme == "bearer"
    assert params == {
        "realm": "https://auth.docker.io/token",
        "service": "registry.docker.io",
        "scope": "repository:library/golang:pull",
    }
    assert parse_challenge('Basic realm="basic-realm"') == ("basic", {"realm": "basic-realm"})


def test_credentials_from_env() -> None:
    env = {CREDENTIALS_ENV: '{"docker.io": "me:tok:en", "Registry.Example:5000": "ci:x"}'}
    assert credentials_from_env(env) == {
        "docker.io": ("me", "tok:en"),
        "registry.example:5000": ("ci", "x"),
    }
    assert credentials_from_env({}) == {}
    for bad in ("not json", "[1]", '{"docker.io": "no-colon"}'):
        with pytest.raises(CredentialsError) as exc:
            credentials_from_env({CREDENTIALS_ENV: bad})
        assert "no-colon" not in str(exc.value)


def test_references_are_what_gc209_asks_about() -> None:
    text = (
        "ARG V=1.22\nFROM golang:${V} AS a\nFROM golang:1.22 AS b\nFROM b\nFROM scratch\n"
        f"FROM alpine@sha256:{'a' * 64}\nFROM alpine\nFROM golang:1.22\n"
    )
    assert [r.tagged for r in references(text)] == [
        "docker.io/library/golang:1.22",
        "docker.io/library/alpine:latest",
    ]


# --------------------------------------------------------------------------- the CLI


def _gocomply(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != CREDENTIALS_ENV}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_fix_resolve_digests_pins_through_the_mirror(
    registry: Registry, tmp_path: Path
) -> None:
    golang, _ = registry.push_index("library/golang", "1.23-bookworm")
    distroless, _ = registry.push_index("distroless/static-debian12", "nonroot")
    (tmp_path / ".gocomply.yml").write_text(
        f"registry_mirrors:\n  docker.io: {registry.url}\n  gcr.io: {registry.url}\n"
    )
    dockerfile = tmp_path / "Dockerfile"
    before = (
        "FROM --platform=$BUILDPLATFORM golang:1.23-bookworm AS build\r\n"
        "RUN CGO_ENABLED=0 go build -o /out/app .\r\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\r\n"
        "COPY --from=build /out/app /app\r\n"
        "FROM golang:1.23-missing AS other\r\n"
    )
    dockerfile.write_bytes(before.encode())
    offline = _gocomply("check", "--select", "GC209", "--fail-on", "never", ".", cwd=tmp_path)
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout == "".join(
        f"Dockerfile:{line}:{col}: GC209 [info] `{img}` is not pinned by digest: its tag can be "
        "moved to other content, so two builds of one commit can start from different images, "
        f"and OpenSSF Scorecard counts it as unpinned; pin it as `{img}@sha256:<index digest>`.\n"
        f"  note: the digest of {key} was not looked up (digest resolution is off; "
        "`gocomply fix --resolve-digests` asks the registry)\n"
        for line, col, img, key in (
            (1, 32, "golang:1.23-bookworm", "docker.io/library/golang:1.23-bookworm"),
            (3, 6, "gcr.io/distroless/static-debian12:nonroot", DISTROLESS),
            (5, 6, "golang:1.23-missing", "docker.io/library/golang:1.23-missing"),
        )
    ) + ("Found 3 findings (3 info) in 1 file.\n")
    assert dockerfile.read_bytes() == before.encode()

    done = _gocomply("fix", "--resolve-digests", "--select", "GC209", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert dockerfile.read_bytes().decode() == (
        f"FROM --platform=$BUILDPLATFORM golang:1.23-bookworm@{golang} AS build\r\n"
        "RUN CGO_ENABLED=0 go build -o /out/app .\r\n"
        f"FROM gcr.io/distroless/static-debian12:nonroot@{distroless}\r\n"
        "COPY --from=build /out/app /app\r\n"
        "FROM golang:1.23-missing AS other\r\n"
    )
    assert done.stdout == (
        "Dockerfile:5:6: GC209 [info] `golang:1.23-missing` is not pinned by digest: its tag "
        "can be moved to other content, so two builds of one commit can start from different "
        "images, and OpenSSF Scorecard counts it as unpinned; pin it as "
        "`golang:1.23-missing@sha256:<index digest>`.\n"
        "  note: cannot pin: no digest for docker.io/library/golang:1.23-missing: "
        f"{registry.url} has no manifest for this tag (HTTP 404)\n"
        "Fixed 2 findings. 1 finding remaining (1 info) in 1 file.\n"
    )
