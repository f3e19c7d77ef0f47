"""Every use of a private part of Textual, in one place (tests/test_private_apis.py fails loudly
if one of them changes). Textual has no public way for these yet."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual._styles_cache import StylesCache
from textual.app import App

# The attributes used below; the test checks they still exist.
USED: dict[type, tuple[str, ...]] = {
    App: ("_exit_renderables", "_close_messages_no_wait"),
    StylesCache: ("get_inner_outer",),
}


def exit_with(app: App[Any], message: RenderableType) -> None:
    """Stop the app at once, printing ``message`` after the terminal is restored (what
    ``App._fatal_error`` does with a traceback, without the traceback)."""
    app._exit_renderables.append(message)
    app._close_messages_no_wait()


def drop_render_caches() -> None:
    """Empty ``StylesCache.get_inner_outer``'s cache: an ``lru_cache(1024)`` on a method, it keeps
    the StylesCache of up to 1,024 widgets alive after they are gone (sections rebuilt, dialogs
    closed, a reloaded plan), with every line they rendered: memory, and objects for each full
    garbage collection to walk (in the test suite, 45 % of a Pilot file's CPU time). Emptying it
    costs two styles recomputed per widget at its next render."""
    StylesCache.get_inner_outer.cache_clear()
