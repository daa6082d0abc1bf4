"""`.dockerignore` parsing and matching against Docker's semantics (moby/patternmatcher)."""

from __future__ import annotations

import pytest

from rewriters.dockerignore import (
    DockerignoreError,
    Matcher,
    check,
    excludes,
    go_clean,
    read_patterns,
)

# (file text, patterns as ignorefile.ReadAll returns them)
READ = [
    pytest.param("a\nb\n", ("a", "b"), id="one-pattern-a-line"),
    pytest.param("# c\n#x\na\n", ("a",), id="comment"),
    pytest.param("  # c\n", ("# c",), id="indented-hash-is-a-pattern"),
    pytest.param("\n  \n\t\na\n", ("a",), id="blank-lines"),
    pytest.param("  a  \n", ("a",), id="trimmed"),
    pytest.param("a\r\nb\r\n", ("a", "b"), id="crlf"),
    pytest.param("\ufeffa\n\ufeffb\n", ("a", "\ufeffb"), id="bom-first-line-only"),
    pytest.param("/a\n", ("a",), id="leading-slash"),
    pytest.param("./a\n", ("a",), id="leading-dot-slash"),
    pytest.param("a/\n", ("a",), id="trailing-slash"),
    pytest.param("a//b/./c/../d\n", ("a/b/d",), id="clean"),
    pytest.param("//a\n", ("a",), id="double-leading-slash"),
    pytest.param("/\n", ("/",), id="root-slash-kept"),
    pytest.param("!a\n! /b/\n", ("!a", "!b"), id="exception-cleaned"),
    pytest.param("!\n", ("!",), id="lone-bang-kept-for-new-to-reject"),
    pytest.param("a", ("a",), id="no-final-newline"),
]


@pytest.mark.parametrize(("text", "patterns"), READ)
def test_read_patterns(text: str, patterns: tuple[str, ...]) -> None:
    assert read_patterns(text) == patterns


# (.dockerignore text, path relative to the context, excluded?)
EXCLUDES = [
    pytest.param("go.mod\n", "go.mod", True, id="exact"),
    pytest.param("go.mod\n", "sub/go.mod", False, id="exact-is-anchored-at-root"),
    pytest.param("vendor\n", "vendor/modules.txt", True, id="directory-excludes-contents"),
    pytest.param("vendor/\n", "vendor/modules.txt", True, id="trailing-slash-directory"),
    pytest.param("/vendor\n", "vendor/modules.txt", True, id="leading-slash"),
    pytest.param("./vendor\n", "vendor/modules.txt", True, id="leading-dot-slash"),
    pytest.param("a/b\n", "a/b/c/d", True, id="nested-directory"),
    pytest.param("*\n", "go.sum", True, id="star"),
    pytest.param("*\n", "vendor/modules.txt", True, id="star-matches-parent-dir"),
    pytest.param("*.md\n", "docs/x.md", False, id="star-stays-in-segment"),
    pytest.param("*/*.md\n", "docs/x.md", True, id="star-slash-star"),
    pytest.param("**/*.md\n", "a/b/x.md", True, id="doublestar-any-depth"),
    pytest.param("**/*.md\n", "x.md", True, id="doublestar-zero-depth"),
    pytest.param("**/go.mod\n", "go.mod", True, id="doublestar-slash-name-at-root"),
    pytest.param("**/go.mod\n", "xgo.mod", False, id="doublestar-slash-name-not-suffix"),
    pytest.param("**go.mod\n", "xgo.mod", True, id="doublestar-name-is-suffix"),
    pytest.param("vendor/**\n", "vendor/modules.txt", True, id="trailing-doublestar"),
    pytest.param("vendor/**\n", "vendor", False, id="trailing-doublestar-not-dir-itself"),
    pytest.param("**\n", "Dockerfile", True, id="doublestar-alone"),
    pytest.param("go.?um\n", "go.sum", True, id="question-mark"),
    pytest.param("go.[st]um\n", "go.sum", True, id="class"),
    pytest.param("go.[^s]um\n", "go.sum", False, id="negated-class"),
    pytest.param("go\\.sum\n", "go.sum", True, id="backslash-escape"),
    pytest.param("go.sum\n", "goXsum", False, id="dot-is-literal"),
    pytest.param("*\n!go.mod\n", "go.mod", False, id="exception"),
    pytest.param("*\n!go.mod\n", "go.sum", True, id="exception-only-its-path"),
    pytest.param("!go.mod\n*\n", "go.mod", True, id="last-match-wins"),
    pytest.param("vendor\n!vendor/modules.txt\n", "vendor/modules.txt", False, id="exc-in-dir"),
    pytest.param("*\n!vendor\n", "vendor/modules.txt", False, id="exception-of-parent-dir"),
    pytest.param("*\n!vendor\nvendor/*.txt\n", "vendor/modules.txt", True, id="re-excluded"),
    pytest.param("# go.mod\n", "go.mod", False, id="comment-excludes-nothing"),
    pytest.param("", "go.mod", False, id="empty-file"),
    pytest.param("*\n", ".", False, id="root-never-excluded"),
    pytest.param("Dockerfile\n", "./Dockerfile", True, id="path-is-cleaned"),
]


@pytest.mark.parametrize(("text", "path", "excluded"), EXCLUDES)
def test_excludes(text: str, path: str, excluded: bool) -> None:
    assert excludes(read_patterns(text), path) is excluded


# moby/patternmatcher TestMatches (MatchesOrParentMatches on the raw text), verbatim
MOBY = [
    ("**", "file", True),
    ("**", "file/", True),
    ("**/", "file", True),
    ("**/", "file/", True),
    ("**", "/", True),
    ("**/", "/", True),
    ("**", "dir/file", True),
    ("**/", "dir/file", True),
    ("**", "dir/file/", True),
    ("**/", "dir/file/", True),
    ("**/**", "dir/file", True),
    ("**/**", "dir/file/", True),
    ("dir/**", "dir/file", True),
    ("dir/**", "dir/file/", True),
    ("dir/**", "dir/dir2/file", True),
    ("dir/**", "dir/dir2/file/", True),
    ("**/dir", "dir", True),
    ("**/dir", "dir/file", True),
    ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/*", "dir/dir2/file/", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**/dir2/**", "dir/dir2/dir3/file/", True),
    ("**file", "file", True),
    ("**file", "dir/file", True),
    ("**/file", "dir/file", True),
    ("**file", "dir/dir/file", True),
    ("**/file", "dir/dir/file", True),
    ("**/file*", "dir/dir/file", True),
    ("**/file*", "dir/dir/file.txt", True),
    ("**/file*txt", "dir/dir/file.txt", True),
    ("**/file*.txt", "dir/dir/file.txt", True),
    ("**/file*.txt*", "dir/dir/file.txt", True),
    ("**/**/*.txt", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True),
    ("**/**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/file.txt", True),
    ("a**/*.txt", "a/dir/file.txt", True),
    ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False),
    ("a/*.txt", "a/file.txt", True),
    ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False),
    ("a[b-d]e", "ace", True),
    ("a[b-d]e", "aae", False),
    ("a[^b-d]e", "aze", True),
    (".*", ".foo", True),
    (".*", "foo", False),
    ("abc.def", "abcdef", False),
    ("abc.def", "abc.def", True),
    ("abc.def", "abcZdef", False),
    ("abc?def", "abcZdef", True),
    ("abc?def", "abcdef", False),
    ("a\\\\", "a\\", True),
    ("**/foo/bar", "foo/bar", True),
    ("**/foo/bar", "dir/foo/bar", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True),
    ("abc/**", "abc", False),
    ("abc/**", "abc/def", True),
    ("abc/**", "abc/def/ghi", True),
    ("**/.foo", ".foo", True),
    ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True),
    ("a(b)c/def", "a(b)c/xyz", False),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
    ("a\\*b", "a*b", True),
]


@pytest.mark.parametrize(("pattern", "path", "matched"), MOBY, ids=[f"{p}|{t}" for p, t, _ in MOBY])
def test_moby_matches_table(pattern: str, path: str, matched: bool) -> None:
    assert Matcher([pattern]).matches(path) is matched


MOBY_MULTI = [
    (("**", "!util/docker/web"), "util/docker/web/foo", False),
    (("**", "!util/docker/web", "util/docker/web/foo"), "util/docker/web/foo", True),
    (("**", "!dist/*.whl"), "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", False),
    (("docs", "!docs/README.md"), "docs/README.md", False),
    (("docs/*", "!docs/README.md"), "docs/README.md", False),
    (("!fileutils.go", "*.go"), "fileutils.go", True),
]


@pytest.mark.parametrize(("patterns", "path", "matched"), MOBY_MULTI)
def test_moby_multi_pattern_table(patterns: tuple[str, ...], path: str, matched: bool) -> None:
    assert Matcher(patterns).matches(path) is matched


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("!\n", id="lone-bang"),
        pytest.param("[\n", id="unclosed-class"),
        pytest.param("a[]b\n", id="empty-class"),
        pytest.param("a[b-]\n", id="open-range"),
        pytest.param("ab\\\n", id="trailing-backslash"),
    ],
)
def test_malformed_patterns_are_rejected(text: str) -> None:
    with pytest.raises(DockerignoreError):
        check(text)


@pytest.mark.parametrize(
    ("path", "cleaned"),
    [("", "."), ("./a", "a"), ("a/../..", ".."), ("//a//b/", "/a/b"), ("/..", "/")],
)
def test_go_clean(path: str, cleaned: str) -> None:
    assert go_clean(path) == cleaned
