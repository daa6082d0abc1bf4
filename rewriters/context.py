"""What a rule may know besides the Dockerfile: options and facts about the build context.

One `RuleContext` serves one file. It caches the derived views of each document it is asked
about (model, shell scripts), so several rules share one analysis of the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from rewriters.buildcontext import BuildContext
from rewriters.options import Options

if TYPE_CHECKING:
    from rewriters.document import Document
    from rewriters.goenv import GoEnv
    from rewriters.model import Model


__all__ = ["BuildContext", "RuleContext"]


@dataclass
class RuleContext:
    path: str = "Dockerfile"
    options: Options = field(default_factory=Options)
    build_context: BuildContext = field(default_factory=BuildContext)
    today: date | None = None
    _cache: dict[tuple[int, str], Any] = field(default_factory=dict, repr=False)

    def model(self, doc: Document) -> Model:
        """The stage/scope model of ``doc`` (computed once per document)."""
        key = (id(doc), "model")
        cached = self._cache.get(key)
        if cached is None or cached[0] is not doc:
            from rewriters.model import Model

            cached = (doc, Model.build(doc))
            self._cache[key] = cached
        model: Model = cached[1]
        return model

    def goenv(self, doc: Document) -> GoEnv:
        """The Go environment resolver of ``doc`` (computed once per document)."""
        key = (id(doc), "goenv")
        cached = self._cache.get(key)
        if cached is None or cached[0] is not doc:
            from rewriters.goenv import GoEnv

            cached = (doc, GoEnv.of(doc, self.model(doc)))
            self._cache[key] = cached
        env: GoEnv = cached[1]
        return env
