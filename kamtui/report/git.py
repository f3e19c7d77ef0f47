"""The user's ``git`` command, through :mod:`subprocess`: never a shell string, always a timeout.

Everything here raises :class:`GitError` (or one of its kinds) whose ``str()`` is one line saying
why, for the user: git is not installed, the folder is not in a repository, a revision does not
exist. kamtui works without git: the callers turn these into a message and carry on.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TIMEOUT = 30.0  # seconds; a local git answers in milliseconds


class GitError(Exception):
    """git could not do it; ``str()`` says why in one line."""


class NoGit(GitError):
    """The ``git`` command is not there."""


class NotARepository(GitError):
    """The folder is not in a git repository."""


class BadRevision(GitError):
    """No such revision, or the file is not in it."""


def run(args: list[str], cwd: Path | str | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS`` (in ``cwd`` through ``git -C``); the result whatever its exit code.
    Raises :class:`NoGit` if git is not installed, :class:`GitError` if it could not run or did
    not answer in time."""
    command = ["git", *(["-C", str(cwd)] if cwd is not None else []), *args]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, env=env)
    except FileNotFoundError:
        raise NoGit("git is not installed (no git command found); the git features are off") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not answer within {timeout:.0f} s") from None
    except OSError as exc:
        raise GitError(f"git could not run: {exc.strerror or exc}") from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def repo_top(folder: Path | str) -> Path:
    """The top folder of the repository holding ``folder``."""
    result = run(["rev-parse", "--show-toplevel"], cwd=folder)
    if result.returncode != 0:
        raise NotARepository(f"{folder}: not in a git repository")
    return Path(result.stdout.decode("utf-8", "surrogateescape").rstrip("\n"))


def relative_path(path: Path | str, top: Path) -> str:
    """``path`` relative to the repository's ``top``, with ``/`` (as ``REV:path`` wants it)."""
    real = Path(os.path.realpath(path))
    try:
        return real.relative_to(os.path.realpath(top)).as_posix()
    except ValueError:
        raise NotARepository(f"{path}: not inside the repository {top}") from None


def commit_of(top: Path, rev: str) -> str:
    """The commit id ``rev`` names (a branch, a tag, ``HEAD~2``, an id...)."""
    result = run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd=top)
    if result.returncode != 0 or not result.stdout.strip():
        raise BadRevision(f"{rev}: no such revision in {top}")
    return result.stdout.decode("ascii").strip()


def show_file(top: Path, rev: str, relpath: str) -> bytes:
    """The bytes of file ``relpath`` (relative to ``top``) in revision ``rev``, exactly as
    committed (no conversion)."""
    commit = commit_of(top, rev)
    result = run(["cat-file", "blob", f"{commit}:{relpath}"], cwd=top)
    if result.returncode != 0:
        raise BadRevision(f"{relpath} is not in {rev}")
    return result.stdout


def merge_file(
    ours: Path, base: Path, theirs: Path, labels: tuple[str, str, str], marker_size: int = 7
) -> tuple[bytes, int]:
    """git's line merge of three files (``git merge-file -p``): the merged bytes, with conflict
    markers, and the number of conflicts. Raises :class:`GitError` if git could not merge."""
    result = run(
        [
            "merge-file",
            "-p",
            f"--marker-size={marker_size}",
            "-L",
            labels[0],
            "-L",
            labels[1],
            "-L",
            labels[2],
            "--",
            str(ours),
            str(base),
            str(theirs),
        ]
    )
    if result.returncode < 0 or result.returncode > 127:
        raise GitError(f"git merge-file failed: {_first_line(result.stderr)}")
    return result.stdout, result.returncode


def config_get(top: Path, key: str) -> str | None:
    """The value of ``key`` in the repository's own config (``.git/config``), None if unset."""
    result = run(["config", "--local", "--get", key], cwd=top)
    if result.returncode == 1:
        return None
    if result.returncode != 0:
        raise GitError(f"git config {key}: {_first_line(result.stderr)}")
    return result.stdout.decode("utf-8", "surrogateescape").rstrip("\n")


def config_set(top: Path, key: str, value: str) -> None:
    """Set ``key`` in the repository's own config."""
    result = run(["config", "--local", key, value], cwd=top)
    if result.returncode != 0:
        raise GitError(f"git config {key}: {_first_line(result.stderr)}")
