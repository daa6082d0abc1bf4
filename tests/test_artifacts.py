"""Produced and consumed paths across stages."""

from __future__ import annotations

from rewriters.artifacts import consumers, products
from rewriters.document import Document
from rewriters.gocmd import package_binary_name
from rewriters.model import Model

TEXT = """\
FROM golang:1.22 AS build
WORKDIR /src
RUN go build -ldflags="-X main.v=$V" -o bin/ ./cmd/server && cd tools && go build -o /out/tool .
RUN go install ./cmd/worker github.com/acme/x/v2@v2.1.0
RUN GOBIN=/usr/local/bin go install golang.org/x/tools/cmd/stringer@v0.20.0
RUN GOOS=linux go install ./cmd/cross
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/server /go/bin/worker /app/
ENTRYPOINT ["/app/server"]
"""


def test_products() -> None:
    doc = Document.parse(TEXT)
    got = [(p.path, p.how, p.exact) for p in products(doc, Model.build(doc))]
    assert got == [
        ("/src/bin/server", "go-build", True),
        ("/out/tool", "go-build", True),
        ("/go/bin/worker", "go-install", True),
        ("/go/bin/x", "go-install", True),
        ("/usr/local/bin/stringer", "go-install", True),
        ("/go/bin/cross", "go-install", False),
    ]


def test_consumers() -> None:
    doc = Document.parse(TEXT)
    model = Model.build(doc)
    got = [
        (c.path, c.kind, c.from_stage.alias if c.from_stage else None)
        for c in consumers(doc, model)
    ]
    assert ("/src/bin/server", "copy-from", "build") in got
    assert ("/go/bin/worker", "copy-from", "build") in got
    assert ("/app/server", "entrypoint", None) in got
    assert ("go", "run", None) in got


def test_package_binary_name() -> None:
    assert package_binary_name("./cmd/x") == "x"
    assert package_binary_name("github.com/a/b/v3@v3.0.1") == "b"
    assert package_binary_name("golang.org/x/tools/gopls@latest") == "gopls"
    assert package_binary_name(".") is None
    assert package_binary_name("./...") is None
    assert package_binary_name("./cmd/tool/v2") == "tool"


def test_build_into_dir_with_several_packages() -> None:
    doc = Document.parse("FROM golang:1.22\nWORKDIR /src\nRUN go build -o /out/ ./cmd/a ./cmd/b\n")
    got = [p.path for p in products(doc, Model.build(doc))]
    assert got == ["/out/a", "/out/b"]


def test_carries() -> None:
    from rewriters.artifacts import carries

    assert carries("/out/app", "/out/app")
    assert carries("/out", "/out/app") and carries("/out/", "/out/app") and carries("/", "/x")
    assert carries("/out/*", "/out/app") and carries("/src/*/bin", "/src/x/bin/app")
    assert not carries("/out/ap", "/out/app") and not carries("/out/*.exe", "/out/app")
    assert carries("/o*", "/out/x/y")


def test_copy_sources_unknown_when_a_source_uses_an_unknown_arg() -> None:
    from rewriters.artifacts import copy_sources

    doc = Document.parse(
        "FROM golang:1.22 AS build\nFROM scratch\nARG DIR\nARG K=/k\n"
        "COPY --from=build $DIR/app /app\nCOPY --from=build ${K}/a rel /x/\n"
    )
    model = Model.build(doc)
    copies = [i for i in doc.instructions if i.name == "COPY"]
    assert copy_sources(doc, model, copies[0]) is None
    assert copy_sources(doc, model, copies[1]) == ("/k/a", "/rel")


def test_deliveries() -> None:
    from rewriters.artifacts import deliveries

    doc = Document.parse(
        "FROM golang:1.22 AS build\nWORKDIR /src\nRUN go build -o /out/app . && go build -o t .\n"
        "FROM build AS mid\nRUN go build -o /mid/m .\n"
        "FROM scratch\nCOPY --from=mid /out/app /mid/m /\nCOPY --from=build /src/t /t\n"
    )
    model = Model.build(doc)
    final = model.final
    assert final is not None
    got = [
        (d.product.path, d.product.stage.alias, d.consumer.path if d.consumer else None)
        for d in deliveries(doc, model, final)
    ]
    assert got == [
        ("/out/app", "build", "/out/app"),
        ("/src/t", "build", "/src/t"),
        ("/mid/m", "mid", "/mid/m"),
    ]
    mid = model.stage_named("mid")
    assert mid is not None
    inside = [(d.product.path, d.consumer) for d in deliveries(doc, model, mid)]
    assert inside == [("/out/app", None), ("/src/t", None), ("/mid/m", None)]
