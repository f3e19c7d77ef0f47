"""Parsed copies of plan files (and of the UI catalogs), so that reading one again skips the TOML
parsing and checks.

A plan with 1,000 actions (330 KB) takes about 25 ms to parse with ``tomli`` (70 with the
standard library's ``tomllib``); the demo plan (17 KB) 5 ms to parse and check (the check's patterns alone take 3-4 ms to compile). Their
entries, in :mod:`marshal`'s format (built in: no JSON module on the way to the first frame), are
read back in a few ms and under 1 ms. An entry is used only when the file's text is *exactly*
the text it was made from (it keeps that text and compares it), so it can never show anything
but what the file says. Entries live in the private state folder, one per plan path, written
atomically (without fsync: a damaged entry is only a miss); any problem with one (missing,
unreadable, damaged, another version of kamtui or of Python) means the file is simply parsed
again.

Only values kept exactly are cached (strings, integers, finite floats, booleans, dates, lists,
tables whose keys don't start with ``$``); a file holding anything else (a time of day, a
datetime...) is not cached.
"""

from __future__ import annotations

import datetime as dt
import marshal
import math
import sys
import time
import zlib
from pathlib import Path
from typing import Any

from . import locations
from .atomic import atomic_write, ensure_private_dir

VERSION = 1
MIN_SIZE = 8 * 1024  # characters: a smaller plan (a new one) parses and is checked in a few ms
KEEP_DAYS = 60  # entries not rewritten for this long are removed (plans renamed or deleted)


class _Unsupported(Exception):
    """A value JSON would not give back exactly."""


def folder() -> Path:
    return locations.state_dir() / "parsed"


def entry_path(plan_path: Path) -> Path:
    key = zlib.crc32(str(Path(plan_path).resolve()).encode("utf-8", "surrogateescape"))
    return folder() / f"{key:08x}.marshal"


def lookup(plan_path: Path, text: str) -> dict[str, Any] | None:
    """The parsed data of ``text`` if an entry was made from exactly that text, else None."""
    if len(text) < MIN_SIZE:
        return None
    try:
        version, tag, path, kept_text, data = marshal.loads(entry_path(plan_path).read_bytes())
        if (version, tag, path, kept_text) != (VERSION, sys.implementation.cache_tag, _key_path(plan_path), text):
            return None
        data = _decode(data)
    except (OSError, ValueError, EOFError, KeyError, TypeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def remember(plan_path: Path, text: str, data: dict[str, Any]) -> bool:
    """Keep ``data`` (what ``text`` parses to) for the next opening; True if an entry was written.
    Never raises: the cache is only ever a shortcut."""
    if len(text) < MIN_SIZE:
        return False
    try:
        payload = (VERSION, sys.implementation.cache_tag, _key_path(plan_path), text, _encode(data))
        target = entry_path(plan_path)
        ensure_private_dir(target.parent)
        atomic_write(target, marshal.dumps(payload), durable=False)
        _prune(target)
    except (_Unsupported, OSError, ValueError, RecursionError):
        return False
    return True


def _key_path(plan_path: Path) -> str:
    return str(Path(plan_path).resolve())


def forget(plan_path: Path) -> None:
    """Remove the entry of ``plan_path`` (a copy of its text): the plan was deleted or moved
    away, its content must not stay behind in the state folder. Never raises."""
    try:
        entry_path(plan_path).unlink(missing_ok=True)
    except OSError:
        pass


def _prune(keep: Path) -> None:
    limit = time.time() - KEEP_DAYS * 86400
    for old in keep.parent.iterdir():
        try:
            if old != keep and (old.suffix == ".json" or old.stat().st_mtime < limit):  # .json: an older format
                old.unlink()
        except OSError:
            pass


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is bool or kind is int:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _Unsupported
        return value
    if kind is dt.date:  # exactly a date: datetime is a subclass and is not cached
        return {"$date": value.isoformat()}
    if kind is list:
        return [_encode(item) for item in value]
    if kind is dict:
        if any(key.startswith("$") for key in value):
            raise _Unsupported  # could be mistaken for a tagged value
        return {key: _encode(item) for key, item in value.items()}
    raise _Unsupported


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1 and "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        return {key: _decode(item) for key, item in value.items()}
    return value
