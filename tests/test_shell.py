"""Tests for rewriters.shell: the tree-sitter-bash view of RUN bodies, mapped to file offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rewriters.edits import Edit, Span, apply_edits
from rewriters.shell import (
    Assignment,
    Export,
    ShellScript,
    SimpleCommand,
    parse_shell,
    removal_span,
    removal_spans,
    scripts_for_run,
)
from rewriters.text import LogicalText, Segment

# --------------------------------------------------------------------------------------------
# helpers: build LogicalTexts by hand the way Docker sees a RUN line


def run_text(file_text: str, start: int) -> LogicalText:
    """Logical text of the instruction whose shell text starts at ``start``: continuation lines
    (``\\`` + newline) are joined, comment and blank lines inside the continuation skipped."""
    pieces: list[tuple[int, int]] = []
    pos = start
    continued = False
    while pos < len(file_text):
        nl = file_text.find("\n", pos)
        end = len(file_text) if nl < 0 else nl
        if end > pos and file_text[end - 1] == "\r":
            end -= 1
        line = file_text[pos:end]
        if continued and (not line.strip() or line.lstrip().startswith("#")):
            pos = nl + 1 if nl >= 0 else len(file_text)
            continue
        m = re.search(r"\\[ \t]*$", line)
        if m is None:
            pieces.append((pos, end))
            break
        pieces.append((pos, pos + m.start()))
        continued = True
        pos = nl + 1 if nl >= 0 else len(file_text)
    return LogicalText.build(file_text, pieces)


def whole(text: str) -> LogicalText:
    return LogicalText.build(text, [(0, len(text))])


def json_values(file_text: str, start: int) -> tuple[LogicalText, ...]:
    """Decoded JSON strings of the array starting at ``start``; ``\\x`` escapes map to their
    two-character sequence (outside strings, continuations and comment lines are skipped)."""
    out: list[LogicalText] = []
    pos = file_text.index("[", start)
    while True:
        q = file_text.find('"', pos)
        close = file_text.find("]", pos)
        if q < 0 or 0 <= close < q:
            return tuple(out)
        i = q + 1
        segs: list[Segment] = []
        chars: list[str] = []
        while file_text[i] != '"':
            if file_text[i] == "\\":
                decoded = {"n": "\n", "t": "\t"}.get(file_text[i + 1], file_text[i + 1])
                segs.append(Segment(len(chars), i, 1, 2))
                chars.append(decoded)
                i += 2
            else:
                if segs and segs[-1].file_length < 0 and segs[-1].file_end == i:
                    last = segs[-1]
                    segs[-1] = Segment(last.logical_start, last.file_start, last.length + 1)
                else:
                    segs.append(Segment(len(chars), i, 1))
                chars.append(file_text[i])
                i += 1
        out.append(LogicalText.from_segments("".join(chars), segs))
        pos = i + 1


@dataclass(frozen=True)
class FakeHeredoc:
    name: str
    body: Span
    content: str


@dataclass(frozen=True)
class FakeRun:
    json: bool = False
    rest: LogicalText | None = None
    json_values: tuple[LogicalText, ...] = ()
    heredocs: tuple[FakeHeredoc, ...] = field(default_factory=tuple)


def heredoc(file_text: str, name: str) -> FakeHeredoc:
    """The body of the first heredoc named ``name`` after the first line."""
    body_start = file_text.index("\n") + 1
    end = file_text.index(f"\n{name}\n", body_start - 1) + 1
    if end < body_start:
        end = body_start
    return FakeHeredoc(name, Span(body_start, end), file_text[body_start:end])


def only(script: ShellScript, name: str) -> SimpleCommand:
    cmds = list(script.commands_named(name))
    assert len(cmds) == 1, cmds
    return cmds[0]


def check_spans(script: ShellScript, file_text: str) -> None:
    """Every word's file span holds its raw text (modulo skipped continuation/comment lines)."""
    for cmd in script.commands:
        for w in (*cmd.wrapper, *cmd.words):
            raw = w.span.slice(file_text)
            assert raw.startswith(w.text[:1]) and raw.endswith(w.text[-1:]), (w, raw)
            if "\n" not in raw and "\\" not in w.text:
                assert raw == w.text


def remove(text: str, script: ShellScript, item: SimpleCommand | Export | Assignment) -> str | None:
    span = removal_span(script, item, text)
    return None if span is None else apply_edits(text, [Edit.delete(span)])


# --------------------------------------------------------------------------------------------
# words, assignments, wrappers


@pytest.mark.parametrize(
    ("src", "words", "assignments", "wrapper"),
    [
        pytest.param("K=V go build", ["go", "build"], [("K", "V")], [], id="inline-assignment"),
        pytest.param("A=1 B= go x", ["go", "x"], [("A", "1"), ("B", "")], [], id="empty-value"),
        pytest.param("env K=V go", ["go"], [("K", "V")], ["env"], id="env"),
        pytest.param("env -i K=V go", ["go"], [("K", "V")], ["env", "-i"], id="env-i"),
        pytest.param(
            "/usr/bin/env -u X K=V go",
            ["go"],
            [("K", "V")],
            ["/usr/bin/env", "-u", "X"],
            id="env-u",
        ),
        pytest.param('env "K=a b" go', ["go"], [("K", "a b")], ["env"], id="env-quoted"),
        pytest.param("env", ["env"], [], [], id="env-alone-is-a-command"),
        pytest.param("env --weird go", ["env", "--weird", "go"], [], [], id="env-unknown-opt"),
        pytest.param(
            "sudo env A=1 go get", ["go", "get"], [("A", "1")], ["sudo", "env"], id="sudo-env"
        ),
        pytest.param("exec go run .", ["go", "run", "."], [], ["exec"], id="exec"),
        pytest.param("command go", ["go"], [], ["command"], id="command"),
        pytest.param(
            "command -v go", ["command", "-v", "go"], [], [], id="command-v-not-unwrapped"
        ),
        pytest.param("sudo -E go", ["sudo", "-E", "go"], [], [], id="sudo-opt-not-unwrapped"),
        pytest.param(
            "X=1 env Y=2 go", ["go"], [("X", "1"), ("Y", "2")], ["env"], id="prefix-and-env"
        ),
    ],
)
def test_simple_commands(
    src: str, words: list[str], assignments: list[tuple[str, str]], wrapper: list[str]
) -> None:
    script = parse_shell(whole(src))
    assert not script.has_errors
    (cmd,) = script.commands
    assert list(cmd.argv_values) == words
    assert [(a.name, a.value.value if a.value else None) for a in cmd.assignments] == assignments
    assert [w.value for w in cmd.wrapper] == wrapper
    assert cmd.name == words[0]
    for a in cmd.assignments:
        assert a.span.slice(src).lstrip('"').startswith(a.name + "=")
    check_spans(script, src)


def test_env_i_clears_env() -> None:
    assert parse_shell(whole("env -i PATH=/x go")).commands[0].clears_env
    assert not parse_shell(whole("env PATH=/x go")).commands[0].clears_env


def test_inline_assignment_append() -> None:
    (cmd,) = parse_shell(whole("GOFLAGS+=-x go build")).commands
    assert cmd.assignments[0].append
    assert cmd.assignments[0].value is not None and cmd.assignments[0].value.value == "-x"


@pytest.mark.parametrize(
    ("word", "value"),
    [
        pytest.param('"a b"', "a b", id="double-quoted"),
        pytest.param("'x'", "x", id="single-quoted"),
        pytest.param('x\\"y', 'x"y', id="backslash-quote"),
        pytest.param("a\\ b", "a b", id="backslash-space"),
        pytest.param('"a\\"b\\$c\\d"', 'a"b$c\\d', id="dq-escapes"),
        pytest.param("a\"b\"'c'd", "abcd", id="concatenation"),
        pytest.param("'$HOME'", "$HOME", id="single-quotes-no-expansion"),
        pytest.param("\\$HOME", "$HOME", id="escaped-dollar"),
        pytest.param('"$"', "$", id="lone-dollar"),
        pytest.param("$'a\\tb'", "a\tb", id="ansi-c"),
        pytest.param('$"x"', "x", id="translated"),
        pytest.param("./...", "./...", id="dots"),
        pytest.param("*.go", "*.go", id="glob-kept-literally"),
        pytest.param("pkg@v1.2.3", "pkg@v1.2.3", id="at-version"),
        pytest.param("--ldflags=-s -w", None, id="two-words-guard"),
    ],
)
def test_quoting(word: str, value: str | None) -> None:
    src = f"echo {word}"
    (cmd,) = parse_shell(whole(src)).commands
    if value is None:
        assert len(cmd.words) == 3
        return
    assert len(cmd.words) == 2, cmd.words
    w = cmd.words[1]
    assert w.text == word
    assert w.value == value
    assert not w.has_expansion
    assert w.span.slice(src) == word


@pytest.mark.parametrize(
    ("word", "names", "basename"),
    [
        pytest.param("$GOROOT/bin/go", ("GOROOT",), "go", id="simple"),
        pytest.param("${GOROOT}/bin/go", ("GOROOT",), "go", id="braced"),
        pytest.param('"${GOROOT}/bin/go"', ("GOROOT",), "go", id="quoted-braced"),
        pytest.param('"$X $Y"', ("X", "Y"), None, id="two-in-string"),
        pytest.param("${X:-$Y}", ("X", "Y"), None, id="default"),
        pytest.param("$(go env GOROOT)/bin", (), "bin", id="command-substitution"),
        pytest.param("`go env GOPATH`", (), None, id="backticks"),
        pytest.param("$((1+2))", (), None, id="arithmetic"),
        pytest.param("~/go/bin", ("HOME",), "bin", id="tilde"),
        pytest.param("{a,b}.go", (), None, id="brace-expansion"),
    ],
)
def test_expansions(word: str, names: tuple[str, ...], basename: str | None) -> None:
    src = f"echo {word}"
    script = parse_shell(whole(src))
    w = script.commands[0].words[1]
    assert w.text == word
    assert w.value is None and w.has_expansion
    assert w.expansions == names
    assert w.basename == basename
    assert w.span.slice(src) == word


def test_var_refs_locate_expansions() -> None:
    src = 'cp "$GOROOT/bin/go" ${GOROOT}/x ${GOROOT:-/usr/local/go}/y'
    (cmd,) = parse_shell(whole(src)).commands
    refs = [r for w in cmd.words for r in w.refs]
    assert [(r.span.slice(src), r.name, r.simple) for r in refs] == [
        ("$GOROOT", "GOROOT", True),
        ("${GOROOT}", "GOROOT", True),
        ("${GOROOT:-/usr/local/go}", "GOROOT", False),
    ]


def test_commands_named_follows_paths() -> None:
    src = "/usr/local/go/bin/go build && $GOROOT/bin/go vet && gofmt -l . && go test"
    script = parse_shell(whole(src))
    assert [c.words[1].value for c in script.commands_named("go")] == ["build", "vet", "test"]
    assert [c.words[0].text for c in script.commands_named("/usr/local/go/bin/go")] == [
        "/usr/local/go/bin/go"
    ]


# --------------------------------------------------------------------------------------------
# exports and bare assignments


def test_exports() -> None:
    src = "export A=1 B=2 && go build"
    script = parse_shell(whole(src))
    got = [
        (e.assignment.name, e.assignment.value and e.assignment.value.value) for e in script.exports
    ]
    assert got == [("A", "1"), ("B", "2")]
    assert [e.span.slice(src) for e in script.exports] == ["A=1", "B=2"]
    assert {e.command_span.slice(src) for e in script.exports} == {"export A=1 B=2"}
    assert only(script, "go").words[1].value == "build"


@pytest.mark.parametrize(
    ("src", "exported"),
    [
        pytest.param("export A", [("A", None)], id="bare-name"),
        pytest.param('export "A=x y"', [("A", "x y")], id="quoted-word"),
        pytest.param("export A=$B", [("A", None)], id="expansion"),
        pytest.param("declare -x A=1 B", [("A", "1"), ("B", None)], id="declare-x"),
        pytest.param('typeset -x E="e f"', [("E", "e f")], id="typeset-x"),
        pytest.param("declare A=1", [], id="declare-not-exported"),
        pytest.param("export -n A", [], id="export-n"),
        pytest.param("readonly A=1", [], id="readonly"),
    ],
)
def test_export_forms(src: str, exported: list[tuple[str, str | None]]) -> None:
    script = parse_shell(whole(src))
    got = [
        (e.assignment.name, e.assignment.value.value if e.assignment.value else None)
        for e in script.exports
    ]
    assert got == exported


def test_bare_variables_are_not_exports() -> None:
    script = parse_shell(whole("GOPROXY=direct; go mod download"))
    assert script.exports == ()
    assert [(v.name, v.value and v.value.value) for v in script.variables] == [
        ("GOPROXY", "direct")
    ]


def test_export_value_with_command_substitution_is_collected() -> None:
    script = parse_shell(whole("export GOBIN=$(go env GOPATH)/bin"))
    (exp,) = script.exports
    assert exp.assignment.value is not None and exp.assignment.value.value is None
    assert only(script, "go").argv_values == ("go", "env", "GOPATH")


# --------------------------------------------------------------------------------------------
# structure: cwd, nesting, pipelines


def test_cd_sets_cwd() -> None:
    script = parse_shell(whole("cd /src && go build -o /out ./cmd"))
    assert only(script, "go").cwd == "/src"
    assert only(script, "cd").cwd is None


@pytest.mark.parametrize(
    ("src", "cwd", "unknown"),
    [
        pytest.param("cd /src; cd sub && go build", "/src/sub", False, id="relative-after-abs"),
        pytest.param("cd sub && go build", "sub", False, id="relative-to-workdir"),
        pytest.param("cd $DIR && go build", None, True, id="unknown-cd"),
        pytest.param("cd /a && cd $D && cd /b && go build", "/b", False, id="absolute-recovers"),
        pytest.param("(cd /src && make) && go build", None, False, id="subshell-does-not-leak"),
        pytest.param("cd /src | true; go build", None, False, id="pipeline-does-not-leak"),
        pytest.param("cd /src || exit 1; go build", "/src", False, id="cd-or-exit"),
        pytest.param("cd /src || true; go build", None, True, id="cd-or-true"),
        pytest.param("if x; then cd /a; fi; go build", None, True, id="conditional-cd"),
        pytest.param("cd; go build", None, True, id="cd-home"),
        pytest.param("go build", None, False, id="no-cd"),
    ],
)
def test_cwd_tracking(src: str, cwd: str | None, unknown: bool) -> None:
    cmd = only(parse_shell(whole(src)), "go")
    assert (cmd.cwd, cmd.cwd_unknown) == (cwd, unknown)


@pytest.mark.parametrize(
    ("src", "names"),
    [
        pytest.param("(cd a && go build) | tee x", ["cd", "go", "tee"], id="subshell-pipeline"),
        pytest.param("if go vet; then go build; else go test; fi", ["go"] * 3, id="if"),
        pytest.param("for p in a b; do go install $p; done", ["go"], id="for"),
        pytest.param("while false; do go x; done", ["false", "go"], id="while"),
        pytest.param("{ a; b; }", ["a", "b"], id="group"),
        pytest.param("X=$(go env GOPATH) go build", ["go", "go"], id="substitution-in-prefix"),
        pytest.param("echo `go version` $(a | b)", ["echo", "go", "a", "b"], id="substitutions"),
        pytest.param("! go vet", ["go"], id="negated"),
        pytest.param("go build > /dev/null 2>&1 && go vet", ["go", "go"], id="redirects"),
    ],
)
def test_nested_commands_in_source_order(src: str, names: list[str]) -> None:
    script = parse_shell(whole(src))
    assert not script.has_errors
    assert [c.name for c in script.commands] == names
    starts = [c.span.start for c in script.commands]
    assert starts == sorted(starts)


def test_redirect_words_are_not_arguments() -> None:
    (cmd,) = parse_shell(whole("go build ./... > /tmp/log 2>&1")).commands
    assert cmd.argv_values == ("go", "build", "./...")


@pytest.mark.parametrize(
    "src",
    [
        pytest.param("if then fi", id="if-then-fi"),
        pytest.param("go build && ", id="dangling-and"),
        pytest.param('echo "unterminated', id="unterminated-quote"),
        pytest.param("(go build", id="unclosed-subshell"),
    ],
)
def test_parse_errors_are_report_only(src: str) -> None:
    script = parse_shell(whole(src))
    assert script.has_errors
    assert script.errors
    for cmd in script.commands:
        assert removal_span(script, cmd, src) is None


# --------------------------------------------------------------------------------------------
# offsets: non-ASCII text, continuations and comment lines


def test_non_ascii_offsets() -> None:
    src = 'echo "héllo wörld" 😀 && GOFLAGS=-x go build -o "/ü/😀 dir" ./…'
    script = parse_shell(whole(src))
    assert not script.has_errors
    go = only(script, "go")
    assert [w.span.slice(src) for w in go.words] == ["go", "build", "-o", '"/ü/😀 dir"', "./…"]
    assert go.words[3].value == "/ü/😀 dir"
    assert go.assignments[0].span.slice(src) == "GOFLAGS=-x"
    echo = only(script, "echo")
    assert [w.value for w in echo.words] == ["echo", "héllo wörld", "😀"]


def test_spans_map_across_continuations_and_comment_lines() -> None:
    text = (
        "FROM golang:1.22\n"
        "RUN export GOFLAGS=-mod=mod && \\\n"
        "# a comment line Docker skips\n"
        "    cd /src && \\\n"
        "    go bu\\\n"
        "ild -o /out/é ./cmd\n"
    )
    start = text.index("export")
    src = run_text(text, start)
    assert src.text == "export GOFLAGS=-mod=mod &&     cd /src &&     go build -o /out/é ./cmd"
    script = parse_shell(src, text)
    go = only(script, "go")
    assert go.cwd == "/src"
    assert go.argv_values == ("go", "build", "-o", "/out/é", "./cmd")
    assert go.words[1].span.slice(text) == "bu\\\nild"
    assert go.words[3].span.slice(text) == "/out/é"
    (exp,) = script.exports
    assert exp.span.slice(text) == "GOFLAGS=-mod=mod"
    check_spans(script, text)


# --------------------------------------------------------------------------------------------
# removal


def _item(script: ShellScript, which: str) -> SimpleCommand | Export | Assignment:
    """``export:NAME``, ``assign:NAME``, ``var:NAME`` or a command name."""
    kind, _, name = which.partition(":")
    if kind == "export":
        return next(e for e in script.exports if e.assignment.name == name)
    if kind == "assign":
        return next(a for c in script.commands for a in c.assignments if a.name == name)
    if kind == "var":
        return next(v for v in script.variables if v.name == name)
    return next(c for c in script.commands if c.name == which)


@pytest.mark.parametrize(
    ("src", "which", "expected"),
    [
        pytest.param("export A=1 && go build", "export:A", "go build", id="first-and"),
        pytest.param("go build && export A=1", "export:A", "go build", id="last-and"),
        pytest.param("a && export A=1 && b", "export:A", "a && b", id="middle-and"),
        pytest.param("export A=1; go build", "export:A", "go build", id="first-semicolon"),
        pytest.param("a; export A=1; b", "export:A", "a; b", id="middle-semicolon"),
        pytest.param("a;export A=1;b", "export:A", "a;b", id="no-spaces"),
        pytest.param("a; export A=1 && b", "export:A", "a; b", id="first-of-inner-list"),
        pytest.param("a && export A=1; b", "export:A", "a; b", id="last-of-inner-list"),
        pytest.param("a && export A=1 || b", "export:A", "a || b", id="before-or"),
        pytest.param(
            "export A=1 B=2 && go build",
            "export:A",
            "export B=2 && go build",
            id="one-of-two-names-first",
        ),
        pytest.param(
            "export A=1 B=2 && go build",
            "export:B",
            "export A=1 && go build",
            id="one-of-two-names-last",
        ),
        pytest.param("declare -x A=1 && go build", "export:A", "go build", id="declare-x"),
        pytest.param("GOROOT=/x go build", "assign:GOROOT", "go build", id="inline-assignment"),
        pytest.param("A=1 GOROOT=/x go build", "assign:GOROOT", "A=1 go build", id="inline-second"),
        pytest.param(
            "env GOROOT=/x go build", "assign:GOROOT", "env go build", id="env-assignment"
        ),
        pytest.param("GOROOT=/x; go build", "var:GOROOT", "go build", id="bare-variable"),
        pytest.param("A=1 B=2; go", "var:B", "A=1; go", id="bare-variable-of-two"),
        pytest.param("(export A=1 && go build)", "export:A", "(go build)", id="inside-subshell"),
        pytest.param("if x; then export A=1; b; fi", "export:A", "if x; then b; fi", id="if-body"),
        pytest.param(
            "for i in a; do export A=1; b; done",
            "export:A",
            "for i in a; do b; done",
            id="do-group",
        ),
        pytest.param("go build > /x && export A=1", "export:A", "go build > /x", id="redirected"),
        pytest.param("export A=1\ngo build\n", "export:A", "go build\n", id="newline"),
        pytest.param(
            "set -e\n# note\nexport A=1\ngo build\n",
            "export:A",
            "set -e\n# note\ngo build\n",
            id="newline-keeps-comment",
        ),
        pytest.param(
            "export A=1\n# build\ngo build\n",
            "export:A",
            "# build\ngo build\n",
            id="newline-comment-after",
        ),
        pytest.param(
            "export A=1 && go build # note", "export:A", "go build # note", id="trailing-comment"
        ),
        pytest.param(
            "é=1; export A=ü && go build 😀", "export:A", "é=1; go build 😀", id="non-ascii"
        ),
    ],
)
def test_removal(src: str, which: str, expected: str) -> None:
    script = parse_shell(whole(src))
    assert not script.has_errors
    assert remove(src, script, _item(script, which)) == expected
    after = parse_shell(whole(expected))
    assert not after.has_errors


@pytest.mark.parametrize(
    ("src", "which"),
    [
        pytest.param("export A=1", "export:A", id="only-command"),
        pytest.param("go build; export A=1", "export:A", id="last-after-semicolon-exit-status"),
        pytest.param("export A=1 | cat", "export:A", id="pipeline"),
        pytest.param("(export A=1) && go build", "export:A", id="alone-in-subshell"),
        pytest.param("export A=1 || true", "export:A", id="before-or-first"),
        pytest.param("a || export A=1", "export:A", id="after-or"),
        pytest.param("a || export A=1 && b", "export:A", id="after-or-middle"),
        pytest.param("export A=1 & go build", "export:A", id="background"),
        pytest.param("if export A=1; then b; fi", "export:A", id="condition"),
        pytest.param("! export A=1 && b", "export:A", id="negated"),
        pytest.param("echo $(export A=1; b)", "export:A", id="substitution"),
        pytest.param("cat <<EOF > /x && export A=1", "cat", id="heredoc-operator-inside"),
    ],
)
def test_removal_refused(src: str, which: str) -> None:
    script = parse_shell(whole(src))
    assert removal_span(script, _item(script, which), src) is None


@pytest.mark.parametrize(
    ("text", "which", "expected"),
    [
        pytest.param(
            "RUN export A=1 && \\\n    go build\n",
            "export:A",
            "RUN go build\n",
            id="first-across-continuation",
        ),
        pytest.param(
            "RUN go build && \\\n    export A=1\n",
            "export:A",
            "RUN go build\n",
            id="last-across-continuation",
        ),
        pytest.param(
            "RUN a && \\\n    export A=1 && \\\n    go build\n",
            "export:A",
            "RUN a && \\\n    go build\n",
            id="middle-line",
        ),
        pytest.param(
            "RUN a && \\\n    export A=1 && go build\n",
            "export:A",
            "RUN a && \\\n    go build\n",
            id="middle-keeps-layout",
        ),
        pytest.param(
            "RUN a && export A=1 && \\\n    go build\n",
            "export:A",
            "RUN a && \\\n    go build\n",
            id="middle-keeps-layout-backward",
        ),
        pytest.param(
            "RUN export A=1 \\\n    && go build\n",
            "export:A",
            "RUN go build\n",
            id="leading-operator-style-first",
        ),
        pytest.param(
            "RUN go build \\\n    && export A=1 \\\n    && go vet\n",
            "export:A",
            "RUN go build \\\n    && go vet\n",
            id="leading-operator-style-middle",
        ),
        pytest.param(
            "RUN export A=1 && \\\n# why\n    go build\n",
            "export:A",
            "RUN \\\n# why\n    go build\n",
            id="first-keeps-comment-line",
        ),
        pytest.param(
            "RUN a && \\\n# about export\n    export A=1 && \\\n# about build\n    go build\n",
            "export:A",
            "RUN a && \\\n# about export\n    \\\n# about build\n    go build\n",
            id="comments-on-both-sides",
        ),
        pytest.param(
            "RUN a && \\\n# about a\n    export A=1 && \\\n    go build\n",
            "export:A",
            "RUN a && \\\n# about a\n    go build\n",
            id="comment-before-kept",
        ),
        pytest.param(
            "RUN go build && \\\n    # c\n    export A=1\n",
            "export:A",
            None,
            id="last-after-comment",
        ),
        pytest.param(
            "RUN export A=1 \\\n    B=2 && go build\n",
            "export:A",
            "RUN export \\\n    B=2 && go build\n",
            id="name-of-two-across-continuation",
        ),
        pytest.param(
            "RUN GOROOT=/usr/local/go \\\n    go build\n",
            "assign:GOROOT",
            "RUN go build\n",
            id="inline-assignment-across-continuation",
        ),
        pytest.param(
            "RUN export A=1 && \\\r\n    go build\r\n",
            "export:A",
            "RUN go build\r\n",
            id="crlf",
        ),
    ],
)
def test_removal_in_file(text: str, which: str, expected: str | None) -> None:
    src = run_text(text, 4)
    script = parse_shell(src, text)
    assert not script.has_errors, script.errors
    item = _item(script, which)
    assert remove(text, script, item) == expected
    if expected is not None:
        # the result is still one RUN whose logical text parses and lacks the item
        after = parse_shell(run_text(expected, 4), expected)
        assert not after.has_errors
        assert src.text.count("&&") - after.source.text.count("&&") <= 1


@pytest.mark.parametrize(
    ("src", "which", "expected"),
    [
        pytest.param(
            "export GOPROXY=direct && export GOSUMDB=off && go build",
            ["export:GOPROXY", "export:GOSUMDB"],
            "go build",
            id="adjacent-exports",
        ),
        pytest.param(
            "export A=1 B=2 && go build", ["export:A", "export:B"], "go build", id="every-name"
        ),
        pytest.param(
            "x; export A=1 && export B=2; y", ["export:A", "export:B"], "x; y", id="whole-list"
        ),
        pytest.param(
            "export A=1; export B=2 && export C=3; y",
            ["export:A", "export:B", "export:C"],
            "y",
            id="list-and-statement",
        ),
        pytest.param(
            "a && export A=1 && b && export B=2 && c",
            ["export:A", "export:B"],
            "a && b && c",
            id="two-runs",
        ),
        pytest.param(
            "export A=1 B=2 C=3 && go", ["export:A", "export:C"], "export B=2 && go", id="names"
        ),
        pytest.param("A=1 B=2 go", ["assign:A", "assign:B"], "go", id="prefix-assignments"),
        pytest.param("A=1 B=2; go", ["var:A", "var:B"], "go", id="bare-variables"),
        pytest.param(
            "export A=1 && GOFLAGS=-x go build",
            ["export:A", "assign:GOFLAGS"],
            "go build",
            id="mixed",
        ),
        pytest.param(
            "cat <<É > /x && export A=ü && go",
            ["export:A"],
            "cat <<É > /x && go",
            id="non-ascii-marker",
        ),
        pytest.param("export A=1 && export B=2", ["export:A", "export:B"], None, id="everything"),
        pytest.param(
            "a || export A=1 && export B=2", ["export:A", "export:B"], None, id="after-or"
        ),
    ],
)
def test_removal_spans(src: str, which: list[str], expected: str | None) -> None:
    script = parse_shell(whole(src))
    assert not script.has_errors, script.errors
    spans = removal_spans(script, [_item(script, w) for w in which], src)
    if expected is None:
        assert spans is None
        return
    assert spans is not None
    assert apply_edits(src, [Edit.delete(s) for s in spans]) == expected


def test_removal_rejects_items_of_another_script() -> None:
    a = parse_shell(whole("export A=1 && go build"))
    b = parse_shell(LogicalText.build("RUN export A=1 && go build", [(4, 26)]))
    assert removal_span(a, b.exports[0]) is None
    assert removal_span(b, b.exports[0]) == Span(4, 18)


def test_removal_without_file_text_never_crosses_a_continuation() -> None:
    text = "RUN export A=1 && \\\n    go build\n"
    script = parse_shell(run_text(text, 4))  # no file text: skipped lines are unknown
    span = removal_span(script, script.exports[0])
    assert span is not None
    assert apply_edits(text, [Edit.delete(span)]) == "RUN \\\n    go build\n"
    # the script's own file_text is used when the argument is omitted
    script = parse_shell(run_text(text, 4), text)
    assert removal_span(script, script.exports[0]) == Span(4, 24)


# --------------------------------------------------------------------------------------------
# heredocs


@pytest.mark.parametrize(
    "src",
    [
        pytest.param("<<EOF", id="plain"),
        pytest.param("<<-EOF", id="dash"),
        pytest.param("<<'EOF'", id="quoted"),
        pytest.param('<<"EOF"', id="double-quoted"),
        pytest.param("<< EOF", id="space"),
    ],
)
def test_heredoc_only_text_parses(src: str) -> None:
    script = parse_shell(whole(src))
    assert not script.has_errors, script.errors
    assert script.commands == ()
    (marker,) = script.heredoc_markers
    assert marker.name == "EOF"
    assert marker.span == Span(0, len(src))
    assert marker.strip_tabs == ("-" in src)
    assert marker.quoted == ("'" in src or '"' in src)


@pytest.mark.parametrize(
    ("src", "names"),
    [
        pytest.param("bash -ex <<EOF", ["bash"], id="shell-stdin"),
        pytest.param("cat <<EOF > /etc/x && go build", ["cat", "go"], id="cat-then-build"),
        pytest.param("cat <<A <<B", ["cat"], id="two-heredocs"),
        pytest.param("python3 0<<EOF", ["python3"], id="fd"),
        pytest.param("cat <<<'not a heredoc' && echo $((1<<2))", ["cat", "echo"], id="herestring"),
    ],
)
def test_heredoc_markers_are_blanked(src: str, names: list[str]) -> None:
    script = parse_shell(whole(src))
    assert not script.has_errors, script.errors
    assert [c.name for c in script.commands] == names
    for m in script.heredoc_markers:
        assert m.span.slice(src).lstrip("0123456789").startswith("<<")


def test_heredoc_with_body_in_text_is_parsed_by_tree_sitter() -> None:
    body = "cat <<X > /f\nhello $(go env GOPATH)\nX\ngo build\n"
    script = parse_shell(whole(body))
    assert not script.has_errors
    assert script.heredoc_markers == ()
    assert [c.argv_values for c in script.commands] == [
        ("cat",),
        ("go", "env", "GOPATH"),
        ("go", "build"),
    ]


HEREDOC_FILE = (
    "FROM golang:1.22\n"
    "RUN <<EOF\n"
    "set -e\n"
    "export GOROOT=/usr/local/go\n"
    "cd /src\n"
    "go build -o /out/é ./...\n"
    "EOF\n"
)


def _heredoc_run(text: str, name: str = "EOF") -> FakeRun:
    line_start = text.index("RUN ")
    line_end = text.index("\n", line_start)
    rest = LogicalText.build(text, [(line_start + 4, line_end)])
    body_start = line_end + 1
    body_end = text.index(f"\n{name}\n", line_end) + 1
    hd = FakeHeredoc(name, Span(body_start, body_end), text[body_start:body_end])
    return FakeRun(rest=rest, heredocs=(hd,))


def test_heredoc_only_run_body_is_a_script() -> None:
    text = HEREDOC_FILE
    main, body = scripts_for_run(_heredoc_run(text), text)
    assert main.commands == () and not main.has_errors
    assert [m.name for m in main.heredoc_markers] == ["EOF"]
    go = only(body, "go")
    assert go.cwd == "/src"
    assert go.words[3].span.slice(text) == "/out/é"
    (exp,) = body.exports
    assert exp.span.slice(text) == "GOROOT=/usr/local/go"
    assert remove(text, body, exp) == text.replace("export GOROOT=/usr/local/go\n", "")


@pytest.mark.parametrize(
    "first_line",
    [
        pytest.param("RUN bash -ex <<EOF", id="bash-ex"),
        pytest.param("RUN /bin/sh <<-'EOF'", id="sh-dash-quoted"),
        pytest.param("RUN sh -o pipefail -e <<EOF", id="sh-o-pipefail"),
    ],
)
def test_shell_reading_heredoc(first_line: str) -> None:
    text = f"FROM x\n{first_line}\ngo get -u ./...\nEOF\n"
    scripts = scripts_for_run(_heredoc_run(text), text)
    assert len(scripts) == 2
    go = only(scripts[1], "go")
    assert go.argv_values == ("go", "get", "-u", "./...")
    assert go.span.slice(text) == "go get -u ./..."


@pytest.mark.parametrize(
    "first_line",
    [
        pytest.param("RUN cat <<EOF > /etc/config", id="data-file"),
        pytest.param("RUN bash -c 'cat' <<EOF", id="bash-c"),
        pytest.param("RUN python3 <<EOF", id="python"),
        pytest.param("RUN bash <<EOF && go build", id="not-alone"),
    ],
)
def test_heredoc_data_is_not_a_script(first_line: str) -> None:
    text = f"FROM x\n{first_line}\ngo get -u ./...\nEOF\n"
    scripts = scripts_for_run(_heredoc_run(text), text)
    assert len(scripts) == 1
    assert not any(c.name == "go" and c.words[1].value == "get" for c in scripts[0].commands)


def test_heredoc_with_non_shell_shebang_is_not_a_script() -> None:
    text = "FROM x\nRUN <<EOF\n#!/usr/bin/env python3\nprint('go get')\nEOF\n"
    assert len(scripts_for_run(_heredoc_run(text), text)) == 1
    text = "FROM x\nRUN <<EOF\n#!/bin/bash\ngo get -u ./...\nEOF\n"
    assert len(scripts_for_run(_heredoc_run(text), text)) == 2


# --------------------------------------------------------------------------------------------
# exec (JSON) form


def _json_run(text: str) -> FakeRun:
    return FakeRun(json=True, json_values=json_values(text, text.index("RUN ")))


def test_exec_form_direct() -> None:
    text = 'FROM x\nRUN ["go", "get", "-u", "./..."]\n'
    (script,) = scripts_for_run(_json_run(text), text)
    assert not script.has_errors
    (cmd,) = script.commands
    assert cmd.argv_values == ("go", "get", "-u", "./...")
    # spans cover the JSON string tokens including their quotes
    assert [w.span.slice(text) for w in cmd.words] == ['"go"', '"get"', '"-u"', '"./..."']
    assert [w.text for w in cmd.words] == ['"go"', '"get"', '"-u"', '"./..."']
    assert cmd.span.slice(text) == '"go", "get", "-u", "./..."'
    assert cmd.cwd is None
    assert removal_span(script, cmd, text) is None


def test_exec_form_direct_with_escapes_continuation_and_comment() -> None:
    text = (
        "FROM x\n"
        'RUN ["env", "GOFLAGS=-ldflags=\\"-s\\"", \\\n'
        "# the tool\n"
        '     "go", "install", "", "ex/\\u00e9@v1.0.0"]\n'
    )
    values = json_values(text, text.index("RUN "))
    assert values[1].text == 'GOFLAGS=-ldflags="-s"'
    (script,) = scripts_for_run(FakeRun(json=True, json_values=values), text)
    (cmd,) = script.commands
    assert [w.value for w in cmd.wrapper] == ["env"]
    (a,) = cmd.assignments
    assert a.name == "GOFLAGS"
    assert a.value is not None and a.value.value == '-ldflags="-s"'
    assert a.span.slice(text) == '"GOFLAGS=-ldflags=\\"-s\\""'
    assert cmd.argv_values[:3] == ("go", "install", "")
    assert [w.span.slice(text) for w in cmd.words] == [
        '"go"',
        '"install"',
        '""',
        '"ex/\\u00e9@v1.0.0"',
    ]


@pytest.mark.parametrize(
    "shell",
    [
        pytest.param('"sh", "-c"', id="sh-c"),
        pytest.param('"/bin/bash", "-c"', id="bin-bash-c"),
        pytest.param('"/bin/sh", "-ec"', id="ec"),
        pytest.param('"bash", "-exc"', id="exc"),
        pytest.param('"bash", "-o", "pipefail", "-c"', id="o-pipefail"),
    ],
)
def test_exec_form_shell_c(shell: str) -> None:
    text = (
        "FROM x\n"
        f"RUN [{shell}, \\\n"
        "# build it\n"
        '     "cd /src && go build -o \\"/out dir\\" ./cmd"]\n'
    )
    (script,) = scripts_for_run(_json_run(text), text)
    assert not script.has_errors
    go = only(script, "go")
    assert go.cwd == "/src"
    assert go.argv_values == ("go", "build", "-o", "/out dir", "./cmd")
    assert go.words[3].span.slice(text) == '\\"/out dir\\"'
    assert go.span.slice(text) == 'go build -o \\"/out dir\\" ./cmd'
    cd = only(script, "cd")
    assert remove(text, script, cd) == text.replace("cd /src && ", "")


def test_shell_form_without_heredocs() -> None:
    text = "FROM x\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\n"
    start = text.index("go mod")
    (script,) = scripts_for_run(FakeRun(rest=run_text(text, start)), text)
    assert only(script, "go").span.slice(text) == "go mod download"
    assert scripts_for_run(FakeRun(rest=None), text) == ()
    assert scripts_for_run(FakeRun(json=True), text) == ()


# --------------------------------------------------------------------------------------------
# property: never raises, spans stay in the file, comment lines survive every removal

_TOKENS = [*"ab =$'\"\\;&|(){}<>#\n\t`~*-é😀", "export ", "go ", "cd ", "&& ", "<<EOF", "EOF"]
_TOKENS += ["$(", "${X}", "env ", "if ", "then ", "fi", "\\\n", "A=1 "]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_TOKENS), max_size=25).map("".join), st.integers(0, 6))
def test_any_text_parses_and_removals_keep_comment_lines(text: str, cut: int) -> None:
    head, tail = text[:cut], text[cut:]
    file_text = f"RUN {head}\\\n# keep me\n{tail}"
    tail_start = 4 + len(head) + len("\\\n# keep me\n")
    src = LogicalText.build(file_text, [(4, 4 + len(head)), (tail_start, len(file_text))])
    script = parse_shell(src, file_text)
    items: list[SimpleCommand | Export | Assignment] = [*script.commands, *script.exports]
    for cmd in script.commands:
        items.extend(cmd.assignments)
        for w in cmd.words:
            assert 0 <= w.span.start <= w.span.end <= len(file_text)
    for item in items:
        span = removal_span(script, item)
        if span is not None:
            assert not script.has_errors
            assert "# keep me\n" in apply_edits(file_text, [Edit.delete(span)])
    spans = removal_spans(script, items)
    if spans is not None:
        assert "# keep me\n" in apply_edits(file_text, [Edit.delete(s) for s in spans])


def test_words_after_a_redirection_are_arguments() -> None:
    from rewriters.document import Document

    doc = Document.parse(
        "FROM x\nRUN go get -u 2>/dev/null ./... && echo a > f b c\n"
        "RUN a | go build >log -o x ./cmd\n"
    )
    argv = [
        c.argv_values
        for ins in doc.instructions[1:]
        for sc in scripts_for_run(ins, doc.text)
        for c in sc.commands
    ]
    assert argv == [
        ("go", "get", "-u", "./..."),
        ("echo", "a", "b", "c"),
        ("a",),
        ("go", "build", "-o", "x", "./cmd"),
    ]


# --------------------------------------------------------------------------------------------
# SimpleCommand queries

UNCONDITIONAL = [
    # (script, (command name, runs unconditionally) in source order)
    ("a; b", [("a", True), ("b", True)]),
    ("a\nb", [("a", True), ("b", True)]),
    ("a && b", [("a", True), ("b", True)]),
    ("a && b && c", [("a", True), ("b", True), ("c", True)]),
    ("a && b; c", [("a", True), ("b", False), ("c", True)]),
    ("a; b && c", [("a", True), ("b", True), ("c", True)]),
    ("a || b", [("a", True), ("b", False)]),
    ("a && b || c", [("a", True), ("b", False), ("c", False)]),
    ("a || b && c", [("a", True), ("b", False), ("c", True)]),  # (a || b) && c
    ("if x; then y; else z; fi; w", [("x", False), ("y", False), ("z", False), ("w", True)]),
    ("while x; do y; done", [("x", False), ("y", False)]),
    ("for i in 1 2; do x; done", [("x", False)]),
    ("case $x in a) y;; esac", [("y", False)]),
    ("f() { g; }; h", [("g", False), ("h", True)]),
    ("(a && b)", [("a", True), ("b", True)]),
    ("(a && b); c", [("a", True), ("b", False), ("c", True)]),
    ("{ a && b; }", [("a", True), ("b", True)]),
    ("a && (b && c)", [("a", True), ("b", True), ("c", True)]),
    ("a | b", [("a", True), ("b", True)]),
    ("(a && b) | c", [("a", True), ("b", False), ("c", True)]),
    ("a && b | c", [("a", True), ("b", True), ("c", True)]),
    ("! (a && b)", [("a", True), ("b", False)]),
    ("a && b &", [("a", True), ("b", False)]),
    ("a && b > /dev/null", [("a", True), ("b", True)]),
    ("x=$(a && b); c $(d)", [("a", True), ("b", False), ("c", True), ("d", True)]),
    ("a || b $(c)", [("a", True), ("b", False), ("c", False)]),
    ("if x; then echo $(y); fi", [("x", False), ("echo", False), ("y", False)]),
]


@pytest.mark.parametrize(("src", "expected"), UNCONDITIONAL, ids=[u[0] for u in UNCONDITIONAL])
def test_unconditional(src: str, expected: list[tuple[str, bool]]) -> None:
    script = parse_shell(whole(src))
    assert [(c.name, c.unconditional) for c in script.commands] == expected


def test_exec_form_command_is_unconditional() -> None:
    text = 'FROM x\nRUN ["go", "build", "."]\n'
    (script,) = scripts_for_run(_json_run(text), text)
    assert script.commands[0].unconditional


@pytest.mark.parametrize(
    ("src", "query", "expected"),
    [
        ("go build -o x .", ("go", "build"), True),
        ("/usr/local/go/bin/go build .", ("go", "build"), True),
        ("$GOROOT/bin/go build .", ("go", "build"), True),
        ("go install .", ("go", "build"), False),
        ("go", ("go", "build"), False),
        ("go mod download", ("go", "mod", "download"), True),
        ("go mod tidy", ("go", "mod", "download"), False),
        ("gofmt -l .", ("go",), False),
        ("/usr/local/go/bin/go build", ("/usr/bin/go", "build"), False),
        ("env GOOS=linux go build .", ("go", "build"), True),
        ("go $SUB .", ("go", "build"), False),
    ],
)
def test_is_command(src: str, query: tuple[str, ...], expected: bool) -> None:
    cmd = parse_shell(whole(src)).commands[0]
    assert cmd.is_command(*query) is expected


@pytest.mark.parametrize(
    ("src", "name", "word"),
    [
        ("apk add --virtual .deps gcc", "--virtual", "--virtual"),
        ("apk add --virtual=.deps gcc", "--virtual", "--virtual=.deps"),
        ("apk add -t .deps gcc", "-t", "-t"),
        ("apk add gcc", "--virtual", None),
        ("apk add --virtualx gcc", "--virtual", None),
        ("cmd -- --virtual", "--virtual", None),
        ("apk add $OPTS", "--virtual", None),
    ],
)
def test_flag(src: str, name: str, word: str | None) -> None:
    cmd = parse_shell(whole(src)).commands[0]
    found = cmd.flag(name)
    assert (found.value if found is not None else None) == word


@pytest.mark.parametrize(
    ("src", "value_options", "expected"),
    [
        ("apt-get install -y gcc make", (), ["install", "gcc", "make"]),
        ("apk add --virtual .deps gcc", ("--virtual",), ["add", "gcc"]),
        ("apk add --virtual .deps gcc", (), ["add", ".deps", "gcc"]),
        ("apk add --virtual=.deps gcc", ("--virtual",), ["add", "gcc"]),
        ("cp -- -a b", (), ["-a", "b"]),
        ("cat - x", (), ["-", "x"]),
        ("apk add $PKGS -q", (), ["add", None]),
    ],
)
def test_positionals(src: str, value_options: tuple[str, ...], expected: list[str | None]) -> None:
    cmd = parse_shell(whole(src)).commands[0]
    assert [w.value for w in cmd.positionals(value_options)] == expected


@pytest.mark.parametrize(
    ("src", "limit", "shown"),
    [
        ("go   get  -u ./...", 72, "go get -u ./..."),
        ("go build -ldflags '-s -w' .", 72, 'go build -ldflags "-s -w" .'),
        ("go build -o $OUT .", 72, "go build -o $OUT ."),
        ("go install example.com/very/long/path@latest", 20, "go install example.…"),
    ],
)
def test_shown(src: str, limit: int, shown: str) -> None:
    assert parse_shell(whole(src)).commands[0].shown(limit) == shown
