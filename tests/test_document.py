"""The lossless document: round-trip, agreement with BuildKit's parser, spans and values."""

from __future__ import annotations

import contextlib
from pathlib import Path

import dockerfile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rewriters.document import Comment, Directive, Document, Instruction
from tests.corpus import all_files, params, read_text, requires_corpus

CORPUS_FILES = params()


def _partition_ok(doc: Document) -> bool:
    pos = 0
    for node in doc.nodes:
        if node.span.start != pos:
            return False
        pos = node.span.end
    return pos == len(doc.text)


def _ours(ins: Instruction) -> tuple[object, ...]:
    return (
        ins.keyword.text or None,
        ins.start_line,
        ins.end_line,
        # The Python binding passes strings through C, so a decoded NUL ends its copy.
        tuple(v.split("\x00")[0] for v in ins.node_values()),
        tuple(f.processed for f in ins.flags),
        ins.json,
        ins.sub.keyword.text if ins.sub else None,
        tuple((h.name, h.content) for h in ins.heredocs),
    )


def _theirs(cmd: dockerfile.Command) -> tuple[object, ...]:
    return (
        cmd.cmd,
        cmd.start_line,
        cmd.end_line,
        cmd.value,
        cmd.flags,
        cmd.json,
        cmd.sub_cmd,
        tuple((h.name, h.content) for h in cmd.heredocs),
    )


def _agree(text: str) -> None:
    doc = Document.parse(text)
    try:
        ref = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        assert doc.error is not None, f"BuildKit rejects ({exc}) but we accept"
        return
    assert doc.error is None, f"we reject: {doc.error}"
    assert len(doc.instructions) == len(ref)
    for ours, theirs in zip(doc.instructions, ref, strict=True):
        if any(not f.isascii() for f in theirs.flags):
            continue  # BuildKit reads flags byte by byte; non-ASCII flags come back mangled
        assert _ours(ours) == _theirs(theirs)
        if not ours.heredocs:
            assert ours.logical.text == (theirs.original or "")


@requires_corpus
@pytest.mark.parametrize("path", CORPUS_FILES)
def test_corpus_round_trip(path: Path) -> None:
    text = read_text(path)
    doc = Document.parse(text)
    assert doc.text == text
    assert _partition_ok(doc)


@requires_corpus
@pytest.mark.parametrize("path", CORPUS_FILES)
def test_corpus_agrees_with_buildkit(path: Path) -> None:
    _agree(read_text(path))


@requires_corpus
def test_corpus_negative_cases_are_parse_errors() -> None:
    negatives = [p for p in all_files() if p.parent.name.startswith("negative__")]
    assert negatives
    for path in negatives:
        doc = Document.parse(read_text(path))
        assert doc.error is not None, path


_ATOMS = [
    "RUN ",
    "run ",
    "ENV ",
    "ARG ",
    "LABEL ",
    "COPY ",
    "FROM ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "CMD ",
    "EXPOSE ",
    "USER ",
    "WORKDIR ",
    "ADD ",
    "SHELL ",
    "VOLUME ",
    "FOO ",
    "\\",
    "\\\n",
    "`",
    "`\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "#",
    "# escape=`\n",
    "# syntax=x\n",
    "<<EOF",
    "<<-EOF",
    "EOF\n",
    "\tEOF\n",
    "'",
    '"',
    "=",
    "a",
    "b=c",
    "x y",
    "--mount=type=cache,target=/x ",
    "--from=b ",
    "--",
    '["a","b"]',
    "[",
    "]",
    '"a\\"b"',
    ",",
    "$X",
    "${Y}",
    "\ufeff",
    "é",
    "\u00a0",
    "\x0b",
    "1<<E",
    "<<'Q'",
    "Q\n",
    "NONE",
]
_dockerfile_like = st.lists(st.sampled_from(_ATOMS), max_size=30).map("".join)


@settings(
    max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(_dockerfile_like)
def test_fuzz_round_trip_and_agreement(text: str) -> None:
    doc = Document.parse(text)
    assert doc.text == text
    assert _partition_ok(doc)
    # the binding cannot return BuildKit's byte-wise mangling of non-ASCII flags
    with contextlib.suppress(UnicodeDecodeError):
        _agree(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_fuzz_round_trip_any_text(text: str) -> None:
    doc = Document.parse(text)
    assert doc.text == text
    assert _partition_ok(doc)


def test_crlf_bom_and_no_final_newline_round_trip() -> None:
    text = '\ufeffFROM golang:1.22\r\nRUN go build \\\r\n  ./...\r\nCMD ["app"]'
    doc = Document.parse(text)
    assert doc.text == text
    run = doc.instructions[1]
    assert run.rest is not None and run.rest.text == "go build   ./..."
    assert (run.start_line, run.end_line) == (2, 3)
    assert doc.newline == "\r\n"


def test_spans_map_back_across_continuation_and_comment_lines() -> None:
    text = "FROM x\nENV GOPROXY=direct \\\n# a comment\n    GOSUMDB=off CGO_ENABLED=0\n"
    env = Document.parse(text).instructions[1]
    keys = [(p.key.value, p.value.value if p.value else None) for p in env.pairs]
    assert keys == [("GOPROXY", "direct"), ("GOSUMDB", "off"), ("CGO_ENABLED", "0")]
    sumdb = env.pairs[1]
    assert sumdb.span.slice(text) == "GOSUMDB=off"
    assert env.pairs[0].value is not None and env.pairs[0].value.span.slice(text) == "direct"
    assert doc_comment_inside(text)


def doc_comment_inside(text: str) -> bool:
    doc = Document.parse(text)
    # the comment inside the continuation belongs to the ENV instruction, not a Comment node
    return not any(isinstance(n, Comment) for n in doc.nodes)


def test_backtick_escape_directive() -> None:
    text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir C:\\ `\n  && echo ok\n"
    doc = Document.parse(text)
    assert doc.escape == "`"
    assert isinstance(doc.nodes[0], Directive)
    run = doc.instructions[1]
    assert run.rest is not None and run.rest.text == "dir C:\\   && echo ok"


def test_directive_after_comment_is_a_comment() -> None:
    doc = Document.parse("# hello\n# escape=`\nFROM x `\n")
    assert doc.escape == "\\"
    assert doc.directives == ()


def test_heredocs_several_on_one_instruction() -> None:
    text = 'FROM x\nRUN <<-"A" cat <<B\n\tgo version\n\tA\nline\nB\nCMD x\n'
    doc = Document.parse(text)
    run = doc.instructions[1]
    assert [(h.name, h.chomp, h.expand) for h in run.heredocs] == [
        ("A", True, False),
        ("B", False, True),
    ]
    assert run.heredocs[0].body.slice(text) == "\tgo version\n"
    assert run.heredocs[1].body.slice(text) == "line\n"
    assert (run.start_line, run.end_line) == (2, 6)
    assert doc.instructions[2].start_line == 7


def test_json_exec_form_values_map_escapes_to_file() -> None:
    text = 'FROM x\nRUN ["sh", "-c", "go get \\"a\\" \\u00e9"]\n'
    run = Document.parse(text).instructions[1]
    assert run.json
    script = run.json_values[2]
    assert script.text == 'go get "a" é'
    quote = script.text.index('"')
    assert script.span(quote, quote + 1).slice(text) == '\\"'
    assert script.span(0, len(script.text)).slice(text) == 'go get \\"a\\" \\u00e9'


def test_legacy_env_and_arg_pairs() -> None:
    doc = Document.parse("FROM x\nENV GOROOT /usr/local/go\nARG PROXY=direct NOVALUE\n")
    env, arg = doc.instructions[1], doc.instructions[2]
    assert env.pairs[0].legacy
    assert (env.pairs[0].key.value, env.pairs[0].value and env.pairs[0].value.value) == (
        "GOROOT",
        "/usr/local/go",
    )
    assert [(p.key.text, p.value.text if p.value else None) for p in arg.pairs] == [
        ("PROXY", "direct"),
        ("NOVALUE", None),
    ]


def test_flags_and_onbuild() -> None:
    doc = Document.parse(
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
        "RUN --mount=type=cache,target=/go/pkg/mod --mount=type=secret,id=netrc go build\n"
        "ONBUILD RUN go get -u ./...\n"
    )
    frm, run, onb = doc.instructions
    assert frm.flag("platform") is not None and frm.flag("platform").value == "$BUILDPLATFORM"  # type: ignore[union-attr]
    assert [a.text for a in frm.args] == ["golang:1.22", "AS", "build"]
    assert [f.value for f in run.flags_named("mount")] == [
        "type=cache,target=/go/pkg/mod",
        "type=secret,id=netrc",
    ]
    assert onb.sub is not None and onb.sub.name == "RUN" and onb.effective.rest is not None
    assert onb.effective.rest.text == "go get -u ./..."


def test_quoted_values_are_interpreted() -> None:
    env = Document.parse(
        "FROM x\nENV GOFLAGS=\"-mod=mod -insecure\" A='b c' D=e\\ f\n"
    ).instructions[1]
    assert [p.value.value for p in env.pairs if p.value] == ["-mod=mod -insecure", "b c", "e f"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "file with no instructions"),
        ("# only\n", "file with no instructions"),
        ("FROM x\nENV A\n", "ENV must have two arguments"),
        ("FROM x\nCMD [1]\n", "arrays must be comprised of strings only"),
        ("FROM x\nRUN <<EOF\nno end\n", "unterminated heredoc"),
        ("# escape=x\nFROM a\n", "invalid ESCAPE"),
    ],
    ids=[
        "empty",
        "only-comments",
        "env-no-value",
        "json-not-strings",
        "unterminated-heredoc",
        "bad-escape",
    ],
)
def test_parse_errors_never_raise(text: str, message: str) -> None:
    doc = Document.parse(text)
    assert doc.text == text
    assert doc.error is not None and message in doc.error.message


def test_line_and_column() -> None:
    doc = Document.parse("FROM x\r\nRUN a\n")
    off = doc.text.index("a\n")
    assert (doc.line_of(off), doc.column_of(off)) == (2, 5)
    assert doc.line_span(1).slice(doc.text) == "FROM x\r\n"
