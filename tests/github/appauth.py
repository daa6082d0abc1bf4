"""RS256 JWTs for GitHub App authentication, with `cryptography` only.

The stand-in verifies the App JWT the way github.com does: RS256 signature by the App's private
key, `iss` = the App id (or client id), `iat` not in the future (60 s clock drift allowed),
`exp` in the future and at most 10 minutes after `iat`.
"""

from __future__ import annotations

import base64
import functools
import json
import time
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

MAX_JWT_LIFETIME = 600
CLOCK_DRIFT = 60


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@functools.cache
def session_private_key(slot: int = 0) -> rsa.RSAPrivateKey:
    """An RSA key made once per test session (slot 1, 2, ... give other keys)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_key_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("a GitHub App key is an RSA key")
    return key


def sign_jwt(
    key: rsa.RSAPrivateKey,
    issuer: int | str,
    *,
    now: float | None = None,
    iat_offset: int = -60,
    lifetime: int = 540,
    alg: str = "RS256",
) -> str:
    """A JWT as a GitHub App client makes it (PyGithub: iat = now - 60, exp = now + 5 min)."""
    t = int(now if now is not None else time.time())
    header = _b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = _b64url(
        json.dumps(
            {"iat": t + iat_offset, "exp": t + iat_offset + lifetime, "iss": issuer}
        ).encode()
    )
    signing_input = f"{header}.{payload}".encode()
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{_b64url(signature)}"


class JWTError(Exception):
    """Why a JWT was refused (the message is what the stand-in answers, like github.com)."""


@dataclass(frozen=True)
class JWTClaims:
    issuer: str
    issued_at: int
    expires_at: int


def unverified_claims(token: str) -> dict[str, Any]:
    try:
        _, payload, _ = token.split(".")
        claims = json.loads(_b64url_decode(payload))
    except ValueError as exc:
        raise JWTError("A JSON web token could not be decoded") from exc
    if not isinstance(claims, dict):
        raise JWTError("A JSON web token could not be decoded")
    return claims


def verify_jwt(token: str, public_key: rsa.RSAPublicKey, *, now: float | None = None) -> JWTClaims:
    try:
        header_b64, payload_b64, sig_b64 = token.split(".")
        header = json.loads(_b64url_decode(header_b64))
        signature = _b64url_decode(sig_b64)
    except ValueError as exc:
        raise JWTError("A JSON web token could not be decoded") from exc
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        raise JWTError("A JSON web token could not be decoded")
    try:
        public_key.verify(
            signature,
            f"{header_b64}.{payload_b64}".encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature as exc:
        raise JWTError("A JSON web token could not be decoded") from exc
    claims = unverified_claims(token)
    t = int(now if now is not None else time.time())
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int):
        raise JWTError(
            "'Issued at' claim ('iat') must be an Integer representing the time that the "
            "assertion was issued."
        )
    if not isinstance(exp, int):
        raise JWTError(
            "'Expiration time' claim ('exp') must be a numeric value representing the future "
            "time at which the assertion expires."
        )
    if iat > t + CLOCK_DRIFT:
        raise JWTError(
            "'Issued at' claim ('iat') must be an Integer representing a time in the past."
        )
    if exp <= t:
        raise JWTError(
            "'Expiration time' claim ('exp') must be a numeric value representing the future "
            "time at which the assertion expires."
        )
    if exp - iat > MAX_JWT_LIFETIME + CLOCK_DRIFT or exp > t + MAX_JWT_LIFETIME + CLOCK_DRIFT:
        raise JWTError("'Expiration time' claim ('exp') is too far in the future.")
    return JWTClaims(issuer=str(claims.get("iss")), issued_at=iat, expires_at=exp)
