"""``gocomply`` end to end: real files, real engine, exact output, exit codes and bytes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from bot import cli
from rewriters.engine import analyze
from tests.catalogue import WITHOUT_GC2, machinery_rules

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0.json").read_text())
BAD = "FROM golang:1.22\nENV GOPROXY=direct\nRUN go build -o /app .\n"
FIXED = "FROM golang:1.22\nRUN go build -o /app .\n"
NOFIX = "FROM golang:1.22\nENV GONOSUMDB=example.com/*\n"
ALPINE = "FROM alpine:3.20\nRUN echo hi\n"


def _message(text: str, index: int = 0) -> str:
    return analyze(text, rules=machinery_rules()).findings[index].message


def main(argv: list[str]) -> int:
    """``gocomply`` with the GC2 family left out (see tests/catalogue.py) for check and fix."""
    if argv and argv[0] in ("check", "fix"):
        argv = [argv[0], *WITHOUT_GC2, *argv[1:]]
    return cli.main(argv)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "Dockerfile").write_text(BAD)
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text(ALPINE)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "Dockerfile").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------- check


def test_check_text(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", ".")
    assert code == 1
    assert err == []
    assert out == [
        f"Dockerfile:2:5: GC105 [error] {_message(BAD)}",
        "  fix: `GOPROXY=direct` removed (safe)",
        "web/Dockerfile: skipped: no Go build",
        "Found 1 finding (1 error) in 1 file; 1 fixable with `gocomply fix`, "
        "1 skipped (no Go build).",
    ]


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 1), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on(tree: Path, capsys: pytest.CaptureFixture[str], fail_on: str, code: int) -> None:
    assert run(capsys, "check", "--fail-on", fail_on, ".")[0] == code


def test_fail_on_respects_configured_level(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".gocomply.yml").write_text("rules:\n  goproxy-bypass: info\n")
    code, out, _ = run(capsys, "check", "--fail-on", "warning", ".")
    assert code == 0
    assert out[0] == f"Dockerfile:2:5: GC105 [info] {_message(BAD)}"
    (tree / ".gocomply.yml").write_text("rules:\n  GC105: off\n")
    code, out, _ = run(capsys, "check", ".")
    assert (code, out[-1]) == (0, "No findings in 1 file; 1 skipped (no Go build).")


def test_clean_tree_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(FIXED)
    code, out, err = run(capsys, "check", str(tmp_path))
    assert (code, out, err) == (0, ["No findings in 1 file."], [])


def test_all_and_scope(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--all", ".")
    assert code == 1
    assert "web/Dockerfile: skipped: no Go build" not in out
    assert out[-1].startswith("Found 1 finding (1 error) in 2 files;")
    (tree / ".gocomply.yml").write_text("scope: all\n")
    assert run(capsys, "check", ".")[1][-1].startswith("Found 1 finding (1 error) in 2 files;")


def test_config_excludes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".gocomply.yml").write_text("exclude:\n  - /Dockerfile\n  - 'web/**'\n")
    code, out, _ = run(capsys, "check", ".")
    assert (code, out) == (0, ["No findings in 0 files."])
    # a file named on the command line is checked even when excluded
    assert run(capsys, "check", "Dockerfile")[0] == 1


def test_explicit_config_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "alt.yml").write_text("goproxy: https://proxy.corp.example\n")
    code, out, _ = run(capsys, "fix", "--diff", "--config", "alt.yml", ".")
    assert code == 0
    assert "+ENV GOPROXY=https://proxy.corp.example" in out


def test_deterministic_order_and_explicit_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ["z/Dockerfile", "a/api.Dockerfile", "m/Containerfile.dev", "build.txt"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(BAD)
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "check", "z", ".", "build.txt")
    assert [line.split(":")[0] for line in out if ": GC105" in line] == [
        "a/api.Dockerfile",
        "build.txt",
        "m/Containerfile.dev",
        "z/Dockerfile",
    ]


def test_json(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "broken.Dockerfile").write_text("FROM golang:1.22\nENV GOPROXY\n")
    code = main(["check", "--format", "json", "."])
    out, err = capsys.readouterr()
    assert code == 2
    doc = json.loads(out)
    assert doc["version"] == 1
    assert [(f["path"], f["error"], f["skipped"]) for f in doc["files"]] == [
        ("Dockerfile", None, None),
        ("broken.Dockerfile", "parse error: line 2: ENV must have two arguments", None),
        ("web/Dockerfile", None, "no Go build"),
    ]
    f = doc["files"][0]["findings"][0]
    assert {k: f[k] for k in ("code", "name", "severity", "line", "end_line", "column")} == {
        "code": "GC105",
        "name": "goproxy-bypass",
        "severity": "error",
        "line": 2,
        "end_line": 2,
        "column": 5,
    }
    assert (f["fixable"], f["fix_applied"]) == (True, False)
    assert err == "broken.Dockerfile: error: parse error: line 2: ENV must have two arguments\n"


def test_sarif(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "Containerfile").mkdir()
    code = main(["check", "--format", "sarif", "."])
    out, _ = capsys.readouterr()
    assert code == 2
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run_ = log["runs"][0]
    assert "GC105" in [r["id"] for r in run_["tool"]["driver"]["rules"]]
    (result,) = run_["results"]
    assert result["ruleId"] == "GC105"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile"
    rep = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
    start = rep["deletedRegion"]["charOffset"]
    end = start + rep["deletedRegion"]["charLength"]
    assert BAD[:start] + rep["insertedContent"]["text"] + BAD[end:] == FIXED
    assert run_["invocations"][0]["executionSuccessful"] is False
    assert run_["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == (
        "Containerfile: error: is a directory, not a file"
    )


# --------------------------------------------------------------------------- fix


def test_fix_in_place_keeps_crlf_bom_and_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "Dockerfile"
    p.write_bytes(b"\xef\xbb\xbfFROM golang:1.22\r\nENV GOPROXY=direct\r\nRUN go build .\r\n")
    p.chmod(0o604)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "fix", ".")
    assert (code, err) == (0, [])
    assert out == ["Fixed 1 finding. No findings remaining in 1 file."]
    assert p.read_bytes() == b"\xef\xbb\xbfFROM golang:1.22\r\nRUN go build .\r\n"
    assert stat.S_IMODE(p.stat().st_mode) == 0o604
    # idempotent: a second run changes nothing
    assert run(capsys, "fix", ".") == (0, ["No findings in 1 file."], [])
    assert p.read_bytes() == b"\xef\xbb\xbfFROM golang:1.22\r\nRUN go build .\r\n"


def test_fix_reports_what_remains_in_the_new_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "FROM golang:1.22\nENV GOPROXY=direct\nENV GONOSUMDB=example.com/*\n"
    (tmp_path / "Dockerfile").write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "fix", ".")
    assert code == 1
    left = analyze(NOFIX, rules=machinery_rules()).findings[0]
    assert out == [
        f"Dockerfile:2:5: GC105 [error] {left.message}",  # line 3 before the fix, 2 after it
        f"  note: {left.note}",
        "Fixed 1 finding. 1 finding remaining (1 error) in 1 file.",
    ]
    assert (tmp_path / "Dockerfile").read_text() == NOFIX


def test_fix_diff_writes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (tree / "Dockerfile").read_bytes()
    code = main(["fix", "--diff", "."])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == (
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -1,3 +1,2 @@\n"
        " FROM golang:1.22\n"
        "-ENV GOPROXY=direct\n"
        " RUN go build -o /app .\n"
    )
    assert err.splitlines() == [
        "web/Dockerfile: skipped: no Go build",
        "Would fix 1 finding. No findings remaining in 1 file; 1 skipped (no Go build).",
    ]
    assert (tree / "Dockerfile").read_bytes() == before


def test_fix_diff_crlf_applies_with_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    crlf = BAD.replace("\n", "\r\n").encode()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Dockerfile").write_bytes(crlf)
    monkeypatch.chdir(tmp_path)
    main(["fix", "--diff", "sub"])
    diff, _ = capsys.readouterr()
    assert "-ENV GOPROXY=direct\r\n" in diff
    (tmp_path / "p.diff").write_text(diff, newline="")
    subprocess.run(["git", "apply", "p.diff"], cwd=tmp_path, check=True)
    assert (tmp_path / "sub" / "Dockerfile").read_bytes() == FIXED.replace("\n", "\r\n").encode()


def test_fix_with_org_proxy(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".gocomply.yml").write_text("goproxy: https://proxy.corp.example\n")
    assert run(capsys, "fix", ".")[0] == 0
    assert (tree / "Dockerfile").read_text() == (
        "FROM golang:1.22\nENV GOPROXY=https://proxy.corp.example\nRUN go build -o /app .\n"
    )
    assert (tree / "vendor" / "Dockerfile").read_text() == BAD  # vendor/ is never touched


def test_fix_json_lists_applied(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", "--format", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["files"][0]["applied"] == ["GC105"]
    assert doc["files"][0]["findings"] == []
    assert doc["summary"]["fixed"] == 1


def test_unsafe_flag_reaches_the_engine(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, ...]] = []
    real = cli.analyze

    def spy(text: str, **kw: object) -> object:
        seen.append(kw["options"].unsafe_fixes)  # type: ignore[attr-defined]
        return real(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "analyze", spy)
    run(capsys, "check", "Dockerfile")
    run(capsys, "check", "--unsafe", "Dockerfile")
    (tree / ".gocomply.yml").write_text("unsafe_fixes: [GC105]\n")
    run(capsys, "check", "Dockerfile")
    assert seen == [(), ("all",), ("GC105",)]


def test_unwritable_fix_is_an_error(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.fsio.os.replace", full)
    code, _out, err = run(capsys, "fix", ".")
    assert code == 2
    assert err == ["Dockerfile: error: could not write the fix: No space left on device"]
    assert (tree / "Dockerfile").read_text() == BAD


# --------------------------------------------------------------------------- bad input


def test_bad_inputs_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.Dockerfile").write_bytes(b"FROM golang:1.22\n\xc3\x28\n")
    (tmp_path / "b.Dockerfile").write_bytes(b"FROM golang:1.22\n\x00\n")
    (tmp_path / "c.Dockerfile").write_bytes(b"#" * (1024 * 1024 + 1))
    (tmp_path / "d.Dockerfile").mkdir()
    (tmp_path / "e.Dockerfile").symlink_to("f.Dockerfile")
    (tmp_path / "f.Dockerfile").symlink_to("e.Dockerfile")
    os.mkfifo(tmp_path / "g.Dockerfile")
    (tmp_path / "h.Dockerfile").write_text("FROM golang:1.22\nENV GOPROXY\n")
    (tmp_path / "Dockerfile").write_text(BAD)
    (tmp_path / "loop").symlink_to(".")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", ".", "missing/Dockerfile")
    assert code == 2
    assert err == [
        "a.Dockerfile: error: not valid UTF-8 (byte 0xc3 at offset 17)",
        "b.Dockerfile: error: contains a NUL byte at offset 17 (binary file?)",
        "c.Dockerfile: error: file is too large (1048577 bytes; the limit is 1048576 bytes)",
        "d.Dockerfile: error: is a directory, not a file",
        "e.Dockerfile: error: symlink loop (too many levels of symbolic links)",
        "f.Dockerfile: error: symlink loop (too many levels of symbolic links)",
        "g.Dockerfile: error: not a regular file (FIFO, socket or device)",
        "h.Dockerfile: error: parse error: line 2: ENV must have two arguments",
        "missing/Dockerfile: error: no such file or directory",
    ]
    # the good file is still checked
    assert out[0] == f"Dockerfile:2:5: GC105 [error] {_message(BAD)}"
    assert out[-1] == "Found 1 finding (1 error) in 1 file; 1 fixable with `gocomply fix`, " \
        "9 could not be checked."  # fmt: skip


def test_unreadable_file(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root, chmod 000 does not stop reads; make the open itself refuse (the only mock here).
    (tree / "locked.Dockerfile").write_text(BAD)
    (tree / "locked.Dockerfile").chmod(0)
    real_open = os.open

    def deny(path: str, flags: int, *a: int) -> int:
        if str(path).endswith("locked.Dockerfile"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *a)

    monkeypatch.setattr("bot.fsio.os.open", deny)
    code, _out, err = run(capsys, "fix", ".")
    assert code == 2
    assert err == ["locked.Dockerfile: error: permission denied"]
    assert (tree / "Dockerfile").read_text() == FIXED


def test_broken_config(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".gocomply.yml").write_text("scope: go\nrules:\n  GC999: off\n")
    code, out, err = run(capsys, "check", ".")
    assert code == 2
    assert len(err) == 1
    assert err[0].startswith(
        ".gocomply.yml: error: invalid configuration at line 3: rules: unknown rule 'GC999'"
    )
    assert out[0].startswith("Dockerfile:2:5: GC105 [error]")  # still checked, with defaults


def test_broken_explicit_config(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "c.yml").write_text("a: &x 1\nb: *x\n")
    code, _out, err = run(capsys, "check", "--config", "c.yml", ".")
    assert code == 2
    assert err == [
        "c.yml: error: invalid configuration at line 2: YAML aliases (*name) are not allowed"
    ]


def test_internal_error_is_one_line(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cli.analyze

    def flaky(text: str, **kw: object) -> object:
        if kw["path"] == "Dockerfile":
            raise RuntimeError("boom")
        return real(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "analyze", flaky)
    code, out, err = run(capsys, "check", ".")
    assert code == 2
    assert err == ["Dockerfile: error: internal error: RuntimeError: boom"]
    assert out == [
        "web/Dockerfile: skipped: no Go build",
        "No findings in 0 files; 1 skipped (no Go build), 1 could not be checked.",
    ]


def test_subprocess_never_prints_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "x.Dockerfile").symlink_to("x.Dockerfile")
    (tmp_path / ".gocomply.yml").write_text("rules: [\n")
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 3


# --------------------------------------------------------------------------- usage


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["check"],
        ["check", "--format", "xml", "."],
        ["check", "--fail-on", "sometimes", "."],
        ["fix", "--diff", "--commit", "."],
        ["fix", "--branch", "x", "."],
        ["fix", "--diff", "--format", "json", "."],
        ["frobnicate"],
    ],
)
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    _out, err = capsys.readouterr()
    assert err and "Traceback" not in err


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "check" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("gocomply ")


# --------------------------------------------------------------------------- explain, rules


@pytest.mark.parametrize("key", ["GC105", "gc105", "goproxy-bypass"])
def test_explain(key: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", key)
    assert code == 0
    assert out[:3] == [
        "# GC105 goproxy-bypass",
        "",
        "severity: error · fix: safe · family: dangerous-command",
    ]
    headings = [line for line in out if line.startswith("## ")]
    assert headings == ["## What it does", "## Why is this bad?", "## Example", "## Fix safety"]


def test_explain_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "GC999")
    assert (code, out) == (2, [])
    assert err[0] == "gocomply: error: unknown rule 'GC999'; known rules:"
    assert "  GC105 goproxy-bypass" in err


def test_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    line = next(x for x in out if x.startswith("GC105"))
    assert line.split()[:4] == ["GC105", "goproxy-bypass", "error", "safe"]
    assert main(["rules", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    entry = next(r for r in doc if r["code"] == "GC105")
    assert entry["name"] == "goproxy-bypass" and entry["family"] == "dangerous-command"
    assert entry["summary"].endswith(".")


def test_logging_goes_to_stderr_as_json(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "-v", "--log-format", "json", "--format", "json", "."])
    out, err = capsys.readouterr()
    assert code == 1
    json.loads(out)  # stdout stays a clean report
    events = [json.loads(line) for line in err.splitlines()]
    checked = [e for e in events if e["event"] == "file.checked"]
    assert checked == [
        {
            "event": "file.checked",
            "path": "Dockerfile",
            "findings": 1,
            "level": "info",
            "timestamp": checked[0]["timestamp"],
        }
    ]
    assert BAD.splitlines()[1] not in err  # never file contents


def test_waivers_expire_by_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "Dockerfile"
    waived = (
        'FROM golang:1.22\n# gocomply:ignore GC105 reason="mirror" until={}\nENV GOPROXY=direct\n'
    )
    p.write_text(waived.format("2999-01-01"))
    assert run(capsys, "check", str(p))[0] == 0
    p.write_text(waived.format("2000-01-01"))
    code, out, _ = run(capsys, "check", str(p))
    assert code == 1
    assert out[2] == "  note: the waiver on line 2 expired on 2000-01-01"


def _codes(out: list[str]) -> set[str]:
    return {line.split()[1] for line in out if line.startswith("Dockerfile:")}


def test_select_and_ignore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(
        "FROM golang:1.22\nENV GOPROXY=direct GOROOT=/usr/local/go\nRUN go build .\n"
    )
    os.chdir(tmp_path)
    assert {"GC102", "GC105"} <= _codes(run(capsys, "check", ".")[1])
    assert _codes(run(capsys, "check", "--select", "GC105", ".")[1]) == {"GC105"}
    assert _codes(run(capsys, "check", "--select", "goroot-override", ".")[1]) == {"GC102"}
    ignored = _codes(run(capsys, "check", "--ignore", "GC102,goproxy-bypass", ".")[1])
    assert not ignored & {"GC102", "GC105"}
    assert _codes(run(capsys, "check", "--select", "GC1", "--ignore", "GC105", ".")[1]) == {"GC102"}
    # fix honours the selection: only the GOPROXY override goes
    assert run(capsys, "fix", "--select", "GC105", ".")[0] == 0
    after = (tmp_path / "Dockerfile").read_text()
    assert "GOPROXY" not in after and "GOROOT=/usr/local/go" in after


def test_select_unknown_rule_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM golang:1.22\nRUN go build .\n")
    os.chdir(tmp_path)
    code, out, err = run(capsys, "check", "--ignore", "GC1O5", ".")
    assert code == 2 and out == []
    assert err == ["gocomply: error: no rule matches 'GC1O5' (see `gocomply rules`)"]


def test_a_family_is_a_selection_word_even_while_empty(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "--select", "GC1,GC0", "Dockerfile")
    assert code == 1 and out[0].startswith("Dockerfile:2:5: GC105")
    code, _, err = run(capsys, "check", "--select", "GC3", "Dockerfile")
    assert code == 2 and "no rule matches 'GC3'" in err[-1]
