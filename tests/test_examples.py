"""The bundled examples, the bot's own Dockerfile and the App manifest are well-formed.

Every ``examples/*/Dockerfile`` is accepted by BuildKit's parser (PyPI ``dockerfile``) and
round-trips byte for byte through our document. Rule behaviour on the examples is tested with
the rules.
"""

from __future__ import annotations

from pathlib import Path

import dockerfile
import pytest
import yaml

from rewriters.document import Document

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*/Dockerfile"))
CRLF_EXAMPLE = EXAMPLES / "copy-before-download" / "Dockerfile"
ESCAPE_EXAMPLE = EXAMPLES / "toolchain-download" / "Dockerfile"
CLEAN_EXAMPLE = EXAMPLES / "clean-multistage" / "Dockerfile"


def read_exact(path: Path) -> str:
    # newline="" keeps CRLF exactly as in the file
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def test_there_are_examples() -> None:
    assert 8 <= len(EXAMPLE_FILES) <= 14
    assert CLEAN_EXAMPLE in EXAMPLE_FILES


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.parent.name)
def test_example_accepted_by_buildkit(path: Path) -> None:
    instructions = dockerfile.parse_file(str(path))
    assert any(i.cmd.upper() == "FROM" for i in instructions)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.parent.name)
def test_example_round_trips(path: Path) -> None:
    text = read_exact(path)
    doc = Document.parse(text)
    assert doc.text == text
    assert doc.error is None


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.parent.name)
def test_example_is_listed_in_readme(path: Path) -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert f"`{path.parent.name}/`" in readme


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.parent.name)
def test_example_module_context(path: Path) -> None:
    """Examples that copy go.mod/go.sum have both, so the build context is plausible."""
    text = read_exact(path)
    if "go.mod" in text or "COPY . ." in text:
        assert (path.parent / "go.mod").is_file()
        assert (path.parent / "go.sum").is_file()
        assert (path.parent / "go.mod").read_text(encoding="utf-8").startswith("module ")


def test_crlf_example_is_crlf_throughout() -> None:
    raw = CRLF_EXAMPLE.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") > 0
    assert b"\r" not in raw.replace(b"\r\n", b"")


def test_escape_example_uses_backtick() -> None:
    text = read_exact(ESCAPE_EXAMPLE)
    assert text.startswith("# escape=`\n")
    assert "`\n" in text[len("# escape=`\n") :]  # a real backtick continuation


def test_only_missing_dockerignore_example_lacks_dockerignore() -> None:
    lacking = sorted(
        p.parent.name for p in EXAMPLE_FILES if not (p.parent / ".dockerignore").exists()
    )
    assert lacking == ["missing-dockerignore"]
    for p in EXAMPLE_FILES:
        ignore = p.parent / ".dockerignore"
        if ignore.exists():
            lines = dockerignore_patterns(ignore)
            assert ".git" in lines
            assert not {"go.mod", "go.sum", "vendor", "vendor/"} & set(lines)


def test_root_dockerfile_accepted_and_round_trips() -> None:
    path = REPO / "Dockerfile"
    instructions = dockerfile.parse_file(str(path))
    froms = [i for i in instructions if i.cmd == "FROM"]
    assert len(froms) >= 2  # multi-stage
    assert "distroless" in froms[-1].value[0]
    final = instructions[instructions.index(froms[-1]) :]
    assert [i.value for i in final if i.cmd == "USER"] == [("65532:65532",)]
    entrypoint = [i for i in final if i.cmd == "ENTRYPOINT"]
    assert len(entrypoint) == 1 and entrypoint[0].json  # exec form: no shell in distroless
    text = read_exact(path)
    assert Document.parse(text).text == text


def dockerignore_patterns(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def test_root_dockerignore_keeps_what_the_build_needs() -> None:
    lines = dockerignore_patterns(REPO / ".dockerignore")
    assert ".git" in lines
    for needed in ("pyproject.toml", "README.md", "bot", "rewriters", "config"):
        assert needed not in lines and f"{needed}/" not in lines
    assert not {"*", "*.md", "*.toml", "*.py", "**/*.py"} & set(lines)


def test_app_manifest_is_valid_yaml() -> None:
    text = (REPO / "app.yml").read_text(encoding="utf-8")
    assert text.startswith("#")
    manifest = yaml.safe_load(text)
    assert isinstance(manifest, dict)
    assert manifest["public"] is False
    perms = manifest["default_permissions"]
    assert perms["metadata"] == "read"
    assert set(perms.values()) <= {"read", "write"}
    assert "administration" not in perms
    assert {"push", "pull_request"} <= set(manifest["default_events"])
    assert manifest["hook_attributes"]["url"].startswith("https://")


# info-level practices that every single-platform, cache-less example build lacks: each example
# shows them, so the README rows name the rules the example is about
AMBIENT = {"GC204", "GC206"}

EXPECTED_CODES = {
    "go-get-upgrade": {"GC101"},
    "goroot-override": {"GC102"},
    "go-install-global-bin": {"GC103"},
    "cgo-alpine": {"GC104"},
    "goproxy-bypass": {"GC105"},
    "go-env-w": {"GC105"},
    "unpinned-tool": {"GC106"},
    "toolchain-download": {"GC107"},
    "copy-before-download": {"GC201"},
    "toolchain-in-runtime": {"GC202", "GC203"},
    "single-stage-golang": {"GC201", "GC202", "GC203"},
    "git-token": {"GC207"},
    "missing-dockerignore": {"GC208"},
    "clean-multistage": set(),
}


def test_each_example_shows_the_rules_its_readme_row_names() -> None:
    from bot.discover import build_context
    from rewriters.engine import analyze

    root = Path(__file__).resolve().parents[1] / "examples"
    got = {}
    for d in sorted(p for p in root.iterdir() if p.is_dir()):
        dockerfile = d / "Dockerfile"
        text = dockerfile.read_bytes().decode("utf-8") if dockerfile.exists() else ""
        result = analyze(text, path=str(d / "Dockerfile"), build_context=build_context(d))
        assert result.error is None
        # every example names its base images by tag: GC209 (unpinned-base-image) reports
        # each one without a digest from the registry; the README rows name the other rules
        assert "GC209" in {f.code for f in result.findings}, d.name
        codes = {f.code for f in result.findings}
        if d.name != "clean-multistage":
            assert codes >= AMBIENT, d.name
        got[d.name] = codes - AMBIENT - {"GC209"}
        fixed = analyze(result.new_text, build_context=build_context(d))
        assert fixed.new_text == result.new_text  # fixing twice changes nothing
    assert got == EXPECTED_CODES
