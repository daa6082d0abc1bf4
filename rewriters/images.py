"""Image references: parsing (Docker's reference grammar) and classification of base images.

Pure code: no I/O, no network, no environment. Rules use this module to answer "is this a Go
toolchain image, which libc does it have, is there a C compiler, a shell, which user does it
run as" for a ``FROM`` reference, including references whose tag is still a build ARG.

Invariant: classification never claims a fact it cannot justify. What is not known is
``None`` (tri-state fields), ``"unknown"`` (``libc``, ``family``) or ``False`` for the plain
flags ``known``, ``go_toolchain`` and ``nonroot`` (``False`` there means "not established",
never "established to be false"). A rule that needs a fact and finds it unknown reports
instead of editing.

Facts used (see ``RULES.md``, "Facts every explanation must get right", and the sources below):

- Official ``golang`` images (docker-library/golang) are Debian based (``bookworm``,
  ``bullseye``, ``trixie``, …) unless the tag names ``alpine…`` or a Windows base
  (``windowsservercore…``, ``nanoserver…``). A tag without a variant suffix (``1.22``,
  ``1.22.3``, ``latest``) is a shared tag whose Linux image is the newest Debian variant.
  Debian-based ``golang`` images ship gcc, g++, libc6-dev, make, pkg-config (glibc, cgo on by
  default). ``golang:*-alpine*`` ships no C compiler (musl); alpine needs ``gcc musl-dev`` (or
  ``build-base``) for cgo. The Windows images ship no gcc either.
- ``alpine``, ``scratch``, ``busybox`` and every distroless image ship no C compiler; plain
  ``debian`` and ``ubuntu`` images do not either (Debian needs ``gcc libc6-dev``).
- distroless (``gcr.io/distroless/<variant>[-debianNN]``): ``static`` has no libc, ``base`` /
  ``base-nossl`` have glibc, ``cc`` adds libgcc (language images build on those). None has a
  shell; ``:debug`` tags add busybox at ``/busybox/sh`` (there is still no ``/bin/sh``, so
  shell-form ``RUN``/``CMD``/``ENTRYPOINT`` still fail). ``:nonroot`` / ``:debug-nonroot``
  tags run as uid/gid 65532; ``:latest`` / ``:debug`` run as uid 0.
- Chainguard (``cgr.dev/chainguard/*``, ``chainguard/*`` on Docker Hub), from the image
  configurations in chainguard-images/images: ``go`` is Wolfi (glibc) with ``build-base``
  (gcc), busybox and bash, and runs as root (``run-as: 0``); ``static`` has no libc, no shell
  and runs as 65532; ``glibc-dynamic`` has glibc, no shell (its ``-dev`` tags add busybox and
  bash) and runs as 65532.
- Microsoft's Go images (``mcr.microsoft.com/oss/go/microsoft/golang``) follow the official
  tag scheme: no distro in the tag means the newest Debian; Debian variants install gcc and
  libc6-dev; ``cbl-mariner``/``azurelinux`` variants install gcc and glibc-devel.
- ``busybox:*-glibc`` carries glibc; ``*-musl`` and ``*-uclibc`` are statically linked and
  carry no libc; the unsuffixed tags pick a different variant per architecture (unknown).
- OpenSSF Scorecard counts a ``FROM`` as pinned only with ``@sha256:<64 hex>`` (it also
  accepts ``@sha256:${VAR}``, which we cannot verify) and skips ``FROM scratch`` entirely.

Reference grammar (distribution/reference): ``[domain/]path[:tag][@digest]``. The first
path component is a registry host when it contains ``.`` or ``:``, is ``localhost``, or has
upper-case letters; otherwise the image is on Docker Hub (``docker.io``) and one-component
names get the ``library/`` prefix. Path components are lower case; a tag is
``[\\w][\\w.-]{0,127}``; a digest is ``algorithm:hex``. A tag and a digest may appear
together, in which case Docker pulls the digest; we classify by the tag, assuming the tag
describes the digest (as digest-pinning tools keep them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "UNKNOWN_FACTS",
    "Family",
    "ImageFacts",
    "ImageRef",
    "Libc",
    "c_install_packages",
    "classify",
    "facts_for",
    "parse_image",
    "parse_image_partial",
]

Family = Literal[
    "debian",
    "ubuntu",
    "alpine",
    "distroless",
    "scratch",
    "busybox",
    "windows",
    "chainguard",
    "other",
    "unknown",
]
Libc = Literal["glibc", "musl", "none", "unknown"]

DOCKER_HUB = "docker.io"
_LEGACY_DOCKER_HUB = "index.docker.io"
_OFFICIAL_PREFIX = "library/"
_NAME_TOTAL_LENGTH_MAX = 255

# distribution/reference regexp.go, transcribed.
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_RE = re.compile(
    rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
)
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REMOTE_NAME_RE = re.compile(rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
_TAG_RE = re.compile(r"[\w][\w.-]{0,127}", re.ASCII)
_DIGEST_RE = re.compile(
    r"(?P<algorithm>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*)"
    r":(?P<encoded>[0-9a-fA-F]{32,})"
)
_IDENTIFIER_RE = re.compile(r"[a-f0-9]{64}")
# opencontainers/go-digest: the algorithms Docker accepts and their encoded lengths.
_DIGEST_HEX_LENGTH = {"sha256": 64, "sha384": 96, "sha512": 128}
_SCORECARD_PINNED_RE = re.compile(r"sha256:[0-9a-f]{64}")

_VAR_NAME_START = re.compile(r"[A-Za-z_]")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MASK = "\x00"


@dataclass(frozen=True)
class ImageRef:
    """A parsed image reference, normalized like Docker (``golang`` → docker.io/library/golang).

    ``raw`` is the text as given. ``tag`` and ``digest`` are as written; after
    `parse_image_partial` they may still contain ``${VAR}`` / ``$VAR`` references
    (see `has_variables`). The special name ``scratch`` has ``registry == ""``.
    """

    raw: str
    registry: str
    path: str
    tag: str | None
    digest: str | None

    @property
    def is_scratch(self) -> bool:
        return self.registry == "" and self.path == "scratch"

    @property
    def repository(self) -> str:
        """Canonical repository name without tag or digest, e.g. ``docker.io/library/golang``."""
        return self.path if self.is_scratch else f"{self.registry}/{self.path}"

    @property
    def name(self) -> str:
        """Familiar name: ``golang``, ``chainguard/go``, ``gcr.io/distroless/static-debian12``."""
        if self.registry == DOCKER_HUB:
            rest = self.path.removeprefix(_OFFICIAL_PREFIX)
            return rest if rest != self.path and "/" not in rest else self.path
        return self.repository

    @property
    def tagged(self) -> str:
        """Canonical ``repository:tag`` (``docker.io/library/golang:1.22``; no tag means
        ``latest``, as Docker pulls it): the key digest resolution answers under."""
        return f"{self.repository}:{self.tag or 'latest'}"

    @property
    def has_variables(self) -> bool:
        """True when the tag or digest still contains unexpanded build-arg references."""
        return "$" in (self.tag or "") or "$" in (self.digest or "")

    @property
    def pinned(self) -> bool:
        """Pinned the way OpenSSF Scorecard counts it: a literal ``sha256:`` + 64 lowercase hex."""
        return self.digest is not None and _SCORECARD_PINNED_RE.fullmatch(self.digest) is not None

    @property
    def pinnable(self) -> bool:
        """False for ``scratch``: it has no digest, and Scorecard does not count it."""
        return not self.is_scratch


def _split_domain(name: str) -> tuple[str, str]:
    """distribution/reference ``splitDockerDomain``: (domain, remote name)."""
    first, slash, rest = name.partition("/")
    if not slash:
        return DOCKER_HUB, _OFFICIAL_PREFIX + name
    if first == _LEGACY_DOCKER_HUB:
        domain, remote = DOCKER_HUB, rest
    elif first == "localhost" or "." in first or ":" in first or first.lower() != first:
        domain, remote = first, rest
    else:
        domain, remote = DOCKER_HUB, name
    if domain == DOCKER_HUB and "/" not in remote:
        remote = _OFFICIAL_PREFIX + remote
    return domain, remote


def _valid_digest(digest: str) -> bool:
    match = _DIGEST_RE.fullmatch(digest)
    if match is None:
        return False
    length = _DIGEST_HEX_LENGTH.get(match["algorithm"])
    encoded = match["encoded"]
    return length is not None and len(encoded) == length and encoded == encoded.lower()


def _split_name_tag(text: str) -> tuple[str, str | None]:
    """Split ``name[:tag]``; a ``:`` before the last ``/`` belongs to a registry port."""
    colon = text.rfind(":")
    if colon > text.rfind("/"):
        return text[:colon], text[colon + 1 :]
    return text, None


def _parse_name(name: str) -> tuple[str, str] | None:
    domain, remote = _split_domain(name)
    if remote.lower() != remote:
        return None
    if _DOMAIN_RE.fullmatch(domain) is None or _REMOTE_NAME_RE.fullmatch(remote) is None:
        return None
    if len(domain) + 1 + len(remote) > _NAME_TOTAL_LENGTH_MAX:
        return None
    return domain, remote


def parse_image(ref: str) -> ImageRef | None:
    """Parse a literal image reference; None when invalid or when it contains ``$`` variables.

    ``scratch`` is Docker's empty base image and parses to ``ImageRef(registry="",
    path="scratch")``.
    """
    if ref == "scratch":
        return ImageRef(raw=ref, registry="", path="scratch", tag=None, digest=None)
    if "$" in ref or _IDENTIFIER_RE.fullmatch(ref):
        return None  # Docker refuses a bare 64-hex name: it looks like an image ID
    name_tag, at, digest = ref.partition("@")
    if at and not _valid_digest(digest):
        return None
    name, tag = _split_name_tag(name_tag)
    if tag is not None and _TAG_RE.fullmatch(tag) is None:
        return None
    parsed = _parse_name(name)
    if parsed is None:
        return None
    registry, path = parsed
    return ImageRef(raw=ref, registry=registry, path=path, tag=tag, digest=digest if at else None)


def _variable_pieces(text: str) -> list[tuple[str, bool]] | None:
    """Split text into ``(piece, is_variable)``; None when a ``$`` is not a variable reference.

    Recognizes ``$NAME`` and ``${NAME…}`` (any modifier, nested braces), like the Dockerfile
    word lexer. Escapes are not interpreted: a backslash makes the text unusable (None).
    """
    pieces: list[tuple[str, bool]] = []
    literal_start = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            return None
        if char != "$":
            i += 1
            continue
        if text.startswith("${", i):
            if not _VAR_NAME_START.match(text, i + 2):
                return None
            depth, j = 0, i
            while j < len(text):
                if text.startswith("${", j):
                    depth, j = depth + 1, j + 2
                elif text[j] == "}":
                    depth, j = depth - 1, j + 1
                    if depth == 0:
                        break
                else:
                    j += 1
            if depth != 0:
                return None
        else:
            match = _VAR_NAME.match(text, i + 1)
            if match is None:
                return None
            j = match.end()
        if literal_start < i:
            pieces.append((text[literal_start:i], False))
        pieces.append((text[i:j], True))
        literal_start = i = j
    if literal_start < len(text):
        pieces.append((text[literal_start:], False))
    return pieces


def _masked(pieces: list[tuple[str, bool]]) -> str:
    """The text with every variable replaced by mask characters of the same length."""
    return "".join(_MASK * len(piece) if is_var else piece for piece, is_var in pieces)


def parse_image_partial(ref: str) -> ImageRef | None:
    """Like `parse_image`, but also accepts variables in the tag and digest.

    ``golang:${GO_VERSION}-alpine`` parses to repository docker.io/library/golang with
    ``tag == "${GO_VERSION}-alpine"``: the repository is known, and the literal parts of the
    tag (``-alpine``) still tell rules which variant it is. The repository itself must be
    literal: ``$BASE_IMAGE`` or ``${REGISTRY}/golang:1.22`` give None. A variable digest
    (``@sha256:${DIGEST}``) is kept as written; it is never `ImageRef.pinned`.
    """
    if "$" not in ref:
        return parse_image(ref)
    if _MASK in ref:
        return None
    pieces = _variable_pieces(ref)
    if pieces is None:
        return None
    masked = _masked(pieces)
    at = masked.find("@")
    name_tag_masked = masked if at < 0 else masked[:at]
    colon = name_tag_masked.rfind(":")
    if colon <= name_tag_masked.rfind("/"):
        colon = -1
    name_end = colon if colon >= 0 else len(name_tag_masked)
    if _MASK in masked[:name_end]:
        return None
    parsed = _parse_name(ref[:name_end])
    if parsed is None:
        return None
    tag: str | None = None
    if colon >= 0:
        tag = ref[colon + 1 : len(name_tag_masked)]
        tag_masked = name_tag_masked[colon + 1 :]
        if _MASK not in tag_masked:
            tag_ok = _TAG_RE.fullmatch(tag) is not None
        else:  # each variable stands for at least one tag character; length unknown
            placeholder = re.sub(f"{_MASK}+", "x", tag_masked)
            tag_ok = re.fullmatch(r"[\w][\w.-]*", placeholder, re.ASCII) is not None
        if not tag_ok:
            return None
    digest: str | None = None
    if at >= 0:
        digest = ref[at + 1 :]
        digest_masked = masked[at + 1 :]
        if _MASK in digest_masked:
            # ``${DIGEST}`` whole, or ``sha256:${DIGEST}``: literal parts must still fit.
            algorithm, colon_sep, encoded = digest_masked.rpartition(":")
            encoded_ok = re.fullmatch(f"[0-9a-f{_MASK}]+", encoded) is not None
            algorithm_ok = not colon_sep or algorithm in _DIGEST_HEX_LENGTH
            if not (encoded_ok and algorithm_ok) or (not colon_sep and encoded.strip(_MASK)):
                return None
        elif not _valid_digest(digest):
            return None
    registry, path = parsed
    return ImageRef(raw=ref, registry=registry, path=path, tag=tag, digest=digest)


# --------------------------------------------------------------------------- classification


@dataclass(frozen=True)
class ImageFacts:
    """What an image provides, as far as it can be justified from its reference.

    - ``known``: the repository is one this module recognises; False means every other field
      is at its unknown value.
    - ``go_toolchain``: a Go toolchain image (official ``golang``, Microsoft's and
      Chainguard's Go images).
    - ``family``: base distribution ("unknown" when the variant cannot be told, e.g.
      ``golang:${TAG}``).
    - ``libc``: "none" means no C library at all (static binaries only).
    - ``c_compiler``: gcc is installed.
    - ``shell``: some shell exists in the image.
    - ``shell_form``: Docker's default ``SHELL`` exists (``/bin/sh`` on Linux, ``cmd`` on
      Windows), so shell-form ``RUN``/``CMD``/``ENTRYPOINT`` work.
    - ``distroless_variant``: ``static``, ``base``, ``base-nossl``, ``cc``, ``java17``, … for
      ``gcr.io/distroless/<variant>-debianNN``.
    - ``nonroot``: the image's default user is proven to be a non-root uid.
    - ``default_user_uid``: the default user's uid when known (Linux only).
    - ``go_version``: the Go version a toolchain tag names (``1.22``, ``1.22.3``,
      ``1.23rc1``); None for ``latest`` and unknown tags.
    """

    known: bool
    go_toolchain: bool
    family: Family
    libc: Libc
    c_compiler: bool | None
    shell: bool | None
    shell_form: bool | None
    distroless_variant: str | None
    nonroot: bool
    default_user_uid: int | None
    go_version: str | None = None


UNKNOWN_FACTS = ImageFacts(
    known=False,
    go_toolchain=False,
    family="unknown",
    libc="unknown",
    c_compiler=None,
    shell=None,
    shell_form=None,
    distroless_variant=None,
    nonroot=False,
    default_user_uid=None,
)

_ROOT = 0
_NONROOT = 65532  # distroless and Chainguard "nonroot"

_SCRATCH = ImageFacts(
    known=True,
    go_toolchain=False,
    family="scratch",
    libc="none",
    c_compiler=False,
    shell=False,
    shell_form=False,
    distroless_variant=None,
    nonroot=False,
    default_user_uid=_ROOT,
)


def _distro(family: Family, libc: Libc, *, c_compiler: bool | None = False) -> ImageFacts:
    """A Linux distribution image with a shell, running as root."""
    return ImageFacts(
        known=True,
        go_toolchain=False,
        family=family,
        libc=libc,
        c_compiler=c_compiler,
        shell=True,
        shell_form=True,
        distroless_variant=None,
        nonroot=False,
        default_user_uid=_ROOT,
    )


@dataclass(frozen=True)
class _Tag:
    """A tag as far as it is visible: literal fragments between variables."""

    text: str | None  # None: no tag and a digest (the digest alone does not tell the variant)
    fragments: tuple[str, ...]
    has_variables: bool

    @property
    def literal_tokens(self) -> tuple[str, ...] | None:
        """``-``-separated tokens of a fully literal tag; None otherwise."""
        if self.text is None or self.has_variables:
            return None
        return tuple(self.text.split("-"))

    def contains(self, word: str) -> bool | None:
        """Whether ``word`` is visible in the tag; None when a variable could hide it."""
        if any(word in fragment for fragment in self.fragments):
            return True
        return None if self.text is None or self.has_variables else False


def _tag_of(ref: ImageRef) -> _Tag:
    if ref.tag is None:
        if ref.digest is not None:
            return _Tag(text=None, fragments=(), has_variables=False)
        return _Tag(text="latest", fragments=("latest",), has_variables=False)
    pieces = _variable_pieces(ref.tag)
    if pieces is None:  # not produced by our parsers; stay conservative
        return _Tag(text=None, fragments=(), has_variables=False)
    fragments = tuple(piece for piece, is_var in pieces if not is_var)
    return _Tag(text=ref.tag, fragments=fragments, has_variables=any(v for _, v in pieces))


def _hub_official(ref: ImageRef) -> str | None:
    """Name of a Docker Hub official image, also through byte-identical public mirrors."""
    prefixes = {
        DOCKER_HUB: _OFFICIAL_PREFIX,
        "mirror.gcr.io": _OFFICIAL_PREFIX,
        "public.ecr.aws": "docker/library/",
    }
    prefix = prefixes.get(ref.registry)
    if prefix is None or not ref.path.startswith(prefix):
        return None
    rest = ref.path[len(prefix) :]
    return rest if "/" not in rest else None


_DEBIAN_CODENAMES = ("jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky")
_GO_VERSION_RE = re.compile(r"\d+(?:\.\d+){0,2}(?:(?:rc|beta)\d+)?")
_ARCH_TOKEN = (
    r"amd64|arm64|arm64v8|arm32v[5-7]|armv[67]l?|arm|i386|386|ppc64le|s390x|riscv64|mips64le"
)
_GOLANG_NEUTRAL_TOKEN = re.compile(rf"{_GO_VERSION_RE.pattern}|latest|tip|fips|{_ARCH_TOKEN}")

_GolangVariant = Literal["debian", "alpine", "windows", "mariner"]


def _golang_variant(tag: _Tag) -> _GolangVariant | None:
    found: set[_GolangVariant] = set()
    for fragment in tag.fragments:
        if "alpine" in fragment:
            found.add("alpine")
        if "windowsservercore" in fragment or "nanoserver" in fragment:
            found.add("windows")
        if "mariner" in fragment or "azurelinux" in fragment:
            found.add("mariner")
        if any(codename in fragment for codename in _DEBIAN_CODENAMES):
            found.add("debian")
    if len(found) == 1:
        return found.pop()
    tokens = tag.literal_tokens
    if found or tokens is None:
        return None
    # No variant named: the shared tag's Linux image is the newest Debian variant.
    if all(_GOLANG_NEUTRAL_TOKEN.fullmatch(token) for token in tokens):
        return "debian"
    return None


def _go_version(tag: _Tag) -> str | None:
    if tag.text is None:
        return None
    first = tag.text.split("-", 1)[0]
    if "$" in first or _GO_VERSION_RE.fullmatch(first) is None:
        return None
    return first


def _golang(tag: _Tag) -> ImageFacts:
    variant = _golang_variant(tag)
    family: Family
    libc: Libc
    c_compiler: bool | None
    uid: int | None = _ROOT
    if variant == "debian":
        family, libc, c_compiler = "debian", "glibc", True
    elif variant == "alpine":
        family, libc, c_compiler = "alpine", "musl", False
    elif variant == "mariner":
        family, libc, c_compiler = "other", "glibc", True
    elif variant == "windows":
        # No glibc/musl; users are ContainerAdministrator/ContainerUser, not uids.
        family, libc, c_compiler, uid = "windows", "unknown", False, None
    else:
        family, libc, c_compiler, uid = "unknown", "unknown", None, None
    return ImageFacts(
        known=True,
        go_toolchain=True,
        family=family,
        libc=libc,
        c_compiler=c_compiler,
        shell=True,  # every variant has one: bash/ash on Linux, cmd on Windows
        shell_form=True,
        distroless_variant=None,
        nonroot=False,
        default_user_uid=uid,
        go_version=_go_version(tag),
    )


_DISTROLESS_NAME_RE = re.compile(r"(?P<variant>[a-z0-9][a-z0-9-]*?)(?:-debian\d+)?")


def _distroless(image: str, tag: _Tag) -> ImageFacts:
    match = _DISTROLESS_NAME_RE.fullmatch(image)
    if match is None:
        return UNKNOWN_FACTS
    variant = match["variant"]
    libc: Libc
    if variant == "static":
        libc = "none"
    elif variant in ("base", "base-nossl", "cc") or variant.startswith(
        ("java", "python", "nodejs")
    ):
        libc = "glibc"
    else:
        libc = "unknown"
    nonroot = tag.contains("nonroot")
    uid = None if nonroot is None else _NONROOT if nonroot else _ROOT
    return ImageFacts(
        known=True,
        go_toolchain=False,
        family="distroless",
        libc=libc,
        c_compiler=False,
        shell=tag.contains("debug"),  # busybox at /busybox/sh in :debug tags only
        shell_form=False,  # no /bin/sh, :debug included
        distroless_variant=variant,
        nonroot=bool(nonroot),
        default_user_uid=uid,
    )


def _chainguard(image: str, tag: _Tag) -> ImageFacts:
    if image == "go":
        return ImageFacts(
            known=True,
            go_toolchain=True,
            family="chainguard",
            libc="glibc",
            c_compiler=True,  # build-base
            shell=True,
            shell_form=True,  # busybox provides /bin/sh
            distroless_variant=None,
            nonroot=False,
            default_user_uid=_ROOT,  # run-as: 0
            go_version=_go_version(tag),
        )
    if image == "static":
        return ImageFacts(
            known=True,
            go_toolchain=False,
            family="chainguard",
            libc="none",
            c_compiler=False,
            shell=False,
            shell_form=False,
            distroless_variant=None,
            nonroot=True,
            default_user_uid=_NONROOT,
        )
    if image == "glibc-dynamic":
        dev = tag.contains("dev")
        return ImageFacts(
            known=True,
            go_toolchain=False,
            family="chainguard",
            libc="glibc",
            c_compiler=False,
            shell=dev,
            shell_form=dev,
            distroless_variant=None,
            nonroot=True,
            default_user_uid=_NONROOT,
        )
    return ImageFacts(
        known=True,
        go_toolchain=False,
        family="chainguard",
        libc="unknown",
        c_compiler=None,
        shell=None,
        shell_form=None,
        distroless_variant=None,
        nonroot=False,
        default_user_uid=None,
    )


def _busybox(tag: _Tag) -> ImageFacts:
    libc: Libc = "unknown"  # unsuffixed tags differ per architecture
    if tag.contains("glibc"):
        libc = "glibc"
    elif tag.contains("musl") or tag.contains("uclibc"):
        libc = "none"  # statically linked busybox, no libc in the image
    return _distro("busybox", libc)


_WINDOWS_BASES = frozenset(
    {"windows/servercore", "windows/nanoserver", "windows/server", "windows"}
)


def classify(ref: ImageRef) -> ImageFacts:
    """Facts about the image ``ref`` names; `UNKNOWN_FACTS` for images not recognised."""
    if ref.is_scratch:
        return _SCRATCH
    tag = _tag_of(ref)
    official = _hub_official(ref)
    if official == "golang":
        return _golang(tag)
    if official == "alpine":
        return _distro("alpine", "musl")
    if official == "debian":
        return _distro("debian", "glibc")
    if official == "ubuntu":
        return _distro("ubuntu", "glibc")
    if official == "busybox":
        return _busybox(tag)
    if ref.registry == "mcr.microsoft.com":
        if ref.path == "oss/go/microsoft/golang":
            return _golang(tag)
        if ref.path in _WINDOWS_BASES:
            return ImageFacts(
                known=True,
                go_toolchain=False,
                family="windows",
                libc="unknown",
                c_compiler=False,
                shell=True,
                shell_form=True,
                distroless_variant=None,
                nonroot=False,
                default_user_uid=None,
            )
    if ref.registry == "gcr.io" and ref.path.startswith("distroless/"):
        image = ref.path.removeprefix("distroless/")
        return _distroless(image, tag) if "/" not in image else UNKNOWN_FACTS
    if ref.registry in ("cgr.dev", DOCKER_HUB) and ref.path.startswith("chainguard/"):
        image = ref.path.removeprefix("chainguard/")
        return _chainguard(image, tag) if "/" not in image else UNKNOWN_FACTS
    return UNKNOWN_FACTS


def facts_for(ref_text: str) -> ImageFacts:
    """`classify` the text of a ``FROM`` reference (variables allowed in the tag)."""
    ref = parse_image_partial(ref_text)
    return UNKNOWN_FACTS if ref is None else classify(ref)


def c_install_packages(facts: ImageFacts) -> tuple[str, ...] | None:
    """Packages that give a stage a C toolchain for cgo, or None (no package manager/unknown).

    Alpine (apk): ``gcc musl-dev``; Debian/Ubuntu (apt): ``gcc libc6-dev``.
    """
    if facts.family == "alpine":
        return ("gcc", "musl-dev")
    if facts.family in ("debian", "ubuntu"):
        return ("gcc", "libc6-dev")
    return None
