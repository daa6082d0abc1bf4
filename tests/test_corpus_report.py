"""docs/corpus.md is the corpus report of the current rules (regenerate with --write)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.corpus import requires_corpus

ROOT = Path(__file__).resolve().parents[1]


@requires_corpus
def test_corpus_report_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "corpus_report", ROOT / "bench" / "corpus_report.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fresh = mod.report()
    on_disk = (ROOT / "docs" / "corpus.md").read_text(encoding="utf-8")
    assert on_disk == fresh, "regenerate with `python bench/corpus_report.py --write`"
    assert "| GC105 goproxy-bypass |" in fresh
