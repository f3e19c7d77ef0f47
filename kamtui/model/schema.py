"""Field descriptions shared by validation, serialisation, forms and exports.

Every plan item is a dataclass whose fields carry a :class:`Spec` in their
metadata. The spec is the single description of a field: what kind of value
it holds, which values are allowed, what it refers to and whether it is
internal (left out of exports for the client).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from dataclasses import dataclass, field
from typing import Any

# Kinds of field values.
STR = "str"  # one line of text
TEXT = "text"  # long text, written as a multiline string
DATE = "date"  # datetime.date, optional
FLOAT = "float"  # number, optional
INT = "int"  # integer within [lo, hi]
ENUM = "enum"  # one of choices
BOOL = "bool"
REF = "ref"  # id of an item of another list (or "")
PERIOD = "period"  # "2027", "2027-Q2" or "2027-06"
STRLIST = "strlist"  # list of one-line strings

_uids = itertools.count(1)


def next_uid() -> int:
    """A process-unique identity for an item, kept across edits of its fields."""
    return next(_uids)


@dataclass(frozen=True)
class Spec:
    """How one field is described: its kind, allowed values, reference and limits."""

    kind: str = STR
    choices: tuple[str, ...] = ()
    ref: str | None = None
    lo: int | None = None
    hi: int | None = None
    internal: bool = False
    required: bool = False


def f(default: Any = "", kind: str = STR, **spec: Any) -> Any:
    """Declare a dataclass field with its :class:`Spec`."""
    meta = {"spec": Spec(kind=kind, **spec)}
    if isinstance(default, list):
        return field(default_factory=list, metadata=meta)
    return field(default=default, metadata=meta)


def uid_field() -> Any:
    return field(default_factory=next_uid, compare=False, repr=False, metadata={})


def specs(cls_or_obj: Any) -> tuple[tuple[str, Spec], ...]:
    """The (name, spec) pairs of a dataclass, in declaration (= file) order."""
    return _specs(cls_or_obj if isinstance(cls_or_obj, type) else type(cls_or_obj))


@functools.cache
def _specs(cls: type) -> tuple[tuple[str, Spec], ...]:
    # Computed once per class: reading or saving a plan asks for every item's specs.
    return tuple((fl.name, fl.metadata["spec"]) for fl in dataclasses.fields(cls) if "spec" in fl.metadata)


def spec_of(cls_or_obj: Any, name: str) -> Spec:
    for fname, spec in specs(cls_or_obj):
        if fname == name:
            return spec
    raise KeyError(name)
