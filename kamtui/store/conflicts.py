"""The ``[[conflicts]]`` tables of a plan file (merge conflicts recorded by
:mod:`kamtui.report.merge`), written back when the user settles them in the app.

In memory they are ``Plan.conflicts`` (read by :func:`kamtui.model.convert.from_data`), and a
snapshot holds them as a tuple under ``"conflicts"`` when there are any; the writer calls
:func:`write_conflicts` when they changed. Settling one drops exactly its table, the others
keep their bytes; tables put back (undo) are written anew after everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import tomlkit
from tomlkit.items import AoT, Null, Whitespace

from .writer import _last_table, _set_trailing_blank, multiline

CONFLICTS = "conflicts"
ORDER = ("path", "base", "ours", "theirs")


def _table(entry: dict[str, Any]) -> Any:
    table = tomlkit.table()
    keys = [k for k in ORDER if k in entry] + [k for k in entry if k not in ORDER]
    for key in keys:
        value = entry[key]
        table.append(key, multiline(value) if isinstance(value, str) and "\n" in value else value)
    return table


def write_conflicts(doc: Any, entries: Sequence[dict[str, Any]]) -> None:
    """Make the ``[[conflicts]]`` tables of ``doc`` hold ``entries``, in order."""
    existing = doc.get(CONFLICTS)
    if isinstance(existing, AoT):
        current = [dict(table.unwrap()) for table in existing.body]
        wanted = [dict(entry) for entry in entries]
        keep: list[int] = []
        n = 0
        for index, entry in enumerate(current):
            if n < len(wanted) and entry == wanted[n]:
                keep.append(index)
                n += 1
        if n == len(wanted) and wanted:  # only tables dropped: remove them, the others stay as they are
            for index in reversed(range(len(current))):
                if index not in keep:
                    del existing[index]
            _end_file(doc)
            return
    if CONFLICTS in doc:
        doc.remove(CONFLICTS)
    _end_file(doc)
    if entries:
        last = _last_table(doc.body[-1][1]) if doc.body else None  # after _end_file: a table
        if last is not None:
            _set_trailing_blank(last, True)  # one blank line before the first [[conflicts]]
        aot = tomlkit.aot()
        for entry in entries:
            aot.append(_table(entry))
        doc.append(CONFLICTS, aot)


def _end_file(doc: Any) -> None:
    """No blank line left at the end of the file once its last tables are gone."""
    body = doc.body
    while body and body[-1][0] is None and isinstance(body[-1][1], (Whitespace, Null)):
        body.pop()
    last = _last_table(body[-1][1]) if body else None
    if last is not None:
        _set_trailing_blank(last, False)
