"""Module downloads that bypass the module proxy or the checksum database.

## What it does

Finds Go settings that skip the organisation's module proxy or Go's checksum verification:
`GOPROXY` with `direct` as its first entry, `GOSUMDB=off`, `GONOSUMDB`/`GOINSECURE` patterns
wider than the configured private module patterns, `GOPRIVATE=*`, and `-insecure` in
`GOFLAGS` — wherever they are set: `ENV`, `ARG` defaults, `export`, `K=V cmd`, `env K=V cmd`,
`go env -w` (which persists in the image like an `ENV`) and make variables. `GONOSUMCHECK` is
reported too: it is not a Go setting, but it shows an intent to skip verification.
`GOPROXY=off` is not reported: after `go mod download`, or with vendoring, it is a deliberate
offline (hermetic) build.

## Why is this bad?

`GOSUMDB=off` turns off Go's checksum database, so a module whose content changed upstream is
accepted without complaint. `GOPROXY=direct` fetches every module from its origin repository
instead of the proxy: builds then depend on every origin being up, bypass the organisation's
proxy and its policies, and pick up tag rewrites at the origin for modules the checksum
database does not cover. With the checksum database still on, public modules are still
verified, so `direct` alone is an availability and policy problem rather than an integrity one.

## Example

```dockerfile
FROM golang:1.22
ENV GOPROXY=direct GOSUMDB=off CGO_ENABLED=0
RUN go env -w GOPRIVATE=*
```

becomes (with no org proxy configured, Go's default proxy applies):

```dockerfile
FROM golang:1.22
ENV CGO_ENABLED=0
```

## Fix safety

Safe: the same module versions are downloaded, now through the proxy and verified. With
`goproxy:` configured, `GOPROXY` is set to that proxy; otherwise the override is dropped and Go's
default (`https://proxy.golang.org,direct`) applies. Other settings in the same instruction, and
`GOPRIVATE` patterns for private modules, stay. Values that come from another variable
(`ENV GOPROXY=$PROXY`) and `GONOSUMDB`/`GOINSECURE` patterns that may name private modules are
reported without an edit: list private modules in `private_patterns`.
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from rewriters.context import RuleContext
from rewriters.document import Document
from rewriters.edits import Edit, Span
from rewriters.goenv import Setting, find_settings
from rewriters.registry import Fix, Violation, rule

NAMES = frozenset(
    {"GOPROXY", "GOSUMDB", "GONOSUMDB", "GONOSUMCHECK", "GOINSECURE", "GOPRIVATE", "GOFLAGS"}
)
_MATCH_ALL = frozenset({"*", "*/*", "**"})


def _covered(pattern: str, private: tuple[str, ...]) -> bool:
    """Is module pattern ``pattern`` within one of the configured private patterns?"""
    return any(
        pattern == p or fnmatchcase(pattern, p) or fnmatchcase(pattern, p + "/*") for p in private
    )


def _drop_or_set(s: Setting, new_value: str | None, what: str) -> Fix | None:
    """Fix that writes ``new_value`` (or removes the setting when None)."""
    if s.via is not None or s.script_has_errors:
        return None
    if new_value is None:
        if s.kind == "arg" and s.value_span is not None:
            # keep the ARG declared, so `--build-arg` still works; an empty value means Go's
            # default
            eq = Span(s.value_span.start - 1, s.value_span.end)
            return Fix((Edit(eq, ""),), f"default of `ARG {s.name}` removed (`{what}`)")
        if s.removal is None:
            return None
        return Fix(s.removal, f"`{what}` removed")
    edit = s.replace_value(new_value)
    if edit is None:
        return None
    return Fix((edit,), f"`{what}` → `{new_value}`")


def _patterns_fix(s: Setting, kept: list[str], what: str) -> Fix | None:
    if not kept:
        return _drop_or_set(s, None, what)
    return _drop_or_set(s, ",".join(kept), what)


def _check_setting(s: Setting, ctx: RuleContext) -> Violation | None:
    opts = ctx.options
    value = s.value
    shown = f"{s.name}={s.raw_value}" if s.kind != "env" or s.raw_value else s.name
    via_note = f"the value comes from ${s.via}; change it where {s.via} is set" if s.via else None
    if value is None:
        return None
    if s.name == "GOPROXY":
        entries = [e.strip() for e in value.replace("|", ",").split(",") if e.strip()]
        if not entries or entries[0] != "direct":
            return None
        target = opts.goproxy
        fix = _drop_or_set(s, target, shown)
        where = "the organisation's proxy" if target else "the module proxy"
        return Violation(
            s.span,
            f"`{shown}` makes go fetch every module from its origin repository instead of "
            f"{where}, bypassing its caching and policies.",
            fix,
            note=via_note,
        )
    if s.name == "GOSUMDB":
        if value.strip() != "off":
            return None
        return Violation(
            s.span,
            f"`{shown}` turns off Go's checksum database, so module content that changed "
            "upstream is accepted without verification.",
            _drop_or_set(s, opts.gosumdb, shown),
            note=via_note,
        )
    if s.name == "GONOSUMCHECK":
        return Violation(
            s.span,
            f"`{shown}` is not a Go setting (`go help environment` does not list it); setting it "
            "shows an intent to skip module checksum verification.",
            _drop_or_set(s, None, shown),
            note=via_note,
        )
    if s.name in ("GONOSUMDB", "GOINSECURE", "GOPRIVATE"):
        patterns = [p.strip() for p in value.split(",") if p.strip()]
        match_all = [p for p in patterns if p in _MATCH_ALL]
        if s.name == "GOPRIVATE":
            if not match_all:
                return None
            kept = [p for p in patterns if p not in _MATCH_ALL]
            return Violation(
                s.span,
                f"`{shown}` marks every module as private, so no module is fetched through the "
                "proxy or verified against the checksum database.",
                _patterns_fix(s, kept, shown),
                note=via_note,
            )
        wide = [p for p in patterns if not _covered(p, opts.private_patterns)]
        if not wide:
            return None
        effect = (
            "skips checksum verification"
            if s.name == "GONOSUMDB"
            else "allows insecure (plain HTTP or unverified TLS) fetching"
        )
        listed = ", ".join(f"`{p}`" for p in wide)
        if match_all:
            kept = [p for p in patterns if p not in _MATCH_ALL]
            return Violation(
                s.span,
                f"`{shown}` {effect} for every module.",
                _patterns_fix(s, kept, shown),
                note=via_note,
            )
        return Violation(
            s.span,
            f"`{shown}` {effect} for {listed}, which the configured private module patterns "
            "do not cover.",
            None,
            note="if these are your private modules, list them in `private_patterns` in "
            ".gocomply.yml",
        )
    if s.name == "GOFLAGS":
        flags = value.split()
        bad = [f for f in flags if f.split("=", 1)[0] in ("-insecure", "--insecure")]
        if not bad:
            return None
        kept = [f for f in flags if f not in bad]
        return Violation(
            s.span,
            f"`{shown}` contains `-insecure`, the old flag for fetching modules without TLS "
            "or checksum verification.",
            _drop_or_set(s, " ".join(kept) if kept else None, shown),
            note=via_note,
        )
    return None


@rule(
    code="GC105",
    name="goproxy-bypass",
    severity="error",
    fix="safe",
    commit="restore Go module proxy and checksum verification",
    outputs=None,
)
def check(doc: Document, ctx: RuleContext) -> Iterator[Violation]:
    model = ctx.model(doc)
    for setting in find_settings(doc, model, NAMES):
        v = _check_setting(setting, ctx)
        if v is not None:
            yield v
