"""GC207 secret-in-build: credential ARGs become secret mounts; everything unclear is reported."""

from __future__ import annotations

import pytest

from rewriters.options import Options
from rewriters.rules.secret_in_build import is_credential_name
from tests.rules.helpers import (
    POLICY_FOLLOWING,
    assert_fix,
    assert_noop,
    assert_report_only,
    run_rule,
)

UNSAFE = Options(unsafe_fixes=("GC207",))
SYNTAX = "# syntax=docker/dockerfile:1\n"
MOUNT = "--mount=type=secret,id=github_token,env=GITHUB_TOKEN"
CURL = 'curl -fsSL -H "Authorization: Bearer ${GITHUB_TOKEN}" -o /tmp/t.tgz https://x/t.tgz'

FIX = [
    pytest.param(
        f"FROM golang:1.23\nARG GITHUB_TOKEN\nRUN {CURL}\nRUN go build -o /app .\n",
        f"{SYNTAX}FROM golang:1.23\nRUN {MOUNT} {CURL}\nRUN go build -o /app .\n",
        id="one-run",
    ),
    pytest.param(
        f"FROM golang:1.23\nARG GITHUB_TOKEN\nRUN {CURL}\nRUN go build -o /app .\n"
        'RUN curl -H "Authorization: Bearer $GITHUB_TOKEN" https://x/done\n',
        f"{SYNTAX}FROM golang:1.23\nRUN {MOUNT} {CURL}\nRUN go build -o /app .\n"
        f'RUN {MOUNT} curl -H "Authorization: Bearer $GITHUB_TOKEN" https://x/done\n',
        id="two-runs",
    ),
    pytest.param(
        f"# syntax=docker/dockerfile:1\nFROM golang:1.23\nARG GITHUB_TOKEN\nRUN {CURL}\n",
        f"# syntax=docker/dockerfile:1\nFROM golang:1.23\nRUN {MOUNT} {CURL}\n",
        id="syntax-1-kept",
    ),
    pytest.param(
        f"# syntax=docker/dockerfile:1.12\nFROM golang:1.23\nARG GITHUB_TOKEN\nRUN {CURL}\n",
        f"# syntax=docker/dockerfile:1.12\nFROM golang:1.23\nRUN {MOUNT} {CURL}\n",
        id="syntax-1.12-kept",
    ),
    pytest.param(
        f"# syntax = docker/dockerfile:1.4\nFROM golang:1.23\nARG GITHUB_TOKEN\nRUN {CURL}\n",
        f"# syntax = docker/dockerfile:1.10\nFROM golang:1.23\nRUN {MOUNT} {CURL}\n",
        id="syntax-1.4-raised-to-1.10",
    ),
    pytest.param(
        f"# syntax=docker.io/docker/dockerfile:1.7-labs\nFROM golang:1.23\nARG GITHUB_TOKEN\n"
        f"RUN {CURL}\n",
        f"# syntax=docker.io/docker/dockerfile:1.10-labs\nFROM golang:1.23\nRUN {MOUNT} {CURL}\n",
        id="syntax-labs-raised-keeps-labs",
    ),
    pytest.param(
        "# escape=`\nFROM golang:1.23\nARG GITHUB_TOKEN\nRUN curl -H `\n"
        '    "Authorization: Bearer ${GITHUB_TOKEN}" https://x\n',
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM golang:1.23\n"
        f"RUN {MOUNT} curl -H `\n"
        '    "Authorization: Bearer ${GITHUB_TOKEN}" https://x\n',
        id="escape-directive-and-continuation",
    ),
    pytest.param(
        f"FROM golang:1.23\r\nARG GITHUB_TOKEN\r\nRUN {CURL}\r\nRUN go build .\r\n",
        f"# syntax=docker/dockerfile:1\r\nFROM golang:1.23\r\nRUN {MOUNT} {CURL}\r\n"
        "RUN go build .\r\n",
        id="crlf",
    ),
    pytest.param(
        f"FROM golang:1.23\nARG VERSION GITHUB_TOKEN\nRUN {CURL}\n",
        f"{SYNTAX}FROM golang:1.23\nARG VERSION\nRUN {MOUNT} {CURL}\n",
        id="multi-pair-arg",
    ),
    pytest.param(
        "FROM golang:1.23\nARG GITHUB_TOKEN=\n# fetch the private tool\n"
        "RUN --mount=type=cache,target=/go/pkg/mod \\\n"
        '    curl -H "Authorization: Bearer $GITHUB_TOKEN" https://x \\\n'
        "    && go build -o /app .\n",
        f"{SYNTAX}FROM golang:1.23\n# fetch the private tool\n"
        f"RUN --mount=type=cache,target=/go/pkg/mod {MOUNT} \\\n"
        '    curl -H "Authorization: Bearer $GITHUB_TOKEN" https://x \\\n'
        "    && go build -o /app .\n",
        id="empty-default-existing-mount-comment",
    ),
    pytest.param(
        f"FROM golang:1.23 AS a\nARG GITHUB_TOKEN\nRUN {CURL}\n"
        f"FROM golang:1.23 AS b\nARG CI_JOB_TOKEN\n"
        'RUN curl -H "JOB-TOKEN: $CI_JOB_TOKEN" https://gitlab/x\n',
        f"{SYNTAX}FROM golang:1.23 AS a\nRUN {MOUNT} {CURL}\nFROM golang:1.23 AS b\n"
        "RUN --mount=type=secret,id=ci_job_token,env=CI_JOB_TOKEN "
        'curl -H "JOB-TOKEN: $CI_JOB_TOKEN" https://gitlab/x\n',
        id="two-stages-one-directive",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert_fix("GC207", before, after, UNSAFE)


NOOP = [
    pytest.param(POLICY_FOLLOWING, id="policy-following"),
    pytest.param(
        "FROM golang:1.23\nARG GOPROXY\nARG GOPRIVATE\nARG GOAUTH\n"
        "RUN GOPROXY=$GOPROXY GOPRIVATE=$GOPRIVATE GOAUTH=$GOAUTH go mod download\n",
        id="go-settings",
    ),
    pytest.param(
        "FROM golang:1.23\nENV SECRET_PATH=/run/secrets/x\nENV NETRC=/run/secrets/netrc\n"
        "ENV GITHUB_TOKEN_FILE=/run/secrets/gh\nARG KEY_ID\nARG SSH_KEY_PATH\n"
        "RUN echo $KEY_ID $SSH_KEY_PATH $SECRET_PATH && go build .\n",
        id="paths-and-ids",
    ),
    pytest.param(
        "FROM python:3.12\nENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305\n"
        "ENV HAS_TOKEN=true\nRUN echo $GPG_KEY\n",
        id="public-key-and-flag",
    ),
    pytest.param(
        f"# syntax=docker/dockerfile:1\nFROM golang:1.23\nRUN {MOUNT} {CURL}\n",
        id="already-secret-env-mount",
    ),
    pytest.param(
        f"# syntax=docker/dockerfile:1\nFROM golang:1.23\nARG GITHUB_TOKEN\nRUN {MOUNT} {CURL}\n",
        id="leftover-arg-but-mounted",
    ),
    pytest.param(
        "FROM golang:1.23\nRUN --mount=type=secret,id=token "
        'curl -H "Authorization: Bearer $(cat /run/secrets/token)" https://x\n',
        id="secret-file-mount",
    ),
    pytest.param("FROM golang:1.23\nARG GITHUB_TOKEN\nRUN go build .\n", id="arg-unused"),
    pytest.param(
        "FROM golang:1.23\nARG API_TOKEN=$DEFAULT_TOKEN\nRUN echo $API_TOKEN\n",
        id="default-from-variable",
    ),
    pytest.param(
        "FROM golang:1.23\nRUN git clone https://github.com/acme/tool /src\n", id="plain-url"
    ),
]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert_noop("GC207", text, UNSAFE)


REPORT = [
    pytest.param(
        "FROM golang:1.23\nARG GITHUB_TOKEN\nENV TOKEN_COPY=$GITHUB_TOKEN\nRUN " + CURL + "\n",
        "ENV on line 3",
        id="arg-also-in-env",
    ),
    pytest.param(
        "FROM golang:1.23\nARG GITHUB_TOKEN\nLABEL t=$GITHUB_TOKEN\nRUN " + CURL + "\n",
        "LABEL on line 3",
        id="arg-also-in-label",
    ),
    pytest.param(
        "FROM golang:1.23\nARG GITHUB_TOKEN\n"
        'RUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf '
        '"https://github.com/"\nRUN go mod download\n',
        "git's configuration",
        id="git-config-persists",
    ),
    pytest.param(
        "FROM golang:1.23\nARG NETRC\n"
        'RUN echo "$NETRC" > /root/.netrc && go mod download && rm /root/.netrc\n',
        "/root/.netrc",
        id="netrc-written",
    ),
    pytest.param(
        "FROM golang:1.23\nARG GITHUB_TOKEN\nRUN " + CURL + "\nRUN ./scripts/release.sh\n",
        "may read it",
        id="later-script-may-read-env",
    ),
    pytest.param(
        'FROM golang:1.23\nARG GITHUB_TOKEN\nRUN ["sh", "-c", "echo $GITHUB_TOKEN"]\n',
        "exec-form",
        id="exec-form",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1.4@sha256:" + "a" * 64 + "\nFROM golang:1.23\n"
        "ARG GITHUB_TOKEN\nRUN " + CURL + "\n",
        "pinned by digest",
        id="digest-pinned-frontend",
    ),
    pytest.param(
        "# syntax=example.com/my/frontend:2\nFROM golang:1.23\nARG GITHUB_TOKEN\nRUN "
        + CURL
        + "\n",
        "cannot tell",
        id="unknown-frontend",
    ),
    pytest.param(
        'FROM golang:1.23\nARG GITHUB_TOKEN\nRUN <<EOF\ncurl -H "t: $GITHUB_TOKEN" x\nEOF\n',
        "heredoc",
        id="heredoc",
    ),
    pytest.param(
        "FROM golang:1.23\nCOPY .netrc /root/.netrc\nRUN go mod download\n",
        "target=/root/.netrc",
        id="copy-netrc",
    ),
    pytest.param(
        "FROM golang:1.23\nCOPY keys/id_ed25519 /root/.ssh/id_ed25519\nRUN go mod download\n",
        "type=ssh",
        id="copy-ssh-key",
    ),
    pytest.param(
        "FROM golang:1.23\nADD .ssh/ /root/.ssh/\nRUN go mod download\n",
        "type=ssh",
        id="add-ssh-dir",
    ),
    pytest.param(
        "FROM golang:1.23\nENV DB_PASSWORD=hunter2\nRUN go build .\n",
        "docker inspect",
        id="env-literal",
    ),
    pytest.param(
        "FROM golang:1.23\nARG GITHUB_TOKEN\nENV GITHUB_TOKEN=$GITHUB_TOKEN\nRUN go build .\n",
        "drop the ENV",
        id="env-from-arg",
    ),
    pytest.param(
        "FROM golang:1.23\nARG GITHUB_TOKEN=ghp_" + "a1" * 18 + "\nRUN go build .\n",
        "rotate",
        id="arg-literal-default",
    ),
    pytest.param(
        "FROM golang:1.23\nRUN git clone https://bob:hunter2@git.example.com/x/y /src\n",
        "rotate",
        id="password-in-url",
    ),
]


@pytest.mark.parametrize(("text", "note_part"), REPORT)
def test_report_only(text: str, note_part: str) -> None:
    result = assert_report_only("GC207", text, UNSAFE)
    notes = " ".join(f.note or "" for f in result.findings)
    assert note_part in notes
    for f in result.findings:
        assert "hunter2" not in f.message + (f.note or "")
        assert "ghp_" not in f.message + (f.note or "")


def test_unsafe_fix_is_only_a_suggestion_without_opt_in() -> None:
    text = f"FROM golang:1.23\nARG GITHUB_TOKEN\nRUN {CURL}\n"
    result = run_rule("GC207", text)
    assert result.new_text == text
    (f,) = result.findings
    assert f.severity == "warning" and f.suggestion and f.applicability == "unsafe"
    assert f.note == "unsafe fix not applied; allow it with unsafe_fixes: [GC207]"
    assert f.fix is not None
    assert "`--secret id=github_token,env=GITHUB_TOKEN`" in f.fix.description
    assert "--build-arg GITHUB_TOKEN=" in f.fix.description


def test_message_names_the_lines_that_use_the_arg() -> None:
    text = "FROM golang:1.23\nARG GH_PAT\nRUN echo $GH_PAT\nRUN go build .\nRUN echo ${GH_PAT}\n"
    (f,) = run_rule("GC207", text).findings
    assert f.line == 2
    assert "lines 3, 5 use it" in f.message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GITHUB_TOKEN", True),
        ("GH_PAT", True),
        ("CI_JOB_TOKEN", True),
        ("NPM_TOKEN", True),
        ("DB_PASSWORD", True),
        ("DB_PASS", True),
        ("CLIENT_SECRET", True),
        ("SSH_PRIVATE_KEY", True),
        ("API_KEY", True),
        ("NETRC", True),
        ("GOPROXY", False),
        ("GOAUTH", False),
        ("GOPRIVATE", False),
        ("KEY_ID", False),
        ("SECRET_PATH", False),
        ("TOKEN_FILE", False),
        ("GPG_KEY", False),
        ("PUBLIC_KEY", False),
        ("PASS", False),
        ("BYPASS_CACHE", False),
        ("PWD", False),
        ("VERSION", False),
    ],
)
def test_credential_names(name: str, expected: bool) -> None:
    assert is_credential_name(name) is expected


def test_docstring_example_is_what_the_fix_does() -> None:
    from rewriters.registry import find_rule

    r = find_rule("GC207")
    assert r is not None
    blocks = r.doc.example.split("```dockerfile\n")
    before, after = (b.split("```")[0] for b in blocks[1:3])
    assert_fix("GC207", before.replace("\\\\", "\\"), after.replace("\\\\", "\\"), UNSAFE)
