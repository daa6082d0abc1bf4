# syntax=docker/dockerfile:1
# gocomply's own image: the `gocomply` CLI (and later the GitHub App) on distroless Python.
#
#   docker build -t gocomply .
#   docker run --rm -v "$PWD:/src:ro" gocomply check /src
#
# The runtime is gcr.io/distroless/python3-debian12, whose interpreter is Debian 12's Python 3.11
# at /usr/bin/python3. A virtualenv copied from another image would point at that image's
# interpreter (/usr/local/bin/python3 in python:*-slim), so the package is installed as plain
# files with `pip install --target` and found through PYTHONPATH. Compiled wheels (tree-sitter,
# dockerfile, PyYAML) are built for the builder's Python, hence the builder is Python 3.11 on
# Debian 12 as well: keep the two in step when either moves.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir --target /app .

FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=build /app /app
# GitPython refuses to import without a git executable unless told to stay quiet; the image has
# no git, so `gocomply fix --commit` (GitPython) cannot work inside it; check/fix/explain do.
ENV PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    GIT_PYTHON_REFRESH=quiet
WORKDIR /src
USER 65532:65532
ENTRYPOINT ["/usr/bin/python3", "-m", "bot.cli"]
