"""The terminal user interface (Textual)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def run(path: Path | None, lang: str | None, folder: Path | None, config: Any) -> int:
    """Start the app; returns the process exit code."""
    from ..store.config import resolve_lang
    from .i18n import set_lang

    # Key labels are read when the UI modules are imported: set the language first.
    set_lang(resolve_lang(lang, config))
    from .app import KamApp

    app = KamApp(path=path, lang=lang, folder=folder, config=config)
    app.run()
    return app.return_code or 0
