"""docs/rules/ is generated from the rule docstrings and must not drift."""

from __future__ import annotations

from pathlib import Path

from bot.docs import pages

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_rule_docs_are_up_to_date() -> None:
    wanted = pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(n for n in set(wanted) | set(on_disk) if wanted.get(n) != on_disk.get(n))
    assert not stale, f"regenerate with `python -m bot.docs`: {stale}"


def test_each_page_has_the_four_sections() -> None:
    for name, text in pages().items():
        if name == "README.md":
            continue
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety"):
            assert section in text, (name, section)
