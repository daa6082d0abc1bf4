"""Contract checks of the GitHub stand-in against GitHub's official OpenAPI description.

The vendored subset (openapi/api.github.com.subset.json, made by openapi/make_subset.py) is the
contract: a request whose method and path it does not describe, an undocumented or ill-typed
parameter, a request body field that is not declared, or a response that does not match the
documented schema for its status, is a *violation*. The stand-in records violations and the
pytest fixture fails the test that caused them.

OpenAPI 3.0 schemas are converted to JSON Schema draft 7 for `jsonschema`:
`nullable: true` becomes a `"null"` type (or an `anyOf` with `{"type": "null"}` when the schema
has no `type`), `$ref`s point into a registry holding the converted components, and — our rule,
stricter than GitHub's description — every object schema that declares `properties` gets
`additionalProperties: false` (except members of an `allOf`, which must stay open to compose).
Request bodies with an unknown field therefore fail; so do responses of the stand-in with a field
GitHub does not document, which keeps the stand-in from inventing data the bot could come to rely
on.

Where GitHub's real behaviour differs from its description, the difference is listed once, in
`SPEC_CORRECTIONS`, with the reason.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT7

OPENAPI_DIR = Path(__file__).resolve().parent / "openapi"
API_SUBSET = OPENAPI_DIR / "api.github.com.subset.json"

LAX_URI = "urn:gocomply:github-openapi:lax"
STRICT_URI = "urn:gocomply:github-openapi:strict"

BASIC_ERROR = {"$ref": "#/components/schemas/basic-error"}
# 451 Unavailable For Legal Reasons: basic-error plus the `block` github.com sends
BLOCKED_ERROR = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "documentation_url": {"type": "string"},
        "status": {"type": "string"},
        "block": {
            "type": "object",
            "properties": {
                "reason": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "html_url": {"type": "string", "nullable": True},
            },
        },
    },
}


@dataclass(frozen=True)
class Correction:
    """One place where GitHub's real behaviour differs from its OpenAPI description.

    `operations` are shell-style patterns over "METHOD /path-template" (e.g. "GET *").
    """

    why: str
    operations: tuple[str, ...]
    # status -> schema (OpenAPI 3.0, may $ref components) of the body, or None for no body
    extra_statuses: Mapping[int, Mapping[str, Any] | None] = field(default_factory=dict)
    # status -> schema replacing the documented response schema for that status
    response_schemas: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    # request body schemas accepted in addition to the documented one
    request_bodies: tuple[Mapping[str, Any], ...] = ()
    # JSON pointer into the description -> replacement node (patched when the contract loads)
    patches: Mapping[str, Any] = field(default_factory=dict)

    def applies(self, key: str) -> bool:
        return any(fnmatch.fnmatchcase(key, pattern) for pattern in self.operations)


# Every spec correction the stand-in needs. Each entry says why; none may be added to make the
# stand-in (or the bot) pass without a statement of how github.com actually behaves.
SPEC_CORRECTIONS: dict[str, Correction] = {
    # Conditional requests: github.com answers any GET with a matching If-None-Match by 304 Not
    # Modified (no body; not counted against the primary rate limit), but the description lists
    # 304 for only a few operations.
    "conditional-get-304": Correction(
        why="every GET supports ETag/If-None-Match -> 304 (docs: 'Use conditional requests')",
        operations=("GET *",),
        extra_statuses={304: None},
    ),
    # Authentication failures: an expired/revoked installation token or a bad JWT is answered
    # 401 "Bad credentials" (or a JWT-specific message) by every endpoint; most operations do
    # not list 401.
    "bad-credentials-401": Correction(
        why="any endpoint answers 401 Bad credentials to an expired or invalid token/JWT",
        operations=("* *",),
        extra_statuses={401: BASIC_ERROR},
    ),
    # Rate limits and permissions: a primary rate limit ('API rate limit exceeded', remaining 0),
    # a secondary rate limit (with Retry-After), or an installation lacking a permission
    # ('Resource not accessible by integration') is a 403 on every endpoint; 429 is also used
    # for secondary limits. Most operations list neither.
    "rate-limit-and-permission-403-429": Correction(
        why="rate limits (primary/secondary) and missing App permissions are 403/429 everywhere",
        operations=("* *",),
        extra_statuses={403: BASIC_ERROR, 429: BASIC_ERROR},
    ),
    # Transient server errors: github.com returns 500/502/503/504 on any endpoint from time to
    # time (the reason the bot retries); the description lists them for a handful only.
    "server-errors-5xx": Correction(
        why="any endpoint can fail transiently with 500/502/503/504",
        operations=("* *",),
        extra_statuses={500: BASIC_ERROR, 502: BASIC_ERROR, 503: BASIC_ERROR, 504: BASIC_ERROR},
    ),
    # Repository-scoped endpoints answer 404 when the repository does not exist, was renamed or
    # transferred (for a token without access to the new name) or is not visible to the
    # installation, and 451 when access is blocked for legal reasons (DMCA) — for every
    # operation under /repos/{owner}/{repo}, not only the ones that list them.
    "repo-404-451": Correction(
        why="a missing/inaccessible repository is 404 and a legally blocked one 451, everywhere",
        operations=("* /repos/{owner}/{repo}*",),
        extra_statuses={404: BASIC_ERROR, 451: BLOCKED_ERROR},
    ),
    # Validation errors: github.com answers 422 Validation Failed on bad input to every write
    # (e.g. an unknown PR head, a label/assignee list that is not a list, an invalid ref name);
    # several write operations list no 422 or list it without a body schema.
    "write-422": Correction(
        why="writes answer 422 Validation Failed with a validation-error body",
        operations=("POST *", "PATCH *", "DELETE *"),
        response_schemas={422: {"$ref": "#/components/schemas/validation-error"}},
    ),
    # GET /app/installations: the generated description inlines the `installation` item with
    # `account: allOf[simple-user, enterprise]` (an object satisfying both), while the
    # `installation` component — and github.com — use anyOf (an account is a user/organization
    # OR an enterprise). Validate the items against the component.
    "app-installations-account-anyof": Correction(
        why="generator bug: inlined installation.account is allOf; the component says anyOf",
        operations=("GET /app/installations",),
        response_schemas={
            200: {"type": "array", "items": {"$ref": "#/components/schemas/installation"}}
        },
    ),
    # GET /orgs/{org}/installation: when the App is not installed on the organisation (or the
    # organisation does not exist) github.com answers 404 Not Found — that is how an App learns
    # it is not installed — but the operation documents only 200.
    "org-installation-404": Correction(
        why="an App not installed on the organisation gets 404 Not Found",
        operations=("GET /orgs/{org}/installation",),
        extra_statuses={404: BASIC_ERROR},
    ),
    # pull-request-simple (list pull requests, request reviewers) declares the labels'
    # `description` a non-null string, but labels created without a description come back with
    # `"description": null` — as the `label`, `issue` and `pull-request` schemas of the same
    # description say.
    "pull-request-simple-label-description-null": Correction(
        why="a label without description has description null in pull-request-simple too",
        operations=(
            "GET /repos/{owner}/{repo}/pulls",
            "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
        ),
        patches={
            "/components/schemas/pull-request-simple/properties/labels/items/properties/"
            "description": {"type": "string", "nullable": True},
        },
    ),
    # POST .../issues/{n}/labels: github.com still accepts the older body forms — a bare JSON
    # array of label names, which is what PyGithub's Issue.add_to_labels sends — although the
    # current description only documents {"labels": [...]}.
    "labels-bare-array": Correction(
        why="a bare array of label names is accepted (PyGithub add_to_labels sends it)",
        operations=("POST /repos/{owner}/{repo}/issues/{issue_number}/labels",),
        request_bodies=({"type": "array", "items": {"type": "string"}, "minItems": 1},),
    ),
}


# ---------------------------------------------------------------------------------------------
# OpenAPI 3.0 schema -> JSON Schema draft 7


_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_SINGLE = ("items", "not", "additionalProperties")


def to_json_schema(node: Any, *, base: str, strict: bool, in_allof: bool = False) -> Any:
    """Convert one OpenAPI 3.0 schema object (recursively)."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        return {"$ref": base + ref if ref.startswith("#") else ref}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {
                name: to_json_schema(sub, base=base, strict=strict) for name, sub in value.items()
            }
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [
                to_json_schema(sub, base=base, strict=strict, in_allof=key == "allOf")
                for sub in value
            ]
        elif key in _SCHEMA_SINGLE and isinstance(value, dict):
            out[key] = to_json_schema(value, base=base, strict=strict)
        elif key in ("nullable", "discriminator", "example", "examples", "xml", "externalDocs"):
            continue
        else:
            out[key] = value
    if (
        strict
        and not in_allof
        and "properties" in out
        and out.get("additionalProperties", True) is True
    ):
        out["additionalProperties"] = False
    if node.get("nullable") is True:
        if "type" in out and isinstance(out["type"], str):
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        elif "type" not in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
FORMAT_CHECKER = jsonschema.FormatChecker(formats=())


def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_DATE_TIME.match(value))


FORMAT_CHECKER.checks("date-time")(_is_date_time)


# ---------------------------------------------------------------------------------------------
# Operations


@dataclass
class Param:
    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    multi_segment: bool


@dataclass
class Operation:
    method: str
    template: str
    spec: dict[str, Any]
    params: list[Param]
    regex: re.Pattern[str]
    contract: Contract
    _responses: dict[int, tuple[bool, dict[str, Any] | None]] = field(
        default_factory=dict, repr=False
    )

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", self.key))

    @cached_property
    def corrections(self) -> list[Correction]:
        return [c for c in SPEC_CORRECTIONS.values() if c.applies(self.key)]

    def match_path(self, raw_path: str) -> dict[str, str] | None:
        m = self.regex.fullmatch(raw_path)
        if m is None:
            return None
        return {k: unquote(v) for k, v in m.groupdict().items()}

    # -- requests ------------------------------------------------------------------------

    def check_params(
        self, path_params: Mapping[str, str], query: Mapping[str, list[str]]
    ) -> tuple[dict[str, Any], list[str]]:
        """Coerce and validate path and query parameters; return (values, violations)."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        declared = {(p.location, p.name): p for p in self.params}
        for name, raw in path_params.items():
            param = declared.get(("path", name))
            if param is None:  # pragma: no cover - the regex only has declared names
                problems.append(f"path parameter {name!r} is not declared")
                continue
            values[name] = self._coerce(param, raw, problems)
        for name, raws in query.items():
            param = declared.get(("query", name))
            if param is None:
                problems.append(f"query parameter {name!r} is not documented for {self.key}")
                continue
            if len(raws) > 1 and param.schema.get("type") != "array":
                problems.append(f"query parameter {name!r} given {len(raws)} times")
            values[name] = self._coerce(param, raws[-1], problems)
        for (loc, name), param in declared.items():
            if loc == "query" and param.required and name not in query:
                problems.append(f"required query parameter {name!r} is missing")
        return values, problems

    def _coerce(self, param: Param, raw: str, problems: list[str]) -> Any:
        kind = param.schema.get("type")
        value: Any = raw
        try:
            if kind == "integer":
                value = int(raw)
            elif kind == "number":
                value = float(raw)
            elif kind == "boolean":
                if raw not in ("true", "false"):
                    raise ValueError(raw)
                value = raw == "true"
            elif kind == "array":
                value = raw.split(",") if raw else []
        except ValueError:
            problems.append(
                f"{param.location} parameter {param.name!r}={raw!r} is not of type {kind}"
            )
            return raw
        schema = to_json_schema(param.schema, base=LAX_URI, strict=False)
        for err in self.contract.validator(schema).iter_errors(value):
            problems.append(f"{param.location} parameter {param.name!r}={raw!r}: {err.message}")
        return value

    @cached_property
    def request_body(self) -> tuple[dict[str, Any] | None, bool]:
        body = self.spec.get("requestBody")
        if body is None:
            return None, False
        body = self.contract.resolve(body)
        schema = body.get("content", {}).get("application/json", {}).get("schema")
        converted = to_json_schema(schema, base=STRICT_URI, strict=True) if schema else None
        alternatives = [
            to_json_schema(dict(alt), base=STRICT_URI, strict=True)
            for c in self.corrections
            for alt in c.request_bodies
        ]
        if converted is not None and alternatives:
            converted = {"anyOf": [converted, *alternatives]}
        return converted, bool(body.get("required", False))

    def check_body(self, body: bytes) -> tuple[Any, list[str]]:
        """Parse and validate a request body; return (parsed JSON or None, violations)."""
        schema, required = self.request_body
        if not body.strip():
            if required:
                return None, [f"{self.key} requires a JSON request body"]
            return None, []
        if schema is None:
            return None, [f"{self.key} takes no request body"]
        try:
            parsed = json.loads(body)
        except ValueError as exc:
            return None, [f"request body is not JSON: {exc}"]
        return parsed, self.contract.errors(schema, parsed, "request body")

    # -- responses -----------------------------------------------------------------------

    def response_schema(self, status: int) -> tuple[bool, dict[str, Any] | None]:
        """(documented?, converted JSON schema of the body or None when it has none)."""
        cached = self._responses.get(status)
        if cached is None:
            cached = self._responses[status] = self._response_schema(status)
        return cached

    def _response_schema(self, status: int) -> tuple[bool, dict[str, Any] | None]:
        for c in self.corrections:
            if status in c.response_schemas:
                schema = dict(c.response_schemas[status])
                return True, to_json_schema(schema, base=STRICT_URI, strict=True)
        responses = self.spec.get("responses", {})
        spec = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
        if spec is not None:
            spec = self.contract.resolve(spec)
            schema = spec.get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                return True, None
            return True, to_json_schema(schema, base=STRICT_URI, strict=True)
        for c in self.corrections:
            if status in c.extra_statuses:
                extra = c.extra_statuses[status]
                if extra is None:
                    return True, None
                return True, to_json_schema(dict(extra), base=STRICT_URI, strict=True)
        return False, None

    def check_response(self, status: int, body: Any, has_body: bool) -> list[str]:
        documented, schema = self.response_schema(status)
        if not documented:
            return [f"status {status} is not documented for {self.key}"]
        if schema is None:
            if has_body and status not in (301, 302, 304):
                return [f"status {status} of {self.key} is documented without a JSON body"]
            return []
        if not has_body:
            return [f"status {status} of {self.key} must have a JSON body"]
        return self.contract.errors(schema, body, f"response {status}")


class Contract:
    """The vendored description, its operations, and schema validators."""

    def __init__(self, path: Path = API_SUBSET) -> None:
        self.doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        for correction in SPEC_CORRECTIONS.values():
            for pointer, replacement in correction.patches.items():
                self._patch(pointer, replacement)
        components = self.doc.get("components", {})
        schemas = components.get("schemas", {})
        lax: dict[str, dict[str, dict[str, Any]]] = {"components": {"schemas": {}}}
        strict: dict[str, dict[str, dict[str, Any]]] = {"components": {"schemas": {}}}
        for name, schema in schemas.items():
            lax["components"]["schemas"][name] = to_json_schema(schema, base=LAX_URI, strict=False)
            strict["components"]["schemas"][name] = to_json_schema(
                schema, base=STRICT_URI, strict=True
            )
        self.registry: Registry[Any] = Registry().with_resources(
            [
                (LAX_URI, DRAFT7.create_resource(lax)),
                (STRICT_URI, DRAFT7.create_resource(strict)),
            ]
        )
        self.operations: list[Operation] = []
        for template, item in self.doc["paths"].items():
            shared = item.get("parameters", [])
            for method, spec in item.items():
                if method == "parameters":
                    continue
                params = [self._param(p) for p in [*shared, *spec.get("parameters", [])]]
                self.operations.append(
                    Operation(
                        method=method.upper(),
                        template=template,
                        spec=spec,
                        params=params,
                        regex=self._regex(template, params),
                        contract=self,
                    )
                )
        # most literal characters first, so /git/trees/{sha} beats a catch-all
        self.operations.sort(key=lambda op: -len(re.sub(r"\{[^}]+\}", "", op.template)))
        self._validators: dict[str, jsonschema.Draft7Validator] = {}

    def _patch(self, pointer: str, replacement: Any) -> None:
        *parents, last = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        node: Any = self.doc
        for part in parents:
            node = node[part]
        if last not in node:
            raise KeyError(f"spec correction patches a missing node: {pointer}")
        node[last] = replacement

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            _, _, kind, name = node["$ref"].split("/", 3)
            node = self.doc["components"][kind][name]
        return node

    def _param(self, node: dict[str, Any]) -> Param:
        node = self.resolve(node)
        return Param(
            name=node["name"],
            location=node["in"],
            required=bool(node.get("required", False)),
            schema=node.get("schema", {}),
            multi_segment=bool(node.get("x-multi-segment", False)),
        )

    @staticmethod
    def _regex(template: str, params: Iterable[Param]) -> re.Pattern[str]:
        multi = {p.name for p in params if p.location == "path" and p.multi_segment}
        out = ""
        for part in re.split(r"(\{[^}]+\})", template):
            if part.startswith("{") and part.endswith("}"):
                name = part[1:-1]
                out += f"(?P<{name}>.+)" if name in multi else f"(?P<{name}>[^/]+)"
            else:
                out += re.escape(part)
        return re.compile(out)

    def find(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        for op in self.operations:
            if op.method != method:
                continue
            params = op.match_path(raw_path)
            if params is not None:
                return op, params
        return None

    def operation(self, key: str) -> Operation:
        for op in self.operations:
            if op.key == key:
                return op
        raise KeyError(key)

    def validator(self, schema: dict[str, Any]) -> jsonschema.Draft7Validator:
        cache_key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(cache_key)
        if validator is None:
            validator = jsonschema.Draft7Validator(
                schema, registry=self.registry, format_checker=FORMAT_CHECKER
            )
            self._validators[cache_key] = validator
        return validator

    def errors(self, schema: dict[str, Any], instance: Any, what: str) -> list[str]:
        out = []
        for err in self.validator(schema).iter_errors(instance):
            best = jsonschema.exceptions.best_match([err])
            where = "/".join(str(p) for p in best.absolute_path) or "<root>"
            out.append(f"{what} at {where}: {best.message[:300]}")
            if len(out) >= 5:
                break
        return out
