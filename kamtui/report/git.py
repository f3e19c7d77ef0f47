"""The user's ``git`` command, through :mod:`subprocess`: never a shell string, always a timeout.

Everything here raises :class:`GitError` (or one of its kinds) whose ``str()`` is one line saying
why, for the user: git is not installed, the folder is not in a repository, a revision does not
exist. kamtui works without git: the callers turn these into a message and carry on.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
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
    if _surely_outside(folder):
        raise NotARepository(f"{folder}: not in a git repository")
    result = run(["rev-parse", "--show-toplevel"], cwd=folder)
    if result.returncode != 0:
        raise NotARepository(f"{folder}: not in a git repository")
    return Path(result.stdout.decode("utf-8", "surrogateescape").rstrip("\n"))


def _surely_outside(folder: Path | str) -> bool:
    """True when no repository can hold ``folder``: no ``.git`` (folder, or file of a worktree or
    submodule) in it or any folder above it, and no ``GIT_DIR`` naming one elsewhere. Git is not
    run then: the app looks at an open plan's state every few seconds, and most plans outside a
    repository would cost a process each time."""
    if os.environ.get("GIT_DIR"):
        return False
    here = os.path.realpath(folder)
    while True:
        if os.path.lexists(os.path.join(here, ".git")):
            return False
        parent = os.path.dirname(here)
        if parent == here:
            return True
        here = parent


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


# --- what the app asks: the file's state, its history, a commit of it alone ---------------------

# The state of one file: "committed" (as in the last commit), "changed" (edits not committed),
# "new" (not in any commit yet), "ignored", "conflict" (a merge not finished).
STATES = ("committed", "changed", "new", "ignored", "conflict")


def status(path: Path | str) -> str:
    """The git state of the file at ``path`` (one of :data:`STATES`). Raises :class:`NotARepository`
    when it is not in a repository, :class:`NoGit` when git is not installed."""
    path = Path(path)
    top = repo_top(path.parent)
    relpath = relative_path(path, top)
    # --no-optional-locks: a look at the state must not take the index lock, or a commit (from the
    # app, or the user's own in a terminal) running at the same moment fails on index.lock.
    result = run(["--no-optional-locks", "status", "--porcelain", "--ignored", "--", relpath], cwd=top)
    if result.returncode != 0:
        raise GitError(f"git status: {_first_line(result.stderr)}")
    line = _first_line(result.stdout)
    if not line:
        return "committed"
    code = line[:2]
    if code == "??":
        return "new"
    if code == "!!":
        return "ignored"
    if "U" in code or code in ("AA", "DD"):
        return "conflict"
    return "changed"


@dataclass(frozen=True)
class LogEntry:
    """One commit of a file's history: its id, author date (ISO 8601), author, first line of the
    message, and the file's path in that commit (it may have been renamed since)."""

    commit: str
    date: str
    author: str
    subject: str
    path: str


def log(path: Path | str, limit: int = 500) -> list[LogEntry]:
    """The commits that changed the file at ``path``, newest first (``git log --follow``)."""
    path = Path(path)
    top = repo_top(path.parent)
    relpath = relative_path(path, top)
    result = run(
        ["log", "--follow", f"-n{limit}", "--name-only", "--format=%x1e%H%x1f%aI%x1f%an%x1f%s", "--", relpath],
        cwd=top,
    )
    if result.returncode != 0:
        message = _first_line(result.stderr)
        if "does not have any commits" in message or "bad default revision" in message:
            return []
        raise GitError(f"git log: {message}")
    entries: list[LogEntry] = []
    known = relpath
    for chunk in reversed(result.stdout.decode("utf-8", "replace").split("\x1e")):
        lines = [line for line in chunk.split("\n") if line]
        if not lines:
            continue
        fields = lines[0].split("\x1f")
        if len(fields) != 4:
            continue
        known = lines[-1] if len(lines) > 1 else known
        entries.append(LogEntry(fields[0], fields[1], fields[2], fields[3], known))
    entries.reverse()
    return entries


def file_at(path: Path | str, rev: str, relpath: str | None = None) -> bytes | None:
    """The file's bytes in revision ``rev`` (its path there: ``relpath``, default its path now);
    None when the revision does not hold it (the commit that added it has no parent version)."""
    path = Path(path)
    top = repo_top(path.parent)
    try:
        return show_file(top, rev, relpath or relative_path(path, top))
    except BadRevision:
        return None


def _commit_problem(result: subprocess.CompletedProcess[bytes]) -> str:
    text = (result.stderr + b"\n" + result.stdout).decode("utf-8", "replace")
    if "Please tell me who you are" in text or "empty ident" in text or "Author identity unknown" in text:
        return 'git does not know who you are: run git config --global user.name "…" and user.email "…"'
    if "nothing to commit" in text or "no changes added" in text:
        return "nothing to commit: the file is as in the last commit"
    if "partial commit during a merge" in text:
        return "a merge is in progress: finish it with git commit in a terminal"
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("hint:")]
    return lines[0] if lines else f"git commit failed (exit {result.returncode})"


def commit(path: Path | str, message: str) -> str:
    """Commit the file at ``path`` alone — other files staged stay staged and out of the commit —
    with ``message``; the new commit's short id. Raises :class:`GitError` saying why not (no
    identity, nothing to commit, a hook that refused...)."""
    path = Path(path)
    top = repo_top(path.parent)
    relpath = relative_path(path, top)
    added = run(["add", "--", relpath], cwd=top)
    if added.returncode != 0:
        raise GitError(f"git add: {_first_line(added.stderr)}")
    result = run(["commit", "--only", "--no-edit", "-m", message, "--", relpath], cwd=top)
    if result.returncode != 0:
        raise GitError(_commit_problem(result))
    short = run(["rev-parse", "--short", "HEAD"], cwd=top)
    return short.stdout.decode("ascii", "replace").strip()
