"""Package-manager installs: ``apk add``, ``apt-get install``/``apt install``, ``yum``/``dnf``/
``microdnf`` ``install`` (and their ``xx-`` cross-compilation wrappers).

`install_of` reads one simple command: the manager, its family, and the package words after the
verb — option words are skipped, and so is the separate value of an option that takes one
(``--virtual .build-deps``, ``-o Dpkg::Options::=…``, ``--enablerepo epel``). `package_name`
drops a version or architecture suffix (``gcc=12.2.0-3``, ``musl-dev~1.2``, ``gcc:amd64``,
``gcc/bookworm``, ``gcc@edge``).

Invariant: a word that is not literal is kept as a package word (its ``value`` is None): callers
that need completeness must treat it as unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rewriters.shell import ShellWord, SimpleCommand

Family = Literal["apk", "apt", "rpm"]

_MANAGERS: dict[str, Family] = {
    "apk": "apk",
    "xx-apk": "apk",
    "apt-get": "apt",
    "apt": "apt",
    "aptitude": "apt",
    "xx-apt-get": "apt",
    "xx-apt": "apt",
    "yum": "rpm",
    "dnf": "rpm",
    "microdnf": "rpm",
    "tdnf": "rpm",
    "zypper": "rpm",
}
# options that take a separate value, per family (the value is not a package)
_VALUE_OPTIONS: dict[Family, frozenset[str]] = {
    # apk(8): --virtual/-t NAME, --repository/-X URL, --root/-p DIR, and the other string options
    "apk": frozenset(
        {"-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir",
         "--keys-dir", "--repositories-file", "--cache-max-age", "--timeout", "--wait"}
    ),
    # apt-get(8): -t/--target-release, -o/--option, -c/--config-file
    "apt": frozenset(
        {"-t", "--target-release", "--default-release", "-o", "--option", "-c", "--config-file"}
    ),
    # dnf(8), yum(8), microdnf, zypper: repository, root and exclusion options
    "rpm": frozenset(
        {"-c", "--config", "-x", "--exclude", "--enablerepo", "--disablerepo", "--repo",
         "--repoid", "--installroot", "--releasever", "--setopt", "--forcearch", "-R",
         "--debuglevel", "-d", "-e", "--errorlevel", "--downloaddir", "--destdir", "-r",
         "--root"}
    ),
}  # fmt: skip
_VERBS: dict[Family, tuple[str, ...]] = {
    "apk": ("add",),
    "apt": ("install",),
    "rpm": ("install", "in"),
}
# version/architecture/release separators, per family (`pkg=1.2`, `pkg:amd64`, `pkg/bookworm`)
_SUFFIX = {
    "apk": re.compile(r"[=<>~:@]"),
    "apt": re.compile(r"[=<>~:/]"),
    "rpm": re.compile(r"[=<>~:]"),
}


@dataclass(frozen=True)
class Install:
    """One package install command: ``manager`` as written (``apt-get``), its ``family``, and
    the package words in order (non-literal words included, with ``value`` None)."""

    manager: str
    family: Family
    packages: tuple[ShellWord, ...]
    command: SimpleCommand

    def names(self) -> tuple[str | None, ...]:
        """`package_name` of each package word (None for a non-literal word)."""
        return tuple(
            None if w.value is None else package_name(w.value, self.family) for w in self.packages
        )


def manager_of(cmd: SimpleCommand) -> tuple[str, Family] | None:
    """``(manager, family)`` when ``cmd`` runs a package manager (any path to it)."""
    if not cmd.words:
        return None
    first = cmd.words[0]
    name = first.basename if first.basename is not None else first.value
    family = _MANAGERS.get(name or "")
    return None if family is None or name is None else (name, family)


def install_of(cmd: SimpleCommand) -> Install | None:
    """The install ``cmd`` performs, or None when it installs nothing.

    The verb is the first argument word spelled ``add`` (apk), ``install`` (apt), ``install``
    or else ``in`` (rpm family); the packages are the non-option words after it.
    """
    found = manager_of(cmd)
    if found is None:
        return None
    name, family = found
    argv = [w.value for w in cmd.words]
    verb = next((v for v in _VERBS[family] if v in argv[1:]), None)
    if verb is None:
        return None
    i = argv.index(verb, 1) + 1
    options = _VALUE_OPTIONS[family]
    packages: list[ShellWord] = []
    while i < len(cmd.words):
        w = cmd.words[i]
        v = w.value
        if v is not None and v.startswith("-"):
            i += 2 if v in options else 1
            continue
        packages.append(w)
        i += 1
    return Install(name, family, tuple(packages), cmd)


def package_name(text: str, family: Family | None = None) -> str:
    """The package name without a version, architecture or release suffix. Without a
    ``family`` only ``= < > ~ :`` separate (every family's version separators)."""
    pattern = _SUFFIX[family] if family is not None else _SUFFIX["rpm"]
    return pattern.split(text, maxsplit=1)[0]
