"""Regenerate the vendored subsets of GitHub's official OpenAPI descriptions.

Usage (needs `npm` and the npm registry; writes next to this file)::

    python tests/github/openapi/make_subset.py

It runs ``npm pack`` for the two pinned packages into a temporary directory, extracts them, and
keeps only what the GitHub stand-in (tests/github/server.py) emulates:

* ``api.github.com.subset.json``: the operations in ``OPERATIONS`` from
  ``@octokit/openapi`` ``generated/api.github.com.json``, with every component they reach through
  ``$ref`` (``$ref``s are kept, not inlined). Media-type ``examples`` are dropped (they are
  documentation and make up most of the size); nothing else is changed — spec corrections live in
  code (tests/github/contract.py ``SPEC_CORRECTIONS``), never in these files.
* ``webhooks.subset.json``: the webhook request-body schemas of the events in ``WEBHOOK_EVENTS``
  from ``@octokit/openapi-webhooks`` ``generated/api.github.com.json`` (an OpenAPI 3.1 document),
  with the schemas they reference.

The output is deterministic (sorted keys, fixed indentation), so a re-run with the same pins
produces no diff.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

OPENAPI_PACKAGE = "@octokit/openapi"
OPENAPI_VERSION = "23.0.2"
WEBHOOKS_PACKAGE = "@octokit/openapi-webhooks"
WEBHOOKS_VERSION = "12.1.0"
DESCRIPTION_FILE = "package/generated/api.github.com.json"

# Every REST operation the stand-in emulates, as "METHOD /path" exactly as the description spells
# the path. Adding one here (and re-running) is the first step of emulating a new endpoint.
OPERATIONS: tuple[str, ...] = (
    # App authentication (JWT) and installations
    "GET /app",
    "GET /app/installations",
    "GET /app/installations/{installation_id}",
    "POST /app/installations/{installation_id}/access_tokens",
    "GET /orgs/{org}/installation",
    "GET /repos/{owner}/{repo}/installation",
    # Read path
    "GET /installation/repositories",
    "GET /rate_limit",
    "GET /repos/{owner}/{repo}",
    "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
    "GET /repos/{owner}/{repo}/contents/{path}",
    "GET /repos/{owner}/{repo}/commits/{ref}",
    "GET /repos/{owner}/{repo}/branches/{branch}",
    "GET /repos/{owner}/{repo}/git/ref/{ref}",
    # Git Data API writes
    "POST /repos/{owner}/{repo}/git/blobs",
    "POST /repos/{owner}/{repo}/git/trees",
    "POST /repos/{owner}/{repo}/git/commits",
    "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
    "POST /repos/{owner}/{repo}/git/refs",
    "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
    # Pull requests
    "GET /repos/{owner}/{repo}/pulls",
    "POST /repos/{owner}/{repo}/pulls",
    "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    "PATCH /repos/{owner}/{repo}/pulls/{pull_number}",
    "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits",
    "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    # Issues (pull requests are issues too: comments, labels, assignees)
    "GET /repos/{owner}/{repo}/issues",
    "POST /repos/{owner}/{repo}/issues",
    "GET /repos/{owner}/{repo}/issues/{issue_number}",
    "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
    "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
    "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
    "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees",
)

# Webhook events (the `x-github.subcategory` of each webhook) whose payload schemas are kept.
WEBHOOK_EVENTS: tuple[str, ...] = (
    "installation",
    "installation_repositories",
    "push",
    "pull_request",
    "repository",
)

HERE = Path(__file__).resolve().parent
API_OUT = HERE / "api.github.com.subset.json"
WEBHOOKS_OUT = HERE / "webhooks.subset.json"


def npm_pack(package: str, version: str, dest: Path) -> dict[str, Any]:
    """`npm pack` one pinned package into `dest`, extract it, return the parsed description."""
    out = subprocess.run(
        ["npm", "pack", "--silent", f"{package}@{version}", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    tarball = dest / out[-1]
    with tarfile.open(tarball) as tar:
        member = tar.getmember(DESCRIPTION_FILE)
        fh = tar.extractfile(member)
        assert fh is not None
        with fh:
            data: dict[str, Any] = json.load(fh)
    return data


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str):
                found.add(ref)
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return found


def _strip_examples(node: Any) -> Any:
    """Drop `examples` maps of media types and parameters (docs only, most of the bytes)."""
    if isinstance(node, dict):
        return {
            k: _strip_examples(v)
            for k, v in node.items()
            if not (k == "examples" and isinstance(v, dict) and _is_example_map(v))
        }
    if isinstance(node, list):
        return [_strip_examples(v) for v in node]
    return node


def _is_example_map(v: dict[str, Any]) -> bool:
    # an OpenAPI `examples` map: name -> Example Object ({"$ref"} or {"value"/"summary"})
    return all(
        isinstance(x, dict) and ({"$ref", "value", "summary"} & x.keys()) for x in v.values()
    )


def _close_over_components(doc: dict[str, Any], roots: Any) -> dict[str, Any]:
    """Components reachable from `roots` through `$ref`, as a new `components` object."""
    components: dict[str, dict[str, Any]] = {}
    pending = sorted(_refs(roots))
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        if not ref.startswith("#/components/"):
            raise SystemExit(f"unexpected $ref {ref!r}")
        _, _, kind, name = ref.split("/", 3)
        target = _strip_examples(doc["components"][kind][name])
        components.setdefault(kind, {})[name] = target
        pending.extend(sorted(_refs(target) - seen))
    return components


def make_api_subset(doc: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        method, path = op.split(" ", 1)
        item = doc["paths"][path]
        operation = item[method.lower()]
        kept = paths.setdefault(path, {})
        if "parameters" in item:
            kept["parameters"] = item["parameters"]
        kept[method.lower()] = _strip_examples(operation)
    return {
        "openapi": doc["openapi"],
        "info": {
            **doc["info"],
            "x-subset-of": f"{OPENAPI_PACKAGE}@{OPENAPI_VERSION} {DESCRIPTION_FILE}",
            "x-subset-script": "tests/github/openapi/make_subset.py",
        },
        "servers": doc.get("servers", []),
        "paths": paths,
        "components": _close_over_components(doc, paths),
    }


def make_webhooks_subset(doc: dict[str, Any]) -> dict[str, Any]:
    webhooks: dict[str, Any] = {}
    for name, item in doc["webhooks"].items():
        post = item["post"]
        if post.get("x-github", {}).get("subcategory") in WEBHOOK_EVENTS:
            body = post["requestBody"]["content"]["application/json"]["schema"]
            webhooks[name] = {
                "event": post["x-github"]["subcategory"],
                "operationId": post.get("operationId", name),
                "schema": body,
            }
    return {
        "openapi": doc["openapi"],
        "info": {
            **doc["info"],
            "x-subset-of": f"{WEBHOOKS_PACKAGE}@{WEBHOOKS_VERSION} {DESCRIPTION_FILE}",
            "x-subset-script": "tests/github/openapi/make_subset.py",
        },
        "webhooks": webhooks,
        "components": _close_over_components(doc, webhooks),
    }


def dump(data: dict[str, Any], path: Path) -> None:
    text = json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(text.encode()) // 1024} KiB)")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="gh-openapi-") as tmp:
        api = npm_pack(OPENAPI_PACKAGE, OPENAPI_VERSION, Path(tmp))
        webhooks = npm_pack(WEBHOOKS_PACKAGE, WEBHOOKS_VERSION, Path(tmp))
    dump(make_api_subset(api), API_OUT)
    dump(make_webhooks_subset(webhooks), WEBHOOKS_OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
