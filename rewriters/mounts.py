"""``RUN --mount`` values as BuildKit reads them.

One parser for every reader: the model (which stages a ``from=`` mount takes files from), the
edit helpers (is a cache mount already there?) and rules (cache and secret mounts).
"""

from __future__ import annotations

import csv


def mount_options(value: str) -> dict[str, str]:
    """The options of a ``--mount`` value (``type=cache,target=/x``), keys lower-cased,
    ``dst``/``destination`` read as ``target`` and ``src`` as ``source``; a bare key (``ro``)
    maps to ``""``; ``type`` defaults to ``bind`` as in BuildKit."""
    aliases = {"dst": "target", "destination": "target", "src": "source"}
    out: dict[str, str] = {}
    for field in next(csv.reader([value])) if value else []:
        key, _, val = field.partition("=")
        key = key.strip().lower()
        out[aliases.get(key, key)] = val
    out.setdefault("type", "bind")
    return out
