"""structlog set-up for the command line and the service.

Invariants:
- Logs go to stderr only (stdout belongs to reports), as JSON lines or a console rendering.
- Events carry fields (``path``, ``rule``, ``error``, counts), never file contents, config
  values or secrets: callers pass paths and codes, and `_redact` drops keys that could carry
  such data if a caller passes them anyway.
- ``configure(lazy=True)`` defers importing structlog (≈0.1 s) until the first event at or above
  the level is logged through `get_logger`; below the level, events cost one comparison. Only
  commands whose every event goes through `get_logger` (``gocomply check`` and its kin) may pass
  it; the App's modules log through structlog directly and need the eager default.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, Literal, TextIO

LogFormat = Literal["json", "console"]
# The standard library's logging levels, spelled out: importing `logging` costs ≈10 ms.
DEBUG, INFO, WARNING, ERROR = 10, 20, 30, 40
_LEVELS = {"debug": DEBUG, "info": INFO, "warning": WARNING, "error": ERROR}
_FORBIDDEN = frozenset({"text", "content", "contents", "new_text", "token", "secret", "password"})


def _redact(
    _logger: object, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event):
        if key in _FORBIDDEN:
            event[key] = "[redacted]"
    return event


@dataclass(frozen=True)
class _Setup:
    fmt: LogFormat
    level: int
    stream: TextIO | None


_setup: _Setup | None = None  # the last configure(); None: structlog's own defaults
_applied = False  # whether `_setup` has been handed to structlog


def configure(
    *,
    fmt: LogFormat = "console",
    level: str = "warning",
    stream: TextIO | None = None,
    lazy: bool = False,
) -> None:
    """Route structlog events at ``level`` and above to ``stream`` (stderr by default).

    With ``lazy``, structlog is configured (and imported) only when `get_logger` first sees an
    event at or above ``level``."""
    global _setup, _applied
    _setup = _Setup(fmt, _LEVELS.get(level, WARNING), stream)
    _applied = False
    if not lazy:
        _apply()


def _apply() -> None:
    global _applied
    if _applied or _setup is None:
        return
    import structlog

    fmt, stream = _setup.fmt, _setup.stream
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
        wrapper_class=structlog.make_filtering_bound_logger(_setup.level),
        logger_factory=(
            structlog.WriteLoggerFactory(file=stream) if stream is not None else _StderrFactory()
        ),
        cache_logger_on_first_use=False,
    )
    _applied = True


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


def get_logger(name: str = "gocomply") -> Logger:
    """A logger (``log.info("event", path=..., rule=...)``)."""
    return Logger(name)


@dataclass(frozen=True)
class Logger:
    """Forwards events to structlog's logger ``name``, importing and configuring structlog on
    the first event that passes the configured level (see `configure`'s ``lazy``)."""

    name: str

    def _emit(self, level: int, method: str, event: str, fields: dict[str, Any]) -> None:
        if _setup is not None and level < _setup.level:
            return
        _apply()
        import structlog

        getattr(structlog.get_logger(self.name), method)(event, **fields)

    def debug(self, event: str, **fields: Any) -> None:
        self._emit(DEBUG, "debug", event, fields)

    def info(self, event: str, **fields: Any) -> None:
        self._emit(INFO, "info", event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._emit(WARNING, "warning", event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self._emit(ERROR, "error", event, fields)
