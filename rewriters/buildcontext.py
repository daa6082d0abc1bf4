"""Facts about a Dockerfile's build context (the files next to it), as the CLI or App found them.

Kept apart from `rewriters.context.RuleContext` so that edit helpers (`rewriters.fixes`) can
take a `BuildContext` without depending on the derived views a `RuleContext` caches.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class BuildContext:
    """Facts about the files next to the Dockerfile's build context.

    ``files`` holds paths relative to the context root that are known to exist (``go.mod``,
    ``go.sum``, ``vendor/modules.txt``, …); ``known`` is False when nothing about the context
    could be looked at, so rules that need it must not guess.

    ``dir`` is the context directory in the same terms as the Dockerfile's path (relative to
    the repository in the App, as displayed in the CLI; ``""``: the root), so a rule can name a
    file of the context in an `Edit` (`path_of`). ``has_dockerignore`` says whether
    ``.dockerignore`` exists there (None: unknown); ``dockerignore`` is its text (None when it
    is absent, or exists but was not read: too large, not UTF-8, not fetched).
    """

    files: frozenset[str] = frozenset()
    dockerignore: str | None = None
    go_mod: str | None = None
    known: bool = False
    dir: str = ""
    has_dockerignore: bool | None = None

    def has(self, path: str) -> bool:
        return path in self.files

    def path_of(self, name: str) -> str:
        """The path, in the Dockerfile's terms, of ``name`` relative to the context root."""
        return posixpath.normpath(posixpath.join(self.dir, name)) if self.dir else name

    @property
    def dockerignore_path(self) -> str:
        return self.path_of(".dockerignore")

    def inside(self, path: str) -> str | None:
        """``path`` (in the Dockerfile's terms) relative to the context root; None: outside."""
        rel = posixpath.relpath(path, self.dir) if self.dir else posixpath.normpath(path)
        return None if rel == ".." or rel.startswith("../") or rel.startswith("/") else rel

    def side_file(self, path: str) -> tuple[bool | None, str | None]:
        """What is known of a file other than the Dockerfile: (exists?, text).

        (None, None): unknown (only the context's ``.dockerignore`` is tracked); (True, None):
        it exists but its text was not read; (False, None): it does not exist.
        """
        if posixpath.normpath(path) != self.dockerignore_path:
            return None, None
        return self.has_dockerignore, self.dockerignore if self.has_dockerignore else None

    def with_side_file(self, path: str, text: str) -> BuildContext:
        """This context after a fix wrote ``text`` to ``path`` (a tracked side file)."""
        if posixpath.normpath(path) != self.dockerignore_path:
            return self
        return replace(self, dockerignore=text, has_dockerignore=True)
