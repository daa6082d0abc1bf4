"""The state store on SQLite (default) and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import RepoState, Store, StoreError
from tests import postgres


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    if not postgres.available():
        pytest.fail("PostgreSQL binaries are missing: .ci/run installs Debian's postgresql")
    with postgres.postgres_server() as url:
        yield url


def _exercise(store: Store) -> None:
    long_hash = "a" * 64 + "b" * 64  # org hash + repo config hash
    store.put_etag("k", '"etag"', b"body", '<https://x/?page=2>; rel="next"')
    assert store.get_cached("k") == ('"etag"', b"body", '<https://x/?page=2>; rel="next"')
    store.put_etag("k", '"etag2"', b"body2")
    assert store.get_cached("k") == ('"etag2"', b"body2", None)
    assert store.recall("note") is None
    store.remember("note", b"open")
    store.remember("note", b"closed")
    assert store.recall("note") == b"closed"
    store.put_blob("f" * 40, b"FROM golang\n\x00binary ok")
    assert store.get_blob("f" * 40) == b"FROM golang\n\x00binary ok"
    state = RepoState(7, "acme/api", "2026-11-28T10:00:00Z", long_hash, {"files": ["é"]})
    store.put_repo(state)
    assert store.get_repo(7) == state
    store.record_pull(1, 7, "acme/api", 12, open_=True, opened_at=1000.0)
    store.record_pull(1, 8, "acme/web", 3, open_=True, opened_at=10.0)
    assert store.opened_since(1, 500.0) == 1 and store.open_pulls(1) == 2
    store.record_pull(1, 7, "acme/api", 12, open_=False)
    assert store.pull_of(7) == (12, False) and store.open_pulls(1) == 1
    assert store.opened_since(1, 500.0) == 1  # closing keeps when it was opened
    store.forget_repo(7)
    assert store.get_repo(7) is None


def test_sqlite_store(tmp_path: Path) -> None:
    _exercise(Store(f"sqlite:///{tmp_path / 'state.sqlite3'}"))


def test_postgresql_store(pg_url: str) -> None:
    store = Store(pg_url)
    _exercise(store)
    store.close()
    assert Store(pg_url).get_blob("f" * 40) is not None  # it persisted


def test_unusable_url_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StoreError) as exc:
        Store("postgresql+nosuchdriver://user:s3cret@127.0.0.1:1/db")
    assert "s3cret" not in str(exc.value) and "user:***@" in str(exc.value)
