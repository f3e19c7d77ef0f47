"""Files shipped with kamtui: the demo plan, the core questions, the UI catalogs."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent


def read_text(name: str) -> str:
    """One of the bundled files, as text. (Read from the installed package folder: cheaper at
    start-up than importlib.resources, and kamtui is never run from a zip.)"""
    return (FOLDER / name).read_text("utf-8")
