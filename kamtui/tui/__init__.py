"""The terminal user interface (Textual)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any


def run(
    path: Path | None,
    lang: str | None,
    folder: Path | None,
    config: Any,
    *,
    headless: bool = False,
    customize: Callable[[type], type] | None = None,
) -> int:
    """Start the app; returns the process exit code.

    ``customize`` receives the App class and returns the class to run (the start-up benchmark
    uses it to add its timing hooks); ``headless`` runs without a terminal.
    """
    # Start-up allocates a great deal and frees almost nothing: no collections until the app is
    # up (KamApp turns the collector back on, see kamtui.tui.collector), and the modules imported by
    # then are frozen out of its scans for good.
    gc.disable()
    from ..store.config import resolve_lang
    from .i18n import set_lang

    # Key labels are read when the UI modules are imported: set the language first.
    set_lang(resolve_lang(lang, config))
    from .app import KamApp

    app_class = customize(KamApp) if customize else KamApp
    gc.freeze()
    app = app_class(path=path, lang=lang, folder=folder, config=config, manage_gc=True)
    app.run(headless=headless)
    return app.return_code or 0
