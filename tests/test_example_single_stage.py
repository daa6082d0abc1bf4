"""The end-to-end example of GC202: `gocomply fix --unsafe` on a plain single-stage
``FROM golang:1.22-alpine`` build (examples/single-stage-golang/) writes exactly
``Dockerfile-fixed.txt``: a build stage and a distroless ``:nonroot`` runtime stage.

The whole rule catalogue runs, so a new or changed rule that touches this file changes the
expected text. To regenerate it after such a change (and review the diff before committing)::

    GOCOMPLY_REGENERATE=1 python -m pytest -q tests/test_example_single_stage.py

The golden file is not named ``Dockerfile.*`` so that ``gocomply check examples/`` does not
pick it up as another Dockerfile.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "single-stage-golang"
GOLDEN = EXAMPLE / "Dockerfile-fixed.txt"


def _fixed(tmp_path: Path, *extra: str, rc: int = 0) -> bytes:
    work = tmp_path / "single-stage-golang"
    shutil.copytree(EXAMPLE, work)
    (work / GOLDEN.name).unlink()
    assert main(["fix", *extra, str(work / "Dockerfile")]) == rc
    return (work / "Dockerfile").read_bytes()


def test_unsafe_fix_writes_the_golden_file(tmp_path: Path) -> None:
    got = _fixed(tmp_path, "--unsafe")
    if os.environ.get("GOCOMPLY_REGENERATE") == "1":
        GOLDEN.write_bytes(got)
    assert got == GOLDEN.read_bytes(), "regenerate with GOCOMPLY_REGENERATE=1 (see docstring)"


def test_golden_file_is_two_stages_onto_distroless_nonroot() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    froms = [ln for ln in text.splitlines() if ln.upper().startswith("FROM ")]
    assert len(froms) >= 2
    assert froms[-1].split()[1].startswith("gcr.io/distroless/static-debian12:nonroot")
    final = text[text.rindex(froms[-1]) :]
    assert "COPY --from=build /src/myapp /myapp" in final
    assert 'CMD ["/myapp"]' in final
    assert 'CMD ["./myapp"]' not in text  # moved out of the build stage, not left behind


def test_without_unsafe_the_toolchain_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got = _fixed(tmp_path, rc=1).decode("utf-8")  # 1: findings remain
    assert "distroless" not in got
    assert "GC202" in capsys.readouterr().out
