"""Parsed copies of large plan files, so that opening one again skips most of the TOML parsing.

A plan with 1,000 actions (330 KB) takes about 35 ms to parse with ``tomllib``; its parsed
data read back from JSON takes about 3 ms. The demo plan (17 KB) takes 9 ms to parse and check
(the check's patterns alone take 3-4 ms to compile), 1 ms from its entry. An entry is used only when the file's text is
*exactly* the text it was made from (it keeps that text and compares it), so it can never show
anything but what the file says. Entries live in the private state folder, one per plan path,
written atomically; any problem with one (missing, unreadable, damaged, another version) means
the file is simply parsed again.

Only values that JSON carries exactly are cached (strings, integers, finite floats, booleans,
dates, lists, tables whose keys don't start with ``$``); a file holding anything else (a time
of day, a datetime...) is not cached.
"""

from __future__ import annotations

import datetime as dt
import math
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
    return folder() / f"{key:08x}.json"


def lookup(plan_path: Path, text: str) -> dict[str, Any] | None:
    """The parsed data of ``text`` if an entry was made from exactly that text, else None."""
    if len(text) < MIN_SIZE:
        return None
    import json

    try:
        entry = json.loads(entry_path(plan_path).read_text("utf-8"))
        if entry["version"] != VERSION or entry["path"] != str(Path(plan_path).resolve()) or entry["text"] != text:
            return None
        data = _decode(entry["data"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def remember(plan_path: Path, text: str, data: dict[str, Any]) -> bool:
    """Keep ``data`` (what ``text`` parses to) for the next opening; True if an entry was written.
    Never raises: the cache is only ever a shortcut."""
    if len(text) < MIN_SIZE:
        return False
    import json

    try:
        payload = {"version": VERSION, "path": str(Path(plan_path).resolve()), "text": text, "data": _encode(data)}
        target = entry_path(plan_path)
        ensure_private_dir(target.parent)
        atomic_write(target, json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8"), durable=False)
        _prune(target)
    except (_Unsupported, OSError, ValueError, RecursionError):
        return False
    return True


def forget(plan_path: Path) -> None:
    """Remove the entry of ``plan_path`` (a copy of its text): the plan was deleted or moved
    away, its content must not stay behind in the state folder. Never raises."""
    try:
        entry_path(plan_path).unlink(missing_ok=True)
    except OSError:
        pass


def _prune(keep: Path) -> None:
    limit = time.time() - KEEP_DAYS * 86400
    for old in keep.parent.glob("*.json"):
        try:
            if old != keep and old.stat().st_mtime < limit:
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
