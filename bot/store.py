"""Persistent state of the App: HTTP validators, blobs by sha, and what each repo looked like.

SQLAlchemy Core over any database URL: a SQLite file by default, PostgreSQL by URL
(``postgresql+psycopg://…``). Everything stored is derived from GitHub and can be dropped at any
time; losing it only costs requests.

- ``etags``: the ETag and body of conditional GETs (a 304 costs no rate limit on GitHub).
- ``blobs``: file contents by git blob sha (immutable, so never stale).
- ``notes``: small facts gocomply remembers by key (the org config of a given ``.github``
  push, whether a repository has an open config issue, a Scorecard answer of the day).
- ``repos``: per repository, the ``pushed_at`` and effective-config hash of its last complete
  scan and that scan's result, so an unchanged repository costs no request beyond the listing.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

metadata = MetaData()

etags = Table(
    "etags",
    metadata,
    Column("key", String(512), primary_key=True),
    Column("etag", String(256), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("link", Text, nullable=True),  # pagination: a 304 need not repeat the Link header
)
blobs = Table(
    "blobs",
    metadata,
    Column("sha", String(64), primary_key=True),
    Column("content", LargeBinary, nullable=False),
)
repos = Table(
    "repos",
    metadata,
    Column("repo_id", Integer, primary_key=True),
    Column("full_name", String(256), nullable=False),
    Column("pushed_at", String(64), nullable=True),
    Column("config_hash", String(200), nullable=False),  # org hash + repo config hash
    Column("result", Text, nullable=False),
)


notes = Table(
    "notes",
    metadata,
    Column("key", String(512), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)
pulls = Table(
    "pulls",
    metadata,
    Column("repo_id", Integer, primary_key=True),
    Column("installation_id", Integer, nullable=False),
    Column("repo", String(256), nullable=False),
    Column("number", Integer, nullable=False),
    Column("open", Integer, nullable=False),
    Column("opened_at", Float, nullable=False),
)


class StoreError(RuntimeError):
    """The state database cannot be used (the message names the URL without credentials)."""


@dataclass(frozen=True)
class RepoState:
    repo_id: int
    full_name: str
    pushed_at: str | None
    config_hash: str
    result: dict[str, Any]


class Store:
    def __init__(self, url: str) -> None:
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False}
        try:
            self.engine: Engine = create_engine(url, **kwargs)
            metadata.create_all(self.engine)
        except (SQLAlchemyError, ImportError) as exc:
            from bot.settings import _redact_url

            raise StoreError(
                f"cannot open the state database {_redact_url(url)}: {type(exc).__name__}"
            ) from None
        self._lock = threading.Lock()  # SQLite allows one writer at a time

    # -- conditional requests -----------------------------------------------------------

    def get_cached(self, key: str) -> tuple[str, bytes, str | None] | None:
        """ETag, body and Link header stored for ``key``."""
        with self.engine.connect() as c:
            row = c.execute(
                select(etags.c.etag, etags.c.body, etags.c.link).where(etags.c.key == key)
            ).first()
        return None if row is None else (row[0], bytes(row[1]), row[2])

    def put_etag(self, key: str, etag: str, body: bytes, link: str | None = None) -> None:
        with self._lock, self.engine.begin() as c:
            c.execute(delete(etags).where(etags.c.key == key))
            c.execute(etags.insert().values(key=key, etag=etag, body=body, link=link))

    # -- notes ---------------------------------------------------------------------------

    def recall(self, key: str) -> bytes | None:
        with self.engine.connect() as c:
            row = c.execute(select(notes.c.value).where(notes.c.key == key)).first()
        return None if row is None else bytes(row[0])

    def remember(self, key: str, value: bytes) -> None:
        with self._lock, self.engine.begin() as c:
            c.execute(delete(notes).where(notes.c.key == key))
            c.execute(notes.insert().values(key=key, value=value))

    # -- blobs -------------------------------------------------------------------------

    def get_blob(self, sha: str) -> bytes | None:
        with self.engine.connect() as c:
            row = c.execute(select(blobs.c.content).where(blobs.c.sha == sha)).first()
        return None if row is None else bytes(row[0])

    def put_blob(self, sha: str, content: bytes) -> None:
        with self._lock, self.engine.begin() as c:
            c.execute(delete(blobs).where(blobs.c.sha == sha))
            c.execute(blobs.insert().values(sha=sha, content=content))

    # -- repositories ------------------------------------------------------------------

    def get_repo(self, repo_id: int) -> RepoState | None:
        with self.engine.connect() as c:
            row = c.execute(select(repos).where(repos.c.repo_id == repo_id)).first()
        if row is None:
            return None
        return RepoState(
            row.repo_id, row.full_name, row.pushed_at, row.config_hash, json.loads(row.result)
        )

    def put_repo(self, state: RepoState) -> None:
        with self._lock, self.engine.begin() as c:
            c.execute(delete(repos).where(repos.c.repo_id == state.repo_id))
            c.execute(
                repos.insert().values(
                    repo_id=state.repo_id,
                    full_name=state.full_name,
                    pushed_at=state.pushed_at,
                    config_hash=state.config_hash,
                    result=json.dumps(state.result, sort_keys=True),
                )
            )

    def forget_repo(self, repo_id: int) -> None:
        with self._lock, self.engine.begin() as c:
            c.execute(delete(repos).where(repos.c.repo_id == repo_id))

    # -- gocomply's pull requests (for the org's new-PR rate and open-PR limits) ------

    def record_pull(
        self,
        installation_id: int,
        repo_id: int,
        repo: str,
        number: int,
        *,
        open_: bool,
        opened_at: float | None = None,
    ) -> None:
        """Remember a repository's current gocomply PR (``opened_at`` only when just opened)."""
        with self._lock, self.engine.begin() as c:
            row = c.execute(
                select(pulls.c.opened_at, pulls.c.number).where(pulls.c.repo_id == repo_id)
            ).first()
            keep = row[0] if row is not None and row[1] == number else 0.0
            c.execute(delete(pulls).where(pulls.c.repo_id == repo_id))
            c.execute(
                pulls.insert().values(
                    repo_id=repo_id,
                    installation_id=installation_id,
                    repo=repo,
                    number=number,
                    open=1 if open_ else 0,
                    opened_at=opened_at if opened_at is not None else keep,
                )
            )

    def pull_of(self, repo_id: int) -> tuple[int, bool] | None:
        with self.engine.connect() as c:
            row = c.execute(
                select(pulls.c.number, pulls.c.open).where(pulls.c.repo_id == repo_id)
            ).first()
        return None if row is None else (int(row[0]), bool(row[1]))

    def opened_since(self, installation_id: int, since: float) -> int:
        with self.engine.connect() as c:
            rows = c.execute(
                select(pulls.c.repo_id).where(
                    (pulls.c.installation_id == installation_id) & (pulls.c.opened_at >= since)
                )
            ).all()
        return len(rows)

    def open_pulls(self, installation_id: int) -> int:
        with self.engine.connect() as c:
            rows = c.execute(
                select(pulls.c.repo_id).where(
                    (pulls.c.installation_id == installation_id) & (pulls.c.open == 1)
                )
            ).all()
        return len(rows)

    def close(self) -> None:
        self.engine.dispose()
