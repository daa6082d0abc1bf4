"""Every corpus file tagged with a pattern in MANIFEST.tsv is found by the matching rule,
or is listed here as a known miss with the reason (the tags are regex guesses, not truth)."""

from __future__ import annotations

import csv

import pytest

from rewriters.engine import analyze
from tests.corpus import CORPUS, missing, read_text, requires_corpus

pytestmark = requires_corpus

PATTERN_RULE = {"P1": "GC101", "P2": "GC102", "P3": "GC103", "P4": "GC104", "P5": "GC105"}
# P6 (credentials in the build) belongs to GC207, a safe-practice rule not written yet.

KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("P3", "010"): "remote tool installs at a pinned version (`go install pkg@vX.Y.Z`) are "
    "what go install is for; GC106 judges the pin",
    ("P3", "028"): "`go install` of delve at a version: a tool install, not the project's binary",
    ("P3", "085"): "`go install module@latest`: a remote tool install (GC106 reports the pin)",
    ("P3", "100"): "remote tool install at a version",
    ("P3", "112"): "`go install -v` of a dependency by import path without version, "
    "resolved by go.mod: not the project's own package",
    ("P3", "189"): "remote tool install at a version",
    ("P4", "007"): "gcc is installed through xx-apt-get before the cgo build",
    ("P4", "010"): "base image `golang:$GO_IMAGE_TAG` with no default: its C compiler is unknown",
    ("P4", "021"): "clang and gcc are installed (xx-apk) before the cgo build",
    ("P4", "027"): "Debian-based golang image: gcc is there",
    ("P4", "030"): "grafana's own build image: its C compiler is unknown",
    ("P4", "047"): "Debian-based golang image: gcc is there",
    ("P4", "078"): "Debian-based golang image: gcc is there",
    ("P4", "150"): "Debian-based golang image: gcc is there",
    ("P5", "130"): "`GOPROXY=off` with -mod=vendor is a deliberate hermetic build",
}


def _rows() -> list[tuple[str, str]]:
    if missing() is not None:
        return [("corpus", "missing")]  # a placeholder the module's mark skips or fails
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(p, r["file"]) for r in rows for p in r["patterns"].split(",") if p in PATTERN_RULE]


ROWS = _rows()


@pytest.mark.parametrize(("pattern", "name"), ROWS, ids=[f"{p}-{n[:40]}" for p, n in ROWS])
def test_tagged_file_is_found_or_a_known_miss(pattern: str, name: str) -> None:
    result = analyze(read_text(CORPUS / "real" / name), path=name)
    found = PATTERN_RULE[pattern] in {f.code for f in result.findings}
    known = KNOWN_MISSES.get((pattern, name.split("__")[0]))
    if known is None:
        assert found, f"{PATTERN_RULE[pattern]} does not find {name}"
    else:
        assert not found, f"{name} is found now: remove it from KNOWN_MISSES"


def test_known_misses_are_all_tagged_files() -> None:
    tagged = {(p, n.split("__")[0]) for p, n in ROWS}
    assert set(KNOWN_MISSES) <= tagged
