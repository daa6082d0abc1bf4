"""In-memory state of the GitHub stand-in (git objects live in the bare repositories)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric import rsa

from tests.github.appauth import load_private_key, sign_jwt
from tests.github.gitstore import BareRepo

AccountType = Literal["Organization", "User", "Bot"]


@dataclass(eq=False)
class Account:
    """A user, organisation or bot (an App's `slug[bot]` user)."""

    id: int
    login: str
    type: AccountType
    email: str | None = None
    name: str | None = None
    # organisations this user is a member of (for assignees and review requests)
    orgs: set[str] = field(default_factory=set)


@dataclass(eq=False)
class App:
    id: int
    slug: str
    name: str
    client_id: str
    owner: Account
    private_key_pem: str
    permissions: dict[str, str]
    events: list[str]
    webhook_secret: str
    bot: Account
    created_at: float

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return load_private_key(self.private_key_pem).public_key()

    @property
    def bot_email(self) -> str:
        """The address GitHub gives the App's commits: `{bot id}+{slug}[bot]@users.noreply…`."""
        return f"{self.bot.id}+{self.bot.login}@users.noreply.github.com"

    def jwt(self, **kwargs: Any) -> str:
        """A valid App JWT (see appauth.sign_jwt for the knobs)."""
        return sign_jwt(load_private_key(self.private_key_pem), self.id, **kwargs)


@dataclass(eq=False)
class Installation:
    id: int
    app: App
    account: Account
    repository_selection: Literal["all", "selected"]
    repo_ids: set[int]
    permissions: dict[str, str]
    events: list[str]
    created_at: float
    suspended_at: float | None = None


@dataclass(eq=False)
class Token:
    token: str
    installation: Installation
    expires_at: float
    permissions: dict[str, str]
    repo_ids: set[int] | None  # None: every repository the installation can see


@dataclass(eq=False)
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass(eq=False)
class Comment:
    id: int
    body: str
    user: Account
    created_at: float
    updated_at: float
    app: App | None = None  # performed_via_github_app


@dataclass(eq=False)
class Pull:
    head_ref: str
    base_ref: str
    head_sha: str  # last head (frozen once closed)
    draft: bool
    maintainer_can_modify: bool
    merged: bool = False
    merged_at: float | None = None
    merged_by: Account | None = None
    merge_commit_sha: str | None = None
    requested_reviewers: list[str] = field(default_factory=list)
    id: int = 0


@dataclass(eq=False)
class Issue:
    """An issue, or the issue half of a pull request (`pull` set)."""

    id: int
    number: int
    title: str
    body: str | None
    user: Account
    created_at: float
    updated_at: float
    state: Literal["open", "closed"] = "open"
    state_reason: str | None = None
    closed_at: float | None = None
    closed_by: Account | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    locked: bool = False
    pull: Pull | None = None
    app: App | None = None


@dataclass(eq=False)
class Repo:
    id: int
    owner: Account
    name: str
    git: BareRepo
    default_branch: str
    private: bool
    created_at: float
    updated_at: float
    pushed_at: float | None
    description: str | None = None
    language: str | None = None
    archived: bool = False
    fork: bool = False
    disabled: bool = False
    blocked: bool = False  # 451 Unavailable For Legal Reasons
    truncate_trees: float | None = None  # fraction of entries kept by recursive tree reads
    size_kb: int = 0
    labels: dict[str, Label] = field(default_factory=dict)  # lower-case name -> label
    issues: dict[int, Issue] = field(default_factory=dict)
    next_number: int = 1
    # commit sha -> verification of commits the Git Data API created (signed by "GitHub")
    verified: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def empty(self) -> bool:
        return self.git.is_empty()
