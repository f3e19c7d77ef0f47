"""Apply a plan's changes onto its tomlkit document.

Only what changed between two snapshots is touched, so comments, blank lines,
key order and unknown keys of a hand-edited file survive, and changing one
field changes only that field's lines. What the app adds is laid out the same
way every time: keys in the order of SPEC §3, one blank line between tables,
long text as multiline strings, lists of texts one item per line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Array, Comment, Null, String, StringType, Table, Trivia, Whitespace

from ..model.convert import item_data
from ..model.plan import LISTS, Account, Answer, Swot, TeamMember
from ..model.schema import STRLIST, TEXT, specs
from .tomlkit_private import insert_after, insert_at

# Top-level sections in file order.
SECTIONS = ("account", "diagnostic", "gaps", "swot", *list(LISTS)[1:])
TOP_KEYS = ("schema", "lang")
ACCOUNT_KEYS = tuple(name for name, _ in specs(Account)) + ("team",)
_KINDS: dict[type, dict[str, str]] = {
    cls: {name: spec.kind for name, spec in specs(cls)} for cls in (Account, Answer, Swot, TeamMember, *LISTS.values())
}
_SECTION_CLASS: dict[str, type] = {"account": Account, "diagnostic": Answer, "swot": Swot, "team": TeamMember, **LISTS}


def _escape_multiline(text: str) -> str:
    out = []
    for n, ch in enumerate(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"' and (text[n + 1 : n + 2] == '"' or n == len(text) - 1):
            out.append('\\"')
        elif ch in "\n\t":
            out.append(ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def multiline(text: str) -> String:
    """``\"\"\"`` + newline + text + ``\"\"\"``: each line of the text is a line of the file.

    Carriage returns are kept (escaped): the file must hold exactly the text.
    """
    return String(StringType.MLB, text, "\n" + _escape_multiline(text), Trivia())


def make_item(value: Any, kind: str) -> Any:
    if kind == TEXT and value:
        return multiline(value)
    if kind == STRLIST:
        array = tomlkit.array()
        array.extend(value)
        if value:
            array.multiline(True)
        return array
    if isinstance(value, dt.date):
        return tomlkit.date(value.isoformat())
    return tomlkit.item(value)


def _container(item: Any) -> Container:
    return item.value if isinstance(item, Table) else item


def _set_key(parent: Any, key: str, value: Any, kind: str, order: tuple[str, ...]) -> None:
    """Set, replace or remove one key, inserting a new one at its place in ``order``."""
    container = _container(parent)
    if value is None:
        if key in container:
            container.remove(key)
        return
    new = make_item(value, kind)
    if key in container:
        old = container.item(key)
        if kind == STRLIST and value and isinstance(old, Array) and len(old) and "\n" not in old.as_string():
            new.multiline(False)  # a list written on one line stays on one line (undo gives the same bytes)
        container[key] = new
        return
    position = order.index(key) if key in order else len(order)
    before = [k for k in order[:position] if k in container and not isinstance(container.item(k), (Table, AoT))]
    if before:
        insert_after(container, before[-1], key, new)
    else:
        # First of its table: before the other keys and tables, or before the
        # blank lines that end a table holding only comments.
        body = container.body
        keys = [n for n, (k, _) in enumerate(body) if k is not None]
        index = keys[0] if keys else len(body)
        while not keys and index and isinstance(body[index - 1][1], (Whitespace, Null)):
            index -= 1
        if index < len(body):
            insert_at(container, index, key, new)
        else:
            container.append(key, new)


def _body_index(container: Container, key: str) -> int:
    for n, (k, _) in enumerate(container.body):
        if k is not None and k.key == key:
            return n
    return len(container.body)


def _patch_fields(table: Any, old: dict[str, Any], new: dict[str, Any], cls: type) -> None:
    kinds = _KINDS[cls]
    order = tuple(kinds)
    for key in order:
        if old.get(key) != new.get(key):
            _set_key(table, key, new.get(key), kinds[key], order)


def _new_table(data: dict[str, Any], cls: type) -> Table:
    table = tomlkit.table()
    kinds = _KINDS[cls]
    for key, value in data.items():
        if value is not None:
            table.add(key, make_item(value, kinds[key]))
    return table


# --- blank lines between tables -------------------------------------------
#
# A table's text runs to the next header, so the blank line (and any comment
# lines) before a header belong to the table above it: its "tail". The tail of
# a section's last table leads into what follows the section (or ends the
# file); it stays at the end of the section whatever happens to its tables.


def _ends_blank(table: Table) -> bool:
    body = [item for _, item in table.value.body if not isinstance(item, Null)]  # Null: a removed key
    return bool(body) and isinstance(body[-1], Whitespace) and "\n" in body[-1].s


def _set_trailing_blank(table: Table, want: bool) -> None:
    if want and not _ends_blank(table):
        table.value.body.append((None, Whitespace("\n")))
    elif not want:
        _strip_blank(table.value)


def _strip_blank(container: Container) -> None:
    """Remove the blank lines that end ``container``."""
    body = container.body
    while body and body[-1][0] is None and isinstance(body[-1][1], (Whitespace, Null)):
        body.pop()


def _pop_tail(table: Table) -> list[tuple[Any, Any]]:
    """Take the end of ``table`` from its first blank line after the last key:
    blank lines and the comments over the next header. (Comments right under
    the last key stay: they are about the table.)"""
    body = table.value.body
    start = len(body)
    while start and body[start - 1][0] is None and isinstance(body[start - 1][1], (Whitespace, Comment, Null)):
        start -= 1
    while start < len(body) and not isinstance(body[start][1], Whitespace):
        start += 1
    tail = body[start:]
    del body[start:]
    return tail


def _end_tail(table: Table, tail: list[tuple[Any, Any]], follows: bool) -> None:
    """End ``table`` (the last of its section) with ``tail``; with a blank line if
    the section is followed by something and ``tail`` has none."""
    _set_trailing_blank(table, False)
    table.value.body.extend(tail)
    if follows and not tail:
        _set_trailing_blank(table, True)


def _last_table(item: Any) -> Table | None:
    """The table whose end is the end of ``item`` in the rendered file."""
    if isinstance(item, AoT):
        return _last_table(item.body[-1]) if item.body else None
    if isinstance(item, Table):
        body = item.value.body
        if body and isinstance(body[-1][1], (Table, AoT)):
            return _last_table(body[-1][1])
        return item
    return None


def _table_before(parent: Any, index: int) -> Table | None:
    """The table whose text ends just before ``body[index]`` of ``parent``: the last
    table of the section before, or ``parent`` itself when only its keys come
    before and nothing after. None when top-level keys come before, or nothing
    (a super table such as ``diagnostic`` has no text of its own)."""
    container = _container(parent)
    for _, item in reversed(container.body[:index]):
        if isinstance(item, (Table, AoT)):
            return _last_table(item)
        if not isinstance(item, (Whitespace, Comment, Null)):
            break
    if isinstance(parent, Table) and not parent.is_super_table() and not _keys_after(container, index):
        return parent
    return None


def _keys_after(container: Container, index: int) -> bool:
    return any(k is not None for k, _ in container.body[index:])


def _followed(doc: Any, key: str) -> bool:
    """True if something comes after the top-level section ``key`` in the file."""
    return _keys_after(doc, _body_index(doc, key) + 1)


# --- sections ---------------------------------------------------------------
#
# ``outer`` tells whether something follows ``parent`` in the file (for the
# sections inside a table: account.team, diagnostic.<qid>).


def _place_section(parent: Any, key: str, item: Any, order: tuple[str, ...], outer: bool = False) -> None:
    """Add a new table or array of tables at its place among the sections in ``order``,
    one blank line after what comes before it."""
    container = _container(parent)
    position = order.index(key)
    after = [k for k in order[position + 1 :] if k in container]
    index = min(_body_index(container, k) for k in after) if after else len(container.body)
    inside = _keys_after(container, index)
    previous = _table_before(parent, index)
    tail: list[tuple[Any, Any]] = []
    if previous is not None:
        tail = _pop_tail(previous)
        _set_trailing_blank(previous, True)
    elif not isinstance(parent, Table) and not inside and container.body:
        if not isinstance(container.body[-1][1], Whitespace):
            container.add(tomlkit.nl())  # after the top-level keys
    if inside:
        insert_at(container, index, key, item)
    else:
        container.append(key, item)
    tables = _tables(item)
    for table in tables:
        table.trivia.indent = ""
    if previous is None and inside and not isinstance(parent, Table):
        above = [item for _, item in container.body[:index] if not isinstance(item, Null)]
        if above and not isinstance(above[-1], Whitespace):
            tables[0].trivia.indent = "\n"  # a blank line after the top-level keys
    last = _last_table(item)
    if last is not None:
        _end_tail(last, tail, inside or outer)


def _remove_section(parent: Any, key: str, outer: bool = False) -> None:
    """Remove a table or array of tables; the table before it takes its tail."""
    container = _container(parent)
    index = _body_index(container, key)
    last = _last_table(container.item(key))
    tail = _pop_tail(last) if last is not None else []
    container.remove(key)
    previous = _table_before(parent, index)
    if previous is not None:
        _end_tail(previous, tail, _keys_after(container, index) or outer)
    elif not isinstance(parent, Table) and not _keys_after(container, index):
        _strip_blank(container)  # the top-level keys now end the file


def _tables(item: Any) -> list[Table]:
    if isinstance(item, AoT):
        return list(item.body)
    if isinstance(item, Table) and item.is_super_table():
        return [t for _, t in item.value.body if isinstance(t, Table)]
    return [item] if isinstance(item, Table) else []


def _patch_list(
    parent: Any,
    key: str,
    old: list[tuple[int, dict]],
    new: list[tuple[int, dict]],
    order: tuple[str, ...],
    outer: bool = False,
) -> None:
    container = _container(parent)
    cls = _SECTION_CLASS[key]
    if not new:
        if key in container:
            _remove_section(parent, key, outer)
        return
    if key not in container:
        aot = tomlkit.aot()
        for _, data in new:
            aot.append(_new_table(data, cls))
        for table in aot.body[:-1]:
            _set_trailing_blank(table, True)
        _place_section(parent, key, aot, order, outer)
        return
    existing = container.item(key)
    if not isinstance(existing, AoT):  # a plan that loaded has an array of tables here
        raise RuntimeError(f"{key}: not an array of tables ([[{key}]]) in the file")
    aot = existing
    tables = dict(zip((uid for uid, _ in old), aot.body, strict=False))
    olds = dict(old)
    result: list[Table] = []
    for uid, data in new:
        if uid in tables:
            _patch_fields(tables[uid], olds[uid], data, cls)
            result.append(tables[uid])
        else:
            table = _new_table(data, cls)
            result.append(table)
    if [id(t) for t in result] == [id(t) for t in aot.body]:
        return
    tail = _pop_tail(aot.body[-1])
    follows = _keys_after(container, _body_index(container, key) + 1) or outer
    while len(aot):
        del aot[0]
    for table in result:
        aot.append(table)
    for table in result:
        table.trivia.indent = ""
    for table in result[:-1]:
        _set_trailing_blank(table, True)
    _end_tail(result[-1], tail, follows)


def _section(doc: Any, key: str) -> Table:
    if key not in doc:
        _place_section(doc, key, tomlkit.table(), SECTIONS)
    return doc[key]


def patch(doc: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Change ``doc`` (which holds ``old``) so that it holds ``new``: snapshots of
    plans, see :func:`kamtui.store.snapshot.snapshot`."""
    for key in TOP_KEYS:
        if old["top"].get(key) != new["top"].get(key):
            _set_key(doc, key, new["top"][key], "", TOP_KEYS)
    if old["account"] != new["account"]:
        _patch_fields(_section(doc, "account"), old["account"], new["account"], Account)
    if old["team"] != new["team"]:
        account = _section(doc, "account")
        _patch_list(account, "team", old["team"], new["team"], ACCOUNT_KEYS, _followed(doc, "account"))
    if old["diagnostic"] != new["diagnostic"]:
        _patch_diagnostic(doc, old["diagnostic"], new["diagnostic"])
    for key in SECTIONS:
        if key in ("account", "diagnostic") or old[key] == new[key]:
            continue
        if key == "swot":
            _patch_fields(_section(doc, "swot"), old[key], new[key], Swot)
        else:
            _patch_list(doc, key, old[key], new[key], SECTIONS)
    if old.get("conflicts", ()) != new.get("conflicts", ()):
        from .conflicts import write_conflicts

        write_conflicts(doc, new.get("conflicts", ()))


def _patch_diagnostic(doc: Any, old: dict[str, dict], new: dict[str, dict]) -> None:
    """One ``[diagnostic.<qid>]`` table per answer, in the order of the plan's answers."""
    if "diagnostic" not in doc:
        if new:
            diagnostic = tomlkit.table(is_super_table=True)
            for qid, data in new.items():
                diagnostic.append(qid, _new_table(data, Answer))
            for table in _tables(diagnostic)[:-1]:
                _set_trailing_blank(table, True)
            _place_section(doc, "diagnostic", diagnostic, SECTIONS)
        return
    diagnostic = doc["diagnostic"]
    container = diagnostic.value
    if not new and all(k is None or k.key in old for k, _ in container.body):
        _remove_section(doc, "diagnostic")  # no empty [diagnostic] table left behind
        return
    blank = item_data(Answer())  # a blank answer of the file is not in ``old``
    outer = _followed(doc, "diagnostic")
    for qid in old:
        if qid not in new and qid in container:
            _remove_section(diagnostic, qid, outer)
    for qid, data in new.items():
        if qid in container:
            _patch_fields(container.item(qid), old.get(qid, blank), data, Answer)
        else:
            _place_section(diagnostic, qid, _new_table(data, Answer), tuple(new), outer)
