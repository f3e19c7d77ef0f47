"""Three-way merges of sequences: lines of a text, and ordered lists of keyed items.

Two small algorithms, pure Python (difflib), no dependency:

* :func:`merge_lines` merges two edits of a list of lines made from one base. Each side's edit
  is turned into *changes of the base* (replace base lines ``i1:i2`` with these lines; an
  insertion is an empty range). Changes of the two sides that touch different base lines are
  applied together, even on adjacent lines: one paragraph edited on each side merges, where
  classic diff3 (and git) call adjacent edits a conflict. Two changes conflict when their base
  ranges overlap, when one side inserts strictly inside a range the other side changed, or when
  both insert different lines at the same place. The same change made on both sides is applied
  once.
* :func:`merge_order` gives the order of a merged list of keyed items (plan items by id, SWOT
  lines): the items neither side moved keep the base order, each side's moves are replayed
  (ours first), and items added — or kept by one side only — go right after their nearest
  predecessor on that side: ours' first, then theirs', so that both sides appending to a list
  gives ours' additions then theirs' at the end. Deterministic; no conflicts.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

Change = tuple[int, int, tuple]  # base[i1:i2] becomes the lines in the tuple


def changes(base: Sequence[T], other: Sequence[T]) -> list[Change]:
    """The changes that turn ``base`` into ``other``, in base order."""
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, tuple(other[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _clash(a: Change, b: Change) -> bool:
    """True if changes ``a`` and ``b`` (of the two sides, on the same base) can't both apply."""
    if a == b:
        return False
    a1, a2, _ = a
    b1, b2, _ = b
    if a1 < a2 and b1 < b2:
        return a1 < b2 and b1 < a2  # ranges overlap
    if a1 == a2 and b1 == b2:
        return a1 == b1  # two different insertions at one place
    if a1 == a2:
        return b1 < a1 < b2  # an insertion inside the other side's range
    return a1 < b1 < a2


def merge_lines(base: Sequence[T], ours: Sequence[T], theirs: Sequence[T]) -> list[T] | None:
    """The 3-way merge of ``ours`` and ``theirs`` (edits of ``base``), or None on a conflict."""
    if list(ours) == list(theirs) or list(theirs) == list(base):
        return list(ours)
    if list(ours) == list(base):
        return list(theirs)
    mine, other = changes(base, ours), changes(base, theirs)
    for a in mine:
        for b in other:
            if _clash(a, b):
                return None
    merged = sorted(set(mine) | set(other), key=lambda c: (c[0], c[1] > c[0], c[1]))
    out: list[T] = []
    pos = 0
    for i1, i2, lines in merged:
        out.extend(base[pos:i1])
        out.extend(lines)
        pos = i2
    out.extend(base[pos:])
    return out


def merge_text(base: str, ours: str, theirs: str) -> str | None:
    """:func:`merge_lines` on the lines of three texts; None on a conflict."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    merged = merge_lines(base.split("\n"), ours.split("\n"), theirs.split("\n"))
    return None if merged is None else "\n".join(merged)


# --- the order of a merged list of items -------------------------------------------------------


def unmoved(order: Sequence[Any], rank: Mapping[Any, int]) -> set[Any]:
    """The largest set of items of ``order`` that are still in their ``rank`` order (the rest
    were moved): a longest increasing subsequence, the earliest one on ties."""
    tails: list[int] = []  # tails[n]: rank of the smallest tail of an increasing run of n + 1
    tail_at: list[int] = []  # index in ``order`` of that tail
    parent: list[int] = [-1] * len(order)
    for index, key in enumerate(order):
        value = rank[key]
        n = bisect.bisect_left(tails, value)
        if n == len(tails):
            tails.append(value)
            tail_at.append(index)
        else:
            tails[n] = value
            tail_at[n] = index
        parent[index] = tail_at[n - 1] if n else -1
    kept: set[Any] = set()
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        kept.add(order[index])
        index = parent[index]
    return kept


def _insert_after(
    result: list[K], placed: set[K], key: K, side: Sequence[K], placed_first: set[K], skip: set[K]
) -> None:
    """Insert ``key`` into ``result`` right after its nearest predecessor in ``side`` that is
    already placed and not in ``skip`` (the items the other side moved: their place says
    nothing of this side's order), at the start if none, past any items of ``placed_first``
    already there."""
    position = 0
    for previous in reversed(side[: side.index(key)]):
        if previous in placed and previous not in skip:
            position = result.index(previous) + 1
            break
    while position < len(result) and result[position] in placed_first:
        position += 1
    result.insert(position, key)
    placed.add(key)


def merge_order(base: Sequence[K], ours: Sequence[K], theirs: Sequence[K], kept: set[K]) -> list[K]:
    """The order of the merged list holding the items ``kept``.

    ``base``, ``ours`` and ``theirs`` are the three versions' keys in their order (each key
    once). Every kept key is in ``ours`` or ``theirs``.
    """
    ours_keys, theirs_keys = set(ours), set(theirs)
    common = [k for k in base if k in kept and k in ours_keys and k in theirs_keys]
    shared = set(common)
    rank = {k: n for n, k in enumerate(common)}
    in_ours = [k for k in ours if k in shared]
    in_theirs = [k for k in theirs if k in shared]
    moved_ours = shared - unmoved(in_ours, rank)
    moved_theirs = shared - unmoved(in_theirs, rank) - moved_ours
    if not moved_ours:
        result = list(in_theirs)
    elif not moved_theirs:
        result = list(in_ours)
    else:
        result = [k for k in common if k not in moved_ours and k not in moved_theirs]
    placed = set(result)
    ours_side: set[K] = set()
    ours_list = list(ours)
    theirs_list = list(theirs)
    if moved_ours and moved_theirs:
        for key in in_ours:
            if key in moved_ours:
                _insert_after(result, placed, key, in_ours, ours_side, moved_theirs)
                ours_side.add(key)
        for key in in_theirs:
            if key in moved_theirs:
                _insert_after(result, placed, key, in_theirs, ours_side, moved_ours)
    for key in ours_list:
        if key in kept and key not in placed:
            _insert_after(result, placed, key, ours_list, ours_side, moved_theirs)
            ours_side.add(key)
    for key in theirs_list:
        if key in kept and key not in placed:
            _insert_after(result, placed, key, theirs_list, ours_side, moved_ours)
    return result
