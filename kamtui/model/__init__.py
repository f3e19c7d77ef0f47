"""The plan as data. Never imports textual.

Names are re-exported lazily, so importing one submodule (say the question bank)
does not load the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "NotAPlan": "convert",
    "Problem": "convert",
    "from_data": "convert",
    "to_data": "convert",
    "Plan": "plan",
    "Question": "questions",
    "QuestionBank": "questions",
    "load_bank": "questions",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
