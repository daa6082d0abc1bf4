"""Access to ../shared/corpus for tests and benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

CORPUS = Path(
    os.environ.get("GOCOMPLY_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)


def real_files() -> list[Path]:
    return sorted(p for p in (CORPUS / "real").iterdir() if p.is_file())


def buildkit_files() -> list[Path]:
    return sorted(
        p / "Dockerfile" for p in (CORPUS / "buildkit").iterdir() if (p / "Dockerfile").is_file()
    )


def all_files() -> list[Path]:
    return real_files() + buildkit_files()


def read_text(path: Path) -> str:
    # newline="" keeps CRLF exactly as in the file
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()
