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
from tomlkit.items import AoT, String, StringType, Table, Trivia, Whitespace

from ..model.plan import LISTS, Account, Answer, Swot, TeamMember
from ..model.schema import STRLIST, TEXT, specs

# Top-level sections in file order.
SECTIONS = ("account", "diagnostic", "gaps", "swot", *list(LISTS)[1:])
TOP_KEYS = ("schema", "lang")
ACCOUNT_KEYS = tuple(name for name, _ in specs(Account)) + ("team",)
_KINDS: dict[type, dict[str, str]] = {
    cls: {name: spec.kind for name, spec in specs(cls)}
    for cls in (Account, Answer, Swot, TeamMember, *LISTS.values())
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
        container[key] = new
        return
    position = order.index(key) if key in order else len(order)
    before = [k for k in order[:position] if k in container and not isinstance(container.item(k), (Table, AoT))]
    if before:
        container._insert_after(before[-1], key, new)
    else:
        # First of its table: before everything else, tables included.
        keys = [k for k, _ in container.body if k is not None]
        if keys:
            container._insert_at(_body_index(container, keys[0].key), key, new)
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


def _ends_blank(table: Table) -> bool:
    body = table.value.body
    return bool(body) and isinstance(body[-1][1], Whitespace) and "\n" in body[-1][1].s


def _set_trailing_blank(table: Table, want: bool) -> None:
    if want and not _ends_blank(table):
        table.value.body.append((None, Whitespace("\n")))
    elif not want and _ends_blank(table):
        while _ends_blank(table):
            table.value.body.pop()


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


# --- sections ---------------------------------------------------------------


def _place_section(container: Container, key: str, item: Any, order: tuple[str, ...]) -> None:
    """Add a new table or array of tables at its place among the sections in ``order``."""
    position = order.index(key)
    after = [k for k in order[position + 1 :] if k in container]
    keys_in_body = [k.key for k, _ in container.body if k is not None]
    if after:
        index = min(_body_index(container, k) for k in after)
        container._insert_at(index, key, item)
        _set_trailing_blank(_last_table(item), True)
    else:
        previous = [k for k in keys_in_body if k != key]
        if previous:
            last = _last_table(container.item(previous[-1]))
            if last is not None:
                _set_trailing_blank(last, True)
            elif not isinstance(container.body[-1][1], Whitespace):
                container.add(tomlkit.nl())
        container.append(key, item)
        tail = _last_table(item)
        if tail is not None:
            _set_trailing_blank(tail, False)
    for table in _tables(item):
        table.trivia.indent = ""


def _tables(item: Any) -> list[Table]:
    if isinstance(item, AoT):
        return list(item.body)
    return [item] if isinstance(item, Table) else []


def _patch_list(parent: Any, key: str, old: list[tuple[int, dict]], new: list[tuple[int, dict]],
                order: tuple[str, ...]) -> None:
    container = _container(parent)
    cls = _SECTION_CLASS[key]
    if not new:
        if key in container:
            previous_tail = _last_table(container.item(key))
            trailing = previous_tail is not None and _ends_blank(previous_tail)
            container.remove(key)
            if not trailing:
                # The removed section ended the file: the one before now does.
                keys = [k.key for k, _ in container.body if k is not None]
                if keys and (tail := _last_table(container.item(keys[-1]))) is not None:
                    _set_trailing_blank(tail, False)
        return
    if key not in container:
        aot = tomlkit.aot()
        for _, data in new:
            aot.append(_new_table(data, cls))
        _place_section(container, key, aot, order)
        for table in aot.body[:-1]:
            _set_trailing_blank(table, True)
        return
    aot = container.item(key)
    tables = dict(zip((uid for uid, _ in old), aot.body))
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
    ends_blank = _ends_blank(aot.body[-1]) if aot.body else False
    while len(aot):
        del aot[0]
    for table in result:
        aot.append(table)
    for table in result:
        table.trivia.indent = ""
    for table in result[:-1]:
        _set_trailing_blank(table, True)
    _set_trailing_blank(result[-1], ends_blank)


def _section(doc: Any, key: str, super_table: bool = False) -> Table:
    if key not in doc:
        _place_section(doc, key, tomlkit.table(is_super_table=super_table), SECTIONS)
    return doc[key]


def patch(doc: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Change ``doc`` (which holds ``old``) so that it holds ``new``. See :func:`snapshot`."""
    for key in TOP_KEYS:
        if old["top"].get(key) != new["top"].get(key):
            _set_key(doc, key, new["top"][key], "", TOP_KEYS)
    if old["account"] != new["account"]:
        _patch_fields(_section(doc, "account"), old["account"], new["account"], Account)
    if old["team"] != new["team"]:
        _patch_list(_section(doc, "account"), "team", old["team"], new["team"], ACCOUNT_KEYS)
    if old["diagnostic"] != new["diagnostic"]:
        _patch_diagnostic(doc, old["diagnostic"], new["diagnostic"])
    for key in SECTIONS:
        if key in ("account", "diagnostic") or old[key] == new[key]:
            continue
        if key == "swot":
            _patch_fields(_section(doc, "swot"), old[key], new[key], Swot)
        else:
            _patch_list(doc, key, old[key], new[key], SECTIONS)


def _patch_diagnostic(doc: Any, old: dict[str, dict], new: dict[str, dict]) -> None:
    diagnostic = _section(doc, "diagnostic", super_table=True)
    container = diagnostic.value
    for qid in old:
        if qid not in new and qid in container:
            container.remove(qid)
    for qid, data in new.items():
        if qid in old and qid in container:
            _patch_fields(container.item(qid), old[qid], data, Answer)
    added = [qid for qid in new if qid not in old or qid not in container]
    for qid in added:
        keys = [k.key for k, _ in container.body if k is not None]
        previous = _last_table(container.item(keys[-1])) if keys else None
        table = _new_table(new[qid], Answer)
        follows = _follows(doc, "diagnostic")
        if previous is not None:
            trailing = _ends_blank(previous)
            _set_trailing_blank(previous, True)
        else:
            trailing = follows
        container.append(qid, table)
        table.trivia.indent = ""
        _set_trailing_blank(table, trailing)


def _follows(doc: Any, key: str) -> bool:
    keys = [k.key for k, _ in doc.body if k is not None]
    return key in keys and keys.index(key) < len(keys) - 1


def empty_snapshot() -> dict[str, Any]:
    return {"top": {}, "account": {}, "team": [], "diagnostic": {}, "swot": {}, **{k: [] for k in LISTS}}


def snapshot(plan: Any) -> dict[str, Any]:
    """The plan's content as plain data, list items keyed by their identity."""
    from ..model.convert import answer_is_blank, item_data

    def copy(obj: Any) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, list) else v for k, v in item_data(obj).items()}

    snap = {
        "top": {"schema": plan.schema, "lang": plan.lang},
        "account": copy(plan.account),
        "team": [(m.uid, copy(m)) for m in plan.account.team],
        "diagnostic": {q: copy(a) for q, a in plan.diagnostic.items() if not answer_is_blank(a)},
        "swot": copy(plan.swot),
    }
    for key in LISTS:
        snap[key] = [(item.uid, copy(item)) for item in getattr(plan, key)]
    return snap
