"""scan-org's progress output: a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import io

from bot.cli_app import _Progress
from bot.scan import RepoScan


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal() -> None:
    out = _Tty()
    p = _Progress(out)
    p.listed(2)
    p(RepoScan("acme/a", 1, "scanned"))
    p(RepoScan("acme/b", 2, "skipped"))
    text = out.getvalue()
    assert text.count("\r[") == 2 and "1/2 acme/a" in text and "2/2 acme/b" in text
    assert text.endswith("\n") and "#" * 30 in text


def test_plain_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    p = _Progress(out)
    p.listed(1)
    p(RepoScan("acme/a", 1, "unchanged"))
    assert out.getvalue() == "scanned 1/1 acme/a: unchanged\n"
