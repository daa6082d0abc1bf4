"""Access to the Dockerfile corpus (../shared/corpus) for tests and benchmarks.

The corpus lives beside the repository, not in it: ``../shared/corpus`` (``real/``,
``buildkit/*/Dockerfile``, ``MANIFEST.tsv``), or the directory in ``GOCOMPLY_CORPUS``.

Invariants:
- Importing this module and collecting tests never fails without the corpus: the file lists
  are empty and `params` yields one placeholder parameter.
- Every test that reads the corpus carries `requires_corpus` (the registered ``corpus``
  marker; tests/conftest.py acts on it): without the corpus it is skipped with `missing()` as
  its one reason, or, when ``GOCOMPLY_REQUIRE_CORPUS=1`` (set by .ci/run, which has the
  corpus), it fails with that reason instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

CORPUS = Path(
    os.environ.get("GOCOMPLY_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)
REQUIRED = os.environ.get("GOCOMPLY_REQUIRE_CORPUS", "") == "1"
_PARTS = ("real", "buildkit", "MANIFEST.tsv")

requires_corpus = pytest.mark.corpus


def missing() -> str | None:
    """Why the corpus cannot be used (one sentence naming what is missing), or None."""
    absent = [part for part in _PARTS if not (CORPUS / part).exists()]
    if not absent:
        return None
    return (
        f"the Dockerfile corpus is missing: {CORPUS} has no {', '.join(absent)} "
        "(set GOCOMPLY_CORPUS to the corpus directory)"
    )


def check_available() -> None:
    """Skip the running test without the corpus, or fail it when the corpus is required."""
    reason = missing()
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"{reason}; GOCOMPLY_REQUIRE_CORPUS=1 requires it", pytrace=False)
    pytest.skip(reason)


def real_files() -> list[Path]:
    if missing() is not None:
        return []
    return sorted(p for p in (CORPUS / "real").iterdir() if p.is_file())


def buildkit_files() -> list[Path]:
    if missing() is not None:
        return []
    return sorted(
        p / "Dockerfile" for p in (CORPUS / "buildkit").iterdir() if (p / "Dockerfile").is_file()
    )


def all_files() -> list[Path]:
    return real_files() + buildkit_files()


def file_id(path: Path) -> str:
    """``real/NAME`` files by name, ``buildkit/CASE/Dockerfile`` as ``CASE/Dockerfile``."""
    return f"{path.parent.name}/{path.name}" if path.name == "Dockerfile" else path.name


def params(
    files: Callable[[], list[Path]] = all_files, ident: Callable[[Path], str] = file_id
) -> list[object]:
    """pytest parameters, one per corpus file; without the corpus one placeholder (``None``)
    whose test `requires_corpus` skips or fails before it runs."""
    if missing() is not None:
        return [pytest.param(None, id="corpus-missing")]
    return [pytest.param(p, id=ident(p)) for p in files()]


def read_text(path: Path) -> str:
    # newline="" keeps CRLF exactly as in the file
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()
