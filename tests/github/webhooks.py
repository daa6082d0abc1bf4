"""Webhook deliveries as github.com makes them, checked against `@octokit/openapi-webhooks`.

* `webhook_errors(event, payload)`: what the vendored webhook description
  (openapi/webhooks.subset.json, OpenAPI 3.1 = JSON Schema 2020-12) says is wrong with a payload;
* `signature(secret, body)`: the `X-Hub-Signature-256` header value (HMAC-SHA256, hex);
* `deliver(url, event, payload, secret)`: POST one delivery with GitHub's headers, after checking
  the payload (a payload the description does not allow raises `WebhookContractError`).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import uuid
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

WEBHOOKS_SUBSET = Path(__file__).resolve().parent / "openapi" / "webhooks.subset.json"
_URI = "urn:gocomply:github-openapi-webhooks"


class WebhookContractError(AssertionError):
    """A webhook payload the GitHub description does not allow."""


@cache
def _description() -> tuple[dict[str, Any], Registry[Any]]:
    doc: dict[str, Any] = json.loads(WEBHOOKS_SUBSET.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(_URI, DRAFT202012.create_resource(doc))
    return doc, registry


def webhook_name(event: str, action: str | None) -> str:
    """Key in the `webhooks` map: ("pull_request", "opened") -> "pull-request-opened"."""
    name = event.replace("_", "-")
    return f"{name}-{action.replace('_', '-')}" if action else name


def webhook_errors(event: str, payload: Mapping[str, Any]) -> list[str]:
    """Problems of `payload` for the `X-GitHub-Event: event` delivery (empty when valid)."""
    doc, registry = _description()
    action = payload.get("action")
    name = webhook_name(event, action if isinstance(action, str) else None)
    hook = doc["webhooks"].get(name)
    if hook is None or hook["event"] != event:
        return [f"no webhook {name!r} for event {event!r} in the vendored description"]
    schema = {"$ref": _URI + hook["schema"]["$ref"]}
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    out = []
    for err in validator.iter_errors(dict(payload)):
        best = jsonschema.exceptions.best_match([err])
        where = "/".join(str(p) for p in best.absolute_path) or "<root>"
        out.append(f"{name} payload at {where}: {best.message[:300]}")
        if len(out) >= 5:
            break
    return out


def signature(secret: str, body: bytes) -> str:
    """The `X-Hub-Signature-256` value github.com sends: sha256=<hex HMAC of the raw body>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(
    url: str,
    event: str,
    payload: Mapping[str, Any],
    secret: str,
    *,
    hook_id: int = 1,
    installation_target_id: int = 1,
    target_type: str = "integration",
    check: bool = True,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    """POST one webhook delivery to `url` (http only); return (status, response body)."""
    if check:
        problems = webhook_errors(event, payload)
        if problems:
            raise WebhookContractError("\n".join(problems))
    body = json.dumps(payload).encode()
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    try:
        conn.request(
            "POST",
            (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "GitHub-Hookshot/gocomply-standin",
                "X-GitHub-Event": event,
                "X-GitHub-Delivery": str(uuid.uuid4()),
                "X-GitHub-Hook-ID": str(hook_id),
                "X-GitHub-Hook-Installation-Target-ID": str(installation_target_id),
                "X-GitHub-Hook-Installation-Target-Type": target_type,
                "X-Hub-Signature-256": signature(secret, body),
            },
        )
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()
