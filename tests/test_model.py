"""Stages and scope follow Docker's rules (ENV inherited, ARG not, global ARGs in FROM)."""

from __future__ import annotations

from rewriters.document import Document
from rewriters.model import Model

TEXT = """\
ARG GO_VERSION=1.22
ARG PROXY=direct
FROM golang:${GO_VERSION}-alpine AS build
ARG PROXY
ENV GOPROXY=$PROXY GOFLAGS=-mod=vendor
WORKDIR src
ARG LOCAL=1
RUN go build
FROM build AS test
RUN go test
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/src/app /app
"""


def test_stages_parents_and_base_facts() -> None:
    model = Model.build(Document.parse(TEXT))
    build, test, final = model.stages
    assert build.image == "golang:1.22-alpine" and build.image_known
    assert build.alias == "build" and build.parent is None
    assert build.base_facts.go_toolchain and build.base_facts.family == "alpine"
    assert test.parent == 0 and test.base_facts == build.base_facts
    assert final.base_facts.distroless_variant == "static" and final.base_facts.nonroot
    assert model.stage_named("BUILD") is build
    assert list(model.children(build)) == [test]


def test_env_is_inherited_arg_is_not() -> None:
    doc = Document.parse(TEXT)
    model = Model.build(doc)
    run_build = doc.instructions[7]
    run_test = doc.instructions[9]
    s1 = model.scope_before(run_build)
    assert s1.env["GOPROXY"].value == "direct"  # global ARG redeclared, then expanded
    assert s1.args["LOCAL"].value == "1"
    assert s1.workdir == "/go/src"  # golang images start in /go
    s2 = model.scope_before(run_test)
    assert s2.env["GOPROXY"].value == "direct"
    assert "LOCAL" not in s2.args and "PROXY" not in s2.args
    assert s2.workdir == "/go/src"


def test_undeclared_variables_are_empty_only_on_known_images() -> None:
    text = "ARG X=1\nFROM {image}\nARG Y\nENV A=$X B=${{NOPE:-d}} C=$Y\nRUN true\n"
    doc = Document.parse(text.format(image="alpine:3.20"))
    scope = Model.build(doc).scope_before(doc.instructions[-1])
    # X was not redeclared in the stage, so it is empty there, as is NOPE
    assert (scope.env["A"].value, scope.env["B"].value) == ("", "d")
    assert scope.env["C"].value is None  # a declared ARG without default: a build-arg
    doc = Document.parse(text.format(image="myorg/builder:1"))
    scope = Model.build(doc).scope_before(doc.instructions[-1])
    assert scope.env["A"].value is None  # the unknown image may define X


def test_env_pairs_use_scope_before_the_instruction() -> None:
    doc = Document.parse("FROM alpine\nENV A=1\nENV A=2 B=$A\nRUN true\n")
    scope = Model.build(doc).scope_before(doc.instructions[-1])
    assert (scope.env["A"].value, scope.env["B"].value) == ("2", "1")


LINEAGE = """\
FROM golang:1.23-alpine AS base
ENV GOFLAGS=-mod=vendor
FROM base AS build
RUN --mount=from=tools,target=/t go build -o /out/app .
FROM build AS test
FROM alpine:3.20 AS tools
ONBUILD COPY --from=base /x /x
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
"""


def test_lineage_ancestors_and_root_image() -> None:
    model = Model.build(Document.parse(LINEAGE))
    base, _build, test, _tools, final = model.stages
    assert [s.index for s in model.lineage(test)] == [0, 1, 2]
    assert [s.index for s in model.ancestors(test)] == [0, 1]
    assert model.root(test) is base and model.ancestors(base) == ()
    # what FROM says vs the image the filesystem starts from
    assert test.image == "build" and test.from_stage
    assert test.root_image == "golang:1.23-alpine" and test.root_facts.family == "alpine"
    assert not base.from_stage and base.root_image == base.image
    assert model.descends_from(test, base) and not model.descends_from(final, base)
    assert model.final is final


def test_binding_at_end_of_stage() -> None:
    model = Model.build(Document.parse(LINEAGE))
    base, _build, test, _tools, final = model.stages
    b = model.end_binding(test, "GOFLAGS")
    assert b is not None and b.value == "-mod=vendor" and b.kind == "env"
    assert model.end_binding(final, "GOFLAGS") is None
    assert model.end_scope(base).workdir == "/go"


def test_feeds_from_copy_and_mount() -> None:
    model = Model.build(Document.parse(LINEAGE))
    _base, build, _test, _tools, _final = model.stages
    feeds = {(f.source.index, f.target.index, f.kind) for f in model.feeds()}
    # the ONBUILD COPY runs in another build: it does not take from `base` here
    assert feeds == {(0, 1, "from"), (1, 2, "from"), (3, 1, "mount"), (1, 4, "copy")}
    assert [f.source.alias for f in model.sources_of(build)] == ["base", "tools"]
    assert [f.target.index for f in model.consumers_of(build)] == [2, 4]
    assert model.image_stages() == {2, 4}


def test_shell_at_follows_the_stage_lineage() -> None:
    doc = Document.parse(
        'FROM golang:1.22 AS base\nRUN a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        "RUN b\nFROM base AS child\nRUN c\nFROM alpine\nRUN d\n"
    )
    model = Model.build(doc)
    runs = [i for i in doc.instructions if i.name == "RUN"]
    assert [model.shell_at(r) for r in runs] == [
        None,
        ("/bin/bash", "-o", "pipefail", "-c"),
        ("/bin/bash", "-o", "pipefail", "-c"),
        None,
    ]
