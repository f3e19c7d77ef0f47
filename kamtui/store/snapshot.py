"""A plan's content as plain data, to compare and to hand to the writer (no tomlkit here)."""

from __future__ import annotations

from typing import Any

from ..model.convert import answer_is_blank, item_data
from ..model.plan import LISTS, Plan


def empty_snapshot() -> dict[str, Any]:
    return {"top": {}, "account": {}, "team": [], "diagnostic": {}, "swot": {}, **{k: [] for k in LISTS}}


def _copy(obj: Any) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, list) else v for k, v in item_data(obj).items()}


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's content as plain data, list items keyed by their identity (``uid``).

    Taken on the thread that edits the plan; safe to use on another one afterwards.
    """
    snap: dict[str, Any] = {
        "top": {"schema": plan.schema, "lang": plan.lang},
        "account": _copy(plan.account),
        "team": [(m.uid, _copy(m)) for m in plan.account.team],
        "diagnostic": {q: _copy(a) for q, a in plan.diagnostic.items() if not answer_is_blank(a)},
        "swot": _copy(plan.swot),
    }
    for key in LISTS:
        snap[key] = [(item.uid, _copy(item)) for item in getattr(plan, key)]
    if plan.conflicts:  # a tuple: compared whole (see kamtui.store.conflicts)
        snap["conflicts"] = tuple(dict(entry) for entry in plan.conflicts)
    return snap
