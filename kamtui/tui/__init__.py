"""The terminal user interface (Textual)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def run(path: Path | None, lang: str | None, folder: Path | None, config: Any) -> int:
    """Start the app; returns the process exit code."""
    from .app import KamApp

    app = KamApp(path=path, lang=lang, folder=folder, config=config)
    app.run()
    return app.return_code or 0
