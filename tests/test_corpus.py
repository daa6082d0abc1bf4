"""Whole-corpus properties of `gocomply fix`: idempotent, minimal, accepted by BuildKit, and no
rule crashes on a real file; and how corpus tests behave on a clone without the corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from rewriters.engine import FileResult, analyze, buildkit_error
from rewriters.options import Options
from rewriters.registry import Violation, find_rule
from tests.corpus import params, read_text, requires_corpus

ROOT = Path(__file__).resolve().parents[1]
UNSAFE = Options(unsafe_fixes=("all",))
# How the engine records a rule that raised (engine._Run): its findings are dropped and
# ``refused`` gets this reason, so a crash would otherwise pass as "fix not applied".
INTERNAL_ERROR = "internal error"


def _crashes(result: FileResult) -> list[tuple[str, str]]:
    return [(code, why) for code, why in result.refused if why.startswith(INTERNAL_ERROR)]


@requires_corpus
@pytest.mark.parametrize("options", [None, UNSAFE], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", params())
def test_fix_is_idempotent_minimal_and_accepted(path: Path, options: Options | None) -> None:
    text = read_text(path)
    result = analyze(text, path=path.name, options=options)
    if result.error is not None:
        assert path.parent.name.startswith("negative__") or buildkit_error(text) is not None
        return
    assert _crashes(result) == [], "a rule crashed"
    fired = {f.code for f in result.findings}
    assert set(result.applied) <= fired, "a rule that did not fire changed the file"
    if not result.applied:
        assert result.new_text == text
        return
    assert buildkit_error(result.new_text) is None
    again = analyze(result.new_text, path=path.name, options=options)
    assert _crashes(again) == [], "a rule crashed on the fixed file"
    assert again.new_text == result.new_text, "fix twice != fix once"
    assert not any(
        f.code in result.applied and f.fixable and not f.suggestion
        for f in again.findings
        if f.fix and f.fix.applicability == "safe"
    )


@requires_corpus
@pytest.mark.parametrize("path", params())
def test_check_reports_no_rule_crash(path: Path) -> None:
    # `gocomply check` (fix=False) runs every rule once on the original text
    result = analyze(read_text(path), path=path.name, fix=False)
    assert _crashes(result) == []


@pytest.mark.parametrize("fix", [False, True], ids=["check", "fix"])
def test_a_crashing_rule_is_recorded_as_an_internal_error(fix: bool) -> None:
    # what _crashes looks for is what the engine records when a rule raises
    def boom(*_: object) -> Iterator[Violation]:
        raise RuntimeError("boom")

    rule = replace(find_rule("GC105") or pytest.fail("no GC105"), check=boom)
    result = analyze("FROM golang:1.22\nENV GOPROXY=direct\n", rules=[rule], fix=fix)
    assert _crashes(result) == [("GC105", "internal error in the rule (RuntimeError: boom)")]
    assert result.findings == ()


# --------------------------------------------------------------------------- without a corpus

ONE_CORPUS_TEST = "tests/test_manifest.py::test_known_misses_are_all_tagged_files"


def _pytest_without_corpus(tmp_path: Path, *, required: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOCOMPLY_")}
    env["GOCOMPLY_CORPUS"] = str(tmp_path / "no-corpus")
    if required:
        env["GOCOMPLY_REQUIRE_CORPUS"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rsE", "-p", "no:cacheprovider", ONE_CORPUS_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("required", "exit_code", "outcome"),
    [
        pytest.param(False, 0, "1 skipped", id="skips"),
        pytest.param(True, 1, "1 error", id="fails-when-required"),
    ],
)
def test_missing_corpus(tmp_path: Path, required: bool, exit_code: int, outcome: str) -> None:
    proc = _pytest_without_corpus(tmp_path, required=required)
    out = proc.stdout
    assert proc.returncode == exit_code, out + proc.stderr
    assert outcome in out.splitlines()[-1]
    reason = (
        f"the Dockerfile corpus is missing: {tmp_path / 'no-corpus'} has no real, buildkit, "
        "MANIFEST.tsv (set GOCOMPLY_CORPUS to the corpus directory)"
    )
    assert reason in out
