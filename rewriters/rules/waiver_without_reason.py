"""Waivers that do not say why the rule does not apply.

## What it does

Finds `# gocomply:ignore …` and `# gocomply:ignore-file …` comments without a
`reason="…"`. The waiver still works: the findings it covers stay silenced, and this finding
(severity info) is reported on the waiver's own line instead.

## Why is this bad?

A waiver turns a check off for good, and the next reader cannot tell whether it was a
considered exception ("the build farm has no route to sum.golang.org") or a way to make the
build green. A reason makes every waiver reviewable in the pull request that adds it and
when it is audited later; `until=YYYY-MM-DD` makes an exception temporary.

Waivers never silence this rule (an `ignore-file all` without a reason would otherwise hide
its own finding); turn it off in the configuration with `rules: {GC001: off}`.

## Example

```dockerfile
FROM golang:1.22
# gocomply:ignore GC105
ENV GOSUMDB=off
```

is reported; say why, and optionally until when:

```dockerfile
FROM golang:1.22
# gocomply:ignore GC105 reason="the build farm has no route to sum.golang.org" until=2026-12-31
ENV GOSUMDB=off
```

## Fix safety

None: only the maintainers know why the rule does not apply, so the rule reports and edits
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from rewriters.context import RuleContext
from rewriters.document import Document
from rewriters.edits import Span
from rewriters.pragmas import Waivers
from rewriters.registry import Violation, rule

MESSAGE = 'this waiver has no reason; add reason="…" so reviewers know why'


@rule(
    code="GC001",
    name="waiver-without-reason",
    severity="info",
    fix="none",
    commit="give waivers a reason",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    for w in Waivers.parse(doc, ctx.today).waivers:
        if w.reason is None:
            yield Violation(Span(w.pragma_start, w.pragma_end), MESSAGE)
