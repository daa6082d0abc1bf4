"""GitHub App authentication: App JWTs and cached installation access tokens.

- The App JWT (RS256, ``iss`` = App id) is valid for at most ten minutes; we issue it with
  ``iat`` 60 s in the past (clock drift, as GitHub recommends) and ``exp`` nine minutes ahead,
  and reuse it until one minute before expiry.
- Installation tokens last an hour; they are cached per installation and refreshed five
  minutes before ``expires_at`` (or at once after a 401, via `invalidate`).
- Neither the key nor a token is ever logged; `redact` scrubs them from any text.

This module knows no REST paths: the token request itself is ``fetch`` (from `bot.github`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import jwt

JWT_LIFETIME = 9 * 60
JWT_BACKDATE = 60
TOKEN_REFRESH_MARGIN = 5 * 60

_TOKEN_RE = re.compile(r"\b(gh[pousr]_[A-Za-z0-9_]{16,}|v1\.[0-9a-f]{40})\b")
_JWT_RE = re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\b")
_PEM_RE = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S)


def redact(text: str) -> str:
    """``text`` with anything that looks like a token, JWT or private key replaced."""
    text = _PEM_RE.sub("[private key redacted]", text)
    text = _JWT_RE.sub("[jwt redacted]", text)
    return _TOKEN_RE.sub("[token redacted]", text)


class AuthError(Exception):
    """The App's credentials are unusable (bad key, unknown App id)."""


@dataclass
class AppAuth:
    """Issues App JWTs from the private key."""

    app_id: str
    private_key: str = field(repr=False)
    clock: Callable[[], float] = time.time
    _cached: tuple[str, float] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def jwt(self) -> str:
        now = self.clock()
        with self._lock:
            if self._cached is not None and self._cached[1] - 60 > now:
                return self._cached[0]
            payload = {
                "iat": int(now) - JWT_BACKDATE,
                "exp": int(now) + JWT_LIFETIME,
                "iss": str(self.app_id),
            }
            try:
                token = jwt.encode(payload, self.private_key, algorithm="RS256")
            except (ValueError, TypeError, jwt.PyJWTError) as exc:
                raise AuthError(
                    f"the GitHub App private key cannot sign a JWT ({type(exc).__name__}); "
                    "check GOCOMPLY_PRIVATE_KEY_PATH points at the App's PEM key"
                ) from None
            self._cached = (token, now + JWT_LIFETIME)
            return token


@dataclass(frozen=True)
class InstallationToken:
    token: str = field(repr=False)
    expires_at: float


TokenFetcher = Callable[[int], InstallationToken]


class InstallationTokens:
    """Per-installation token cache, refreshed before expiry; thread-safe."""

    def __init__(self, fetch: TokenFetcher, clock: Callable[[], float] = time.time) -> None:
        self._fetch = fetch
        self._clock = clock
        self._tokens: dict[int, InstallationToken] = {}
        self._lock = threading.Lock()

    def token(self, installation_id: int) -> str:
        with self._lock:
            cached = self._tokens.get(installation_id)
            if cached is not None and cached.expires_at - TOKEN_REFRESH_MARGIN > self._clock():
                return cached.token
        fresh = self._fetch(installation_id)
        with self._lock:
            self._tokens[installation_id] = fresh
        return fresh.token

    def invalidate(self, installation_id: int) -> None:
        with self._lock:
            self._tokens.pop(installation_id, None)


def parse_expiry(value: str) -> float:
    """GitHub's ``expires_at`` (``2016-07-11T22:14:10Z``) as a POSIX timestamp."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
