"""Whole-corpus properties of `gocomply fix`: idempotent, minimal, and accepted by BuildKit."""

from __future__ import annotations

from pathlib import Path

import pytest

from rewriters.engine import analyze, buildkit_error
from rewriters.options import Options
from tests.corpus import all_files, read_text

FILES = all_files()
UNSAFE = Options(unsafe_fixes=("all",))


def _id(p: Path) -> str:
    return f"{p.parent.name}/{p.name}" if p.name == "Dockerfile" else p.name


@pytest.mark.parametrize("options", [None, UNSAFE], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", FILES, ids=[_id(p) for p in FILES])
def test_fix_is_idempotent_minimal_and_accepted(path: Path, options: Options | None) -> None:
    text = read_text(path)
    result = analyze(text, path=path.name, options=options)
    if result.error is not None:
        assert path.parent.name.startswith("negative__") or buildkit_error(text) is not None
        return
    fired = {f.code for f in result.findings}
    assert set(result.applied) <= fired, "a rule that did not fire changed the file"
    if not result.applied:
        assert result.new_text == text
        return
    assert buildkit_error(result.new_text) is None
    again = analyze(result.new_text, path=path.name, options=options)
    assert again.new_text == result.new_text, "fix twice != fix once"
    assert not any(
        f.code in result.applied and f.fixable and not f.suggestion
        for f in again.findings
        if f.fix and f.fix.applicability == "safe"
    )
