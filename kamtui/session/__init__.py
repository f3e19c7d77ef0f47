"""The open plan session: edits, undo/redo, saved state, when to write. Never imports textual.

A package of its own, beside ``model`` and ``store``, because it joins the two — it applies the
model's operations and drives a store's plan file — and both the interface and scripts use it;
the model must stay free of file I/O, and the store should not know about undo.
"""

from __future__ import annotations

from .history import Where
from .session import PlanSession, SaveJob

__all__ = ["PlanSession", "SaveJob", "Where"]
