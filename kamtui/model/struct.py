"""Equality and repr for the dataclasses that are imported on the way to the first frame.

``@dataclass`` writes ``__init__``, ``__repr__`` and ``__eq__`` for each class as source text and
compiles it when the module is imported: the plan's 13 classes and the undo history's 7 took
~20 ms of every start-up. Declared ``@dataclass(repr=False, eq=False)`` with :class:`Struct` as
base, a class gets only its ``__init__`` compiled; equality and repr are these two methods,
written once, with the same meaning as the generated ones: same class, and the fields that take
part in comparison (``compare=True``) equal in order; ``Name(field=value, ...)`` over the fields
shown (``repr=True``).
"""

from __future__ import annotations

from dataclasses import fields

_NAMES: dict[tuple[type, str], tuple[str, ...]] = {}


def _names(cls: type, which: str) -> tuple[str, ...]:
    """The fields of ``cls`` that are compared (``which="compare"``) or shown (``"repr"``)."""
    names = _NAMES.get((cls, which))
    if names is None:
        names = _NAMES[cls, which] = tuple(f.name for f in fields(cls) if getattr(f, which))
    return names


class Struct:
    """Base of a ``@dataclass(repr=False, eq=False)``: ``==`` and ``repr`` as ``@dataclass``'s."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = _names(self.__class__, "compare")
        return tuple(getattr(self, name) for name in names) == tuple(getattr(other, name) for name in names)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: as @dataclass(eq=True)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _names(self.__class__, "repr"))
        return f"{self.__class__.__qualname__}({shown})"
