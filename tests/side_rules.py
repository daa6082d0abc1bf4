"""A throw-away safe-practice rule for the tests of fixes beyond one file (CLI and App).

It fires while the build context's ``.dockerignore`` lacks ``.git`` and adds it with
`fixes.append_to_dockerignore` (the helper a real ``.dockerignore`` rule uses); optionally it
also edits the Dockerfile, so a test can see both files change together. The engine-level
tests (tests/test_side_edits.py) build their edits by hand instead, to reach the engine's own
checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from rewriters.context import RuleContext
from rewriters.document import Document
from rewriters.edits import Edit
from rewriters.fixes import append_to_dockerignore
from rewriters.registry import Fix, Rule, RuleDoc, Violation

HEADER = "# syntax=docker/dockerfile:1\n"
DOC = RuleDoc("Keeps .git out of the context.", "Bad.", "```dockerfile\nFROM x\n```", "Safe.")


def dockerignore_rule(code: str, *, also_dockerfile: bool = False) -> Rule:
    """The rule, registered under ``code`` (its family decides its commit in the App)."""

    def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
        bc = ctx.build_context
        if ".git" in (bc.dockerignore or "").splitlines():
            return

        def build() -> Fix:
            edits = [append_to_dockerignore(bc, ".git\n")]
            if also_dockerfile and not doc.text.startswith(HEADER):
                edits.append(Edit.insert(0, HEADER))
            return Fix(tuple(edits), "add .git")

        yield Violation(doc.instructions[0].span, "the context sends .git", build=build)

    return Rule(
        code,
        "test-dockerignore",
        "warning",
        "safe",
        check,  # type: ignore[arg-type]
        DOC,
        __name__,
        "keep .git out of the build context",
        None,
    )
