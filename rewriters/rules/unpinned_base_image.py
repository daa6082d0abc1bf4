"""Base images named by tag only, without a digest.

## What it does

Finds every `FROM` whose image has no `@sha256:` digest: `FROM golang:1.23-alpine`,
`FROM --platform=$BUILDPLATFORM golang:1.23 AS build`, `FROM alpine` (which pulls `latest`).
`FROM scratch` (it has no digest) and `FROM <stage>` of an earlier stage are not reported; a
stage built `FROM` another stage is pinned when that stage's base is (so is
`FROM ${TARGETOS}` when it can only select earlier stages such as `linux` or `windows`). An image
that comes from a build `ARG` (`FROM golang:${GO_VERSION}`) is reported without a fix: its
digest depends on a value given at build time.

## Why is this bad?

A tag is a name the publisher can point at other content at any time; official images move
their tags with every rebuild. Two builds of the same commit can then start from different
bases, and a compromised or broken push lands in the image without any change to the
repository. OpenSSF Scorecard's Pinned-Dependencies check counts a `FROM` as pinned only with
`@sha256:<64 hex>`.

## Example

```dockerfile
FROM golang:1.23-alpine AS build
```

becomes, with the digest the registry serves for that tag:

```dockerfile
FROM golang:1.23-alpine@sha256:<index digest> AS build
```

## Fix safety

Safe when the digest is known: gocomply asks the registry (OCI distribution API) for the tag's
manifest, accepting image index and manifest list types, and pins the digest it serves for the
tag — for a multi-platform tag the index digest, so every platform still resolves. The tag is
kept next to the digest (`image:tag@sha256:…`) so readers and update tools still see the
version; Docker pulls by the digest. Only the reference changes: `--platform`, `AS name`, the
keyword's case and the spacing stay as written. The digest is what the tag points at now, so
the build starts from the same image it would start from today.

Without a digest (resolution is off, which is the CLI's default; the registry could not be
reached or does not know the tag; the image comes from an `ARG`) the rule only reports, with
the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rewriters.context import RuleContext
from rewriters.document import Document
from rewriters.edits import Edit
from rewriters.images import parse_image, parse_image_partial
from rewriters.model import Model
from rewriters.registry import Fix, Violation, rule

_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_SHA256 = re.compile(r"sha256:[0-9a-f]{64}")
_REFERENCE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")


def _may_name_a_stage(text: str, aliases: list[str]) -> bool:
    """Could ``text`` (with ARG references) expand to one of ``aliases`` (``FROM ${TARGETOS}``
    choosing between stages ``linux`` and ``windows``)?"""
    pattern = ".+".join(re.escape(part) for part in _REFERENCE.split(text))
    return any(re.fullmatch(pattern, alias, re.IGNORECASE | re.DOTALL) for alias in aliases)


def _message(written: str) -> str:
    return (
        f"`{written}` is not pinned by digest: its tag can be moved to other content, so two "
        "builds of one commit can start from different images, and OpenSSF Scorecard counts it "
        f"as unpinned; pin it as `{written}@sha256:<index digest>`."
    )


@rule(
    code="GC209",
    name="unpinned-base-image",
    severity="info",
    fix="safe",
    commit="pin base images by digest",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model: Model = ctx.model(doc)
    for stage in model.stages:
        if stage.parent is not None or not stage.from_.args:
            continue  # FROM <stage>: pinned iff that stage's base is
        word = stage.from_.args[0]
        written = word.value
        if "$" in word.text:
            partial = parse_image_partial(written)
            if partial is not None and partial.digest is not None:
                continue  # `@sha256:${DIGEST}`: a digest from an ARG (Scorecard accepts it)
            expanded = parse_image(stage.image) if stage.image_known else None
            if expanded is not None and (expanded.digest is not None or expanded.is_scratch):
                continue  # the ARG's default names a digest (or scratch)
            earlier = [st.alias for st in model.stages[: stage.index] if st.alias is not None]
            if _may_name_a_stage(word.text, earlier):
                continue  # may select an earlier stage: pinned iff that stage's base is
            names = ", ".join(dict.fromkeys(f"`{n}`" for n in _VARIABLE.findall(word.text)))
            yield Violation(
                word.span,
                _message(written),
                note=f"cannot pin: the image comes from an ARG ({names or written}), so its "
                "digest depends on the value given at build time; pin it where that value is set",
            )
            continue
        ref = parse_image(written)
        if ref is None or ref.is_scratch or ref.digest is not None:
            continue  # not a reference we can judge, scratch, or already pinned
        answer = ctx.options.image_digest(ref.tagged)
        if answer is None:
            note = (
                f"the digest of {ref.tagged} was not looked up (digest resolution is off; "
                "`gocomply fix --resolve-digests` asks the registry)"
            )
            yield Violation(word.span, _message(written), note=note)
            continue
        if answer.digest is None or _SHA256.fullmatch(answer.digest) is None:
            if answer.digest is None:
                reason = answer.reason or "no reason given"
            else:
                reason = f"{answer.digest!r} is not a sha256 digest"
            note = f"cannot pin: no digest for {ref.tagged}: {reason}"
            yield Violation(word.span, _message(written), note=note)
            continue
        if word.text != written:
            note = "cannot pin: the image reference is quoted or escaped; add the digest by hand"
            yield Violation(word.span, _message(written), note=note)
            continue
        fix = Fix(
            (Edit.insert(word.span.end, f"@{answer.digest}"),),
            f"pin `{written}` to `{written}@{answer.digest}`",
        )
        yield Violation(word.span, _message(written), fix=fix)
