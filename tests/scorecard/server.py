"""A stand-in for the public OpenSSF Scorecard API: a real HTTP server on 127.0.0.1.

It serves ``GET /projects/{platform}/{org}/{repo}`` from results a test registers, and checks
itself and its clients against the API description (``openapi.yaml`` beside this file, a subset
of ossf/scorecard-webapp's, with `SPEC_CORRECTIONS` applied):

* `ScorecardStandIn.set_result` validates the result first and raises `ContractViolation` for a
  malformed one, so a test cannot hand the client data the real API would never send;
* every response is validated again as it is sent (a raw body set with `set_body` included),
  and every request must be an operation of the description with documented query parameters;
  violations are recorded and the `scorecard_api` fixture fails the test at teardown (tests that
  provoke one on purpose call `take_violations()`);
* unknown projects get 404 with the API's ``Error`` shape (``{"code": 404, "message": …}``);
* a request log (`requests`, `requests_for`) lets tests assert caching.

Usage::

    with ScorecardStandIn.start() as api:
        api.set_result("github.com/acme/api", result_dict)
        client = ScorecardClient(api.url)
"""

from __future__ import annotations

import copy
import functools
import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).resolve().parent / "openapi.yaml"
SPEC_URI = "urn:gocomply:scorecard-openapi"
CACHE_HEADERS = {  # app/server/get_results.go: fastlyTTL, browserCacheTTL
    "Surrogate-Control": "max-age=31557600",
    "Cache-Control": "max-age=600",
}
_COMMIT_RE = re.compile(r"^[0-9a-fA-F]{40}$")


@dataclass(frozen=True)
class Correction:
    """A fact the Scorecard API description leaves out, merged into the node at ``pointer``."""

    pointer: str
    patch: Mapping[str, Any]
    why: str


_CHECK_SCORE = "checker.InconclusiveResultScore is -1 and checker.MaxResultScore is 10"
SPEC_CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        "/definitions/ScorecardResult",
        {
            "required": ["date", "repo", "scorecard", "score", "checks"],
            "additionalProperties": False,
        },
        "Scorecard's JSON result (pkg JSONScorecardResultV2) always has these fields; no other "
        "field may be invented by the stand-in",
    ),
    Correction(
        "/definitions/ScorecardResult/properties/score",
        {"minimum": -1, "maximum": 10},
        "the aggregate is a 0..10 score, -1 when no check was conclusive",
    ),
    Correction(
        "/definitions/Repo",
        {"required": ["name", "commit"], "additionalProperties": False},
        "a published result names the analysed repository and commit",
    ),
    Correction(
        "/definitions/ScorecardVersion",
        {"required": ["version", "commit"], "additionalProperties": False},
        "a published result names the Scorecard version and commit",
    ),
    Correction(
        "/definitions/ScorecardCheck",
        {
            "required": ["name", "score", "reason", "details", "documentation"],
            "additionalProperties": False,
        },
        "every check of a result carries these fields (details may be null)",
    ),
    Correction(
        "/definitions/ScorecardCheck/properties/score",
        {"minimum": -1, "maximum": 10},
        _CHECK_SCORE,
    ),
    Correction(
        "/definitions/ScorecardCheck/properties/details",
        {"type": ["array", "null"]},
        "Go writes a nil details slice as null (results published without details)",
    ),
    Correction(
        "/definitions/ScorecardCheck/properties/documentation",
        {"required": ["url", "short"], "additionalProperties": False},
        "each check links its documentation with a short description",
    ),
    Correction(
        "/definitions/Error",
        {"required": ["code", "message"], "additionalProperties": False},
        "the handler always sets both (models.Error{Code, Message})",
    ),
)


class ContractViolation(ValueError):
    """Data the Scorecard API description does not allow."""


class Contract:
    """The corrected description and one draft-4 validator per definition (Swagger 2.0 schemas
    are a subset of JSON Schema draft 4)."""

    def __init__(self, spec_path: Path = SPEC_PATH) -> None:
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        for c in SPEC_CORRECTIONS:
            node = _pointer(spec, c.pointer)
            node.update(copy.deepcopy(dict(c.patch)))
        self.spec: dict[str, Any] = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT4)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._validators = {
            name: jsonschema.Draft4Validator(
                {"$ref": f"{SPEC_URI}#/definitions/{name}"}, registry=self.registry
            )
            for name in spec["definitions"]
        }
        op = spec["paths"]["/projects/{platform}/{org}/{repo}"]["get"]
        self.query_params = {p["name"]: p for p in op["parameters"] if p["in"] == "query"}
        self.responses: dict[str, Any] = op["responses"]

    def errors(self, definition: str, instance: object) -> list[str]:
        """Every way ``instance`` breaks ``definition`` (empty when it conforms)."""
        found = []
        for e in sorted(self._validators[definition].iter_errors(instance), key=str):
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            found.append(f"{definition} at {where}: {e.message}")
        return found

    def response_schema(self, status: int) -> str | None:
        """The definition a response with ``status`` must follow, or None (no schema)."""
        entry = self.responses.get(str(status), self.responses["default"])
        ref = entry.get("schema", {}).get("$ref")
        return None if ref is None else str(ref).rsplit("/", 1)[1]


@functools.cache
def _contract() -> Contract:
    return Contract()


def _pointer(doc: dict[str, Any], pointer: str) -> dict[str, Any]:
    node: Any = doc
    for part in pointer.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, dict):
        raise TypeError(f"{pointer} is not an object")
    return node


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: Mapping[str, tuple[str, ...]]
    project: str | None  # "github.com/acme/api" for the project operation
    status: int
    at: float


@dataclass
class _Answer:
    status: int
    body: bytes
    content_type: str = "application/json"


class ScorecardStandIn:
    def __init__(self) -> None:
        self.contract = _contract()
        self._lock = threading.Lock()
        self._answers: dict[str, _Answer] = {}
        self._log: list[Request] = []
        self._violations: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def start(cls) -> ScorecardStandIn:
        api = cls()
        handler = type("Handler", (_Handler,), {"api": api})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        api._server = server
        api._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="scorecard-api"
        )
        api._thread.daemon = True
        api._thread.start()
        return api

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ScorecardStandIn:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "the stand-in is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- state -------------------------------------------------------------------------------

    def set_result(self, project: str, result: Mapping[str, Any]) -> None:
        """Serve ``result`` (a ScorecardResult) for ``project`` ("github.com/org/repo").

        Raises `ContractViolation` when the result does not conform: the stand-in never
        serves what the real API could not send.
        """
        _check_project(project)
        errors = self.contract.errors("ScorecardResult", result)
        if errors:
            raise ContractViolation("malformed ScorecardResult: " + "; ".join(errors))
        body = json.dumps(result).encode("utf-8")
        with self._lock:
            self._answers[project] = _Answer(200, body)

    def set_status(self, project: str, status: int, body: bytes | None = None) -> None:
        """Answer ``status`` for ``project``; the body defaults to the API's Error shape
        (pass ``b""`` for an empty one, as the webapp sends for its own 404s)."""
        _check_project(project)
        if body is None:
            message = "not found" if status == 404 else "internal error"
            body = json.dumps({"code": status, "message": message}).encode("utf-8")
        with self._lock:
            self._answers[project] = _Answer(status, body)

    def set_body(
        self,
        project: str,
        body: bytes,
        status: int = 200,
        content_type: str = "application/json",
    ) -> None:
        """Serve these exact bytes (checked when served: a body that breaks the contract is
        recorded as a violation)."""
        _check_project(project)
        with self._lock:
            self._answers[project] = _Answer(status, body, content_type)

    def remove(self, project: str) -> None:
        with self._lock:
            self._answers.pop(project, None)

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._log)

    def requests_for(self, project: str) -> int:
        return sum(1 for r in self.requests if r.project == project)

    def take_violations(self) -> list[str]:
        with self._lock:
            found, self._violations = self._violations, []
        return found

    def _violation(self, text: str) -> None:
        with self._lock:
            self._violations.append(text)

    # -- serving -----------------------------------------------------------------------------

    def handle(self, method: str, target: str) -> tuple[int, bytes, dict[str, str]]:
        parts = urlsplit(target)
        path = parts.path
        query = {k: tuple(v) for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        shown = f"{method} {path}"
        project: str | None = None
        segments = [unquote(s) for s in path.split("/")[1:]]
        if len(segments) == 4 and segments[0] == "projects" and all(segments[1:]):
            project = "/".join(segments[1:])
        if project is None or method != "GET":
            self._violation(f"{shown}: not an operation of the Scorecard API subset")
            answer = _error(404 if project is None else 405, f"path {path} was not found")
        else:
            answer = self._answer_for(shown, project, query)
        headers = {"Content-Type": answer.content_type} if answer.body else {}
        if answer.status in (200, 404):
            headers.update(CACHE_HEADERS)
        self._check_response(shown, answer)
        with self._lock:
            self._log.append(Request(method, path, query, project, answer.status, time.time()))
        return answer.status, answer.body, headers

    def _answer_for(
        self, shown: str, project: str, query: Mapping[str, tuple[str, ...]]
    ) -> _Answer:
        for name, values in query.items():
            if name not in self.contract.query_params:
                self._violation(f"{shown}: undocumented query parameter {name!r}")
                return _error(400, f"unknown parameter {name}")
            if len(values) != 1 or not _COMMIT_RE.match(values[0]):
                self._violation(f"{shown}: {name}={values!r} does not match ^[0-9a-fA-F]{{40}}$")
                return _error(400, "invalid inputs provided")
        with self._lock:
            answer = self._answers.get(project)
        if answer is None:
            return _error(404, "not found")
        commit = query.get("commit")
        if commit and answer.status == 200:
            data = json.loads(answer.body)
            if data["repo"]["commit"].lower() != commit[0].lower():
                return _error(404, "not found")
        return answer

    def _check_response(self, shown: str, answer: _Answer) -> None:
        if not answer.body:
            if self.contract.response_schema(answer.status) is not None:
                self._violation(f"{shown}: HTTP {answer.status} needs a body")
            return
        definition = self.contract.response_schema(answer.status)
        if definition is None and answer.status == 404:
            definition = "Error"  # our choice for a body the description leaves open
        if definition is None:
            return
        try:
            data = json.loads(answer.body)
        except ValueError:
            self._violation(f"{shown}: the HTTP {answer.status} body is not JSON")
            return
        for e in self.contract.errors(definition, data):
            self._violation(f"{shown}: HTTP {answer.status}: {e}")


def _error(status: int, message: str) -> _Answer:
    return _Answer(status, json.dumps({"code": status, "message": message}).encode("utf-8"))


def _check_project(project: str) -> None:
    parts = project.split("/")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"project must be 'platform/org/repo', not {project!r}")


class _Handler(BaseHTTPRequestHandler):
    api: ScorecardStandIn
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, body, headers = self.api.handle(self.command, self.path)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_PATCH = _serve
    do_DELETE = _serve
    do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass
