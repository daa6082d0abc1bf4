"""Edits that name their file: overlap per file, one file per apply, creating edits."""

from __future__ import annotations

import pytest

from rewriters.edits import (
    Edit,
    OverlappingEditsError,
    SideFile,
    Span,
    apply_edits,
    by_path,
    check_overlaps,
)


@pytest.mark.parametrize(
    ("edits", "overlap"),
    [
        pytest.param([Edit(Span(0, 3), "x"), Edit(Span(1, 2), "y")], True, id="same-file"),
        pytest.param(
            [Edit(Span(0, 3), "x"), Edit(Span(1, 2), "y", ".dockerignore")], False, id="two-files"
        ),
        pytest.param(
            [Edit(Span(0, 3), "x", "a/.dockerignore"), Edit(Span(1, 2), "y", "a/.dockerignore")],
            True,
            id="same-side-file",
        ),
        pytest.param(
            [Edit.create_file(".dockerignore", "a"), Edit.insert(0, "b", ".dockerignore")],
            True,
            id="create-takes-one-edit",
        ),
        pytest.param(
            [Edit.create_file(".dockerignore", "a"), Edit.insert(0, "b")], False, id="create-and-df"
        ),
    ],
)
def test_overlaps_are_checked_per_file(edits: list[Edit], overlap: bool) -> None:
    if overlap:
        with pytest.raises(OverlappingEditsError):
            check_overlaps(edits)
    else:
        ordered = check_overlaps(edits)
        assert ordered[0].path is None or all(e.path is not None for e in ordered)


def test_apply_takes_one_file_and_by_path_groups() -> None:
    df, side = Edit.insert(0, "# x\n"), Edit.insert(0, ".git\n", ".dockerignore")
    with pytest.raises(ValueError, match="one file"):
        apply_edits("FROM a\n", [df, side])
    groups = by_path([df, side])
    assert groups == {None: [df], ".dockerignore": [side]}
    assert apply_edits("", groups[".dockerignore"]) == ".git\n"


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: Edit(Span(0, 0), "x", None, create=True), id="create-needs-path"),
        pytest.param(lambda: Edit(Span(0, 1), "x", "f", create=True), id="create-inserts-at-0"),
    ],
)
def test_invalid_creating_edits(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


@pytest.mark.parametrize(
    "side",
    [SideFile("a/.dockerignore", None, ".git\n", (("GC208", ".git\n"),)), SideFile("x", "a", "b")],
)
def test_side_file_round_trips_through_a_dict(side: SideFile) -> None:
    assert SideFile.from_dict(side.as_dict()) == side
    assert side.created is (side.before is None)
