"""The git commands of the command line: ``diff``, ``merge-driver``, ``git-setup`` (SPEC §5, §7).

Light to import (``kamtui.cli`` imports it to add its subcommands): the library is imported
inside the commands. Exit codes as everywhere: 0 ok, 1 a problem in the data (a version that is
not a valid plan, a merge with conflicts), 2 a usage error (a bad revision, not in a git
repository, no git installed). Messages go to stderr, data to stdout, control characters from
a plan or a file name shown as escapes.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

OK, PROBLEM, USAGE = 0, 1, 2
COMMANDS = ("diff", "merge-driver", "git-setup")

ATTRIBUTES_LINE = "*.toml merge=kamtui diff=kamtui"
DRIVER_NAME = "kamtui: Account Business Plans merged by item and field"
# Hunk headers of `git diff` name the item: the last table header or title-like line above the
# change (POSIX extended regex, as git wants it).
XFUNCNAME = r"^(\[\[?[^]]+\]\]?|(title|name|question|event|kpi) = .*)$"


def _err(message: str) -> None:
    """A message on stderr, on one line: control characters (from a plan, a file name) as
    ``\\x1b``-style escapes."""
    from .model.text import ESCAPES, visible

    print(visible(message, mode=ESCAPES), file=sys.stderr)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``diff``, ``merge-driver`` and ``git-setup`` to the subcommands ``sub``."""
    p = sub.add_parser(
        "diff",
        help="what changed in a plan, by section and item, between git revisions",
        description="What changed in a plan, by section and item: from REV (default: the last commit, HEAD) "
        "to REV2 (default: the working file). Exit 0 with or without changes, 1 if a version is not a valid "
        "plan, 2 on a bad revision or outside a git repository.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("rev", nargs="?", metavar="REV", help="the revision to compare from (default: HEAD)")
    p.add_argument("rev2", nargs="?", metavar="REV2", help="the revision to compare to (default: the working file)")
    p.add_argument("--json", action="store_true", help="print JSON instead of lines")
    p = sub.add_parser(
        "merge-driver",
        help="git merge driver: 3-way merge of plan files by item and field",
        description="The merge driver git runs for plan files (see kamtui git-setup): merges BASE, OURS and "
        "THEIRS by item and field and writes the result to OURS. Exit 0 when clean, 1 when conflicts are "
        "recorded in the plan's [[conflicts]] tables or a side is not a valid plan (then git's line merge, "
        "with conflict markers).",
    )
    p.add_argument("base", type=Path, metavar="BASE", help="the common ancestor (git's %%O)")
    p.add_argument("ours", type=Path, metavar="OURS", help="our version, where the result is written (%%A)")
    p.add_argument("theirs", type=Path, metavar="THEIRS", help="their version (%%B)")
    p.add_argument("path", nargs="?", metavar="PATH", help="the file's path in the repository, for messages (%%P)")
    p.add_argument("--marker-size", type=int, default=7, metavar="N", help="conflict marker size (%%L)")
    p = sub.add_parser(
        "git-setup",
        help="register kamtui's merge driver and diff rule for the plans of a git repository",
        description="Registers kamtui's merge driver and diff rule for the plan files of DIR (default: the "
        "plans folder): a line in DIR/.gitattributes and three keys in the repository's config. Running it "
        "again changes nothing.",
    )
    p.add_argument(
        "folder", nargs="?", type=Path, metavar="DIR", help="the plans folder (default: --dir, else from the config)"
    )


# --- diff -----------------------------------------------------------------------------------------


def _json_text(data: object) -> str:
    """JSON as text, every character a terminal would act on escaped as ``\\u001b`` (json.dumps
    leaves DEL, C1 and bidi controls raw)."""
    import json

    from .model.text import JSON, visible

    return visible(json.dumps(data, ensure_ascii=False, indent=2), multiline=True, mode=JSON)


def cmd_diff(args: argparse.Namespace) -> int:
    from .report import git
    from .report.diff import diff_texts, render_text
    from .store.tomlio import MAX_BYTES, LoadError, decode, read_bytes, too_large

    path: Path = args.file
    folder = path.parent if path.parent.is_dir() else Path.cwd()
    new_data: bytes | None = None
    try:
        top = git.repo_top(folder)
        relpath = git.relative_path(path, top)
        old_rev = args.rev or "HEAD"
        old_name = f"{old_rev}:{relpath}"
        old_data = git.show_file(top, old_rev, relpath)
        new_name = f"{args.rev2}:{relpath}" if args.rev2 else str(path)
        if args.rev2:
            new_data = git.show_file(top, args.rev2, relpath)
    except git.GitError as exc:
        _err(f"kamtui diff: {exc}")
        return USAGE
    try:
        if new_data is None:
            new_data = read_bytes(path, new_name)
        for data, name in ((old_data, old_name), (new_data, new_name)):
            if len(data) > MAX_BYTES:
                raise LoadError([f"{name}: {too_large(len(data))}"])
        diff = diff_texts(decode(old_data, old_name), decode(new_data, new_name), old_name, new_name)
    except LoadError as exc:
        for line in exc.lines:
            _err(line)
        return PROBLEM
    if args.json:
        print(_json_text(diff.as_json()))
    elif diff:
        print(render_text(diff))
    return OK


# --- merge driver --------------------------------------------------------------------------------


def cmd_merge_driver(args: argparse.Namespace) -> int:
    """Merge, write OURS, say what happened. Never loses a side: anything but a clean merge or
    one with recorded conflicts falls back to git's line merge (conflict markers), exit 1."""
    from .report.merge import merge_texts
    from .store.atomic import atomic_write
    from .store.tomlio import LoadError, decode, read_bytes

    name = args.path or str(args.ours)
    names = (f"{name} (base)", f"{name} (ours)", f"{name} (theirs)")
    try:
        paths = (args.base, args.ours, args.theirs)
        texts = [decode(read_bytes(p, n), n) for p, n in zip(paths, names, strict=True)]
        result = merge_texts(texts[0], texts[1], texts[2], names)
    except LoadError as exc:
        for line in exc.lines:
            _err(line)
        return _line_merge(args, name, "a side is not a valid plan")
    except Exception as exc:  # noqa: BLE001 - never lose a side, never a traceback
        _err(f"kamtui merge-driver: {name}: internal error ({type(exc).__name__}: {exc})")
        return _line_merge(args, name, "the merge by item failed")
    try:
        atomic_write(args.ours, result.text.encode("utf-8"))
    except OSError as exc:
        _err(f"kamtui merge-driver: {name}: cannot write the result: {exc}")
        return PROBLEM
    if not result.conflicts:
        return OK
    count = len(result.conflicts)
    _err(
        f"kamtui merge-driver: {name}: {count} conflict{'s' if count > 1 else ''} kept ours and recorded in "
        "[[conflicts]]: resolve in kamtui (or edit the fields and remove the tables), then git add"
    )
    for conflict in result.conflicts:
        _err(f"  {conflict.path}: ours {conflict.ours!r}, theirs {conflict.theirs!r}")
    return PROBLEM


def _line_merge(args: argparse.Namespace, name: str, why: str) -> int:
    from .report import git
    from .store.atomic import atomic_write

    try:
        merged, conflicts = git.merge_file(
            args.ours,
            args.base,
            args.theirs,
            (f"{name} (ours)", f"{name} (base)", f"{name} (theirs)"),
            args.marker_size,
        )
        atomic_write(args.ours, merged)
    except (git.GitError, OSError) as exc:
        _err(f"kamtui merge-driver: {name}: {why}, and git's line merge failed too ({exc}); ours is left as it was")
        return PROBLEM
    how = f"{conflicts} conflict{'s' if conflicts != 1 else ''} marked" if conflicts else "no conflict markers"
    _err(f"kamtui merge-driver: {name}: {why}: merged line by line by git ({how}); check the file before git add")
    return PROBLEM


# --- git-setup ----------------------------------------------------------------------------------


def driver_command() -> str:
    """The command git runs to merge a plan file, from whatever folder it runs it in.

    The Python running kamtui now, by its absolute path *as invoked* — not resolved: a virtual
    environment's ``python`` is a link to the base interpreter, and only the link finds the
    environment's packages (``uv run``, ``uv tool``, pipx and a plain venv all run kamtui from
    one) — with ``-m kamtui``: it does not depend on a ``kamtui`` script being on git's PATH.
    When that Python can't import kamtui from another folder (kamtui run from a source
    checkout without installing it), the command sets ``PYTHONPATH`` to the checkout.
    %P (the file's path, quoted by git) names the file in messages; %L is the marker size for the
    line-merge fallback.
    """
    python = os.path.abspath(sys.executable)
    command = f"{shlex.quote(python)} -m kamtui merge-driver %O %A %B %P --marker-size=%L"
    import kamtui

    root = str(Path(kamtui.__file__).resolve().parent.parent)
    if not _importable_elsewhere(python):
        command = f"PYTHONPATH={shlex.quote(root)} {command}"
    return command


def _importable_elsewhere(python: str) -> bool:
    import subprocess
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with tempfile.TemporaryDirectory() as folder:
        try:
            result = subprocess.run(
                [python, "-c", "import kamtui"], cwd=folder, env=env, capture_output=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
    return result.returncode == 0


def cmd_git_setup(args: argparse.Namespace) -> int:
    from .report import git
    from .store.atomic import atomic_write

    folder = args.folder or getattr(args, "dir", None)
    if folder is None:
        from .store.config import load_config

        folder = load_config().plans_dir
    if not folder.is_dir():
        _err(f"kamtui git-setup: {folder}: no such folder")
        return USAGE
    try:
        top = git.repo_top(folder)
    except git.GitError as exc:
        _err(f"kamtui git-setup: {exc}")
        return USAGE
    done: list[str] = []
    attributes = folder / ".gitattributes"
    try:
        existing = attributes.read_text("utf-8") if attributes.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"kamtui git-setup: cannot read {attributes}: {exc}")
        return PROBLEM
    if ATTRIBUTES_LINE not in (line.strip() for line in existing.splitlines()):
        text = existing + ("\n" if existing and not existing.endswith("\n") else "") + ATTRIBUTES_LINE + "\n"
        try:
            atomic_write(attributes, text.encode("utf-8"))
        except OSError as exc:
            _err(f"kamtui git-setup: cannot write {attributes}: {exc}")
            return PROBLEM
        done.append(f"added '{ATTRIBUTES_LINE}' to {attributes} (commit it to share it)")
    wanted = {
        "merge.kamtui.name": DRIVER_NAME,
        "merge.kamtui.driver": driver_command(),
        "diff.kamtui.xfuncname": XFUNCNAME,
    }
    try:
        for key, value in wanted.items():
            if git.config_get(top, key) != value:
                git.config_set(top, key, value)
                done.append(f"set {key} in the repository's config ({top})")
    except git.GitError as exc:
        _err(f"kamtui git-setup: {exc}")
        return PROBLEM
    from .model.text import visible

    for line in done or [f"{top}: already set up"]:
        print(visible(f"kamtui git-setup: {line}"))
    return OK


def run(args: argparse.Namespace) -> int:
    """Run the git command ``args.command`` (parsed by the subparsers of :func:`add_parsers`)."""
    commands = {"diff": cmd_diff, "merge-driver": cmd_merge_driver, "git-setup": cmd_git_setup}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return OK


def main(argv: list[str] | None = None) -> int:
    """``python -m kamtui.gitcli COMMAND ...`` (git's merge driver): the same as ``kamtui COMMAND
    ...``, through kamtui's one parser."""
    from .cli import main as kamtui_main

    return kamtui_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
