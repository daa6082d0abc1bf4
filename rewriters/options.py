"""The options rules read: a frozen, already-validated view of the configuration.

`bot.config` builds this from org defaults and ``.gocomply.yml``; the library never reads files.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

RuleLevel = Literal["off", "info", "warning", "error"]
GO_DEFAULT_PROXY = "https://proxy.golang.org,direct"
GO_DEFAULT_SUMDB = "sum.golang.org"
DEFAULT_TOOLCHAIN_IMAGES: tuple[str, ...] = (
    # development, test, CI and build-environment images, by file name
    "Dockerfile.dev*",
    "*.dev.Dockerfile",
    "dev.Dockerfile",
    "Dockerfile.test*",
    "*.test.Dockerfile",
    "test.Dockerfile",
    "Dockerfile.e2e*",
    "*.e2e.Dockerfile",
    "e2e.Dockerfile",
    "Dockerfile.ci",
    "*.ci.Dockerfile",
    "Dockerfile.build*",
    "build.Dockerfile",
    "builder.Dockerfile",
    # ... and by folder
    "**/test/**",
    "**/tests/**",
    "**/testdata/**",
    "**/e2e/**",
    "**/hack/**",
    "**/.devcontainer/**",
    "**/.github/**",
)
"""Dockerfiles that ship Go on purpose unless the configuration says otherwise (GC202 stays
silent for them): dev, test, e2e, CI and build-environment images."""


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
    - ``toolchain_images``: Dockerfile path globs (gitignore style, relative to the repository
      root; ``**`` spans folders, a glob without ``/`` matches the file name at any depth) of
      images that ship the Go toolchain on purpose; GC202 stays silent for them.
    """

    goproxy: str | None = None
    gosumdb: str | None = None
    private_patterns: tuple[str, ...] = ()
    rules: tuple[tuple[str, RuleLevel], ...] = ()
    unsafe_fixes: tuple[str, ...] = ()
    runtime_image: str | None = None
    image_digests: tuple[tuple[str, ImageDigest], ...] = ()
    toolchain_images: tuple[str, ...] = DEFAULT_TOOLCHAIN_IMAGES
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

    def is_toolchain_image(self, path: str) -> bool:
        """Does the Dockerfile at ``path`` match a ``toolchain_images`` glob?"""
        rel = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
        return any(_path_glob(g).fullmatch(rel) for g in self.toolchain_images if g.strip())


@lru_cache(maxsize=256)
def _path_glob(pattern: str) -> re.Pattern[str]:
    """A gitignore-style path glob as a regex over ``/``-separated relative paths: ``*`` and
    ``?`` stay in one segment, ``**`` spans segments, a glob without ``/`` (but a trailing one)
    matches at any depth, a leading ``/`` anchors it; a glob naming a folder matches the files
    under it."""
    pat = pattern.strip().rstrip("/")
    if "/" not in pat:
        pat = "**/" + pat
    pat = pat.lstrip("/")
    out: list[str] = []
    i = 0
    while i < len(pat):
        if pat.startswith("**/", i) and (i == 0 or pat[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i) and (i == 0 or pat[i - 1] == "/") and i + 2 == len(pat):
            out.append(".*")
            i += 2
        elif pat[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pat[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pat[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?")
