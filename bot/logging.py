"""structlog set-up for the command line and the service.

Invariants:
- Logs go to stderr only (stdout belongs to reports), as JSON lines or a console rendering.
- Events carry fields (``path``, ``rule``, ``error``, counts), never file contents, config
  values or secrets: callers pass paths and codes, and `_redact` drops keys that could carry
  such data if a caller passes them anyway.
"""

from __future__ import annotations

import logging as std_logging
import sys
from collections.abc import MutableMapping
from typing import Any, Literal, TextIO

import structlog

LogFormat = Literal["json", "console"]
_LEVELS = {
    "debug": std_logging.DEBUG,
    "info": std_logging.INFO,
    "warning": std_logging.WARNING,
    "error": std_logging.ERROR,
}
_FORBIDDEN = frozenset({"text", "content", "contents", "new_text", "token", "secret", "password"})


def _redact(
    _logger: object, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event):
        if key in _FORBIDDEN:
            event[key] = "[redacted]"
    return event


def configure(
    *, fmt: LogFormat = "console", level: str = "warning", stream: TextIO | None = None
) -> None:
    """Route structlog events at ``level`` and above to ``stream`` (stderr by default)."""
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=True)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            _LEVELS.get(level, std_logging.WARNING)
        ),
        logger_factory=(
            structlog.WriteLoggerFactory(file=stream) if stream is not None else _StderrFactory()
        ),
        cache_logger_on_first_use=False,
    )


class _Stderr:
    """Writes to whatever ``sys.stderr`` is at the moment of writing (not at set-up time),
    so a redirected or replaced stderr never leaves the logger writing to a closed stream."""

    def msg(self, message: str) -> None:
        err = sys.stderr
        err.write(message + "\n")
        err.flush()

    log = debug = info = warning = warn = error = critical = exception = fatal = failure = msg


class _StderrFactory:
    def __call__(self, *args: Any) -> _Stderr:
        return _Stderr()


def get_logger(name: str = "gocomply") -> Any:
    """A bound logger (``log.info("event", path=..., rule=...)``)."""
    return structlog.get_logger(name)
