"""The options rules read: a frozen, already-validated view of the configuration.

`bot.config` builds this from org defaults and ``.gocomply.yml``; the library never reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

RuleLevel = Literal["off", "info", "warning", "error"]
GO_DEFAULT_PROXY = "https://proxy.golang.org,direct"
GO_DEFAULT_SUMDB = "sum.golang.org"


@dataclass(frozen=True)
class Options:
    """What the rules may be told.

    - ``goproxy``: the proxy GC105 writes where a file bypasses it; None means Go's default
      (the override is dropped rather than rewritten).
    - ``gosumdb``: the checksum database to restore; None means Go's default.
    - ``private_patterns``: module path globs (``GOPRIVATE`` syntax) that legitimately skip the
      proxy and checksum database.
    - ``rules``: level overrides keyed by rule code or by family (``GC2``); a code's own
      entry wins over its family's (``off`` disables the rule).
    - ``unsafe_fixes``: codes whose unsafe fixes may be applied.
    - ``runtime_image``: the runtime base image GC202 proposes.
    """

    goproxy: str | None = None
    gosumdb: str | None = None
    private_patterns: tuple[str, ...] = ()
    rules: tuple[tuple[str, RuleLevel], ...] = ()
    unsafe_fixes: tuple[str, ...] = ()
    runtime_image: str | None = None
    _levels: dict[str, RuleLevel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_levels", dict(self.rules))

    def level(self, code: str) -> RuleLevel | None:
        """The configured level for ``code`` (its own, else its family's), or None for the
        rule's default."""
        return self._levels.get(code) or self._levels.get(code[:3])

    def allows_unsafe(self, code: str) -> bool:
        return code in self.unsafe_fixes or "all" in self.unsafe_fixes
