"""Smart HTTP git served by `git http-backend` (CGI), the way github.com serves clones/pushes."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tests.github.gitstore import git_env


def run_http_backend(
    *,
    project_root: Path,
    path_info: str,
    method: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    remote_user: str,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run one CGI request; return (status, headers, body) parsed from the CGI output.

    The request body is handed over whole (already de-chunked) on stdin with CONTENT_LENGTH; the
    CGI's stdout and stderr are drained concurrently (`communicate`), so neither side can block
    the other however large the pack.
    """
    env = git_env()
    env.update(
        GIT_PROJECT_ROOT=str(project_root),
        GIT_HTTP_EXPORT_ALL="1",
        # pushes are allowed (github.com accepts them from installation tokens with
        # contents:write; the stand-in checks that before getting here)
        GIT_CONFIG_COUNT="1",
        GIT_CONFIG_KEY_0="http.receivepack",
        GIT_CONFIG_VALUE_0="true",
        GATEWAY_INTERFACE="CGI/1.1",
        SERVER_PROTOCOL="HTTP/1.1",
        SERVER_SOFTWARE="gocomply-github-standin",
        REQUEST_METHOD=method,
        PATH_INFO=path_info,
        QUERY_STRING=query,
        REMOTE_USER=remote_user,
        REMOTE_ADDR="127.0.0.1",
        CONTENT_LENGTH=str(len(body)),
    )
    content_type = headers.get("Content-Type")
    if content_type:
        env["CONTENT_TYPE"] = content_type
    for name, value in headers.items():
        key = "HTTP_" + name.upper().replace("-", "_")
        # the body is handed over de-chunked with CONTENT_LENGTH; credentials stay here
        if key not in (
            "HTTP_AUTHORIZATION",
            "HTTP_CONTENT_TYPE",
            "HTTP_CONTENT_LENGTH",
            "HTTP_TRANSFER_ENCODING",
        ):
            env[key] = value
    proc = subprocess.Popen(
        ["git", "http-backend"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=os.fspath(project_root),
    )
    out, err = proc.communicate(body)
    sep = out.find(b"\r\n\r\n")
    sep_len = 4
    if sep < 0:
        sep = out.find(b"\n\n")
        sep_len = 2
    if sep < 0:
        message = err.decode(errors="replace") or "git http-backend produced no headers"
        return 500, [("Content-Type", "text/plain")], message.encode()
    status = 200
    out_headers: list[tuple[str, str]] = []
    for line in out[:sep].decode("latin-1").splitlines():
        name, _, value = line.partition(":")
        value = value.strip()
        if name.lower() == "status":
            status = int(value.split()[0])
        elif name:
            out_headers.append((name, value))
    return status, out_headers, out[sep + sep_len :]
