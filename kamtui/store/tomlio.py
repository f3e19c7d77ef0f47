"""Reading plan files: size limits, TOML errors with line and column, error lines."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

MAX_BYTES = 4 * 1024 * 1024  # a 1,000-action plan is about 0.3 MB


class LoadError(Exception):
    """A file that can't be used; ``lines`` holds one ``file:line: ...`` message per problem."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def read_bytes(path: Path, name: str | None = None) -> bytes:
    """The file's bytes, or a :class:`LoadError` naming ``name`` (the path as given)."""
    name = name or str(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise LoadError([f"{name}: is a folder, not a plan file"])
        if not stat.S_ISREG(st.st_mode):
            raise LoadError([f"{name}: not a regular file"])
        if st.st_size > MAX_BYTES:
            raise LoadError(
                [f"{name}: file too large ({st.st_size // 1024} KB, a plan is at most {MAX_BYTES // 1048576} MB)"]
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise LoadError([f"{name}: no such file"]) from None
    except PermissionError:
        raise LoadError([f"{name}: permission denied"]) from None
    except OSError as exc:
        raise LoadError([f"{name}: cannot read ({exc.strerror or exc})"]) from None
    if len(data) > MAX_BYTES:
        raise LoadError([f"{name}: file too large (a plan is at most {MAX_BYTES // 1048576} MB)"])
    return data


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
    """Parse TOML with :mod:`tomllib`; errors become one line with line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
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
