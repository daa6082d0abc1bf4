"""Render the rule documentation pages from the rule docstrings (the single source).

``python -m bot.docs`` rewrites ``docs/rules/``; a test fails when the committed pages differ
from what the docstrings say, so the docs cannot drift from `gocomply explain`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rewriters.registry import Rule, all_rules

FIX_WORDS = {
    "safe": "safe — applied by default",
    "unsafe": "unsafe — applied only when `unsafe_fixes` lists the rule",
    "none": "none — reported with guidance, never edited",
}


def rule_page(r: Rule) -> str:
    disable = f"Disable for a repository: `rules: {{{r.code}: off}}` in `.gocomply.yml`"
    if r.family == "waiver":  # waivers never silence findings about waivers
        disable += "; waivers do not apply to it.\n\n"
    else:
        disable += (
            f'; for one instruction: `# gocomply:ignore {r.code} reason="…"` on the line '
            "above it.\n\n"
        )
    header = (
        f"# {r.code} {r.name}: {r.doc.summary}\n\n"
        f"| severity | fix | family |\n|---|---|---|\n"
        f"| {r.severity} | {FIX_WORDS[r.fix]} | {r.family} |\n\n"
    )
    return header + disable + r.doc.markdown() + "\n"


def index_page(rules: tuple[Rule, ...]) -> str:
    rows = "\n".join(
        f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity} | {r.fix} | {r.doc.summary} |"
        for r in rules
    )
    return (
        "# gocomply rules\n\n"
        "Generated from the rule docstrings by `python -m bot.docs`; do not edit by hand.\n\n"
        "| code | name | severity | fix | what it finds |\n|---|---|---|---|---|\n"
        f"{rows}\n"
    )


def pages() -> dict[str, str]:
    rules = all_rules()
    out = {"README.md": index_page(rules)}
    for r in rules:
        out[f"{r.code}.md"] = rule_page(r)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "docs" / "rules"
    target.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    for old in target.glob("GC*.md"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        (target / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
