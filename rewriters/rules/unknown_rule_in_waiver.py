"""Waivers that name no rule they can silence, or carry an expiry that is not a date.

## What it does

Finds `# gocomply:ignore …` and `# gocomply:ignore-file …` comments that name a rule gocomply
does not have (a typo such as `GC150`, a rule of another tool), that name no rule at all, or
that name a waiver rule (`GC0xx`, which waivers cannot silence), and waivers whose
`until=` is not a `YYYY-MM-DD` date (such a waiver never expires). Each problem is reported
(severity info) on the waiver's own line.

## Why is this bad?

A waiver that names nothing gocomply knows silences nothing: the author believes a finding is
waived while the check it meant either still runs or never existed, and the comment misleads
every later reader. An expiry that is not a date is ignored, so a waiver meant to be temporary
becomes permanent without anyone noticing.

Waivers never silence this rule; turn it off in the configuration with
`rules: {GC002: off}`.

## Example

```dockerfile
FROM golang:1.22
# gocomply:ignore GC150 reason="mirror is down" until=next-week
ENV GOSUMDB=off
```

is reported twice (`GC150` names no rule, `next-week` is not a date); name the rule by its
code or name and write the date in full:

```dockerfile
FROM golang:1.22
# gocomply:ignore goproxy-bypass reason="mirror is down" until=2026-12-31
ENV GOSUMDB=off
```

## Fix safety

None: which rule was meant, and until when, is the author's decision, so the rule reports and
edits nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from rewriters.context import RuleContext
from rewriters.document import Document
from rewriters.edits import Span
from rewriters.pragmas import Waiver, Waivers
from rewriters.registry import WAIVER_FAMILY, Rule, Violation, all_rules, family_of, find_rule, rule


def _problems(w: Waiver, rules: tuple[Rule, ...]) -> Iterator[str]:
    unknown = w.unknown_keys(rules)
    unwaivable = [k for k in unknown if _is_waiver_rule(find_rule(k))]
    missing = [k for k in unknown if k not in unwaivable]
    if missing or not w.keys:
        what = ", ".join(missing) if missing else "no rule"
        yield f"this waiver names {what}; use rule codes (GC105) or names (goproxy-bypass)"
    if unwaivable:
        yield (
            f"this waiver names {', '.join(unwaivable)}, which no waiver can silence; turn it "
            "off in the configuration instead"
        )
    if w.bad_until is not None:
        yield f"until={w.bad_until} is not a date (YYYY-MM-DD); the waiver never expires"


def _is_waiver_rule(r: Rule | None) -> bool:
    return r is not None and family_of(r.code) == WAIVER_FAMILY


@rule(
    code="GC002",
    name="unknown-rule-in-waiver",
    severity="info",
    fix="none",
    commit="name known rules in waivers",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    rules = all_rules()
    for w in Waivers.parse(doc, ctx.today).waivers:
        for message in _problems(w, rules):
            yield Violation(Span(w.pragma_start, w.pragma_end), message)
