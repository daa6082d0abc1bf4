"""The edit vocabulary of `rewriters.fixes`: one row per way an edit can look.

Every row applies the edits with `rewriters.edits.apply_edits`, compares the exact text, and
re-parses the result: it parses, and has the same instructions (plus the inserted one).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from rewriters import fixes
from rewriters.context import BuildContext
from rewriters.document import Document, Instruction
from rewriters.edits import Edit, apply_edits
from rewriters.fixes import Refusal, Refused
from rewriters.registry import Unfixable, Violation
from rewriters.shell import ShellScript, SimpleCommand, scripts_for_run


def _applied(text: str, edits: Sequence[Edit], added: int = 0) -> str:
    out = apply_edits(text, edits)
    before, after = Document.parse(text), Document.parse(out)
    assert after.error is None, after.error
    assert len(after.instructions) == len(before.instructions) + added
    assert after.text == out
    return out


def _command(doc: Document, name: str) -> tuple[Instruction, ShellScript, SimpleCommand]:
    for ins in doc.instructions:
        if ins.effective.name != "RUN":
            continue
        for script in scripts_for_run(ins.effective, doc.text):
            for cmd in script.commands:
                if cmd.words and cmd.words[0].value == name:
                    return ins, script, cmd
    raise AssertionError(f"no {name} command")


# ------------------------------------------------------------------------------ delete_words

DELETE_WORDS = [
    pytest.param("RUN go get -u ./...\n", {2}, "RUN go get ./...\n", id="one-word"),
    pytest.param("RUN go get -u -v ./...\n", {2, 3}, "RUN go get ./...\n", id="two-words"),
    pytest.param("RUN go get -u x && go build\n", {2, 3}, "RUN go get && go build\n", id="list"),
    pytest.param(
        "RUN go build \\\n    -v \\\n    -o /x ./cmd\n",
        {2},
        "RUN go build \\\n    -o /x ./cmd\n",
        id="own-continued-line",
    ),
    pytest.param(
        "RUN go build -v \\\n    -o /x ./cmd\n",
        {2},
        "RUN go build \\\n    -o /x ./cmd\n",
        id="end-of-first-line",
    ),
    pytest.param(
        "RUN go build \\\n    -v -o /x ./cmd\n",
        {2},
        "RUN go build \\\n    -o /x ./cmd\n",
        id="start-of-continued-line",
    ),
    pytest.param(
        "RUN go build -o /x \\\n    ./cmd\n", {4}, "RUN go build -o /x\n", id="last-continued"
    ),
    pytest.param(
        "RUN go build -o x \\\n# why\n  ./cmd\n",
        {4},
        "RUN go build -o x\n# why\n",
        id="last-after-comment",
    ),
    pytest.param(
        "RUN go build \\\n# why\n  -v \\\n  -o x\n",
        {2},
        "RUN go build \\\n# why\n  -o x\n",
        id="after-comment",
    ),
    pytest.param(
        "RUN go get -u \\\n# why\n  x && go build\n",
        {3},
        "RUN go get -u \\\n# why\n  && go build\n",
        id="after-comment-before-operator",
    ),
    pytest.param(
        "RUN go build -a \\\n# why\n  -v\n",
        {2, 3},
        "RUN go build\n# why\n",
        id="run-split-by-comment",
    ),
    pytest.param(
        "RUN go build \\\r\n    -v \\\r\n    -o x .\r\n",
        {2},
        "RUN go build \\\r\n    -o x .\r\n",
        id="crlf",
    ),
    pytest.param(
        "# escape=`\nFROM x\nRUN go build `\n    -v `\n    -o x .\n",
        {2},
        "# escape=`\nFROM x\nRUN go build `\n    -o x .\n",
        id="backtick-escape",
    ),
    pytest.param("  run go build -v .\n", {2}, "  run go build .\n", id="lowercase-indented"),
    pytest.param(
        'RUN ["go", "build", "-v", "./cmd"]\n', {2}, 'RUN ["go", "build", "./cmd"]\n', id="exec"
    ),
    pytest.param(
        'RUN ["go", "build", \\\n  "-v", \\\n  "./cmd"]\n',
        {2},
        'RUN ["go", "build", \\\n  "./cmd"]\n',
        id="exec-continued",
    ),
    pytest.param('RUN ["go", "build", \\\n  "-v"]\n', {2}, 'RUN ["go", "build"]\n', id="exec-last"),
    pytest.param(
        'RUN ["sh", "-c", "go build -v ."]\n', {2}, 'RUN ["sh", "-c", "go build ."]\n', id="sh-c"
    ),
    pytest.param(
        "RUN <<EOF\ngo build \\\n  -v \\\n  -o x .\nEOF\n",
        {2},
        "RUN <<EOF\ngo build \\\n  -o x .\nEOF\n",
        id="heredoc",
    ),
    pytest.param(
        "FROM x\nONBUILD RUN go build -v .\n", {2}, "FROM x\nONBUILD RUN go build .\n", id="onbuild"
    ),
]


@pytest.mark.parametrize(("text", "drop", "expected"), DELETE_WORDS)
def test_delete_words(text: str, drop: set[int], expected: str) -> None:
    doc = Document.parse(text)
    ins, _, cmd = _command(doc, "go")
    assert _applied(text, fixes.delete_words(doc, ins, cmd.words, drop)) == expected


@pytest.mark.parametrize(
    ("text", "drop"),
    [
        pytest.param("RUN go get -u 2>/dev/null x\n", {3}, id="redirection-in-gap"),
        pytest.param("RUN go a \\\n  -u \\\n# c\n  x\n", {2, 3}, id="whole-line-then-comment"),
    ],
)
def test_delete_words_refuses(text: str, drop: set[int]) -> None:
    doc = Document.parse(text)
    ins, _, cmd = _command(doc, "go")
    with pytest.raises(Refused) as exc:
        fixes.delete_words(doc, ins, cmd.words, drop)
    assert exc.value.refusal is Refusal.NO_CLEAN_EDIT


def test_delete_words_keeps_one_word() -> None:
    doc = Document.parse("RUN go version\n")
    ins, _, cmd = _command(doc, "go")
    with pytest.raises(ValueError):
        fixes.delete_words(doc, ins, cmd.words, {0, 1})


@pytest.mark.parametrize(
    ("text", "drop", "expected"),
    [
        pytest.param("FROM a\nENV A=1 B=2 C=3\n", {1}, "FROM a\nENV A=1 C=3\n", id="env-pair"),
        pytest.param(
            "FROM a\nENV A=1 \\\n    B=2 \\\n    C=3\n",
            {1},
            "FROM a\nENV A=1 \\\n    C=3\n",
            id="env-continued",
        ),
        pytest.param("FROM a\nARG X Y Z\n", {0, 2}, "FROM a\nARG Y\n", id="arg-names"),
    ],
)
def test_delete_pairs(text: str, drop: set[int], expected: str) -> None:
    doc = Document.parse(text)
    ins = doc.instructions[-1]
    assert _applied(text, fixes.delete_words(doc, ins, ins.pairs, drop)) == expected


# --------------------------------------------------------------------------- delete_commands


@pytest.mark.parametrize(
    ("text", "expected", "removed"),
    [
        pytest.param(
            "FROM a\nRUN go get -u x && go build .\n", "FROM a\nRUN go build .\n", 0, id="first"
        ),
        pytest.param(
            "FROM a\nRUN go build . && \\\n    go get -u x\n",
            "FROM a\nRUN go build .\n",
            0,
            id="last-continued",
        ),
        pytest.param("FROM a\nRUN go get -u x\nRUN b\n", "FROM a\nRUN b\n", -1, id="whole-run"),
    ],
)
def test_delete_commands(text: str, expected: str, removed: int) -> None:
    doc = Document.parse(text)
    ins, script, cmd = _command(doc, "go")
    if not removed:
        cmd = next(c for c in script.commands if c.argv_values[:2] == ("go", "get"))
    assert _applied(text, fixes.delete_commands(doc, ins, script, [cmd]), removed) == expected


def test_delete_commands_refuses_a_pipeline() -> None:
    doc = Document.parse("FROM a\nRUN go list ./... | sort\n")
    ins, script, cmd = _command(doc, "go")
    with pytest.raises(Refused) as exc:
        fixes.delete_commands(doc, ins, script, [cmd])
    assert exc.value.refusal is Refusal.NOT_REMOVABLE


# ------------------------------------------------------------------------------ append_words

APPEND = [
    pytest.param(
        "RUN apk add --no-cache git\n",
        ("apk", 3, ["gcc", "musl-dev"]),
        "RUN apk add --no-cache git gcc musl-dev\n",
        id="same-line",
    ),
    pytest.param(
        "RUN apt-get install -y \\\n    git \\\n    curl\n",
        ("apt-get", 4, ["gcc"]),
        "RUN apt-get install -y \\\n    git \\\n    curl \\\n    gcc\n",
        id="one-per-line",
    ),
    pytest.param(
        "RUN apt-get install -y \\\n    git \\\n# c\n    curl && rm -rf x\n",
        ("apt-get", 4, ["gcc"]),
        "RUN apt-get install -y \\\n    git \\\n# c\n    curl \\\n    gcc && rm -rf x\n",
        id="one-per-line-after-comment",
    ),
    pytest.param(
        "run apt-get install -y \\\r\n\tgit\r\n",
        ("apt-get", 3, ["gcc"]),
        "run apt-get install -y \\\r\n\tgit \\\r\n\tgcc\r\n",
        id="crlf-tabs-lowercase",
    ),
    pytest.param(
        "# escape=`\nFROM a\nRUN apk add `\n  git\n",
        ("apk", 2, ["gcc"]),
        "# escape=`\nFROM a\nRUN apk add `\n  git `\n  gcc\n",
        id="backtick-escape",
    ),
    pytest.param(
        'RUN ["go", "build", "./cmd"]\n',
        ("go", 1, ["-o", "/out dir/"]),
        'RUN ["go", "build", "-o", "/out dir/", "./cmd"]\n',
        id="exec",
    ),
    pytest.param(
        'RUN ["sh", "-c", "go build ./cmd"]\n',
        ("go", 1, ["-o", "/out dir/"]),
        'RUN ["sh", "-c", "go build -o \'/out dir/\' ./cmd"]\n',
        id="sh-c",
    ),
    pytest.param(
        "RUN go build ./cmd\n",
        ("go", 1, ["-ldflags=-s -w"]),
        "RUN go build '-ldflags=-s -w' ./cmd\n",
        id="shell-quoted",
    ),
    pytest.param(
        "RUN <<EOF\napk add \\\n  git\nEOF\n",
        ("apk", 2, ["gcc"]),
        "RUN <<EOF\napk add \\\n  git \\\n  gcc\nEOF\n",
        id="heredoc",
    ),
]


@pytest.mark.parametrize(("text", "where", "expected"), APPEND)
def test_append_words(text: str, where: tuple[str, int, list[str]], expected: str) -> None:
    name, k, words = where
    doc = Document.parse(text)
    ins, _, cmd = _command(doc, name)
    assert _applied(text, [fixes.append_words(doc, ins, cmd.words, k, words)]) == expected


def test_append_words_refuses_what_cannot_be_quoted() -> None:
    doc = Document.parse('RUN ["sh", "-c", "go build ./cmd"]\n')
    ins, _, cmd = _command(doc, "go")
    with pytest.raises(Refused) as exc:
        fixes.append_words(doc, ins, cmd.words, 1, ['a"b'])
    assert exc.value.refusal is Refusal.NEEDS_QUOTING


# ------------------------------------------------------------------------ insert_instruction

INSERT = [
    pytest.param(
        "FROM golang:1.23\nRUN go build .\n",
        (0, ["run apk add gcc"], False),
        "FROM golang:1.23\nRUN apk add gcc\nRUN go build .\n",
        id="after-upper",
    ),
    pytest.param(
        "from golang:1.23\nrun go build .\n",
        (0, ["RUN apk add gcc"], False),
        "from golang:1.23\nrun apk add gcc\nrun go build .\n",
        id="lowercase-file",
    ),
    pytest.param(
        "FROM golang:1.23 AS b\n  RUN go build .\n",
        (1, ["RUN apk add gcc"], True),
        "FROM golang:1.23 AS b\n  RUN apk add gcc\n  RUN go build .\n",
        id="before-indented",
    ),
    pytest.param(
        "FROM golang:1.23\r\nRUN go build .\r\n",
        (1, ["RUN apt-get update", "&& apt-get install -y gcc"], False),
        "FROM golang:1.23\r\nRUN go build .\r\nRUN apt-get update \\\r\n"
        "    && apt-get install -y gcc\r\n",
        id="crlf-continued",
    ),
    pytest.param(
        "# escape=`\nFROM golang:1.23\nRUN go build `\n  -v .\n",
        (1, ["RUN apt-get update", "&& apt-get install -y gcc"], False),
        "# escape=`\nFROM golang:1.23\nRUN go build `\n  -v .\nRUN apt-get update `\n"
        "  && apt-get install -y gcc\n",
        id="backtick-escape-file-indent",
    ),
    pytest.param(
        "FROM golang:1.23\nRUN go build .",
        (1, ["RUN echo hi"], False),
        "FROM golang:1.23\nRUN go build .\nRUN echo hi",
        id="no-final-newline",
    ),
    pytest.param(
        "\ufeffFROM golang:1.23\nRUN go build .\n",
        (0, ["ARG X"], True),
        "\ufeffARG X\nFROM golang:1.23\nRUN go build .\n",
        id="before-first-after-bom",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1\nFROM a\n",
        (0, ["ARG X"], True),
        "# syntax=docker/dockerfile:1\nARG X\nFROM a\n",
        id="after-directives",
    ),
    pytest.param(
        "FROM a\nRUN <<EOF\necho\nEOF\nRUN b\n",
        (1, ["RUN c"], False),
        "FROM a\nRUN <<EOF\necho\nEOF\nRUN c\nRUN b\n",
        id="after-heredoc",
    ),
    pytest.param(
        "FROM a\nRUN a && \\\n    b\n",
        (0, ["RUN x", "&& y"], False),
        "FROM a\nRUN x \\\n    && y\nRUN a && \\\n    b\n",
        id="continuation-indent-of-file",
    ),
]


@pytest.mark.parametrize(("text", "how", "expected"), INSERT)
def test_insert_instruction(text: str, how: tuple[int, list[str], bool], expected: str) -> None:
    index, lines, before = how
    doc = Document.parse(text)
    anchor = doc.instructions[index]
    edit = fixes.insert_instruction(doc, anchor, *lines, before=before)
    assert _applied(text, [edit], added=1) == expected
    short = fixes.insert_before if before else fixes.insert_after
    assert short(doc, anchor, *lines) == edit


def test_keyword_case() -> None:
    assert fixes.keyword_case(Document.parse("from a\nrun b\nENV c=d\n"), "RUN") == "run"
    assert fixes.keyword_case(Document.parse("from a\nRUN b\n"), "run") == "RUN"


# ------------------------------------------------------------------------------ add_run_flag

CACHE = "--mount=type=cache,target=/root/.cache/go-build"
FLAGS = [
    pytest.param("FROM a\nRUN go build .\n", f"FROM a\nRUN {CACHE} go build .\n", id="no-flags"),
    pytest.param(
        "FROM a\nRUN --mount=type=cache,target=/go/pkg/mod go build .\n",
        f"FROM a\nRUN --mount=type=cache,target=/go/pkg/mod {CACHE} go build .\n",
        id="after-existing-mount",
    ),
    pytest.param(
        "FROM a\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --network=none \\\n"
        "    go build .\n",
        "FROM a\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --network=none \\\n"
        f"    {CACHE} \\\n    go build .\n",
        id="one-flag-per-line",
    ),
    pytest.param(
        "FROM a\nRUN \\\n  go build .\n", f"FROM a\nRUN {CACHE} \\\n  go build .\n", id="continued"
    ),
    pytest.param(
        'FROM a\nrun ["go", "build"]\r\n', f'FROM a\nrun {CACHE} ["go", "build"]\r\n', id="exec"
    ),
    pytest.param(
        "FROM a\nONBUILD RUN go build .\n",
        f"FROM a\nONBUILD RUN {CACHE} go build .\n",
        id="onbuild",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FLAGS)
def test_add_run_flag(text: str, expected: str) -> None:
    doc = Document.parse(text)
    edit = fixes.add_run_flag(doc, doc.instructions[1], CACHE)
    assert edit is not None
    assert _applied(text, [edit]) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"FROM a\nRUN {CACHE} go build .\n", id="same"),
        pytest.param(
            "FROM a\nRUN --mount=type=cache,id=gc,dst=/root/.cache/go-build/ go build .\n",
            id="same-target-other-spelling",
        ),
    ],
)
def test_add_run_flag_keeps_an_existing_mount(text: str) -> None:
    doc = Document.parse(text)
    assert fixes.add_run_flag(doc, doc.instructions[1], CACHE) is None


@pytest.mark.parametrize(
    ("text", "flag", "refusal"),
    [
        pytest.param(
            "FROM a\nRUN --mount=type=bind,target=/root/.cache/go-build go build .\n",
            CACHE,
            Refusal.MOUNT_TARGET_TAKEN,
            id="bind-at-target",
        ),
        pytest.param(
            "FROM a\nRUN --mount=type=cache,target=$GOCACHE go build .\n",
            CACHE,
            Refusal.VARIABLE_IN_PATH,
            id="variable-target",
        ),
        pytest.param(
            "FROM a\nRUN --network=host go build .\n",
            "--network=none",
            Refusal.FLAG_CONFLICT,
            id="other-value",
        ),
    ],
)
def test_add_run_flag_refuses(text: str, flag: str, refusal: Refusal) -> None:
    doc = Document.parse(text)
    with pytest.raises(Refused) as exc:
        fixes.add_run_flag(doc, doc.instructions[1], flag)
    assert exc.value.refusal is refusal


def test_mount_options() -> None:
    assert fixes.mount_options("dst=/x,ro") == {"target": "/x", "ro": "", "type": "bind"}
    assert fixes.mount_options('type=cache,"target=/a,b"')["target"] == "/a,b"


# -------------------------------------------------------------------- ARG default and values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM a\nARG X=1\n", "FROM a\nARG X\n", id="plain"),
        pytest.param("FROM a\nARG X= Y=2\n", "FROM a\nARG X Y=2\n", id="empty-default"),
        pytest.param('FROM a\narg X="a b" Y\r\n', "FROM a\narg X Y\r\n", id="quoted-crlf"),
        pytest.param("ARG X=1\nFROM a\n", "ARG X\nFROM a\n", id="global"),
    ],
)
def test_drop_arg_default(text: str, expected: str) -> None:
    doc = Document.parse(text)
    ins = next(i for i in doc.instructions if i.name == "ARG")
    assert _applied(text, [fixes.drop_arg_default(doc, ins.pairs[0])]) == expected


def test_drop_arg_default_needs_one() -> None:
    doc = Document.parse("FROM a\nARG X\n")
    with pytest.raises(ValueError):
        fixes.drop_arg_default(doc, doc.instructions[1].pairs[0])


VALUES = [
    pytest.param('FROM a\nENV A="x"\n', "y", 'FROM a\nENV A="y"\n', id="double"),
    pytest.param("FROM a\nENV A='x'\n", "y", "FROM a\nENV A='y'\n", id="single"),
    pytest.param("FROM a\nENV A=x\n", "y", "FROM a\nENV A=y\n", id="bare"),
    pytest.param("FROM a\nENV A x\n", "y z", "FROM a\nENV A y z\n", id="legacy"),
    pytest.param("FROM a\nENV A x\n", "$y", 'FROM a\nENV A "\\$y"\n', id="legacy-dollar"),
    pytest.param("FROM a\nENV A=x\n", "y z", 'FROM a\nENV A="y z"\n', id="bare-needs-quotes"),
    pytest.param('FROM a\nENV A="x"\n', 'a"$b', 'FROM a\nENV A="a\\"\\$b"\n', id="escaped"),
    pytest.param("FROM a\nENV A='x'\n", "it's", 'FROM a\nENV A="it\'s"\n', id="single-quote"),
    pytest.param(
        '# escape=`\nFROM a\nENV A="x"\n',
        'c:\\go"',
        '# escape=`\nFROM a\nENV A="c:\\go`""\n',
        id="backtick-escape",
    ),
    pytest.param("FROM a\nARG X\n", "1", "FROM a\nARG X=1\n", id="arg-without-default"),
    pytest.param("FROM a\nenv A=x B=y\r\n", "", 'FROM a\nenv A="" B=y\r\n', id="empty"),
    pytest.param('FROM a\nLABEL a.b="x" c=d\n', "q", 'FROM a\nLABEL a.b="q" c=d\n', id="label"),
    pytest.param(
        "FROM a\nENV A=1 \\\n    B='x'\n", "y", "FROM a\nENV A=1 \\\n    B='y'\n", id="continued"
    ),
]


@pytest.mark.parametrize(("text", "value", "expected"), VALUES)
def test_replace_value(text: str, value: str, expected: str) -> None:
    doc = Document.parse(text)
    ins = doc.instructions[-1]
    pair = ins.pairs[-1] if "B='x'" in text else ins.pairs[0]
    out = _applied(text, [fixes.replace_value(doc, ins, pair, value)])
    assert out == expected
    new = Document.parse(out).instructions[-1]
    new_pair = new.pairs[-1] if "B='x'" in text else new.pairs[0]
    assert new_pair.value is not None and new_pair.value.value == value


def test_replace_value_keeps_variables_on_request() -> None:
    doc = Document.parse('FROM a\nENV P="x"\n')
    ins = doc.instructions[1]
    edit = fixes.replace_value(doc, ins, ins.pairs[0], "$GOPATH/bin", keep_variables=True)
    assert apply_edits(doc.text, [edit]) == 'FROM a\nENV P="$GOPATH/bin"\n'


# ------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("refusal", list(Refusal), ids=lambda r: r.name)
def test_every_refusal_is_one_sentence(refusal: Refusal) -> None:
    text = refusal.sentence(**{f: "X" for f in refusal.fields})
    assert text == text.strip() and not text.endswith(".") and ". " not in text
    assert text[0].islower() or text.startswith(("`", "X", "ONBUILD"))
    assert "{" not in text


def test_one_wording_per_reason() -> None:
    wordings = [r.value for r in Refusal]
    assert len(wordings) == len(set(wordings))


def test_refuse_raises_unfixable_with_the_wording() -> None:
    with pytest.raises(Unfixable) as exc:
        fixes.refuse(Refusal.UNKNOWN_BASE_IMAGE, image="corp/go:7")
    assert (
        exc.value.reason
        == "the base image `corp/go:7` is not recognised, so its environment is unknown"
    )
    assert isinstance(exc.value, Refused) and exc.value.refusal is Refusal.UNKNOWN_BASE_IMAGE
    with pytest.raises(TypeError):
        Refusal.UNKNOWN_BASE_IMAGE.sentence()
    with pytest.raises(TypeError):
        Refusal.SHELL_SYNTAX.sentence(line=3)


def test_the_engine_reports_a_refusal_as_the_note() -> None:
    from rewriters.edits import Span

    def build() -> None:
        fixes.refuse(Refusal.SHELL_SYNTAX)

    v = Violation(Span(0, 1), "m", build=build).resolved()
    assert v.fix is None and v.note == Refusal.SHELL_SYNTAX.value


def test_existing_helpers_still_work() -> None:
    doc = Document.parse("FROM a\nENV A=1 B=2\nRUN x\n")
    env = doc.instructions[1]
    removed = fixes.remove_element(doc, env, [p.span for p in env.pairs], 0)
    assert removed is not None
    assert apply_edits(doc.text, removed) == "FROM a\nENV B=2\nRUN x\n"
    assert apply_edits(doc.text, [fixes.remove_instruction(doc, env)]) == "FROM a\nRUN x\n"
    assert fixes.quote_like("'a'", "b") == "'b'"


# --------------------------------------------------------------------------- .dockerignore


@pytest.mark.parametrize(
    ("bc", "edit"),
    [
        pytest.param(
            BuildContext(has_dockerignore=False),
            Edit.create_file(".dockerignore", ".git\n"),
            id="absent-created",
        ),
        pytest.param(
            BuildContext(has_dockerignore=True, dockerignore="bin\n"),
            Edit.insert(4, ".git\n", ".dockerignore"),
            id="appended-after-last-line",
        ),
        pytest.param(
            BuildContext(has_dockerignore=True, dockerignore="bin"),
            Edit.insert(3, "\n.git\n", ".dockerignore"),
            id="unterminated-last-line-kept-whole",
        ),
        pytest.param(
            BuildContext(has_dockerignore=True, dockerignore=""),
            Edit.insert(0, ".git\n", ".dockerignore"),
            id="empty-file",
        ),
        pytest.param(
            BuildContext(dir="svc", has_dockerignore=False),
            Edit.create_file("svc/.dockerignore", ".git\n"),
            id="context-dir",
        ),
    ],
)
def test_append_to_dockerignore(bc: BuildContext, edit: Edit) -> None:
    assert fixes.append_to_dockerignore(bc, ".git\n") == edit


@pytest.mark.parametrize(
    ("bc", "refusal"),
    [
        pytest.param(BuildContext(), Refusal.DOCKERIGNORE_UNKNOWN, id="existence-unknown"),
        pytest.param(
            BuildContext(has_dockerignore=True), Refusal.DOCKERIGNORE_UNREAD, id="text-unread"
        ),
    ],
)
def test_append_to_dockerignore_refuses_blind_edits(bc: BuildContext, refusal: Refusal) -> None:
    with pytest.raises(Unfixable) as exc:
        fixes.append_to_dockerignore(bc, ".git\n")
    assert exc.value.reason == refusal.sentence()
