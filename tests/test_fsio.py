"""bot.fsio: exact reads, clear refusals, atomic writes that keep bytes and modes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot import fsio
from bot.fsio import MAX_BYTES, ReadError, read_text, write_text_atomic


def test_read_keeps_crlf_bom_and_lone_cr(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbfFROM golang:1.22\r\nRUN a \\\r\n  b\rc\n# no final newline"
    p = tmp_path / "Dockerfile"
    p.write_bytes(raw)
    text = read_text(p)
    assert text.startswith("\ufeffFROM")
    assert "\r\n" in text and "\rc" in text
    write_text_atomic(p, text)
    assert p.read_bytes() == raw


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"FROM golang\n\xff\xfe\n", "not valid UTF-8 (byte 0xff at offset 12)"),
        (b"FROM golang\x00\n", "contains a NUL byte at offset 11 (binary file?)"),
    ],
    ids=["not-utf8", "nul-byte"],
)
def test_bad_bytes(tmp_path: Path, data: bytes, message: str) -> None:
    p = tmp_path / "Dockerfile"
    p.write_bytes(data)
    with pytest.raises(ReadError) as exc:
        read_text(p)
    assert str(exc.value) == message


def test_too_large(tmp_path: Path) -> None:
    p = tmp_path / "Dockerfile"
    p.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(ReadError, match=r"file is too large \(1048577 bytes; the limit is"):
        read_text(p)
    p.write_bytes(b"#" * MAX_BYTES)
    assert len(read_text(p)) == MAX_BYTES


def test_directory(tmp_path: Path) -> None:
    d = tmp_path / "Dockerfile"
    d.mkdir()
    with pytest.raises(ReadError, match=r"^is a directory, not a file$"):
        read_text(d)


def test_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(ReadError, match=r"^symlink loop"):
        read_text(tmp_path / "a")


def test_missing(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"^no such file or directory$"):
        read_text(tmp_path / "nope")


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match=r"^not a regular file"):
        read_text(fifo)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom chmod 000 does not stop reads: make open() itself refuse.
    p = tmp_path / "Dockerfile"
    p.write_text("FROM golang\n")
    real_open = os.open

    def deny(path: str | os.PathLike[str], flags: int, *a: int) -> int:
        if Path(path) == p:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a)

    monkeypatch.setattr(fsio.os, "open", deny)
    with pytest.raises(ReadError, match=r"^permission denied$"):
        read_text(p)


def test_write_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    p = tmp_path / "Dockerfile"
    p.write_text("old\n")
    p.chmod(0o640)
    write_text_atomic(p, "new\r\n")
    assert p.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert sorted(x.name for x in tmp_path.iterdir()) == ["Dockerfile"]


def test_write_through_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.Dockerfile"
    real.write_text("old\n")
    link = tmp_path / "Dockerfile"
    link.symlink_to(real.name)
    write_text_atomic(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_failed_write_keeps_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "Dockerfile"
    p.write_text("old\n")

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsio.os, "replace", boom)
    with pytest.raises(OSError):
        write_text_atomic(p, "new\n")
    assert p.read_text() == "old\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["Dockerfile"]
