"""The private tomlkit methods kamtui relies on, in one place.

tomlkit's public API adds a key at the end of a table (``add``, ``append``, ``[key] = ...``).
To keep the key order of SPEC §3 when a key appears in a hand-edited table, and to put a new
section before the ones that follow it in the file, the writer needs to insert at a position:
tomlkit does it with its private ``Container._insert_after`` and ``Container._insert_at``, which
keep its key index (``_map``) right. Anything that calls them goes through here, and
``tests/test_private_apis.py`` fails, naming the tomlkit version, if one disappears or changes
its signature.

The writer also edits ``Container.body`` and ``AoT.body`` in place (public properties that
return tomlkit's own lists) but only adds or removes key-less entries (blank lines, comments) at
the end of a table, which tomlkit's key index does not record; the test checks that too.
"""

from __future__ import annotations

from typing import Any

from tomlkit.container import Container

# What kamtui calls, with the parameters it passes (after ``self``), checked by the tests.
PRIVATE_APIS: dict[str, tuple[type, str, tuple[str, ...]]] = {
    "Container._insert_after": (Container, "_insert_after", ("key", "other_key", "item")),
    "Container._insert_at": (Container, "_insert_at", ("idx", "key", "item")),
}


def insert_after(container: Container, existing: str, key: str, item: Any) -> None:
    """Insert ``key = item`` right after the key ``existing`` of ``container``.

    Private tomlkit: ``Container._insert_after(key, other_key, item)``. Used to add a field of a
    table at its place in the order of SPEC §3 (after the fields that come before it)."""
    container._insert_after(existing, key, item)


def insert_at(container: Container, index: int, key: str, item: Any) -> None:
    """Insert ``key = item`` (a value, a table or an array of tables) at ``container.body[index]``;
    ``index`` must be an existing position (append with ``container.append`` past the end).

    Private tomlkit: ``Container._insert_at(idx, key, item)``. Used to add the first field of a
    table before its other entries, and a new section before the sections that follow it."""
    container._insert_at(index, key, item)
