"""The ``gocomply`` command: check | fix | explain | rules | validate.

Invariants:
- `main` returns the exit code and never lets an exception escape as a traceback: 0 no findings
  at or above ``--fail-on``, 1 findings, 2 a usage error or any file (or config) that could not
  be read, parsed, written or committed.
- Work is per file: a file that fails gives one ``path: error: …`` line on stderr and the
  others are still processed; an unexpected exception becomes
  ``path: error: internal error: <type>: <message>``.
- Reports go to stdout (with ``fix --diff``: the diff goes to stdout and the report to stderr),
  error lines and logs to stderr. Files are processed and reported in sorted path order.
- ``fix`` writes a file only when the engine returned verified new text, atomically, keeping
  its bytes (CRLF, BOM) outside the edits; what it prints afterwards is a re-analysis of the
  written file, so lines and columns describe the file on disk. Files other than the
  Dockerfile that the fixes change (the context's ``.dockerignore``) are written with it, all
  temporaries first, so a failure leaves none of them half-written; ``--diff`` shows them too
  (a created file as a diff from ``/dev/null``).
- ``validate`` prints ``FILE: ok`` on stdout for each valid config file and every problem of
  the others on stderr (``FILE:LINE: key: message (hint)``); exit 0 when all are valid, else 2.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO, cast

from bot import logging as blog
from bot.config import ConfigError, RepoConfig, load_config, load_org_config
from bot.discover import (
    Excludes,
    Target,
    build_context,
    context_dir,
    discover,
    find_root,
)
from bot.fsio import ReadError, os_reason, read_text, write_texts_atomic
from bot.output import (
    FailOn,
    error_line,
    render_json,
    render_sarif,
    render_text,
    summarize,
    tool_version,
    unified_diff,
)
from rewriters.context import BuildContext
from rewriters.edits import SideFile
from rewriters.engine import FileResult, analyze
from rewriters.findings import Finding
from rewriters.registry import FAMILIES, Rule, all_rules, find_rule

if TYPE_CHECKING:
    from bot.oci import RegistryClient

Format = Literal["text", "json", "sarif"]
FAIL_ON: tuple[FailOn, ...] = ("error", "warning", "info", "never")
# Commands that work on local files only: they import the rewriters and what they need, never
# the App stack (GitHub client, store, sweep; see bot.cli_app), and log lazily.
LOCAL_COMMANDS = frozenset({"check", "fix", "explain", "rules", "validate"})


# --------------------------------------------------------------------------- arguments


class _Version(argparse.Action):
    """``--version``, reading the installed version only when asked (it costs an import)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"gocomply {tool_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="count", default=0, help="log progress to stderr (-vv: debug)"
    )
    common.add_argument(
        "--log-format", choices=("console", "json"), default="console", help="log line format"
    )

    scan = argparse.ArgumentParser(add_help=False)
    scan.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    scan.add_argument(
        "--format", choices=("text", "json", "sarif"), default="text", help="report format"
    )
    scan.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="warning",
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    scan.add_argument(
        "--all",
        action="store_true",
        help="also check Dockerfiles that build no Go (config: scope: all)",
    )
    scan.add_argument(
        "--config", metavar="FILE", help="use this config file instead of .gocomply.yml"
    )
    scan.add_argument("--unsafe", action="store_true", help="allow unsafe fixes for every rule")
    scan.add_argument(
        "--resolve-digests",
        action="store_true",
        help="ask the registries (network; config: registry_mirrors) for the digests of base "
        "images, so GC209 can pin them (default: no network, GC209 only reports)",
    )
    scan.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="only these rules: codes, names or code prefixes, comma-separated (GC1,GC203)",
    )
    scan.add_argument(
        "--ignore",
        action="append",
        metavar="RULES",
        help="skip these rules: codes, names or code prefixes, comma-separated",
    )

    parser = argparse.ArgumentParser(
        prog="gocomply",
        description="Find Dockerfiles that build Go programs, report dangerous patterns, "
        "and apply minimal verified fixes.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", parents=[common, scan], help="report findings")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("fix", parents=[common, scan], help="apply safe fixes in place")
    p.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    p.add_argument(
        "--commit",
        action="store_true",
        help="commit the fixes on a new branch, one commit per rule family",
    )
    p.add_argument(
        "--branch",
        metavar="NAME",
        help="branch for --commit (default: gocomply/remediate)",
    )
    p.set_defaults(func=cmd_fix)

    from bot.cli_app import add_app_commands

    add_app_commands(sub, common)

    p = sub.add_parser("explain", parents=[common], help="show a rule's documentation")
    p.add_argument("rule", metavar="RULE", help="code (GC105) or name (goproxy-bypass)")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("rules", parents=[common], help="list the rule catalog")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser(
        "validate",
        parents=[common],
        help="check configuration files (for CI and pre-commit)",
        description="Check .gocomply.yml files (or, with --org, an organisation's gocomply.yml): "
        "prints `FILE: ok` or every problem as `FILE:LINE: key: message (hint)`; exit 0 when "
        "all are valid, 2 otherwise.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="default: .gocomply.yml")
    p.add_argument(
        "--org", action="store_true", help="the files are org configs (gocomply.yml in .github)"
    )
    p.set_defaults(func=cmd_validate)
    return parser


# --------------------------------------------------------------------------- per-file work


@dataclass
class Scan:
    """Configuration per root and the files to analyse, for one invocation."""

    args: argparse.Namespace
    configs: dict[Path, RepoConfig] = field(default_factory=dict)
    problems: list[FileResult] = field(default_factory=list)  # configs and dirs that failed
    targets: list[Target] = field(default_factory=list)
    today: date = field(default_factory=date.today)  # waivers with until= expire by this date
    selected: tuple[Rule, ...] | None = None  # --select/--ignore; None: every rule
    # --resolve-digests: one registry client (and answer cache) per set of mirrors
    registries: dict[tuple[tuple[str, str], ...], RegistryClient] = field(default_factory=dict)
    registry_credentials: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def registry_for(self, cfg: RepoConfig) -> RegistryClient:
        from bot.oci import RegistryClient

        client = self.registries.get(cfg.registry_mirrors)
        if client is None:
            client = RegistryClient(
                mirrors=dict(cfg.registry_mirrors), credentials=self.registry_credentials
            )
            self.registries[cfg.registry_mirrors] = client
        return client

    def rules(self, rules: Sequence[Rule] | None) -> Sequence[Rule] | None:
        """``rules`` (None: all) narrowed to what ``--select``/``--ignore`` allow."""
        if self.selected is None:
            return rules
        if rules is None:
            return self.selected
        codes = {r.code for r in self.selected}
        return [r for r in rules if r.code in codes]

    def options_for(self, t: Target) -> tuple[RepoConfig, bool]:
        cfg = self.configs.get(t.root, RepoConfig())
        return cfg, bool(self.args.all) or cfg.scope == "all"


class SelectionError(ValueError):
    """A ``--select``/``--ignore`` word names no rule."""


def _matches(rule: Rule, word: str) -> bool:
    w = word.strip()
    return rule.name == w.lower() or rule.code.upper().startswith(w.upper())


def select_rules(
    select: Sequence[str] | None, ignore: Sequence[str] | None
) -> tuple[Rule, ...] | None:
    """The rules ``--select``/``--ignore`` leave (None when neither is given).

    Each word is a code (``GC203``), a code prefix (``GC2``: a family) or a rule name; a word
    that matches no rule is an error, so a typo never silently turns a check off."""
    if not select and not ignore:
        return None
    rules = all_rules()

    def words(values: Sequence[str] | None) -> list[str]:
        out = [w.strip() for v in values or () for w in v.split(",") if w.strip()]
        for w in out:
            if w.upper() not in FAMILIES and not any(_matches(r, w) for r in rules):
                raise SelectionError(f"no rule matches {w!r} (see `gocomply rules`)")
        return out

    chosen, dropped = words(select), words(ignore)
    return tuple(
        r
        for r in rules
        if (not chosen or any(_matches(r, w) for w in chosen))
        and not any(_matches(r, w) for w in dropped)
    )


def _config_problem(exc: ConfigError) -> FileResult:
    key = f"{exc.key}: " if exc.key else ""
    msg = f"invalid configuration at line {exc.line}: {key}{exc.message}"
    return FileResult(exc.file, "", "", (), error=msg)


def prepare(args: argparse.Namespace) -> Scan:
    """Load the config of every root and find the Dockerfiles."""
    scan = Scan(args)
    scan.selected = select_rules(getattr(args, "select", None), getattr(args, "ignore", None))
    if getattr(args, "resolve_digests", False):
        from bot.oci import CREDENTIALS_ENV, CredentialsError, credentials_from_env

        try:
            scan.registry_credentials = credentials_from_env(os.environ)
        except CredentialsError as exc:
            scan.problems.append(FileResult(f"${CREDENTIALS_ENV}", "", "", (), error=str(exc)))
    log = blog.get_logger()
    override: RepoConfig | None = None
    if args.config:
        try:
            override = load_config(args.config, display=args.config)
        except ConfigError as exc:
            scan.problems.append(_config_problem(exc))
            override = RepoConfig()
    seen_cfg: set[Path] = set()
    for raw in args.paths:
        root, cfg_path = find_root(Path(raw))
        if root in scan.configs:
            continue
        if override is not None:
            scan.configs[root] = override
            continue
        if cfg_path is None:
            scan.configs[root] = RepoConfig()
            continue
        try:
            scan.configs[root] = load_config(cfg_path, display=_display_config(cfg_path))
            log.debug("config.loaded", path=str(cfg_path))
        except ConfigError as exc:
            if cfg_path not in seen_cfg:
                scan.problems.append(_config_problem(exc))
            scan.configs[root] = RepoConfig()
        seen_cfg.add(cfg_path)
    excludes = {root: Excludes.compile(cfg.exclude) for root, cfg in scan.configs.items()}
    dir_errors: list[tuple[str, str]] = []
    scan.targets = discover(args.paths, excludes, dir_errors)
    for display, reason in dir_errors:
        scan.problems.append(FileResult(display, "", "", (), error=reason))
    return scan


def _display_config(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


def analyze_target(
    scan: Scan,
    t: Target,
    *,
    fix: bool,
    rules: Sequence[Rule] | None = None,
    pending: Mapping[str, str] | None = None,
) -> FileResult:
    """Read and analyse one file; every failure becomes a FileResult with ``error`` set."""
    log = blog.get_logger()
    try:
        text = read_text(t.path)
    except ReadError as exc:
        log.info("file.unreadable", path=t.display, error=str(exc))
        return FileResult(t.display, "", "", (), error=str(exc))
    try:
        return analyze_text(scan, t, text, fix=fix, rules=rules, pending=pending)
    except Exception as exc:
        log.info("file.internal_error", path=t.display, error=type(exc).__name__)
        return FileResult(
            t.display, text, text, (), error=f"internal error: {type(exc).__name__}: {exc}"
        )


def target_context(t: Target, pending: Mapping[str, str] | None = None) -> BuildContext:
    """The build context of ``t`` read from the working tree, its ``dir`` in the terms of
    ``t.display`` (so edits to its files name paths the CLI can open), with the side-file
    texts earlier fixes of this run would write (``pending``, not on disk with ``--diff``)."""
    ctx = context_dir(t.path, t.root)
    rel = os.path.relpath(ctx, Path(os.path.abspath(t.path)).parent)
    where = posixpath.normpath(posixpath.join(posixpath.dirname(t.display), Path(rel).as_posix()))
    bc = replace(build_context(ctx), dir="" if where == "." else where)
    for path, side_text in (pending or {}).items():
        bc = bc.with_side_file(path, side_text)
    return bc


def analyze_text(
    scan: Scan,
    t: Target,
    text: str,
    *,
    fix: bool,
    rules: Sequence[Rule] | None = None,
    pending: Mapping[str, str] | None = None,
) -> FileResult:
    cfg, scope_all = scan.options_for(t)
    options = cfg.options(unsafe=bool(scan.args.unsafe))
    if getattr(scan.args, "resolve_digests", False):
        options = replace(options, image_digests=scan.registry_for(cfg).answers_for(text))
    result = analyze(
        text,
        path=t.display,
        options=options,
        build_context=target_context(t, pending),
        rules=scan.rules(rules),
        fix=fix,
        scope_all=scope_all,
        today=scan.today,
    )
    log = blog.get_logger()
    if result.error is not None:
        log.info("file.error", path=t.display, error=result.error)
    elif result.skipped is not None:
        log.info("file.skipped", path=t.display, reason=result.skipped)
    else:
        log.info("file.checked", path=t.display, findings=len(result.findings))
        for code, reason in result.refused:
            log.info("fix.refused", path=t.display, rule=code, reason=reason)
    return result


def _print_errors(results: Sequence[FileResult], err: TextIO) -> None:
    for r in results:
        if r.error is not None:
            print(error_line(r.path, r.error), file=err)


def _emit(
    results: list[FileResult],
    args: argparse.Namespace,
    *,
    mode: Literal["check", "fix", "diff"],
    fixed: int | None = None,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    _print_errors(results, sys.stderr)
    summary = summarize(results, fail_on=cast(FailOn, args.fail_on), fixed=fixed)
    fmt = cast(Format, args.format)
    if fmt == "json":
        out.write(render_json(results, summary))
    elif fmt == "sarif":
        out.write(render_sarif(results, all_rules()))
    else:
        out.write(render_text(results, summary, mode=mode))
    out.flush()
    return summary.exit_code


# --------------------------------------------------------------------------- commands


def cmd_check(args: argparse.Namespace) -> int:
    scan = prepare(args)
    results = list(scan.problems)
    results += [analyze_target(scan, t, fix=False) for t in scan.targets]
    return _emit(results, args, mode="check")


def cmd_fix(args: argparse.Namespace) -> int:
    if args.commit and args.diff:
        return _usage("fix: --commit and --diff cannot be combined")
    if args.branch and not args.commit:
        return _usage("fix: --branch needs --commit")
    if args.diff and args.format != "text":
        return _usage("fix: --diff prints a diff; --format only applies without --diff")
    if args.commit:
        return _fix_commit(args)
    scan = prepare(args)
    results = list(scan.problems)
    diffs: list[str] = []
    fixed = 0
    log = blog.get_logger()
    pending: dict[str, str] = {}  # side files as this run's fixes left them (for --diff)
    for t in scan.targets:
        first = analyze_target(scan, t, fix=True, pending=pending)
        if first.error is not None or not first.changed:
            results.append(first)
            continue
        applied = sum(1 for f in first.findings if f.fix_applied)
        if args.diff:
            diffs.append(unified_diff(t.display, first.text, first.new_text))
            diffs += [side_diff(s) for s in first.side_files]
            pending.update((s.path, s.after) for s in first.side_files)
            fixed += applied
            results.append(first)
            continue
        try:
            write_texts_atomic(changed_files(t, first))
        except OSError as exc:
            results.append(replace(first, error=f"could not write the fix: {os_reason(exc)}"))
            continue
        fixed += applied
        log.info(
            "fix.written",
            path=t.display,
            rules=list(first.applied),
            also=[s.path for s in first.side_files],
        )
        results.append(_after_write(scan, t, first))
    if args.diff:
        sys.stdout.write("".join(diffs))
        sys.stdout.flush()
        return _emit(results, args, mode="diff", fixed=fixed, out=sys.stderr)
    return _emit(results, args, mode="fix", fixed=fixed)


def changed_files(t: Target, result: FileResult) -> list[tuple[Path | str, str]]:
    """Every file the verified fixes of ``result`` change, with its new text.

    Side files are named in the terms of ``t.display`` (see `target_context`), which is a path
    the CLI can open as it stands.
    """
    files: list[tuple[Path | str, str]] = []
    if result.new_text != result.text:
        files.append((t.path, result.new_text))
    files += [(Path(s.path), s.after) for s in result.side_files]
    return files


def side_diff(s: SideFile) -> str:
    """The unified diff of a side file; a created one comes from ``/dev/null``."""
    diff = unified_diff(s.path, s.before or "", s.after)
    if s.created and diff.startswith("--- a/"):
        diff = "--- /dev/null" + diff[diff.index("\n") :]
    return diff


def _after_write(scan: Scan, t: Target, first: FileResult) -> FileResult:
    """What remains in the written file, located in its new text."""
    try:
        again = analyze_text(scan, t, first.new_text, fix=True)
    except Exception as exc:
        return replace(first, error=f"internal error: {type(exc).__name__}: {exc}")
    findings = tuple(replace(f, fix_applied=False) for f in again.findings)
    return replace(
        again, text=first.text, new_text=first.new_text, findings=findings, applied=first.applied
    )


def _fix_commit(args: argparse.Namespace) -> int:
    from git import GitCommandError

    from bot import gitcommit

    branch = args.branch or gitcommit.DEFAULT_BRANCH
    try:
        repo = gitcommit.open_clean_repo(Path(args.paths[0]).resolve())
        gitcommit.check_branch_name(repo, branch)
    except gitcommit.CommitError as exc:
        print(f"gocomply: error: {exc}", file=sys.stderr)
        return 2
    scan = prepare(args)
    results_by_path: dict[str, FileResult] = {r.path: r for r in scan.problems}
    rel: dict[str, str] = {}
    targets: list[Target] = []
    for t in scan.targets:
        try:
            rel[t.display] = gitcommit.repo_relative(repo, t.path)
            targets.append(t)
        except gitcommit.CommitError as exc:
            results_by_path[t.display] = FileResult(t.display, "", "", (), error=str(exc))
    log = blog.get_logger()
    created = False
    commits: list[str] = []
    fixed = 0
    try:
        for _family, rules in gitcommit.rule_families(all_rules()):
            changed: dict[str, Sequence[Finding]] = {}
            codes: list[str] = []
            for t in targets:
                if t.display in results_by_path:
                    continue  # failed in an earlier family
                r = analyze_target(scan, t, fix=True, rules=rules)
                if r.error is not None:
                    results_by_path[t.display] = r
                    continue
                if not r.changed:
                    continue
                if not created:
                    gitcommit.create_branch(repo, branch)
                    created = True
                try:
                    sides = [gitcommit.repo_relative(repo, Path(x.path)) for x in r.side_files]
                    write_texts_atomic(changed_files(t, r))
                except gitcommit.CommitError as exc:
                    results_by_path[t.display] = replace(r, error=str(exc))
                    continue
                except OSError as exc:
                    results_by_path[t.display] = replace(
                        r, error=f"could not write the fix: {os_reason(exc)}"
                    )
                    continue
                done = [f for f in r.findings if f.fix_applied]
                fixed += len(done)
                changed[rel[t.display]] = done
                for side in sides:
                    changed.setdefault(side, [])
                codes += [c for c in r.applied if c not in codes]
            if changed:
                message = gitcommit.commit_message(codes, changed)
                sha = gitcommit.commit_paths(repo, sorted(changed), message)
                log.info("commit.created", sha=sha, rules=codes, files=len(changed))
                commits.append(f"[{branch} {sha[:7]}] {message.splitlines()[0]}")
    except (gitcommit.CommitError, GitCommandError) as exc:
        print(f"gocomply: error: git: {_git_reason(exc)}", file=sys.stderr)
        return 2
    results: list[FileResult] = list(results_by_path.values())
    failed = set(results_by_path)
    for t in targets:
        if t.display not in failed:
            results.append(analyze_target(scan, t, fix=False))
    results.sort(key=lambda r: r.path)
    if commits:
        for line in commits:
            print(line)
    else:
        print(f"Nothing to fix; branch {branch!r} was not created.")
    return _emit(results, args, mode="fix", fixed=fixed)


def _git_reason(exc: Exception) -> str:
    stderr = getattr(exc, "stderr", None)
    if isinstance(stderr, str) and stderr.strip():
        return " ".join(stderr.strip().split())
    return str(exc)


def cmd_explain(args: argparse.Namespace) -> int:
    r = find_rule(args.rule)
    if r is None:
        known = "\n".join(f"  {x.code} {x.name}" for x in all_rules())
        print(
            f"gocomply: error: unknown rule {args.rule!r}; known rules:\n{known}", file=sys.stderr
        )
        return 2
    print(f"# {r.code} {r.name}\n")
    print(f"severity: {r.severity} · fix: {r.fix} · family: {r.family}\n")
    print(r.doc.markdown())
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.format == "json":
        doc = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "fix": r.fix,
                "family": r.family,
                "summary": r.doc.summary,
            }
            for r in rules
        ]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    if not rules:
        print("No rules.")
        return 0
    w_name = max(len(r.name) for r in rules)
    for r in rules:
        print(f"{r.code}  {r.name:<{w_name}}  {r.severity:<7}  {r.fix:<6}  {r.doc.summary}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    files: list[str] = args.files or [".gocomply.yml"]
    load = load_org_config if args.org else load_config
    status = 0
    for name in files:
        try:
            load(name, display=name)
        except ConfigError as exc:
            for err in exc.errors:
                print(str(err), file=sys.stderr)
            if not args.org and any(e.message.startswith("an org setting") for e in exc.errors):
                print(f"{name}: looks like an org config: gocomply validate --org", file=sys.stderr)
            status = 2
            continue
        print(f"{name}: ok")
    return status


def _usage(message: str) -> int:
    print(f"gocomply: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return 2
    level = {0: "warning", 1: "info"}.get(args.verbose, "debug")
    # The local commands log only through bot.logging, so structlog can wait for a first event
    # at the level; the App's commands log through structlog directly.
    lazy = args.command in LOCAL_COMMANDS
    blog.configure(fmt=args.log_format, level=level, lazy=lazy)
    func = cast(Callable[[argparse.Namespace], int], args.func)
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except SelectionError as exc:
        print(f"gocomply: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `gocomply check . | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 2
    except Exception as exc:  # the last resort: never a traceback
        print(f"gocomply: error: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
