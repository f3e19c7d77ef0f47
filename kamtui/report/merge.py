"""Three-way merge of plan files by item and field: what ``kamtui merge-driver`` runs (SPEC §7).

Given the common ancestor (*base*) and two edited versions (*ours*, the file git writes the
result to, and *theirs*), :func:`merge_texts` returns the merged plan as text:

* **Items** of every list (actions, stakeholders, gaps, ..., the account team, the answers) are
  matched by ``id`` — measures by kpi and period, team members by name, answers by question.
  An item added on one side is kept; added on both sides, both are kept, ours' first, each
  after the item that precedes it on its side. An item deleted on one side and left alone on
  the other is deleted; deleted on both, deleted. Moves and edits combine: the order follows
  the side that moved the item, the fields follow the side that changed them.
* **Fields** changed on one side take that side's value; the same change on both sides is
  made once. Long text (answers, summaries, notes) changed on both sides is merged line by line
  (:mod:`kamtui.report.diff3`): two paragraphs edited on each side merge. Lists of text (the
  SWOT) merge line by line as sets in order: both sides' additions are kept, deletions apply.
  ``updated`` keeps the later date.
* **A true conflict** — one field changed differently on both sides (long text whose line
  changes overlap included), or an item deleted on one side and edited on the other — keeps
  *ours* (an item deleted by ours stays deleted) and is recorded in the file, after everything
  else, as one ``[[conflicts]]`` table::

      [[conflicts]]
      path = "actions[a-7k2qmx].status"   # what: see below
      base = "todo"                       # the value in the common ancestor
      ours = "doing"                      # the value kept in the file
      theirs = "blocked"                  # the other side's value

  ``path`` names the field: ``lang``, ``account.kam``, ``account.team["Paul R."].role``,
  ``diagnostic.history.answer``, ``actions[a-7k2qmx].status``, ``measures[k-share,2027-06].actual``
  — the list's key in brackets, each part bare when it is made of letters, digits, ``-`` and
  ``_``, else a TOML basic string, parts separated by commas (a second team member of the same
  name gets the occurrence number as one more part); :func:`parse_path` reads it back. A path
  without a field (``actions[a-7k2qmx]``, ``diagnostic.history``) is an item deleted on one side
  and edited on the other. ``base``, ``ours`` and ``theirs`` are always TOML strings: a field's
  value as the user would type it (a date ``2027-03-01``, a number ``12.5``, ``true``, the text
  itself; ``""`` when unset); for a whole item, the item as a TOML inline table
  (``{ id = "a-7k2qmx", title = "…" }``, read back with ``tomli.loads("v = " + s)["v"]``), or
  ``""`` on the side that deleted it. The plan loads like any other: kamtui keeps unknown tables.
  The app's Conflicts screen lists them; resolving one removes its table. ``[[conflicts]]``
  tables already in the files are merged as a set (a table resolved on one side is dropped).

The result is built on *ours*' text with the same faithful writer as the app
(:func:`kamtui.store.writer.patch`): comments, blank lines and unknown keys of *ours* survive,
and an unchanged item keeps its bytes. Deterministic: the same three files give the same bytes.
A side that is not a valid plan raises :class:`LoadError`; the driver then falls back to git's
line merge with conflict markers, so no side is ever lost.

Speed (SPEC §8: 0.5 s for two versions of a 1,000-action plan): the versions are read in pieces
(:mod:`kamtui.report.versions`), only the items that differ are parsed, and only the tables that
change go through tomlkit — never the whole of a large file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tomli

from ..model.convert import NotAPlan, from_data
from ..model.plan import LISTS, Account, Plan, Swot
from ..model.schema import DATE, STRLIST, TEXT, next_uid, specs
from ..store.snapshot import empty_snapshot, snapshot
from ..store.tomlio import LoadError, check_writable
from . import diff3
from .conflict_text import conflicts_toml, item_path, item_text, parse_path, value_text
from .versions import (
    CONFLICTS,
    ITEM_CLASS,
    KEY_FIELDS,
    TOP_FIELDS,
    Entry,
    Unfit,
    Version,
    from_snapshot,
    load_item,
    read_full,
    read_version,
    same,
)


@dataclass(frozen=True)
class Conflict:
    """A field (or an item) changed differently on both sides; the file keeps ``ours``."""

    path: str
    base: str
    ours: str
    theirs: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "base": self.base, "ours": self.ours, "theirs": self.theirs}


@dataclass
class MergeResult:
    text: str
    conflicts: list[Conflict]  # found by this merge (not those already in the files)
    fast: bool = True  # read in pieces (False: the versions were read whole)


@dataclass
class Merged:
    """One item of a merged list: ``ours``' entry (None for an item ours doesn't have) and the
    merged content (None: exactly ``ours``' entry)."""

    key: tuple[Any, ...]
    ours: Entry | None
    data: dict[str, Any] | None


@dataclass
class Content:
    """The merged plan."""

    top: dict[str, Any]
    account: dict[str, Any]
    swot: dict[str, Any]
    lists: dict[str, list[Merged]]  # team, diagnostic and the LISTS
    conflicts: list[Conflict] = field(default_factory=list)


# --- merging content -----------------------------------------------------------------------------


def _merge_fields(
    fields: tuple[tuple[str, str], ...],
    base: dict[str, Any] | None,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    path: str,
    conflicts: list[Conflict],
) -> dict[str, Any]:
    """Field by field; ``fields`` are (name, kind) in file order."""
    base = base or {}
    out: dict[str, Any] = {}
    for name, kind in fields:
        b, o, t = base.get(name), ours.get(name), theirs.get(name)
        value: Any = None
        clash = False
        if o == t or t == b:
            value = o
        elif o == b:
            value = t
        elif kind == TEXT:
            value = diff3.merge_text(b or "", o or "", t or "")
            clash = value is None
        elif kind == STRLIST:
            value = _merge_strings(b or [], o or [], t or [])
        elif name == "updated" and kind == DATE:
            value = max(v for v in (o, t) if v is not None)  # the later date
        else:
            clash = True
        if clash:
            value = o  # a true conflict: ours stays, the file says so
            where = f"{path}.{name}" if path else name
            conflicts.append(Conflict(where, value_text(b), value_text(o), value_text(t)))
        if value is not None:
            out[name] = value
    return out


def _fields(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple((name, spec.kind) for name, spec in specs(cls))


def _merge_strings(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """Lists of text (the SWOT), line by line: deletions apply, both sides' additions stay."""

    def keyed(items: list[str]) -> list[tuple[str, int]]:
        seen: dict[str, int] = {}
        out = []
        for item in items:
            seen[item] = seen.get(item, -1) + 1
            out.append((item, seen[item]))
        return out

    b, o, t = keyed(base), keyed(ours), keyed(theirs)
    in_b, in_o, in_t = set(b), set(o), set(t)
    kept = {k for k in in_o | in_t if (k in in_o and k in in_t) or k not in in_b}
    return [text for text, _ in diff3.merge_order(b, o, t, kept)]


def _merge_list(
    list_name: str, base: list[Entry], ours: list[Entry], theirs: list[Entry], conflicts: list[Conflict]
) -> list[Merged]:
    fields = _fields(ITEM_CLASS[list_name])
    in_b = {e.key: e for e in base}
    in_o = {e.key: e for e in ours}
    in_t = {e.key: e for e in theirs}
    merged: dict[tuple[Any, ...], Merged] = {}
    for key in [*in_o, *(k for k in in_t if k not in in_o)]:
        b, o, t = in_b.get(key), in_o.get(key), in_t.get(key)
        if o is not None and t is not None:
            if same(o, t) or (b is not None and same(t, b)):
                merged[key] = Merged(key, o, None)
            elif b is not None and same(o, b):
                merged[key] = Merged(key, o, t.data)
            else:
                data = _merge_fields(
                    fields, b.data if b else None, o.data, t.data, item_path(list_name, key), conflicts
                )
                merged[key] = Merged(key, o, None if data == o.data else data)
        elif o is not None:
            if b is None:
                merged[key] = Merged(key, o, None)  # added by ours
            elif not same(o, b):  # deleted by theirs, edited by ours: kept
                conflicts.append(Conflict(item_path(list_name, key), item_text(b.data), item_text(o.data), ""))
                merged[key] = Merged(key, o, None)
        elif t is not None:
            if b is None:
                merged[key] = Merged(key, None, t.data)  # added by theirs
            elif not same(t, b):  # deleted by ours, edited by theirs: stays deleted
                conflicts.append(Conflict(item_path(list_name, key), item_text(b.data), "", item_text(t.data)))
    if list_name == "diagnostic":  # an answer merged blank is no answer (as in a snapshot)
        merged = {k: m for k, m in merged.items() if not _blank_answer(m.data)}
    order = diff3.merge_order(list(in_b), list(in_o), list(in_t), set(merged))
    return [merged[key] for key in order]


def _blank_answer(data: dict[str, Any] | None) -> bool:
    return (
        data is not None
        and not data.get("answer")
        and data.get("status", "draft") == "draft"
        and data.get("updated") is None
    )


def merge_content(base: Version, ours: Version, theirs: Version) -> Content:
    """The merged plan (raises :class:`Unfit` if an item read in pieces does not parse)."""
    conflicts: list[Conflict] = []
    top = _merge_fields(TOP_FIELDS, base.top, ours.top, theirs.top, "", conflicts)
    account = _merge_fields(_fields(Account), base.account, ours.account, theirs.account, "account", conflicts)
    lists = {}
    for name in ("team", "diagnostic"):
        lists[name] = _merge_list(name, base.items(name), ours.items(name), theirs.items(name), conflicts)
    swot = _merge_fields(_fields(Swot), base.swot, ours.swot, theirs.swot, "swot", conflicts)
    for name in LISTS:
        lists[name] = _merge_list(name, base.lists[name], ours.lists[name], theirs.lists[name], conflicts)
    return Content(top, account, swot, lists, conflicts)


def _merge_conflict_tables(base: Version, ours: Version, theirs: Version, new: list[Conflict]) -> list[dict[str, Any]]:
    """The ``[[conflicts]]`` tables of the result: those of both sides as a set (one resolved on
    a side is dropped), then the new ones."""
    out = [c for c in ours.conflicts if c in theirs.conflicts or c not in base.conflicts]
    out += [c for c in theirs.conflicts if c not in ours.conflicts and c not in base.conflicts]
    for conflict in new:
        entry = conflict.as_dict()
        if entry not in out:
            out.append(entry)
    return out


# --- writing the result --------------------------------------------------------------------------


def _snapshot_of(version: Version) -> dict[str, Any]:
    """``version`` as a plan snapshot (every item parsed)."""
    snap = empty_snapshot()
    snap["top"], snap["account"], snap["swot"] = version.top, version.account, version.swot
    snap["team"] = [(e.uid, e.data) for e in version.team]
    snap["diagnostic"] = {e.key[0]: e.data for e in version.diagnostic}
    for name in LISTS:
        snap[name] = [(e.uid, e.data) for e in version.lists[name]]
    return snap


def _content_of(item: Merged) -> dict[str, Any]:
    if item.data is not None:
        return item.data
    assert item.ours is not None
    return item.ours.data


def _merged_pairs(items: list[Merged]) -> list[tuple[int, dict[str, Any]]]:
    return [(m.ours.uid if m.ours is not None else next_uid(), _content_of(m)) for m in items]


def _rest_snapshots(ours: Version, content: Content) -> tuple[dict[str, Any], dict[str, Any]]:
    """The snapshots of everything but the lists (top, account, team, answers, SWOT)."""
    old = empty_snapshot()
    new = empty_snapshot()
    old["top"], old["account"], old["swot"] = ours.top, ours.account, ours.swot
    new["top"], new["account"], new["swot"] = content.top, content.account, content.swot
    old["team"] = [(e.uid, e.data) for e in ours.team]
    new["team"] = _merged_pairs(content.lists["team"])
    old["diagnostic"] = {e.key[0]: e.data for e in ours.diagnostic}
    new["diagnostic"] = {m.key[0]: _content_of(m) for m in content.lists["diagnostic"]}
    return old, new


class InternalError(RuntimeError):
    """The merged text does not hold the merged plan: nothing is written."""


def _tomlkit_patch(text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """``text`` (a piece of ours) patched by the app's writer from ``old`` to ``new``."""
    import tomlkit

    from ..store.writer import patch

    if old == new:
        return text
    try:
        check_writable(text, "piece")  # what the writer can't patch: the whole reading says where
    except LoadError:
        raise Unfit("a piece the writer can't patch") from None
    doc = tomlkit.parse(text)
    patch(doc, old, new)
    return doc.as_string()


def _one_item(name: str, data: dict[str, Any]) -> dict[str, Any]:
    snap = empty_snapshot()
    snap[name] = [(1, data)]
    return snap


def _item_text(name: str, item: Merged) -> str:
    """The text of one ``[[name]]`` table (without its tail); a written one is read back."""
    entry, data = item.ours, item.data
    if entry is not None and (data is None or data == entry.data):
        assert entry.text is not None
        return entry.text
    assert data is not None
    if entry is None:
        text = _tomlkit_patch("", empty_snapshot(), _one_item(name, data))
    else:
        assert entry.text is not None
        text = _tomlkit_patch(entry.text, _one_item(name, entry.data), _one_item(name, data))
    try:
        back = load_item(text, name)
    except Unfit:
        back = None
    if back != data or not text.endswith("\n"):
        raise InternalError(f"{item_path(name, item.key)} is not written as merged")
    return text


def _has_comment(tail: str) -> bool:
    return any(line.lstrip(" \t").startswith("#") for line in tail.split("\n"))


def _list_text(name: str, ours: list[Entry], items: list[Merged], section_tail: str) -> str:
    """A list's tables, item by item: unchanged items keep their bytes, changed ones are
    patched, new ones written as the app writes them; one blank line between tables (or what
    was there), the section's tail at the end."""
    last = ours[-1] if ours else None
    pieces = []
    for n, item in enumerate(items):
        pieces.append(_item_text(name, item))
        inner = item.ours.tail if item.ours is not None and item.ours is not last else ""
        if n < len(items) - 1:
            pieces.append(inner or "\n")
        else:
            if _has_comment(inner):
                pieces.append(inner.rstrip("\r\n") + "\n")
            pieces.append(section_tail)
    return "".join(pieces)


def _placeholder_end(text: str, pos: int) -> int:
    """The end of a placeholder table whose lines end at ``pos``: past its blank lines and
    comments, at the next header or the end."""
    while pos < len(text):
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline + 1
        stripped = text[pos:end].strip()
        if stripped and not stripped.startswith("#"):
            break
        pos = end
    return pos


def _placeholder(name: str, token: str) -> tuple[dict[str, Any], str]:
    """A one-table stand-in for a list: its content and its text."""
    data = {"kpi": token, "period": "2000"} if name == "measures" else {"id": token}
    return data, f"[[{name}]]\n" + "".join(f'{k} = "{v}"\n' for k, v in data.items())


def _check_rest(text: str, new: dict[str, Any], holders: dict[str, dict[str, Any]]) -> None:
    """The re-written small part holds the merged sections, one placeholder per list left to
    fill, and the lists the writer created whole."""
    try:
        plan, problems = from_data(tomli.loads(text))
    except (tomli.TOMLDecodeError, NotAPlan):
        raise InternalError("the merged sections do not parse") from None
    snap = snapshot(plan)
    same_rest = all(snap[k] == new[k] for k in ("top", "account", "swot", "diagnostic"))
    same_rest = same_rest and [d for _, d in snap["team"]] == [d for _, d in new["team"]]
    for name in LISTS:
        got = [d for _, d in snap[name]]
        if name in holders:
            key = KEY_FIELDS[name]
            same_rest = same_rest and [tuple(d.get(k) for k in key) for d in got] == [
                tuple(holders[name].get(k) for k in key)
            ]
        else:
            same_rest = same_rest and got == [d for _, d in new[name]]
    if problems or not same_rest:
        raise InternalError("the merged sections are not written as merged")


def _render_pieces(ours: Version, content: Content, drop_conflicts: bool) -> str:
    """The merged text from ``ours`` read in pieces: the lists item by item, the rest (small)
    through tomlkit if it changed, each list standing in it as a one-table placeholder. Every
    piece written anew is read back; the others are ours' bytes."""
    assert ours.runs is not None
    text = ours.text
    token = f"kamtui-placeholder-{os.urandom(8).hex()}"
    cuts = [(run.start, run.end, run.name) for run in ours.runs]
    if drop_conflicts:
        cuts += [(start, end, "") for start, end in ours.conflict_spans]
    cuts.sort()
    reduced: list[str] = []
    old_rest, new_rest = _rest_snapshots(ours, content)
    holders: dict[str, dict[str, Any]] = {}
    lines: dict[str, str] = {}
    pos = 0
    for start, end, name in cuts:
        reduced.append(text[pos:start])
        pos = end
        if name:
            holders[name], lines[name] = _placeholder(name, token)
            old_rest[name] = [(0, holders[name])]
            new_rest[name] = [(0, holders[name])] if content.lists[name] else []
            reduced.append(lines[name] + ours.lists[name][-1].tail)
    reduced.append(text[pos:])
    for name in LISTS:
        if not ours.lists[name] and content.lists[name]:
            new_rest[name] = _merged_pairs(content.lists[name])  # a new section: the writer places it
    out = "".join(reduced)
    if old_rest != new_rest:
        out = _tomlkit_patch(out, old_rest, new_rest)
        _check_rest(out, new_rest, {name: holders[name] for name in holders if content.lists[name]})
    for run in ours.runs:
        if not content.lists[run.name]:
            continue
        line = lines[run.name]
        start = out.index(line)
        end = _placeholder_end(out, start + len(line))
        body = _list_text(run.name, ours.lists[run.name], content.lists[run.name], out[start + len(line) : end])
        out = out[:start] + body + out[end:]
    return out


def _render_whole(ours: Version, content: Content, drop_conflicts: bool) -> str:
    """The merged text through tomlkit on the whole of ``ours``' text (slow on large plans)."""
    old = _snapshot_of(ours)
    new = empty_snapshot()
    new["top"], new["account"], new["swot"] = content.top, content.account, content.swot
    _, rest = _rest_snapshots(ours, content)
    new["team"], new["diagnostic"] = rest["team"], rest["diagnostic"]
    for name in LISTS:
        new[name] = _merged_pairs(content.lists[name])
    import tomlkit

    from ..store.writer import patch

    doc = tomlkit.parse(ours.text)
    if drop_conflicts and CONFLICTS in doc:
        doc.remove(CONFLICTS)
    patch(doc, old, new)
    return doc.as_string()


def _with_conflicts(text: str, tables: list[dict[str, Any]]) -> str:
    if not tables:
        return text
    written = conflicts_toml(tables)
    if tomli.loads(written) != {CONFLICTS: tables}:
        raise InternalError("the conflicts are not written as found")
    body = text.rstrip("\r\n \t")
    return (body + "\n\n" if body else "") + written


def _check(text: str, content: Content, tables: list[dict[str, Any]], name: str) -> None:
    """The result must load and hold the merged content, else nothing is written. (Written
    through tomlkit on the whole of ours: read back whole.)"""
    version = read_full(text, name)
    problem = ""
    if (version.top, version.account, version.swot) != (content.top, content.account, content.swot):
        problem = "the merged sections"
    elif version.conflicts != tables:
        problem = "the conflicts"
    for list_name, items in content.lists.items():
        got = version.items(list_name)
        if [e.key for e in got] != [m.key for m in items]:
            problem = problem or f"the merged {list_name}"
            break
        for entry, item in zip(got, items, strict=True):
            if entry.data != _content_of(item):
                problem = problem or item_path(list_name, item.key)
    if problem:
        raise InternalError(f"{name}: internal error: {problem} differ in the result; nothing was written")


def merge_versions(base: Version, ours: Version, theirs: Version, name: str = "merged") -> MergeResult:
    content = merge_content(base, ours, theirs)
    tables = _merge_conflict_tables(base, ours, theirs, content.conflicts)
    # Conflict tables come last: they are written anew after the rest (new sections the writer
    # adds at the end of the file would otherwise follow them).
    rewrite = bool(tables or ours.conflicts)
    if ours.runs is not None:
        text = _render_pieces(ours, content, rewrite)
        if rewrite:
            text = _with_conflicts(text, tables)
    else:
        text = _render_whole(ours, content, rewrite)
        if rewrite:
            text = _with_conflicts(text, tables)
        _check(text, content, tables, name)
    return MergeResult(text, content.conflicts, fast=ours.runs is not None)


def _base(text: str, name: str, read: Callable[[str, str], Version]) -> Version:
    """The common ancestor; an empty one (git's add/add: both sides created the file) is an
    empty plan, so that what both sides wrote is merged field by field."""
    if not text.strip():
        return from_snapshot(name, text, snapshot(Plan()))
    return read(text, name)


def _read(text: str, name: str) -> Version:
    try:
        return read_version(text, name)
    except Unfit:
        return read_full(text, name)


def merge_texts(
    base: str, ours: str, theirs: str, names: tuple[str, str, str] = ("base", "ours", "theirs")
) -> MergeResult:
    """Merge three versions of a plan (see the module's doc). Raises :class:`LoadError` when a
    side is not a valid plan (``names`` name them in its lines)."""
    try:
        return merge_versions(_base(base, names[0], _read), _read(ours, names[1]), _read(theirs, names[2]), names[1])
    except Unfit:
        pass  # an item read in pieces did not parse: read everything whole
    result = merge_versions(
        _base(base, names[0], read_full), read_full(ours, names[1]), read_full(theirs, names[2]), name=names[1]
    )
    result.fast = False
    return result


__all__ = ["Conflict", "LoadError", "MergeResult", "merge_texts", "parse_path", "item_path"]
