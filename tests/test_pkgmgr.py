"""Tests for rewriters.pkgmgr: package installs of apk, apt and the rpm family."""

from __future__ import annotations

import pytest

from rewriters.pkgmgr import install_of, package_name
from rewriters.shell import SimpleCommand, parse_shell
from rewriters.text import LogicalText


def command(src: str) -> SimpleCommand:
    script = parse_shell(LogicalText.build(src, [(0, len(src))]))
    return script.commands[0]


INSTALLS = [
    # (command, manager, family, package names; None: not literal)
    ("apk add gcc musl-dev", "apk", "apk", ["gcc", "musl-dev"]),
    ("apk add --no-cache gcc", "apk", "apk", ["gcc"]),
    ("apk --no-cache add gcc", "apk", "apk", ["gcc"]),
    ("apk add --virtual .build-deps gcc", "apk", "apk", ["gcc"]),
    ("apk add -t .deps gcc", "apk", "apk", ["gcc"]),
    ("apk add -X https://dl-cdn.alpinelinux.org/alpine/edge/main gcc", "apk", "apk", ["gcc"]),
    ("apk add --repository=https://x gcc", "apk", "apk", ["gcc"]),
    ("apk add --root /sysroot gcc", "apk", "apk", ["gcc"]),
    ("apk add gcc=13.2.1-r0 musl-dev~1.2 clang>17 go<2", "apk", "apk",
     ["gcc", "musl-dev", "clang", "go"]),
    ("apk add gcc@edge", "apk", "apk", ["gcc"]),
    ("xx-apk add gcc", "xx-apk", "apk", ["gcc"]),
    ("/sbin/apk add gcc", "apk", "apk", ["gcc"]),
    ("apk add $PKGS", "apk", "apk", [None]),
    ("apt-get install -y gcc libc6-dev", "apt-get", "apt", ["gcc", "libc6-dev"]),
    ("apt-get install -y --no-install-recommends gcc", "apt-get", "apt", ["gcc"]),
    ("apt-get -y install gcc", "apt-get", "apt", ["gcc"]),
    ("apt-get install -t bookworm-backports gcc", "apt-get", "apt", ["gcc"]),
    ("apt-get install --target-release bookworm-backports gcc", "apt-get", "apt", ["gcc"]),
    ("apt-get install -o Dpkg::Options::=--force-confold gcc", "apt-get", "apt", ["gcc"]),
    ("apt-get install -c /etc/apt.conf gcc", "apt-get", "apt", ["gcc"]),
    ("apt-get install gcc=4:12.2.0-3 gcc:arm64 gcc/bookworm", "apt-get", "apt",
     ["gcc", "gcc", "gcc"]),
    ("apt install -y gcc", "apt", "apt", ["gcc"]),
    ("aptitude install gcc", "aptitude", "apt", ["gcc"]),
    ("xx-apt-get install -y gcc", "xx-apt-get", "apt", ["gcc"]),
    ("yum install -y gcc", "yum", "rpm", ["gcc"]),
    ("yum -y install gcc gcc-c++", "yum", "rpm", ["gcc", "gcc-c++"]),
    ("yum install -t gcc", "yum", "rpm", ["gcc"]),
    ("dnf install -y --setopt=install_weak_deps=False gcc", "dnf", "rpm", ["gcc"]),
    ("dnf install --enablerepo crb gcc", "dnf", "rpm", ["gcc"]),
    ("dnf install -x gcc-gfortran gcc", "dnf", "rpm", ["gcc"]),
    ("dnf in gcc", "dnf", "rpm", ["gcc"]),
    ("microdnf install --nodocs gcc", "microdnf", "rpm", ["gcc"]),
    ("tdnf install -y gcc", "tdnf", "rpm", ["gcc"]),
    ("zypper in -y gcc", "zypper", "rpm", ["gcc"]),
    ("apk add", "apk", "apk", []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("src", "manager", "family", "names"), INSTALLS, ids=[i[0] for i in INSTALLS]
)
def test_installs(src: str, manager: str, family: str, names: list[str | None]) -> None:
    got = install_of(command(src))
    assert got is not None
    assert (got.manager, got.family) == (manager, family)
    assert list(got.names()) == names


@pytest.mark.parametrize(
    "src",
    [
        "apk update",
        "apk del gcc",
        "apt-get update",
        "apt-get remove gcc",
        "yum clean all",
        "dnf remove gcc",
        "pip install gcc",
        "go install example.com/x@v1.0.0",
        "apt-getx install gcc",
    ],
)
def test_not_installs(src: str) -> None:
    assert install_of(command(src)) is None


@pytest.mark.parametrize(
    ("text", "family", "name"),
    [
        ("gcc", None, "gcc"),
        ("gcc=1.2", None, "gcc"),
        ("gcc~1.2", "apk", "gcc"),
        ("gcc@edge", "apk", "gcc"),
        ("gcc@edge", "apt", "gcc@edge"),
        ("gcc/bookworm", "apt", "gcc"),
        ("gcc/bookworm", "apk", "gcc/bookworm"),
        ("g++:amd64", "apt", "g++"),
        ("gcc-c++", "rpm", "gcc-c++"),
        ("gcc>=12", "rpm", "gcc"),
    ],
)
def test_package_name(text: str, family: str | None, name: str) -> None:
    assert package_name(text, family) == name  # type: ignore[arg-type]
