"""The rule set that tests of the engine, the CLI and the App run against.

Those tests are about the machinery (output formats, exit codes, waivers, commits, PR bodies),
with fixtures written for the GC0xx/GC1xx rules. Every GC2xx safe-practice rule fires on most
such fixtures (a single-stage ``FROM golang`` image has no dependency layer, runs as root, …),
so they run without the GC2 family: adding a rule then touches only that rule's module, its
test file and the generated documentation. Each GC2xx rule is tested in ``tests/rules/``, and
end-to-end tests of the whole catalogue (corpus, examples) keep every rule on.
"""

from __future__ import annotations

from rewriters.registry import Rule, all_rules, family_of

WITHOUT_GC2 = ("--ignore", "GC2")
"""CLI arguments that leave the GC2 family out."""


def machinery_rules() -> tuple[Rule, ...]:
    """Every registered rule except the GC2 family."""
    return tuple(r for r in all_rules() if family_of(r.code) != "GC2")
