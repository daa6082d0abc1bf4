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
class ImageDigest:
    """The registry's answer for one ``image:tag``: the digest it serves for the tag (for a
    multi-platform tag, the image index digest), or why there is none (``reason``, one
    sentence without a trailing period: unreachable registry, unknown tag, …)."""

    digest: str | None
    reason: str | None = None


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
    - ``image_digests``: what digest resolution found before the analysis, keyed by
      `rewriters.images.ImageRef.tagged` (``docker.io/library/golang:1.22``); a reference
      that is absent was not looked up. The library never asks a registry itself: the CLI
      (``--resolve-digests``) fills this from ``bot.oci``.
    """

    goproxy: str | None = None
    gosumdb: str | None = None
    private_patterns: tuple[str, ...] = ()
    rules: tuple[tuple[str, RuleLevel], ...] = ()
    unsafe_fixes: tuple[str, ...] = ()
    runtime_image: str | None = None
    image_digests: tuple[tuple[str, ImageDigest], ...] = ()
    _levels: dict[str, RuleLevel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_levels", dict(self.rules))

    def level(self, code: str) -> RuleLevel | None:
        """The configured level for ``code`` (its own, else its family's), or None for the
        rule's default."""
        return self._levels.get(code) or self._levels.get(code[:3])

    def image_digest(self, reference: str) -> ImageDigest | None:
        """What resolution found for ``reference`` (an `ImageRef.tagged` string), or None when
        it was not looked up."""
        for ref, answer in self.image_digests:
            if ref == reference:
                return answer
        return None

    def allows_unsafe(self, code: str) -> bool:
        return code in self.unsafe_fixes or "all" in self.unsafe_fixes
