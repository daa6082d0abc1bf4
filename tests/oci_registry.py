"""A throw-away OCI registry for tests: the CNCF distribution server (Debian ``docker-registry``).

`registry_server` runs ``/usr/bin/docker-registry serve`` with its storage in a temporary
folder, listening on 127.0.0.1 only, waits until ``/v2/`` answers and stops it at the end.
`.ci/run` installs the package; without it the tests that need it are skipped with
`missing()` as the reason, or fail with it when ``GOCOMPLY_REQUIRE_CORPUS=1`` (the flag CI
sets, see tests/corpus.py), so CI never silently skips them.

With ``token=`` the server runs with ``auth: token``: tokens are RS256 JWTs signed by a key
whose certificate is the server's ``rootcertbundle``, handed out by `TokenServer` (a small
stdlib HTTP server in a thread, optionally requiring basic credentials) — the flow Docker Hub
uses. `push_image` / `push_index` upload small images through the registry's own API (blob
upload POST + PUT, manifest PUT).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

BINARY = Path("/usr/bin/docker-registry")
REQUIRED = os.environ.get("GOCOMPLY_REQUIRE_CORPUS", "") == "1"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"


def missing() -> str | None:
    if shutil.which(str(BINARY)) is None:
        return f"{BINARY} is missing (apt-get install docker-registry; .ci/run installs it)"
    return None


def require() -> None:
    reason = missing()
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"{reason}; GOCOMPLY_REQUIRE_CORPUS=1 requires it", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- token auth


def _libtrust_kid(key: rsa.RSAPrivateKey) -> str:
    """docker/libtrust key ID: base32 of the first 30 bytes of SHA-256(PKIX DER), in 4s."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    b32 = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(b32[i : i + 4] for i in range(0, len(b32), 4))


@dataclass
class TokenIssuer:
    """Signs registry tokens; its certificate is the registry's root bundle."""

    key: rsa.RSAPrivateKey
    cert_pem: bytes
    issuer: str = "gocomply-test-issuer"
    service: str = "gocomply-test-registry"

    @staticmethod
    def create() -> TokenIssuer:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gocomply test token issuer")])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        return TokenIssuer(key, cert.public_bytes(serialization.Encoding.PEM))

    def token(self, scope: str | None, subject: str) -> str:
        access = []
        if scope:
            kind, name, actions = scope.split(":", 2) if scope.count(":") >= 2 else ("", "", "")
            access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": subject,
            "aud": self.service,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": os.urandom(8).hex(),
            "access": access,
        }
        return jwt.encode(
            claims, self.key, algorithm="RS256", headers={"kid": _libtrust_kid(self.key)}
        )


class TokenServer:
    """``GET /token?service=…&scope=…`` → ``{"token": …}``; with ``credentials`` set, only for
    requests carrying them as basic auth (others get 401). Records each request's scope and
    whether it was authenticated."""

    def __init__(self, issuer: TokenIssuer, credentials: tuple[str, str] | None = None) -> None:
        self.issuer, self.credentials = issuer, credentials
        self.requests: list[tuple[str | None, str | None]] = []  # (scope, user)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                scope = query.get("scope", [None])[0]
                user = None
                header = self.headers.get("Authorization", "")
                if header.startswith("Basic "):
                    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                    if server.credentials is not None and (user, password) != server.credentials:
                        user = None
                server.requests.append((scope, user))
                if server.credentials is not None and user is None:
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = json.dumps({"token": issuer.token(scope, user or "anonymous")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/token"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> TokenServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------- the server


@dataclass
class Registry:
    url: str
    host: str  # 127.0.0.1:<port>, as an image reference names it
    session: requests.Session
    issuer: TokenIssuer | None = None

    def _auth(self, name: str) -> dict[str, str]:
        if self.issuer is None:
            return {}
        return {
            "Authorization": "Bearer " + self.issuer.token(f"repository:{name}:pull,push", "pusher")
        }

    def upload_blob(self, name: str, data: bytes) -> str:
        digest = sha256(data)
        start = self.session.post(
            f"{self.url}/v2/{name}/blobs/uploads/", headers=self._auth(name), timeout=10
        )
        assert start.status_code == 202, start.text
        location = start.headers["Location"]
        if location.startswith("/"):
            location = self.url + location
        sep = "&" if "?" in location else "?"
        done = self.session.put(
            f"{location}{sep}digest={digest}",
            data=data,
            headers={"Content-Type": "application/octet-stream", **self._auth(name)},
            timeout=10,
        )
        assert done.status_code == 201, done.text
        return digest

    def put_manifest(self, name: str, reference: str, media_type: str, body: bytes) -> str:
        resp = self.session.put(
            f"{self.url}/v2/{name}/manifests/{reference}",
            data=body,
            headers={"Content-Type": media_type, **self._auth(name)},
            timeout=10,
        )
        assert resp.status_code == 201, resp.text
        digest = resp.headers["Docker-Content-Digest"]
        assert digest == sha256(body)
        return digest

    def push_image(
        self, name: str, tag: str | None, arch: str = "amd64", *, docker: bool = False
    ) -> tuple[str, int]:
        """A one-layer image (OCI or Docker schema 2); returns (manifest digest, size)."""
        config = json.dumps(
            {"architecture": arch, "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}
        ).encode()
        layer = f"layer for {name} {arch}".encode()
        manifest = {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST if docker else OCI_MANIFEST,
            "config": {
                "mediaType": DOCKER_CONFIG if docker else OCI_CONFIG,
                "digest": self.upload_blob(name, config),
                "size": len(config),
            },
            "layers": [
                {
                    "mediaType": OCI_LAYER
                    if not docker
                    else "application/vnd.docker.image.rootfs.diff.tar",
                    "digest": self.upload_blob(name, layer),
                    "size": len(layer),
                }
            ],
        }
        body = json.dumps(manifest).encode()
        media = DOCKER_MANIFEST if docker else OCI_MANIFEST
        digest = self.put_manifest(name, tag or sha256(body), media, body)
        return digest, len(body)

    def push_index(self, name: str, tag: str, *, docker: bool = False) -> tuple[str, list[str]]:
        """A two-platform index (OCI index or Docker manifest list) under ``tag``; returns the
        index digest and the platform manifests' digests."""
        manifests = []
        platform_digests = []
        for arch in ("amd64", "arm64"):
            digest, size = self.push_image(name, None, arch, docker=docker)
            platform_digests.append(digest)
            manifests.append(
                {
                    "mediaType": DOCKER_MANIFEST if docker else OCI_MANIFEST,
                    "digest": digest,
                    "size": size,
                    "platform": {"architecture": arch, "os": "linux"},
                }
            )
        media = DOCKER_LIST if docker else OCI_INDEX
        body = json.dumps({"schemaVersion": 2, "mediaType": media, "manifests": manifests}).encode()
        return self.put_manifest(name, tag, media, body), platform_digests


@contextmanager
def registry_server(token: tuple[TokenIssuer, str] | None = None) -> Iterator[Registry]:
    """Start a registry (with ``token=(issuer, realm)``: token auth); yields it."""
    require()
    root = Path(tempfile.mkdtemp(prefix="gocomply-registry-"))
    port = free_port()
    auth = ""
    if token is not None:
        issuer, realm = token
        (root / "root.pem").write_bytes(issuer.cert_pem)
        auth = (
            "auth:\n  token:\n"
            f"    realm: {realm}\n    service: {issuer.service}\n"
            f"    issuer: {issuer.issuer}\n    rootcertbundle: {root / 'root.pem'}\n"
        )
    (root / "config.yml").write_text(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n{auth}",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [str(BINARY), "serve", str(root / "config.yml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"docker-registry exited: {err[-2000:]}")
            try:
                if requests.get(f"{url}/v2/", timeout=1).status_code in (200, 401):
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("docker-registry did not answer /v2/ within 30 s")
            time.sleep(0.05)
        yield Registry(url, f"127.0.0.1:{port}", requests.Session(), token[0] if token else None)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)
