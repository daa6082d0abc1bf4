"""Reading Dockerfiles safely and writing fixes atomically.

Invariants:
- `read_text` returns the file's characters exactly: bytes are decoded as strict UTF-8 with no
  newline translation, so CRLF, a lone CR and a BOM (kept as ``\\ufeff``) survive, and
  ``write_text_atomic(path, read_text(path))`` writes the same bytes back.
- Anything that is not a readable regular UTF-8 text file of at most `MAX_BYTES` bytes without
  NUL bytes raises `ReadError` with a one-line reason; nothing here blocks on a FIFO or device
  and no other exception type escapes for I/O problems.
- `write_text_atomic` writes a temporary file in the same directory and renames it over the
  target (`os.replace`), so readers see the old file or the new one, never a mix; the target's
  permission bits (and owner, where we may set it) are kept. A symlink is written through: the
  file it points to is replaced, the link stays. `write_texts_atomic` does this for several
  files, writing every temporary file before renaming any, so one that cannot be written
  leaves all of them untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

MAX_BYTES = 1024 * 1024  # 1 MiB: far above any real Dockerfile, low enough to bound work


class ReadError(Exception):
    """A file that cannot be analysed; ``str()`` is a one-line, user-facing reason."""


def os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    return exc.strerror or type(exc).__name__


def read_bytes(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or `ReadError`."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ReadError(os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError("is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("not a regular file (FIFO, socket or device)")
    if st.st_size > limit:
        raise ReadError(f"file is too large ({st.st_size} bytes; the limit is {limit} bytes)")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after stat, open must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadError(os_reason(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadError("not a regular file (FIFO, socket or device)")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise ReadError(f"file is too large (more than {limit} bytes)")
            chunks.append(chunk)
    except OSError as exc:
        raise ReadError(os_reason(exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode_text(data: bytes) -> str:
    """Strict UTF-8 with no newline translation; NUL bytes are refused (binary files)."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ReadError(f"contains a NUL byte at offset {nul} (binary file?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise ReadError(f"not valid UTF-8 (byte 0x{bad} at offset {exc.start})") from None


def read_text(path: Path | str, limit: int = MAX_BYTES) -> str:
    """The exact text of a Dockerfile, or `ReadError` with the reason it cannot be read."""
    return decode_text(read_bytes(path, limit))


def write_text_atomic(path: Path | str, text: str) -> None:
    """Replace the file at ``path`` by ``text`` (UTF-8, exactly these characters), atomically.

    Raises `OSError` when the directory is not writable; the original file is then untouched
    and no temporary file is left behind.
    """
    write_texts_atomic([(path, text)])


def write_texts_atomic(files: Sequence[tuple[Path | str, str]]) -> None:
    """Write several files, each atomically, so that a failure leaves none half-written.

    Every temporary file is written (and synced) first; only when all are ready are they
    renamed over their targets. A failure while preparing removes the temporaries and leaves
    every target as it was. A missing target is created, with the mode a new file gets
    (0666 less the umask) rather than the temporary file's 0600.
    """
    ready: list[tuple[str, Path]] = []
    try:
        for path, text in files:
            target = Path(os.path.realpath(path))
            ready.append((_prepare(target, text.encode("utf-8")), target))
    except BaseException:
        for tmp, _ in ready:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for i, (tmp, target) in enumerate(ready):
        try:
            os.replace(tmp, target)
        except BaseException:
            for later, _ in ready[i:]:
                with contextlib.suppress(OSError):
                    os.unlink(later)
            raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _prepare(target: Path, data: bytes) -> str:
    """A synced temporary file next to ``target`` holding ``data``, with its mode and owner."""
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    import tempfile  # ≈7 ms (shutil, random, bz2, lzma): only a fix writes

    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".gocomply-tmp", dir=str(target.parent)
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is None:
            os.chmod(tmp, 0o666 & ~_umask())
        else:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != _owner(tmp):
                with contextlib.suppress(OSError):  # only root may give files away
                    os.chown(tmp, st.st_uid, st.st_gid)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _owner(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid
