"""Reading plan files: one safe reader of what is on disk, size limits, TOML errors with line and
column, error lines."""

from __future__ import annotations

import errno
import os
import re
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tomli

from .writable import refusal

MAX_BYTES = 4 * 1024 * 1024  # a 1,000-action plan is about 0.3 MB

# tomli is compiled (mypyc): its parser recurses on the C stack, a few frames per level of
# nesting, until Python's recursion limit (about 1,000 levels: well under 1 MB). A thread's
# default stack can be smaller (128 KB with musl, as on Alpine), and a hostile, deeply nested
# file read in a worker thread (a large plan, a change on disk) crashed the process instead of
# being refused. The threads started from now on get the stack a main thread has.
THREAD_STACK = 8 * 1024 * 1024


def _ensure_thread_stack() -> None:
    try:
        if threading.stack_size() < THREAD_STACK:  # 0: the platform's default, whatever it is
            threading.stack_size(THREAD_STACK)
    except (ValueError, RuntimeError):  # pragma: no cover - a platform that can't change it
        pass


_ensure_thread_stack()


class LoadError(Exception):
    """A file that can't be used; ``lines`` holds one ``file:line: ...`` message per problem."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


# --- what is on disk: one reader that never blocks and never raises ------------------------

Kind = Literal["same", "changed", "missing", "not-a-file", "unreadable", "too-large"]

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN_FLAGS |= getattr(os, "O_BINARY", 0)  # Windows


@dataclass(frozen=True)
class DiskVersion:
    """What is at a file's path now, compared with the bytes the app knows.

    ``kind`` is one of: ``"same"`` (a regular file holding the known bytes), ``"changed"`` (a
    readable regular file with other bytes), ``"missing"``, ``"not-a-file"`` (a folder, a named
    pipe, a socket, a device), ``"unreadable"`` (permission denied, I/O error) or ``"too-large"``.
    ``data`` holds the file's bytes for "same" and "changed", else None. ``problem`` says what is
    wrong for the other kinds, as it follows a file name: ``"is a folder, not a plan file"``.
    """

    kind: Kind
    data: bytes | None = None
    problem: str = ""

    @property
    def readable(self) -> bool:
        """True if ``data`` holds the file's bytes ("same" or "changed")."""
        return self.data is not None


def what_is(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words: "a folder", "a named pipe (FIFO)", ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISREG(mode):
        return "a file"
    return "something else than a file"


def _not_a_file(mode: int) -> DiskVersion:
    return DiskVersion("not-a-file", None, f"is {what_is(mode)}, not a plan file")


def too_large(size: int | None) -> str:
    """What is wrong with a file of ``size`` bytes (None: unknown, it grew while read), as it
    follows a file name: "file too large (1024 MB, a plan is at most 4 MB)"."""
    limit = f"a plan is at most {MAX_BYTES // 1048576} MB"
    if size is None:
        got = ""
    elif size >= 10 * 1048576:
        got = f"{size // 1048576} MB, "
    else:
        got = f"{size // 1024} KB, "
    return f"file too large ({got}{limit})"


def _too_large(size: int | None) -> DiskVersion:
    return DiskVersion("too-large", None, too_large(size))


def _failed(exc: OSError | ValueError) -> DiskVersion:
    if isinstance(exc, ValueError):  # a path with a NUL character
        return DiskVersion("missing", None, "no such file (invalid name)")
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return DiskVersion("missing", None, "no such file")
    if isinstance(exc, PermissionError):
        return DiskVersion("unreadable", None, "permission denied")
    if isinstance(exc, IsADirectoryError):
        return _not_a_file(stat.S_IFDIR)
    if exc.errno == errno.ENXIO:  # a socket, or a device with no driver
        return DiskVersion("not-a-file", None, "is not a regular file (a socket or a device), not a plan file")
    return DiskVersion("unreadable", None, f"cannot read ({exc.strerror or exc})")


def read_disk(path: Path | str, known: bytes | None = None) -> DiskVersion:
    """Read what is at ``path`` now (through symbolic links), compared with ``known``.

    Never blocks and never raises: anything but a regular file is refused before it is opened
    (a named pipe would block, a device may never end), the file is opened non-blocking and
    checked again on the open descriptor (it may have been swapped in between), and at most
    ``MAX_BYTES + 1`` bytes are read. With ``known=None`` a readable file is "changed".
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError) as exc:
        return _failed(exc)
    if not stat.S_ISREG(st.st_mode):
        return _not_a_file(st.st_mode)
    if st.st_size > MAX_BYTES:
        return _too_large(st.st_size)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError) as exc:
        return _failed(exc)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return _not_a_file(st.st_mode)
        if st.st_size > MAX_BYTES:
            return _too_large(st.st_size)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:  # an I/O error, EAGAIN on an odd file system
        return _failed(exc)
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        return _too_large(None)  # it grew while being read
    data = b"".join(chunks)
    return DiskVersion("same" if data == known else "changed", data)


def read_bytes(path: Path, name: str | None = None) -> bytes:
    """The file's bytes, or a :class:`LoadError` naming ``name`` (the path as given)."""
    version = read_disk(path)
    if version.data is None:
        raise LoadError([f"{name or str(path)}: {version.problem}"])
    return version.data


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a leading byte order mark is allowed), or a :class:`LoadError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError([f"{name}:{line}: not UTF-8 text (byte {exc.start})"]) from None


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def parse(text: str, name: str) -> dict[str, Any]:
    """Parse TOML with :mod:`tomli`; errors become one line with line and column."""
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        message = str(exc)
        if match := _AT.search(message):
            where = f"{match.group(1)}:{match.group(2)}"
            message = message[: match.start()]
        elif match := _AT_END.search(message):
            where = f"{text.count(chr(10)) + 1}"
            message = message[: match.start()] + " at end of file"
        else:
            where = "1"
        raise LoadError([f"{name}:{where}: invalid TOML: {message}"]) from None
    except RecursionError:
        raise LoadError([f"{name}:1: invalid TOML: nested too deeply"]) from None
    except ValueError:  # an integer with thousands of digits
        line = _first_huge_number_line(text)
        raise LoadError([f"{name}:{line}: invalid TOML: number with too many digits"]) from None
    check_writable(text, name)
    return data


def _first_huge_number_line(text: str) -> int:
    match = re.search(r"\d{1000,}", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


# --- finding the line of a path like actions[3].due ------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _norm(dotted: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in dotted.split("."))


def locate(text: str, path: str) -> int:
    """Best-effort line number (1-based) of ``path`` in ``text``; 1 if not found."""
    table, _, key = path.rpartition(".")
    if "[" in key:  # the path names a whole table, e.g. actions[3]
        table, key = path, ""
    counts: dict[str, int] = {}
    current = ""
    header_line = 0
    in_string = None
    for number, line in enumerate(text.split("\n"), 1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header:
            name = _norm(header.group(2))
            if header.group(1) == "[[":
                counts[name] = counts.get(name, 0) + 1
                current = f"{name}[{counts[name]}]"
                # account.team[2] is written [[account.team]]
            else:
                current = name
            if current == table:
                header_line = number
            continue
        match = _KEY.match(line)
        if match and current == table and _norm(match.group(1)) == key:
            return number
        for delim in ('"""', "'''"):
            if line.count(delim) % 2 == 1:
                in_string = delim
                break
    return header_line or 1


def check_writable(text: str, name: str) -> None:
    """Raise :class:`LoadError` (``file:line: what``) if ``text``, valid TOML, holds something
    kamtui could not save: nesting past the writer's limits, or a section of the plan written in
    a way its writer does not patch (an inline table, dotted keys, tables split by others). The
    scanner is :mod:`kamtui.store.writable`."""
    found = refusal(text)
    if found is not None:
        pos, what = found
        raise LoadError([f"{name}:{text.count(chr(10), 0, pos) + 1}: {what}"])
