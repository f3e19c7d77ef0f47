"""Every use of a private part of Textual, in one place (tests/test_private_apis.py fails loudly
if one of them changes). Textual has no public way for these yet."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual.app import App

# The attributes used below; the test checks they still exist.
USED = {
    App: ("_exit_renderables", "_close_messages_no_wait"),
}


def exit_with(app: App[Any], message: RenderableType) -> None:
    """Stop the app at once, printing ``message`` after the terminal is restored (what
    ``App._fatal_error`` does with a traceback, without the traceback)."""
    app._exit_renderables.append(message)
    app._close_messages_no_wait()
