"""Tag → digest over the OCI distribution API, for GC209 (unpinned-base-image).

The rules do no I/O: the CLI (``--resolve-digests``) asks this module for the digests of the
base images a Dockerfile names *before* the analysis, and passes the answers in through
`rewriters.options.Options.image_digests` (`answers_for`).

How a digest is found (distribution spec, "Pulling manifests"):
- ``HEAD /v2/<name>/manifests/<tag>`` with ``Accept`` listing the OCI image index, the Docker
  manifest list and both single-image manifest types; the registry answers with the digest
  of what the tag points at in ``Docker-Content-Digest``. Accepting the index types is what
  makes a multi-platform tag answer with its *index* digest, which is the one to pin (a
  platform manifest's digest would break the other platforms). A tag that points at a single
  manifest answers with that manifest's digest, which is then the right pin.
- When HEAD is refused or its answer carries no digest, ``GET`` the same URL: the digest is
  the header's, checked against the SHA-256 of the body, or the SHA-256 of the body.
- ``401`` with ``WWW-Authenticate: Bearer realm=…,service=…,scope=…`` (Docker Hub and most
  registries): get a token from the realm (anonymously, or with the configured credentials as
  HTTP basic auth) for the challenge's scope (``repository:<name>:pull`` if it names none) and
  retry once with ``Authorization: Bearer``. ``401`` with a ``Basic`` challenge is retried
  once with the credentials, when there are some.
- Docker Hub (``docker.io``) is reached at ``https://registry-1.docker.io``, official images
  under ``library/`` (`rewriters.images` already normalises ``golang`` to
  ``docker.io/library/golang``), or through a configured mirror. Other registries are reached
  over HTTPS, except loopback hosts (``localhost``, ``127.0.0.1``, ``[::1]``), which Docker
  also treats as insecure registries and which are reached over plain HTTP.

Credentials come from the environment only (`credentials_from_env`), keyed by the host a
request goes to (``docker.io`` also covers ``registry-1.docker.io``), so a mirror never gets
another registry's credentials. They are sent to that host and to its token realm, never
logged and never part of a reason. Each answer is cached for the life of the client (one
run), failures included, so a file analysed twice (``fix`` re-checks what it wrote) asks
once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from bot import logging as blog
from rewriters.document import Document
from rewriters.images import DOCKER_HUB, ImageRef, parse_image
from rewriters.model import Model
from rewriters.options import ImageDigest

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
ACCEPT = ", ".join(MANIFEST_TYPES)
DOCKER_HUB_URL = "https://registry-1.docker.io"
CREDENTIALS_ENV = "GOCOMPLY_REGISTRY_CREDENTIALS"
DEFAULT_TIMEOUT = 10.0
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
_SHA256 = re.compile(r"sha256:[0-9a-f]{64}")
_MAX_MANIFEST = 4 * 1024 * 1024  # the distribution spec's recommended manifest size limit
_CHALLENGE_PARAM = re.compile(r'([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


class CredentialsError(ValueError):
    """``GOCOMPLY_REGISTRY_CREDENTIALS`` is not what it must be (the message names no secret)."""


def credentials_from_env(environ: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Registry credentials from ``GOCOMPLY_REGISTRY_CREDENTIALS``: a JSON object mapping a
    registry host to ``"user:password"`` (a token as the password for Docker Hub), e.g.
    ``{"docker.io": "me:dckr_pat_…", "registry.example.com:5000": "ci:…"}``."""
    raw = environ.get(CREDENTIALS_ENV, "").strip()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise CredentialsError(f"{CREDENTIALS_ENV} is not valid JSON") from None
    if not isinstance(data, dict):
        raise CredentialsError(f"{CREDENTIALS_ENV} must be a JSON object of host: 'user:password'")
    out: dict[str, tuple[str, str]] = {}
    for host, value in data.items():
        if not isinstance(value, str) or ":" not in value:
            raise CredentialsError(
                f"{CREDENTIALS_ENV}: the entry for {host!r} must be a 'user:password' string"
            )
        user, _, password = value.partition(":")
        out[str(host).lower()] = (user, password)
    return out


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """``Bearer realm="…",service="…"`` → ("bearer", {"realm": …, "service": …})."""
    scheme, _, rest = header.strip().partition(" ")
    params = {
        m.group(1).lower(): (m.group(2) if m.group(2) is not None else m.group(3))
        for m in _CHALLENGE_PARAM.finditer(rest)
    }
    return scheme.lower(), {k: v.replace('\\"', '"') for k, v in params.items()}


def references(text: str) -> list[ImageRef]:
    """The base images GC209 asks about in a Dockerfile: literal, external, not ``scratch``,
    without a digest (an image from an ``ARG`` cannot be pinned, so it is not looked up)."""
    doc = Document.parse(text)
    if doc.error is not None:
        return []
    out: dict[str, ImageRef] = {}
    for stage in Model.build(doc).stages:
        if stage.parent is not None or not stage.from_.args:
            continue
        word = stage.from_.args[0]
        if "$" in word.text:
            continue
        ref = parse_image(word.value)
        if ref is not None and not ref.is_scratch and ref.digest is None:
            out.setdefault(ref.tagged, ref)
    return list(out.values())


def _is_loopback(host: str) -> bool:
    return host.rsplit(":", 1)[0] in _LOOPBACK or host in _LOOPBACK


@dataclass
class RegistryClient:
    """Resolves ``image:tag`` to the digest the registry serves for the tag.

    ``mirrors`` maps a registry host (``docker.io``) to a base URL used instead of it
    (``https://mirror.example``; a path prefix is kept). ``credentials`` maps the host a
    request goes to onto (user, password).
    """

    mirrors: Mapping[str, str] = field(default_factory=dict)
    credentials: Mapping[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    _cache: dict[str, ImageDigest] = field(default_factory=dict, repr=False)

    def base_url(self, registry: str) -> str:
        mirror = self.mirrors.get(registry)
        if mirror:
            return mirror.rstrip("/")
        if registry == DOCKER_HUB:
            return DOCKER_HUB_URL
        scheme = "http" if _is_loopback(registry) else "https"
        return f"{scheme}://{registry}"

    def _credentials_for(self, url: str) -> tuple[str, str] | None:
        host = urlsplit(url).netloc.lower()
        found = self.credentials.get(host)
        if found is None and f"https://{host}" == DOCKER_HUB_URL:
            found = self.credentials.get(DOCKER_HUB)
        return found

    def resolve(self, ref: ImageRef) -> ImageDigest:
        """The digest for ``ref``'s tag (``latest`` when it has none), cached per client."""
        key = ref.tagged
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        try:
            answer = self._resolve(ref)
        except requests.Timeout:
            base = self.base_url(ref.registry)
            answer = ImageDigest(None, f"{base} did not answer within {self.timeout:g} s")
        except requests.RequestException as exc:
            base = self.base_url(ref.registry)
            answer = ImageDigest(None, f"{base} could not be reached ({type(exc).__name__})")
        self._cache[key] = answer
        blog.get_logger().info(
            "registry.resolved",
            image=key,
            digest=answer.digest,
            reason=answer.reason,
        )
        return answer

    def answers_for(self, text: str) -> tuple[tuple[str, ImageDigest], ...]:
        """Answers for every base image of a Dockerfile, as `Options.image_digests`."""
        return tuple((ref.tagged, self.resolve(ref)) for ref in references(text))

    def resolve_all(self, refs: Iterable[ImageRef]) -> dict[str, ImageDigest]:
        return {ref.tagged: self.resolve(ref) for ref in refs}

    # ------------------------------------------------------------------ protocol

    def _resolve(self, ref: ImageRef) -> ImageDigest:
        tag = ref.tag or "latest"
        url = f"{self.base_url(ref.registry)}/v2/{ref.path}/manifests/{tag}"
        if urlsplit(url).scheme not in ("http", "https"):
            return ImageDigest(None, f"the registry URL {self.base_url(ref.registry)} is not HTTP")
        auth: dict[str, str] = {}
        resp = self._request("HEAD", url, auth)
        if resp.status_code == 401:
            auth = self._authorize(resp, url, ref.path)
            if auth:
                resp = self._request("HEAD", url, auth)
        if resp.status_code == 200:
            digest = resp.headers.get("Docker-Content-Digest", "").strip()
            if _SHA256.fullmatch(digest):
                return ImageDigest(digest)
        if resp.status_code in (200, 400, 405, 501) or resp.status_code >= 500:
            resp = self._request("GET", url, auth)  # HEAD refused, or no digest header
            if resp.status_code == 401 and not auth:
                auth = self._authorize(resp, url, ref.path)
                if auth:
                    resp = self._request("GET", url, auth)
            if resp.status_code == 200:
                return self._from_body(resp)
        return ImageDigest(None, self._failure(resp, self.base_url(ref.registry)))

    def _request(self, method: str, url: str, headers: Mapping[str, str]) -> requests.Response:
        return self.session.request(
            method,
            url,
            headers={"Accept": ACCEPT, **headers},
            timeout=self.timeout,
            allow_redirects=True,
            stream=method == "GET",
        )

    def _from_body(self, resp: requests.Response) -> ImageDigest:
        body = b""
        for chunk in resp.iter_content(65536):
            body += chunk
            if len(body) > _MAX_MANIFEST:
                return ImageDigest(None, "the registry's manifest is larger than 4 MiB")
        computed = "sha256:" + hashlib.sha256(body).hexdigest()
        header = resp.headers.get("Docker-Content-Digest", "").strip()
        if header.startswith("sha256:") and header != computed:
            return ImageDigest(None, "the manifest the registry sent does not match its digest")
        media = resp.headers.get("Content-Type", "").split(";")[0].strip()
        if media not in MANIFEST_TYPES:
            return ImageDigest(None, f"the registry answered with {media or 'no'} content type")
        return ImageDigest(computed)

    def _authorize(self, resp: requests.Response, url: str, name: str) -> dict[str, str]:
        """Headers that answer the registry's challenge (empty: cannot answer it)."""
        scheme, params = parse_challenge(resp.headers.get("WWW-Authenticate", ""))
        creds = self._credentials_for(url)
        if scheme == "basic":
            if creds is None:
                return {}
            return {"Authorization": _basic(creds)}
        if scheme != "bearer" or not params.get("realm"):
            return {}
        realm = params["realm"]
        parts = urlsplit(realm)
        if parts.scheme not in ("http", "https"):
            return {}
        if parts.scheme == "http" and not _is_loopback(parts.netloc):
            creds = None  # never send credentials in clear text off this machine
        query = {"scope": params.get("scope") or f"repository:{name}:pull"}
        if params.get("service"):
            query["service"] = params["service"]
        headers = {"Authorization": _basic(creds)} if creds else {}
        token_resp = self.session.get(
            realm, params=query, headers=headers, timeout=self.timeout, allow_redirects=False
        )
        if token_resp.status_code != 200:
            return {}
        try:
            data = token_resp.json()
        except ValueError:
            return {}
        token = data.get("token") or data.get("access_token") if isinstance(data, dict) else None
        return {"Authorization": f"Bearer {token}"} if isinstance(token, str) and token else {}

    def _failure(self, resp: requests.Response, base: str) -> str:
        code = resp.status_code
        if code == 404:
            return f"{base} has no manifest for this tag (HTTP 404)"
        if code in (401, 403):
            return f"{base} refused access (HTTP {code})"
        if code == 429:
            return f"{base} rate-limited the request (HTTP 429)"
        if code == 200:
            return f"the answer of {base} named no sha256 digest"
        return f"{base} answered HTTP {code}"


def _basic(creds: tuple[str, str]) -> str:
    import base64

    user, password = creds
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
