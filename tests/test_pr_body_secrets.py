"""bot.pr_body: the "How to build now" section for build arguments that became secret mounts."""

from __future__ import annotations

from bot import pr_body
from bot.proposal import FileChange, Proposal
from rewriters.engine import analyze
from rewriters.options import Options
from rewriters.registry import find_rule

BEFORE = """\
FROM golang:1.23 AS build
ARG GITHUB_TOKEN
RUN curl -fsSLo /tmp/t.tgz -H "Authorization: Bearer ${GITHUB_TOKEN}" https://x/t.tgz
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
"""

SECTION = """\
### How to build now

The build takes `GITHUB_TOKEN` from a BuildKit secret instead of a build argument, so the \
value no longer ends up in the image's history or the build cache. Where you ran \
`docker build --build-arg GITHUB_TOKEN=… .`, set the variable in the environment of \
`docker build` and run:

```sh
docker build --secret id=github_token,env=GITHUB_TOKEN .
```

In GitHub Actions, `docker/build-push-action` takes it under `secrets:` instead of \
`build-args:` (use the repository secret you passed before):

```yaml
with:
  # was:
  # build-args: |
  #   GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}
  secrets: |
    github_token=${{ secrets.GITHUB_TOKEN }}
```

gocomply does not change files under `.github/workflows/` (that needs the `workflows` \
permission, which it does not ask for): make this change in the workflow yourself, in the \
same pull request."""


def _body(before: str, options: Options) -> str:
    rule = find_rule("GC207")
    assert rule is not None
    result = analyze(before, options=options, rules=[rule])
    proposal = Proposal(
        "acme/svc",
        "main",
        (FileChange("Dockerfile", before, result.new_text, result.findings),),
        "0" * 64,
        "0.1.0",
    )
    return pr_body.render_body(proposal, config_hash="0" * 64)


def test_applied_gc207_fix_shows_the_new_invocation() -> None:
    body = _body(BEFORE, Options(unsafe_fixes=("GC207",)))
    assert SECTION in body
    # the section follows "How to verify" and comes before the rest of the body
    assert body.index("### How to verify") < body.index("### How to build now")
    assert "`ARG GITHUB_TOKEN` becomes a secret mount" in body  # the changes table


def test_suggestion_only_shows_the_invocation_in_the_fix_description() -> None:
    body = _body(BEFORE, Options())
    assert "### How to build now" not in body
    assert "build with `--secret id=github_token,env=GITHUB_TOKEN`" in body
    assert "unsafe_fixes: [GC207]" in body


def test_secrets_from_build_args_pairs_new_env_mounts_with_removed_args() -> None:
    after = (
        "FROM golang:1.23\n"
        "RUN --mount=type=secret,id=gh,env=GH_PAT --mount=type=secret,id=npm,env=NPM_TOKEN "
        "make\n"
        "RUN --mount=type=secret,id=old,env=OLD_TOKEN make\n"
    )
    before = (
        "FROM golang:1.23\nARG GH_PAT\nRUN make\n"
        "RUN --mount=type=secret,id=old,env=OLD_TOKEN make\n"
    )
    # NPM_TOKEN was not an ARG before; OLD_TOKEN's mount was already there
    assert pr_body.secrets_from_build_args(before, after) == [("gh", "GH_PAT")]


def test_no_section_without_secret_mounts() -> None:
    text = "FROM golang:1.23\nARG VERSION\nRUN go build .\n"
    assert pr_body.secrets_from_build_args(text, text) == []
    proposal = Proposal(
        "acme/svc", "main", (FileChange("Dockerfile", text, text, ()),), "0" * 64, "0.1.0"
    )
    assert pr_body._build_now_section(proposal) == ""


def test_unsafe_sentence_is_not_repeated_in_the_safety_paragraph() -> None:
    body = _body(BEFORE, Options(unsafe_fixes=("GC207",)))
    safety = next(ln for ln in body.splitlines() if ln.startswith("**The fix and its safety.**"))
    assert safety.count("it changes the build invocation") == 1
