"""Parsed copies of kamtui's own TOML files (the UI catalogs), kept between runs.

Parsing the English catalog (20 KB) with ``tomllib`` takes 6-8 ms of every start-up, twice that
with the French one (English is the fallback); reading back a ``marshal`` copy takes a fraction
of a millisecond. A copy is used only when the text it was made from is *exactly* the text read
now (it holds that text and compares it), so an edited or upgraded catalog is parsed again. The
copies live in the private state folder; any problem with one (missing, damaged, made by another
Python) means the text is simply parsed, and a copy that cannot be written is not an error.
"""

from __future__ import annotations

import marshal
import sys
import tomllib
from pathlib import Path
from typing import Any

from . import locations

FOLDER = "bundled"


def copy_path(name: str) -> Path:
    """Where the parsed copy of the bundled file ``name`` is kept (one per Python version:
    marshal's format is that of the interpreter)."""
    return locations.state_dir() / FOLDER / f"{Path(name).stem}.{sys.implementation.cache_tag}.marshal"


def parse_bundled(name: str, text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, from the copy kept for ``name`` when it was made from ``text``."""
    path = copy_path(name)
    try:
        kept_text, data = marshal.loads(path.read_bytes())
        if kept_text == text and isinstance(data, dict):
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass
    data = tomllib.loads(text)
    try:
        payload = marshal.dumps((text, data))
        from .atomic import atomic_write, ensure_private_dir

        ensure_private_dir(path.parent)
        atomic_write(path, payload, durable=False)
    except (OSError, ValueError):  # a read-only state folder, a value marshal can't keep
        pass
    return data
