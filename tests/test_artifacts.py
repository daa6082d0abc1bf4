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
