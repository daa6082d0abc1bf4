"""A second opinion on values: our ENV/ARG/LABEL pairs against PyPI ``dockerfile-parse``.

``dockerfile-parse`` (BSD-3-Clause) is an independent Python implementation; it is never used
for edits (it has no columns and rewrites whole instructions). Over the corpus, every key/value
pair of every ENV, ARG and LABEL must agree with ours, except the differences listed in `KNOWN`,
each explained. A new divergence fails, and so does a listed one that no longer occurs.

Both sides keep variables as written (no substitution); quotes and escapes are removed.
"""

from __future__ import annotations

import io

import dockerfile_parse as dfp
import dockerfile_parse.util as dfp_util

from rewriters.document import Document
from tests.corpus import CORPUS, all_files, read_text, requires_corpus

Pairs = tuple[tuple[str, str], ...]
Key = tuple[str, int, str]  # (corpus-relative path, 1-based line of the instruction, key)

# Reasons, one sentence each, shared by the entries below.
ARG_NAMES = (
    "dockerfile-parse reads `ARG a b` like the legacy `ENV a b` (a name and its value); "
    "BuildKit declares every word of an ARG as a name (with an optional default)"
)
ARG_MIXED = (
    "dockerfile-parse requires `=` in every word once the first has one; an ARG word without "
    "`=` is a declaration without default for BuildKit"
)
EOF_CONTINUATION = (
    "dockerfile-parse drops an instruction whose last line still ends with a continuation at "
    "the end of the file; BuildKit ends the instruction there"
)
ESCAPE_DIRECTIVE = (
    "dockerfile-parse honours `# escape=` for line continuations but always removes backslash "
    "escapes from values; with the backtick escape a backslash is literal for BuildKit"
)
ESCAPED_ESCAPE_AT_EOL = (
    "dockerfile-parse treats an escaped escape token at the end of a line (`\\\\`) as a "
    "continuation; BuildKit's continuation regexp excludes it, so the next line is a new "
    "instruction"
)
INVALID_ENV = (
    "`ENV PATH` without a value is an error for BuildKit (`ENV must have two arguments`, our "
    "document records it and keeps no pair); dockerfile-parse accepts it with an empty value"
)

KNOWN: dict[Key, str] = {
    ("real/031__ipfs__kubo__Dockerfile", 13, "TARGETOS"): ARG_NAMES,
    ("real/031__ipfs__kubo__Dockerfile", 13, "TARGETARCH"): ARG_NAMES,
    ("buildkit/args/Dockerfile", 1, "foo"): ARG_NAMES,
    ("buildkit/args/Dockerfile", 1, "bar"): ARG_NAMES,
    ("buildkit/args/Dockerfile", 3, "abc"): ARG_MIXED,
    ("buildkit/args/Dockerfile", 3, "def"): ARG_MIXED,
    ("buildkit/env/Dockerfile", 18, "name"): EOF_CONTINUATION,
    ("buildkit/env/Dockerfile", 18, "name1"): EOF_CONTINUATION,
    ("buildkit/env/Dockerfile", 18, "name2"): EOF_CONTINUATION,
    ("buildkit/env/Dockerfile", 18, "name3"): EOF_CONTINUATION,
    ("buildkit/env/Dockerfile", 18, "name4"): EOF_CONTINUATION,
    ("buildkit/escape/Dockerfile", 5, "GOPATH"): ESCAPE_DIRECTIVE,
    ("buildkit/escape-nonewline/Dockerfile", 6, "GOPATH"): ESCAPE_DIRECTIVE,
    ("buildkit/negative__env_no_value/Dockerfile", 3, "PATH"): INVALID_ENV,
    ("buildkit/trailing-backslash/Dockerfile", 7, "C"): ESCAPED_ESCAPE_AT_EOL,
    ("buildkit/trailing-backslash/Dockerfile", 8, "D"): ESCAPED_ESCAPE_AT_EOL,
}

_KINDS = ("ENV", "ARG", "LABEL")


def ours(text: str) -> dict[int, tuple[str, Pairs]]:
    """Top-level ENV/ARG/LABEL instructions by line: (name, pairs with values unquoted)."""
    doc = Document.parse(text)
    out: dict[int, tuple[str, Pairs]] = {}
    for ins in doc.instructions:
        if ins.name in _KINDS:
            pairs = tuple(
                (p.key.value, "" if p.value is None else p.value.value) for p in ins.pairs
            )
            out[ins.start_line] = (ins.name, pairs)
    return out


def theirs(text: str) -> dict[int, tuple[str, Pairs]]:
    """The same view from dockerfile-parse (its ``structure`` and key/value splitter)."""
    parser = dfp.DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")))
    out: dict[int, tuple[str, Pairs]] = {}
    for item in parser.structure:
        name = item["instruction"]
        if name not in _KINDS:
            continue
        try:
            kv = dfp_util.extract_key_values(False, {}, {}, item["value"])
        except ValueError:
            kv = []  # dockerfile-parse rejects the instruction
        out[item["startline"] + 1] = (name, tuple((k, v) for k, v in kv))
    return out


def differences(text: str) -> dict[tuple[int, str], str]:
    """(line, key) → both views of that key, for every key on which the two parsers differ."""
    a, b = ours(text), theirs(text)
    diffs: dict[tuple[int, str], str] = {}
    for line in sorted(set(a) | set(b)):
        na, pa = a.get(line, ("", ()))
        nb, pb = b.get(line, ("", ()))
        for key in dict.fromkeys(k for k, _ in (*pa, *pb)):
            va = [v for k, v in pa if k == key]
            vb = [v for k, v in pb if k == key]
            if na != nb or va != vb:
                diffs[(line, key)] = (
                    f"ours {na or '-'} {va!r} / dockerfile-parse {nb or '-'} {vb!r}"
                )
    return diffs


def test_known_differences_are_explained_sentences() -> None:
    for key, reason in KNOWN.items():
        assert reason.strip() == reason and not reason.endswith("."), key


@requires_corpus
def test_values_agree_with_dockerfile_parse() -> None:
    files = all_files()
    found: dict[Key, str] = {}
    seen: set[str] = set()
    for path in files:
        rel = path.relative_to(CORPUS).as_posix()
        seen.add(rel)
        for (line, key), shown in differences(read_text(path)).items():
            found[(rel, line, key)] = shown
    new = {k: v for k, v in found.items() if k not in KNOWN}
    assert not new, "differences from dockerfile-parse nobody has explained:\n" + "\n".join(
        f"  {k}: {v}" for k, v in sorted(new.items())
    )
    gone = sorted(k for k in KNOWN if k[0] in seen and k not in found)
    assert not gone, f"listed differences that no longer occur (remove them from KNOWN): {gone}"


def test_a_new_divergence_is_reported() -> None:
    # the comparison itself sees the differences it is meant to guard against
    assert differences("FROM a\nARG X Y\n") == {
        (2, "X"): "ours ARG [''] / dockerfile-parse ARG ['Y']",
        (2, "Y"): "ours ARG [''] / dockerfile-parse ARG []",
    }
    assert differences('FROM a\nENV A="x y" B=\'z\'\nLABEL "k"=v\n') == {}


def test_double_quote_escapes_follow_buildkit_not_dockerfile_parse() -> None:
    # Found by fuzzing ENV/LABEL values (no corpus file has it): inside double quotes BuildKit's
    # lexer removes the escape token before `"`, `$` and the escape token itself; dockerfile-
    # parse only before `"`. Ours follows BuildKit (`shell/lex.go` processDoubleQuote).
    text = 'FROM a\nENV A="b\\\\x" B="\\$HOME"\n'
    assert differences(text) == {
        (2, "A"): "ours ENV ['b\\\\x'] / dockerfile-parse ENV ['b\\\\\\\\x']",
        (2, "B"): "ours ENV ['$HOME'] / dockerfile-parse ENV ['\\\\$HOME']",
    }
