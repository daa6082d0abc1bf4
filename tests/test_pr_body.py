"""bot.pr_body: snapshots of whole bodies, the marker, the size limit and every claim's condition.

Snapshots live in ``tests/snapshots/pr_body/``; they are compared exactly. After an intended
change, regenerate them with ``GOCOMPLY_UPDATE_SNAPSHOTS=1 pytest tests/test_pr_body.py`` and
review the diff like any other change.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import pr_body
from bot.config import ConfigError, parse_repo_config
from bot.gitcommit import commit_message
from bot.proposal import FileChange, Proposal
from bot.scorecard import (
    NOT_FOUND_MESSAGE,
    ScorecardCheck,
    ScorecardResult,
    ScorecardStatus,
    parse_result,
    pinned_dependencies,
)
from rewriters.context import BuildContext
from rewriters.engine import analyze
from rewriters.findings import Applicability, Finding, Fix, fingerprint
from rewriters.options import Options
from tests.catalogue import machinery_rules

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "pr_body"
UPDATE = os.environ.get("GOCOMPLY_UPDATE_SNAPSHOTS") == "1"
CONFIG_HASH = "4d1e" * 16
BASE_SHA = "9f" * 20
CONTEXT = BuildContext(files=frozenset({"go.mod", "go.sum"}), known=True)


def read_exact(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.md"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        return
    assert path.is_file(), f"no snapshot {path.name}: run with GOCOMPLY_UPDATE_SNAPSHOTS=1"
    assert read_exact(path) == text, (
        f"{path.name} differs; if intended, regenerate with GOCOMPLY_UPDATE_SNAPSHOTS=1"
    )


def engine_proposal(
    files: dict[str, str],
    options: Options | None = None,
    context: BuildContext = CONTEXT,
    repo: str = "acme/svc",
) -> Proposal:
    """A Proposal from the real engine over ``files`` (path → text)."""
    results = []
    new: dict[str, str] = {}
    for path, text in files.items():
        r = analyze(
            text, path=path, options=options, build_context=context, rules=machinery_rules()
        )
        assert r.error is None, r.error
        results.append((path, text, r.findings))
        new[path] = r.new_text
    return pr_body.proposal_from_results(
        repo, "main", results, new_texts=new, config_hash=CONFIG_HASH, tool_version="0.1.0"
    )


def body_for(proposal: Proposal, **kw: object) -> str:
    args: dict[str, object] = {
        "scorecard": ScorecardStatus(None, NOT_FOUND_MESSAGE, "not_found"),
        "pinned_before": pinned_dependencies({f.path: f.before for f in proposal.changes}),
        "pinned_after": pinned_dependencies({f.path: f.after for f in proposal.changes}),
        "config_hash": CONFIG_HASH,
        "base_sha": BASE_SHA,
    }
    args.update(kw)
    return pr_body.render_body(proposal, **args)  # type: ignore[arg-type]


def info(
    code: str,
    line: int = 1,
    *,
    path: str = "Dockerfile",
    name: str | None = None,
    message: str = "something is wrong",
    fix: str | None = "changed",
    applicability: Applicability = "safe",
    applied: bool = True,
    note: str | None = None,
    snippet: str | None = None,
) -> Finding:
    rule = pr_body.find_rule(code)
    return Finding(
        code=code,
        name=name or (rule.name if rule else "made-up-rule"),
        severity="error",
        line=line,
        end_line=line,
        column=1,
        end_column=1,
        message=message,
        fixable=fix is not None,
        fix_applied=applied,
        fix=None if fix is None else Fix((), fix, applicability),
        note=note,
        fingerprint=fingerprint(code, path, snippet or f"{code}-{line}-{message}"),
    )


def proposal_of(*files: FileChange, repo: str = "acme/svc") -> Proposal:
    return Proposal(repo, "main", tuple(files), CONFIG_HASH, "0.1.0")


# --------------------------------------------------------------------------- inputs

EXAMPLE_DOCKERFILE = """\
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
ENV GOPROXY=direct GOSUMDB=off
RUN go mod download
RUN go get -u ./... && go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
"""
EXAMPLE_WORKER = """\
FROM golang:1.22 AS build
ENV GOROOT=/usr/local/go
ENV PATH=$GOROOT/bin:$PATH
WORKDIR /src
COPY . .
RUN go build -o /out/worker ./cmd/worker

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/worker /worker
ENTRYPOINT ["/worker"]
"""
ORG_PROXY = Options(goproxy="https://goproxy.acme.internal")


def example_proposal() -> Proposal:
    return engine_proposal(
        {"Dockerfile": EXAMPLE_DOCKERFILE, "deploy/worker.Dockerfile": EXAMPLE_WORKER},
        ORG_PROXY,
    )


REPORT_ONLY_DOCKERFILE = """\
FROM golang:1.23 AS build
ENV GOTOOLCHAIN=auto GOPROXY=direct
WORKDIR /src
COPY . .
RUN go install golang.org/x/tools/cmd/stringer@latest && go generate ./...
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
"""
GO_MOD_124 = "module example.com/app\n\ngo 1.24.0\n"


def report_only_proposal() -> Proposal:
    ctx = BuildContext(files=frozenset({"go.mod", "go.sum"}), go_mod=GO_MOD_124, known=True)
    return engine_proposal({"Dockerfile": REPORT_ONLY_DOCKERFILE}, context=ctx)


def real_scorecard_result() -> ScorecardStatus:
    data = {
        "date": "2024-05-06T00:00:00Z",
        "repo": {"name": "github.com/acme/svc", "commit": "3c1f2e9a" + "0" * 32},
        "scorecard": {"version": "v5.0.0", "commit": "ea7e27ed" + "0" * 32},
        "score": 6.4,
        "checks": [
            {
                "name": "Token-Permissions",
                "score": 0,
                "reason": "detected GitHub workflow tokens with excessive permissions",
                "details": None,
                "documentation": {
                    "url": "https://github.com/ossf/scorecard/blob/ea7e27ed/docs/checks.md#token-permissions",
                    "short": "Determines if the workflows follow least privilege.",
                },
            },
            {
                "name": "Pinned-Dependencies",
                "score": 3,
                "reason": "dependency not pinned by hash detected -- score normalized to 3",
                "details": ["Warn: containerImage not pinned by hash: Dockerfile:1"],
                "documentation": {
                    "url": "https://github.com/ossf/scorecard/blob/ea7e27ed/docs/checks.md#pinned-dependencies",
                    "short": "Determines if the project has declared and pinned the dependencies.",
                },
            },
            {
                "name": "Dangerous-Workflow",
                "score": -1,
                "reason": "no workflows found",
                "details": None,
                "documentation": {
                    "url": "https://github.com/ossf/scorecard/blob/ea7e27ed/docs/checks.md#dangerous-workflow",
                    "short": "Determines if the workflows avoid dangerous patterns.",
                },
            },
            {
                "name": "Code-Review",
                "score": 10,
                "reason": "all changesets reviewed",
                "details": None,
                "documentation": {"url": "https://example.invalid", "short": ""},
            },
        ],
    }
    result = parse_result(data)
    return ScorecardStatus(result, "OpenSSF Scorecard v5.0.0 scored this repository 6.4 / 10.")


# --------------------------------------------------------------------------- snapshots


def test_snapshot_example_pr() -> None:
    p = example_proposal()
    assert p.codes == ("GC101", "GC102", "GC105")
    title = pr_body.render_title(p, prefix="[gocomply]")
    assert title == "[gocomply] remove dangerous Go build settings (4 fixes in 2 Dockerfiles)"
    check_snapshot("example_pr", f"Title: {title}\n\n{body_for(p)}")


def test_snapshot_report_only_findings() -> None:
    p = report_only_proposal()
    body = body_for(p)
    not_applied = body.split("### Not applied (needs your decision)")[1].split("###")[0]
    assert "GC106 unpinned-go-tool" in not_applied
    assert "GC107 toolchain-download" in not_applied
    assert "whose go.mod gocomply cannot read." in not_applied  # GC107's note, why no fix
    assert "unsafe_fixes" not in not_applied  # nothing here has an unsafe fix
    check_snapshot("report_only", body)


def test_snapshot_scorecard_result_with_real_types() -> None:
    p = engine_proposal({"Dockerfile": EXAMPLE_DOCKERFILE}, ORG_PROXY)
    status = real_scorecard_result()
    assert isinstance(status.result, ScorecardResult)
    assert all(isinstance(c, ScorecardCheck) for c in status.result.checks)
    body = body_for(p, scorecard=status)
    section = body.split("### OpenSSF Scorecard")[1]
    assert "6.4 / 10" in section
    rows = [ln for ln in section.splitlines() if ln.startswith("| [")]
    assert [r.split("]")[0][3:] for r in rows] == [
        "Pinned-Dependencies",
        "Token-Permissions",
        "Dangerous-Workflow",
    ]
    assert "Code-Review" not in section
    assert "| ? (inconclusive) |" in section
    check_snapshot("scorecard_result", body)


def test_snapshot_scorecard_404() -> None:
    p = engine_proposal({"Dockerfile": EXAMPLE_DOCKERFILE}, ORG_PROXY)
    body = body_for(p)
    assert NOT_FOUND_MESSAGE + "." in body
    check_snapshot("scorecard_404", body)


def test_snapshot_declined_link() -> None:
    p = example_proposal()
    old = next(fp for fp in p.fingerprints if fp.startswith("GC105"))
    body = body_for(p, declined_pr=12, declined=[old, "GC101:gone/Dockerfile:0123456789ab"])
    assert "(#12)" in body
    assert "1 change from #12 appears again" in body  # grammar: singular
    marker = pr_body.parse_marker(body)
    assert marker is not None
    assert marker.declined == tuple(sorted([old, "GC101:gone/Dockerfile:0123456789ab"]))
    check_snapshot("declined", body)


def test_snapshot_crlf_file() -> None:
    text = EXAMPLE_WORKER.replace("\n", "\r\n")
    p = engine_proposal({"build/Dockerfile": text})
    assert p.changes and "\r\n" in p.changes[0].after
    body = body_for(p, contexts={"build/Dockerfile": "build"})
    assert "\r" not in body
    assert "This file uses CRLF line endings; the changed lines keep them." in body
    assert "docker build -f build/Dockerfile build" in body
    check_snapshot("crlf", body)


def huge_proposal(files: int = 60, per_file: int = 8, lines: int = 400) -> Proposal:
    changes = []
    for i in range(files):
        path = f"services/svc-{i:03d}/Dockerfile"
        before = "".join(f"ENV GOPROXY=direct V{i}_{n}=1\n" for n in range(lines))
        after = "".join(f"ENV V{i}_{n}=1\n" for n in range(lines))
        findings = tuple(
            info(
                "GC105",
                n + 1,
                path=path,
                message="`GOPROXY=direct` makes go fetch every module from its origin "
                "repository instead of the module proxy, bypassing its caching and policies.",
                fix="`GOPROXY=direct` removed",
                snippet=f"GOPROXY=direct {i} {n}",
            )
            for n in range(per_file)
        )
        extra = (
            info(
                "GC106",
                lines,
                path=path,
                message="`go install x@latest` does not pin x",
                fix=None,
                applicability=None,
                applied=False,
                snippet=f"x@latest {i}",
            ),
        )
        changes.append(FileChange(path, "FROM golang:1.22\n" + before, after, findings + extra))
    return proposal_of(*changes)


def test_snapshot_huge_is_cut_to_fit() -> None:
    p = huge_proposal(files=12, per_file=4, lines=60)
    body = body_for(p, max_chars=12000)
    assert len(body) <= 12000
    check_snapshot("huge", body)


def test_snapshot_unsafe_applied_with_secret_mount() -> None:
    """An unsafe fix applied by opt-in, and a fix that moves a token to a secret mount."""
    before = (
        "FROM golang:1.22\n"
        "ENV GOROOT=/usr/local/go\n"
        "ARG GITHUB_TOKEN\n"
        'RUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf '
        '"https://github.com/" && go build -o /app .\n'
    )
    after = (
        "# syntax=docker/dockerfile:1\n"
        "FROM golang:1.22\n"
        "RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \\\n"
        '    git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf '
        '"https://github.com/" && go build -o /app .\n'
    )
    p = proposal_of(
        FileChange(
            "Dockerfile",
            before,
            after,
            (
                info(
                    "GC102",
                    2,
                    message="`ENV GOROOT=/usr/local/go` repeats what go already knows.",
                    fix="`ENV GOROOT=/usr/local/go` removed",
                    applicability="unsafe",
                ),
                info(
                    "GC207",
                    3,
                    name="secret-in-build",
                    message="`ARG GITHUB_TOKEN` passes a credential as a build argument.",
                    fix="the token moves to a secret mount",
                    applicability="unsafe",
                ),
            ),
        )
    )
    body = body_for(p)
    assert "docker build --secret id=github_token,src=/path/to/github_token -f Dockerfile ." in body
    assert "### GC207 secret-in-build: " in body  # the rule's catalogue summary heads its section
    assert "stay the same" not in body  # unsafe fixes: no claim about the outputs
    assert "Unsafe, applied because the configuration's `unsafe_fixes` lists GC102." in body
    check_snapshot("unsafe_secret", body)


def test_snapshot_stopped() -> None:
    p = engine_proposal({"Dockerfile": EXAMPLE_DOCKERFILE}, ORG_PROXY)
    body = body_for(p, stopped=True)
    assert body.startswith("> **gocomply stopped updating this pull request**: someone else")
    marker = pr_body.parse_marker(body)
    assert marker is not None and marker.stopped
    check_snapshot("stopped", body)


def test_snapshot_config_issue() -> None:
    text = "exlude: [a]\nrules: {GC105: maybe}\n"
    with pytest.raises(ConfigError) as exc:
        parse_repo_config(text)
    title, body = pr_body.render_config_issue(exc.value)
    assert title == "gocomply: configuration error"
    assert len(exc.value.errors) == 2
    for e in exc.value.errors:
        assert f"| {e.line} |" in body
        assert e.message.split("(")[0].strip().replace("|", "\\|")[:30] in body
    assert "`gocomply validate .gocomply.yml`" in body
    assert pr_body.is_config_issue(body)
    check_snapshot("config_issue", f"Title: {title}\n\n{body}")


# --------------------------------------------------------------------------- title, summary


def test_title_phrases_and_prefix() -> None:
    one = proposal_of(FileChange("Dockerfile", "a", "b", (info("GC105"),)))
    assert (
        pr_body.render_title(one, prefix=None)
        == "gocomply: restore Go module proxy and checksum verification (1 fix in 1 Dockerfile)"
    )
    assert pr_body.render_title(one, prefix="[bot]").startswith("[bot] restore Go module proxy")
    assert pr_body.render_title(one, prefix="  ").startswith("gocomply: ")
    mixed = proposal_of(
        FileChange("Dockerfile", "a", "b", (info("GC105"), info("GC206", 2))),
        FileChange("x/Dockerfile", "a", "b", (info("GC201", path="x/Dockerfile"),)),
    )
    assert pr_body.render_title(mixed, prefix="[gocomply]") == (
        "[gocomply] remove dangerous Go build settings and apply safe practices "
        "(3 fixes in 2 Dockerfiles)"
    )
    safe_practices = proposal_of(FileChange("Dockerfile", "a", "b", (info("GC201"), info("GC206"))))
    assert "apply safe Go build practices" in pr_body.render_title(safe_practices)


def _summary(p: Proposal) -> str:
    return body_for(p).split("\n\n")[0]


SAME_OUTPUTS = "The built binaries, their paths and the images' entrypoints stay the same."


@pytest.mark.parametrize("code", ["GC102", "GC103", "GC105", "GC107"])
def test_same_outputs_claim_for_rules_that_keep_them(code: str) -> None:
    p = proposal_of(FileChange("Dockerfile", "a", "b", (info(code),)))
    summary = _summary(p)
    assert "Nothing else in the files changed." in summary
    assert SAME_OUTPUTS in summary


@pytest.mark.parametrize(
    ("findings", "expect"),
    [
        ((info("GC101"),), "built from the dependency versions go.mod/go.sum pin"),
        ((info("GC104"),), "now installs a C compiler"),
        ((info("GC105"), info("GC299", 2)), None),  # a rule the table does not know: no claim
        ((info("GC105", applicability="unsafe"),), "Unsafe fixes (GC105)"),
    ],
)
def test_same_outputs_claim_only_when_true(
    findings: tuple[Finding, ...], expect: str | None
) -> None:
    summary = _summary(proposal_of(FileChange("Dockerfile", "a", "b", findings)))
    assert SAME_OUTPUTS not in summary
    assert "Nothing else in the files changed." in summary
    if expect is not None:
        assert expect in summary
    else:
        assert "entrypoints" not in summary


def test_empty_proposal_renders() -> None:
    p = proposal_of(
        FileChange("Dockerfile", "a", "a", (info("GC106", fix=None, applied=False),)),
    )
    body = body_for(p)
    assert body.startswith("gocomply has no change to make")
    assert "### Not applied" in body
    assert "### How to verify" not in body
    assert pr_body.parse_marker(body) == pr_body.Marker((), (), "0.1.0", CONFIG_HASH, BASE_SHA)


# --------------------------------------------------------------------------- sections


def test_rule_sections_in_code_order_with_docstring_text() -> None:
    body = body_for(example_proposal())
    heads = re.findall(r"^### (GC\d{3}) ", body, flags=re.M)
    assert heads == ["GC101", "GC102", "GC105"]
    rule = pr_body.find_rule("GC102")
    assert rule is not None
    first_sentence = pr_body.sentences(rule.doc.why.split("\n\n")[0])[0]
    assert first_sentence in body  # docstring sentences verbatim
    assert "`GOPROXY=direct`" in body.split("### GC105")[1]  # quotes the repo's own setting


def test_condense_keeps_whole_sentences() -> None:
    text = "First one. Second `a. B` one; e.g. not split. Third one:\n\n- a list"
    assert pr_body.sentences(text.split("\n\n")[0]) == [
        "First one.",
        "Second `a. B` one; e.g. not split.",
        "Third one:",
    ]
    assert pr_body.condense(text, 10) == "First one."
    assert pr_body.condense(text, 1000) == "First one. Second `a. B` one; e.g. not split."
    assert pr_body.condense("Only a list:", 100) == "Only a list."


def test_verify_commands_use_contexts_and_quote_paths() -> None:
    p = proposal_of(
        FileChange("Dockerfile", "a", "b", (info("GC105"),)),
        FileChange("odd dir/Dockerfile", "a", "b", (info("GC105", path="odd dir/Dockerfile"),)),
    )
    body = body_for(p, contexts={"odd dir/Dockerfile": "odd dir"})
    assert "docker build -f Dockerfile .\n" in body
    assert "docker build -f 'odd dir/Dockerfile' 'odd dir'\n" in body
    assert "--secret" not in body
    assert "From the repository root:" in body


def test_opt_out_snippet_is_valid_config_and_pragma_works() -> None:
    p = example_proposal()
    body = body_for(p)
    block = body.split("<details><summary>Configure or opt out</summary>")[1]
    snippet = re.search(r"add `(rules: \{[^`]*\})` to `\.gocomply\.yml`", block)
    assert snippet is not None
    cfg = parse_repo_config(snippet.group(1) + "\n")
    assert dict(cfg.rules) == {c: "off" for c in p.codes}
    pragma = re.search(r"put `(# gocomply:ignore GC\d+ reason=\"…\")` on the line above", block)
    assert pragma is not None
    lines = EXAMPLE_DOCKERFILE.splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if "go get" in ln)
    waived = "".join([*lines[:at], pragma.group(1) + "\n", *lines[at:]])
    assert pragma.group(1).split()[2] == "GC101"
    assert not [f for f in analyze(waived, rules=machinery_rules()).findings if f.code == "GC101"]
    assert "Close this PR to decline these exact changes" in block


def test_diff_fences_control_characters_and_mixed_endings() -> None:
    before = "FROM golang:1.22\nRUN echo '```'\x1b[0m\nENV GOPROXY=direct\r\n"
    after = "FROM golang:1.22\nRUN echo '```'\x1b[0m\n"
    diff, _, crlf = pr_body.display_diff("Dockerfile", before, after)
    assert not crlf
    assert "␍" in diff and "␛" in diff and "\r" not in diff and "\x1b" not in diff
    p = proposal_of(FileChange("Dockerfile", before, after, (info("GC105"),)))
    body = body_for(p)
    assert "````diff\n" in body  # a fence longer than the backticks inside


def test_long_diff_is_not_inlined() -> None:
    before = "".join(f"ENV A{i}=1 GOPROXY=direct\n" for i in range(200))
    after = "".join(f"ENV A{i}=1\n" for i in range(200))
    body = body_for(proposal_of(FileChange("Dockerfile", before, after, (info("GC105"),))))
    assert "```diff" not in body
    assert re.search(r"Diff of <code>Dockerfile</code> omitted: \d+ lines; see the Files tab", body)


def test_tokens_are_redacted() -> None:
    token = "ghp_" + "A1b2" * 9
    before = f"FROM golang:1.22\nENV GOPROXY=direct TOKEN={token}\n"
    after = f"FROM golang:1.22\nENV TOKEN={token}\n"
    p = proposal_of(
        FileChange("Dockerfile", before, after, (info("GC105", message=f"saw {token}"),))
    )
    body = body_for(p)
    assert token not in body
    assert "[token redacted]" in body
    assert token not in pr_body.render_commit_message(["GC105"], p)
    assert token not in pr_body.render_title(p)


def test_not_applied_unsafe_suggestion_shows_how_to_allow() -> None:
    p = engine_proposal(
        {"Dockerfile": "FROM golang:1.22\nENV GOROOT=/usr/local/go\nRUN go build -o /app .\n"}
    )
    assert not p.applied and p.suggestions
    body = body_for(p)
    item = body.split("### Not applied (needs your decision)")[1]
    assert "GC102 goroot-override" in item
    assert "To allow it, add `unsafe_fixes: [GC102]` to `.gocomply.yml`." in item
    assert "runtime.GOROOT()" in item  # the docstring's reason the fix is unsafe there
    assert "unsafe fix not applied; allow it" not in item  # the engine's note is not repeated


@pytest.mark.parametrize(
    ("declined", "expect"),
    [
        ((), "gocomply does not propose the changes declined there again."),
        (("GC999:x:000000000000",), "this one contains only changes that were not in it."),
    ],
)
def test_declined_line_claims(declined: tuple[str, ...], expect: str) -> None:
    p = proposal_of(FileChange("Dockerfile", "a", "b", (info("GC105"),)))
    body = body_for(p, declined_pr=7, declined=declined)
    assert body.startswith("A previous proposal (#7) was closed without being merged")
    assert expect in body.split("\n\n")[0]


def test_declined_line_when_changes_reappear() -> None:
    a, b = info("GC105", 1), info("GC105", 2)
    p = proposal_of(FileChange("Dockerfile", "a", "b", (a, b)))
    first = body_for(p, declined_pr=7, declined=[a.fingerprint]).split("\n\n")[0]
    assert "1 change from #7 appears again" in first
    assert "only changes that were not in it" not in first


# --------------------------------------------------------------------------- scorecard


@dataclass(frozen=True)
class Check:
    name: str
    score: int
    reason: str
    doc_url: str


@dataclass(frozen=True)
class Result:
    date: str
    repo_commit: str
    scorecard_version: str
    score: float
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Status:
    result: Result | None
    message: str


@dataclass(frozen=True)
class Pins:
    container_images: tuple[int, int]
    go_commands: tuple[int, int]


def test_scorecard_section_from_hand_built_objects() -> None:
    result = Result(
        "2024-05-06",
        "abc",
        "v5",
        7.0,
        (Check("Pinned-Dependencies", 10, "all | pinned", "http://not-https.example"),),
    )
    p = proposal_of(FileChange("Dockerfile", "a", "b", (info("GC105"),)))
    body = body_for(
        p,
        scorecard=Status(result, "Scored 7.0 / 10"),
        pinned_before=Pins((0, 2), (0, 0)),
        pinned_after=Pins((2, 2), (0, 0)),
    )
    section = body.split("### OpenSSF Scorecard")[1]
    assert "Scored 7.0 / 10." in section
    assert "| Pinned-Dependencies | 10 / 10 | all \\| pinned |" in section  # no http link
    assert "| Token-Permissions | — | not in this result |" in section
    assert "| 0 of 2 pinned | 2 of 2 pinned |" in section
    assert "can only raise the Pinned-Dependencies score" in section


@pytest.mark.parametrize(
    ("before", "after", "expect"),
    [
        (Pins((0, 3), (1, 1)), Pins((0, 3), (1, 1)), "on its own it does not change"),
        (Pins((0, 3), (0, 1)), Pins((3, 3), (0, 1)), "can only raise"),
        (Pins((0, 3), (0, 1)), Pins((0, 3), (0, 0)), "can only raise"),  # unpinned go get gone
        (Pins((0, 0), (0, 0)), Pins((1, 1), (0, 0)), "can only raise"),  # a pinned FROM added
        (Pins((0, 3), (1, 1)), Pins((0, 3), (0, 0)), "can only lower"),  # local go get gone
        (Pins((0, 3), (1, 2)), Pins((3, 3), (0, 1)), "in both directions"),
        (Pins((0, 3), (0, 0)), Pins((1, 5), (0, 0)), "in both directions"),
    ],
)
def test_scorecard_sentence_follows_the_counts(before: Pins, after: Pins, expect: str) -> None:
    p = proposal_of(FileChange("Dockerfile", "a", "b", (info("GC105"),)))
    body = body_for(p, scorecard=None, pinned_before=before, pinned_after=after)
    assert expect in body.split("### OpenSSF Scorecard")[1]


def test_no_scorecard_section_without_data() -> None:
    p = proposal_of(FileChange("Dockerfile", "a", "b", (info("GC105"),)))
    body = body_for(p, scorecard=None, pinned_before=None, pinned_after=None)
    assert "### OpenSSF Scorecard" not in body


# --------------------------------------------------------------------------- marker


def test_marker_is_the_last_line_and_round_trips() -> None:
    p = example_proposal()
    body = body_for(p, declined=["GC107:Dockerfile:aaaaaaaaaaaa"], content="c0ffee")
    assert body.endswith(" -->\n")
    last = body.rstrip("\n").rsplit("\n", 1)[1]
    assert last.startswith("<!-- gocomply:v1 {")
    marker = pr_body.parse_marker(body)
    assert marker == pr_body.Marker(
        p.fingerprints,
        ("GC107:Dockerfile:aaaaaaaaaaaa",),
        "0.1.0",
        CONFIG_HASH,
        BASE_SHA,
        "c0ffee",
        False,
    )


def test_marker_in_code_blocks_is_ignored_and_last_valid_wins() -> None:
    good = pr_body.Marker(("GC105:Dockerfile:111111111111",), tool_version="1")
    later = pr_body.Marker(("GC101:Dockerfile:222222222222",), tool_version="2")
    fenced = pr_body.Marker(("GC102:Dockerfile:333333333333",))
    body = "\n".join(
        [
            "text",
            good.render(),
            "```",
            later.render(),  # inside a code block
            "```",
            "~~~~",
            fenced.render(),
            "~~~",  # shorter than the opening fence: still inside
            "~~~~",
            "    " + fenced.render(),  # indented code
            "`" + fenced.render() + "`",  # inline code
            "<!-- gocomply:v1 {not json} -->",
            '<!-- gocomply:v2 {"v":2} -->',
            '<!-- gocomply:v1 {"v":1,"fingerprints":{"a":[1]}} -->',
        ]
    )
    assert pr_body.parse_marker(body) == good
    assert pr_body.parse_marker(body + "\n" + later.render() + "\r\n") == later
    assert pr_body.parse_marker(body.replace("\n", "\r\n")) == good


def test_marker_escapes_comment_closers_in_paths() -> None:
    m = pr_body.Marker(("GC105:a-->b/<x>&y:Dockerfile:abcdefabcdef",), ("odd",))
    text = m.render()
    assert text.count("-->") == 1 and text.endswith("-->")
    assert pr_body.parse_marker("x\n" + text) == m


fingerprints = st.builds(
    lambda code, path, digest: f"{code}:{path}:{digest}",
    st.sampled_from(["GC101", "GC105", "GC207"]),
    st.text(min_size=1, max_size=30).filter(lambda s: "\n" not in s and "\r" not in s),
    st.text(alphabet="0123456789abcdef", min_size=12, max_size=12),
)
plain = st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(fingerprints, max_size=20),
    st.lists(fingerprints | st.text(max_size=20), max_size=5),
    plain,
    plain,
    plain,
    plain,
    st.booleans(),
)
def test_marker_round_trip(
    fps: list[str],
    declined: list[str],
    tool: str,
    config: str,
    base: str,
    content: str,
    stopped: bool,
) -> None:
    m = pr_body.Marker(
        tuple(sorted(set(fps))),
        tuple(sorted(set(declined))),
        tool,
        config,
        base,
        content,
        stopped,
    )
    text = m.render()
    assert "\n" not in text and text.count("-->") == 1
    assert pr_body.parse_marker(f"some body\n\n{text}\n") == m


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400) | st.binary(max_size=100).map(lambda b: b.decode("latin-1")))
def test_marker_parse_never_raises_on_garbage(garbage: str) -> None:
    m = pr_body.Marker(("GC105:Dockerfile:abcdefabcdef",))
    assert pr_body.parse_marker(garbage) in (None, *([m] if m.render() in garbage else []))
    result = pr_body.parse_marker(garbage + "\n" + m.render())
    if "`" not in garbage and "~" not in garbage:
        assert result == m  # no code block can hide it
    else:
        assert result in (None, m)
    assert pr_body.handback_requested(garbage) in (True, False)


def test_marker_parse_rejects_non_text() -> None:
    assert pr_body.parse_marker(None) is None
    assert pr_body.parse_marker(b"<!-- gocomply:v1 {} -->") is None
    assert pr_body.handback_requested(None) is False


# --------------------------------------------------------------------------- hand-back


def test_handback_box() -> None:
    p = engine_proposal({"Dockerfile": EXAMPLE_DOCKERFILE}, ORG_PROXY)
    body = body_for(p)
    assert "- [ ] Let gocomply update this PR again" in body
    assert not pr_body.handback_requested(body)
    ticked = body.replace("- [ ] Let gocomply", "- [x] Let gocomply")
    assert pr_body.handback_requested(ticked)
    assert pr_body.handback_requested(ticked.replace("\n", "\r\n"))
    assert pr_body.handback_requested(body.replace("- [ ] Let gocomply", "* [X] let gocomply"))
    quoted = body + "\n```\n- [x] Let gocomply update this PR again\n```\n"
    assert not pr_body.handback_requested(quoted)
    cleared = pr_body.clear_handback(ticked)
    assert cleared == body
    assert pr_body.clear_handback(quoted) == quoted  # code blocks are left alone


def test_mark_stopped_keeps_the_body_and_sets_the_flag() -> None:
    p = engine_proposal({"Dockerfile": EXAMPLE_DOCKERFILE}, ORG_PROXY)
    body = body_for(p) + "\nA maintainer's note.\n"
    stopped = pr_body.mark_stopped(body)
    marker = pr_body.parse_marker(stopped)
    assert marker is not None and marker.stopped
    assert marker.fingerprints == p.fingerprints
    assert stopped.startswith("> **gocomply stopped updating this pull request**")
    assert "A maintainer's note." in stopped
    assert pr_body.mark_stopped(stopped) == stopped  # once
    assert pr_body.mark_stopped("hand-written").endswith("hand-written")


# --------------------------------------------------------------------------- size


def test_huge_proposal_fits_github_limit() -> None:
    p = huge_proposal()
    body = body_for(p)
    assert len(body) <= pr_body.GITHUB_BODY_LIMIT
    assert "omitted" in body and "see the Files tab" in body
    assert "### GC105 goproxy-bypass" in body
    assert "**Why it matters.**" in body and "**The fix and its safety.**" in body
    assert "<details><summary>Configure or opt out</summary>" in body
    assert "- [ ] Let gocomply update this PR again" in body
    marker = pr_body.parse_marker(body)
    assert marker is not None and marker.fingerprints == p.fingerprints


def test_table_is_shortened_after_the_diffs() -> None:
    p = huge_proposal(files=40, per_file=8, lines=20)
    full = body_for(p)
    assert len(full) > 30000
    body = body_for(p, max_chars=30000)
    assert len(body) <= 30000
    assert "```diff" not in body  # every diff went first
    assert re.search(r"…and \d+ more \(see the Files tab\)", body)
    assert "### GC105 goproxy-bypass" in body


def test_hard_cut_keeps_opt_out_handback_and_marker() -> None:
    p = huge_proposal(files=5, per_file=3, lines=5)
    body = body_for(p, max_chars=4000)
    assert len(body) <= 4000
    assert "<details><summary>Configure or opt out</summary>" in body
    assert pr_body.parse_marker(body) is not None
    assert pr_body.handback_requested(body.replace("- [ ]", "- [x]"))


@st.composite
def proposals(draw: st.DrawFn) -> Proposal:
    codes = ["GC101", "GC102", "GC103", "GC104", "GC105", "GC106", "GC107", "GC201", "GC001"]
    files = []
    for i in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(["Dockerfile", "a/Dockerfile", "b c/x.Dockerfile"])) + str(i)
        n = draw(st.integers(0, 120))
        before = "".join(f"RUN step {k} {'`' * (k % 5)}\n" for k in range(n))
        after = "".join(f"RUN step {k}\n" for k in range(n) if k % 3) + draw(st.text(max_size=50))
        found = tuple(
            info(
                draw(st.sampled_from(codes)),
                j + 1,
                path=path,
                message=draw(st.text(max_size=200)),
                fix=draw(st.none() | st.text(max_size=80)),
                applicability=draw(st.sampled_from(["safe", "unsafe", None])),
                applied=draw(st.booleans()),
                note=draw(st.none() | st.text(max_size=80)),
                snippet=f"{i}-{j}",
            )
            for j in range(draw(st.integers(0, 8)))
        )
        files.append(FileChange(path, before, after, found))
    return proposal_of(*files)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(proposals(), st.integers(15000, 65536), st.none() | st.integers(1, 99999))
def test_body_length_limit(p: Proposal, max_chars: int, declined_pr: int | None) -> None:
    body = body_for(p, max_chars=max_chars, declined_pr=declined_pr)
    assert len(body) <= max_chars
    marker = pr_body.parse_marker(body)
    assert marker is not None and marker.fingerprints == p.fingerprints
    assert "<details><summary>Configure or opt out</summary>" in body
    for code in {f.code for _, f in p.applied}:
        assert f"### {code} " in body


# --------------------------------------------------------------------------- commits, issue


def test_commit_message_is_gitcommits_format() -> None:
    p = example_proposal()
    msg = pr_body.render_commit_message(["GC101", "GC102", "GC105"], p)
    assert msg.startswith("fix(docker): remove dangerous Go build settings (GC101, GC102, GC105)\n")
    assert "- Dockerfile:6: `go get -u ./...` → `go mod download` (GC101)" in msg
    assert "- deploy/worker.Dockerfile:2: " in msg
    only = pr_body.render_commit_message(["GC105"], p)
    assert only.splitlines()[0] == (
        "fix(docker): restore Go module proxy and checksum verification (GC105)"
    )
    assert "GC101" not in only
    assert pr_body.commit_groups(p) == [("GC101", "GC102", "GC105")]
    # the same text bot.gitcommit makes from engine findings
    results = {
        path: [
            f
            for f in analyze(text, path=path, options=ORG_PROXY, rules=machinery_rules()).findings
            if f.fix_applied
        ]
        for path, text in (("Dockerfile", EXAMPLE_DOCKERFILE),)
    }
    assert pr_body.render_commit_message(["GC105"], p) == commit_message(
        ["GC105"], {"Dockerfile": [f for f in results["Dockerfile"] if f.code == "GC105"]}
    )


def test_config_issue_from_dict_and_org_file() -> None:
    title, body = pr_body.render_config_issue(
        {"file": "gocomply.yml", "line": 3, "key": "max_open_prs", "message": "must be | a number"}
    )
    assert title == pr_body.CONFIG_ISSUE_TITLE
    assert "`gocomply validate --org gocomply.yml`" in body
    assert "gocomply-org.schema.json" in body
    assert "| `gocomply.yml` | 3 | `max_open_prs` | must be \\| a number |  |" in body
    assert pr_body.is_config_issue(body)
    assert not pr_body.is_config_issue("```\n" + pr_body.CONFIG_ISSUE_MARKER + "\n```")
    _, minimal = pr_body.render_config_issue({})
    assert "invalid configuration" in minimal


def test_marker_json_is_compact_and_sorted() -> None:
    m = pr_body.Marker(("GC105:Dockerfile:abcdefabcdef", "GC101:Dockerfile:012345678901"))
    payload = m.render()[len("<!-- gocomply:v1 ") : -len(" -->")]
    data = json.loads(payload)
    assert data["fingerprints"] == {"Dockerfile": ["GC101:012345678901", "GC105:abcdefabcdef"]}
    assert list(data) == sorted(data)


# --------------------------------------------------------------------------- docs/examples


def test_docs_examples_are_up_to_date() -> None:
    """docs/examples/ is what the code renders for examples/ (regenerate with
    ``python -m bot.pr_body --examples``)."""
    wanted = pr_body.example_pages()
    on_disk = {p.name: read_exact(p) for p in pr_body.SAMPLES_DIR.glob("*.md")}
    stale = sorted(n for n in set(wanted) | set(on_disk) if wanted.get(n) != on_disk.get(n))
    assert not stale, f"regenerate with `python -m bot.pr_body --examples`: {stale}"


def test_docs_examples_index_lists_every_example() -> None:
    readme = pr_body.example_pages()["README.md"]
    for d in sorted(pr_body.EXAMPLES_DIR.glob("*/Dockerfile")):
        assert f"| `{d.parent.name}/` |" in readme
    assert "## Reading a gocomply pull request" in readme  # the hand-written part is kept


def test_samples_make_only_true_claims() -> None:
    """What a reviewer of the samples checked, kept as assertions."""
    pages = pr_body.example_pages()
    for name, text in pages.items():
        if name == "README.md":
            continue
        body = text.split("\n---\n\n", 1)[1]
        marker = pr_body.parse_marker(body)
        assert marker is not None, name
        assert body.rstrip("\n").endswith("-->"), name
        if "GC101" in body.split("\n\n")[0] or "GC104" in body.split("\n\n")[0]:
            assert SAME_OUTPUTS not in body, name
        # RULES.md: the default GOBIN is $GOPATH/bin (/go/bin), never /usr/local/go/bin
        assert not re.search(r"GOBIN[^.\n]*(is|=|defaults? to) `?/usr/local/go/bin", body), name
    combined = pages["all-examples.md"]
    assert "docker build -f examples/goproxy-bypass/Dockerfile examples/goproxy-bypass" in combined


def test_main_check_and_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pr_body, "SAMPLES_DIR", tmp_path)
    (tmp_path / "stale.md").write_text("old", encoding="utf-8")
    assert pr_body.main(["--examples", "--check"]) == 1
    assert pr_body.main(["--examples"]) == 0
    assert not (tmp_path / "stale.md").exists()
    assert pr_body.main(["--examples", "--check"]) == 0


def test_hard_cut_never_leaves_a_code_block_or_details_open() -> None:
    tail = "<details><summary>Configure or opt out</summary>\n\nx\n\n</details>\n\n<!-- m -->\n"
    head = "intro\n\n<details><summary>d</summary>\n\n````sh\n" + "line\n" * 500 + "````\n\n"
    cut = pr_body._hard_cut(head + tail, 1200)
    assert len(cut) <= 1200
    assert cut.endswith(tail)
    before = cut[: -len(tail)]
    assert before.count("````") % 2 == 0
    assert before.count("<details>") == before.count("</details>")
