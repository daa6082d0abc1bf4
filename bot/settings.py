"""Process settings: read once in ``main`` from the environment and flags, then passed down.

Every command that talks to GitHub shares these settings. Flags win over environment
variables. The private key is held in memory only and never appears in ``repr``, logs or error
messages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_GITHUB_URL = "https://api.github.com"
DEFAULT_SCORECARD_URL = "https://api.securityscorecards.dev"
DEFAULT_DATABASE_URL = "sqlite:///gocomply.sqlite3"


class SettingsError(ValueError):
    """A setting is missing or unusable; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    app_id: str | None = None
    private_key: str | None = field(default=None, repr=False)
    github_url: str = DEFAULT_GITHUB_URL
    database_url: str = DEFAULT_DATABASE_URL
    scorecard_url: str = DEFAULT_SCORECARD_URL
    org_config_repo: str = ".github"
    org_config_path: str = "gocomply.yml"
    concurrency: int = 4
    max_retries: int = 3
    max_backoff: float = 60.0
    per_page: int = 100

    def __post_init__(self) -> None:
        object.__setattr__(self, "github_url", self.github_url.rstrip("/"))
        if self.concurrency < 1:
            raise SettingsError("concurrency must be at least 1")

    def __repr__(self) -> str:  # the key must never be printed
        key = "<set>" if self.private_key else None
        db = _redact_url(self.database_url)
        return (
            f"Settings(app_id={self.app_id!r}, private_key={key}, github_url={self.github_url!r}, "
            f"database_url={db!r}, scorecard_url={self.scorecard_url!r})"
        )

    def require_app(self) -> tuple[str, str]:
        """App id and private key, or a SettingsError naming what is missing."""
        missing = []
        if not self.app_id:
            missing.append("GOCOMPLY_APP_ID (--app-id)")
        if not self.private_key:
            missing.append("GOCOMPLY_PRIVATE_KEY_PATH (--private-key-path) or GOCOMPLY_PRIVATE_KEY")
        if missing:
            raise SettingsError("missing GitHub App settings: " + ", ".join(missing))
        assert self.app_id is not None and self.private_key is not None
        return self.app_id, self.private_key

    @staticmethod
    def from_env(env: Mapping[str, str] | None = None, **flags: object) -> Settings:
        """Settings from ``GOCOMPLY_*`` variables, overridden by non-None ``flags``."""
        e = os.environ if env is None else env
        key = e.get("GOCOMPLY_PRIVATE_KEY")
        key_path = flags.pop("private_key_path", None) or e.get("GOCOMPLY_PRIVATE_KEY_PATH")
        if key_path:
            try:
                key = Path(str(key_path)).read_text(encoding="utf-8")
            except OSError as exc:
                raise SettingsError(
                    f"cannot read the private key file {key_path}: {exc.strerror}"
                ) from None
        s = Settings(
            app_id=e.get("GOCOMPLY_APP_ID"),
            private_key=key,
            github_url=e.get("GOCOMPLY_GITHUB_URL", DEFAULT_GITHUB_URL),
            database_url=e.get("GOCOMPLY_DATABASE_URL", DEFAULT_DATABASE_URL),
            scorecard_url=e.get("GOCOMPLY_SCORECARD_URL", DEFAULT_SCORECARD_URL),
        )
        given = {k: v for k, v in flags.items() if v is not None}
        return replace(s, **given) if given else s  # type: ignore[arg-type]


def _redact_url(url: str) -> str:
    """``postgresql://user:secret@host/db`` → ``postgresql://user:***@host/db``."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    cred, _, host = rest.rpartition("@")
    user = cred.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
