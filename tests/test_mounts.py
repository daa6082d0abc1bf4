"""`--mount` values parsed the way BuildKit reads them (one row per form)."""

from __future__ import annotations

import pytest

from rewriters.mounts import mount_options


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("type=cache,target=/go/pkg/mod", {"type": "cache", "target": "/go/pkg/mod"}),
        ("target=/x", {"type": "bind", "target": "/x"}),  # BuildKit's default type
        ("type=cache,dst=/root/.cache", {"type": "cache", "target": "/root/.cache"}),
        (
            "type=bind,destination=/d,src=go.mod",
            {"type": "bind", "target": "/d", "source": "go.mod"},
        ),
        ("type=secret,id=netrc,required", {"type": "secret", "id": "netrc", "required": ""}),
        ("TYPE=cache,Target=/x", {"type": "cache", "target": "/x"}),
        (
            "from=build,source=/out,target=/in",
            {"type": "bind", "from": "build", "source": "/out", "target": "/in"},
        ),
        ('type=cache,"target=/a,b"', {"type": "cache", "target": "/a,b"}),  # CSV quoting
        ("", {"type": "bind"}),
    ],
)
def test_mount_options(value: str, expected: dict[str, str]) -> None:
    assert mount_options(value) == expected
