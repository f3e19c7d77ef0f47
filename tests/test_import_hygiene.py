"""The library (model, store, report) and the CLI entry never load Textual; the CLI loads no tomlkit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LIBRARY = [
    "kamtui.model",
    "kamtui.model.rules",
    "kamtui.model.ops",
    "kamtui.model.questions",
    "kamtui.model.convert",
    "kamtui.store",
    "kamtui.store.planfile",
    "kamtui.store.writer",
    "kamtui.store.portfolio",
    "kamtui.store.config",
    "kamtui.store.locations",
    "kamtui.store.plans",
    "kamtui.store.tomlio",
    "kamtui.store.atomic",
    "kamtui.store.recovery",
    "kamtui.store.snapshot",
    "kamtui.report",
    "kamtui.cli",
]


def loaded_after(modules: list[str]) -> list[str]:
    """The names in sys.modules of a fresh interpreter after importing ``modules``."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_library_and_cli_do_not_import_textual():
    loaded = loaded_after(LIBRARY)
    assert set(LIBRARY) <= set(loaded)
    textual = [m for m in loaded if m == "textual" or m.startswith("textual.")]
    assert textual == [], textual


def test_cli_does_not_import_tomlkit_at_import_time():
    loaded = loaded_after(["kamtui.cli"])
    assert "kamtui.cli" in loaded
    assert not [m for m in loaded if m == "tomlkit" or m.startswith("tomlkit.")]
    assert not [m for m in loaded if m == "textual" or m.startswith("textual.")]


def test_reading_plans_does_not_import_tomlkit():
    """tomlkit is for writing: reading a plan (and opening the app) goes without it."""
    loaded = loaded_after(["kamtui.store.planfile", "kamtui.store.portfolio", "kamtui.store.plans",
                           "kamtui.store.recovery"])
    assert "kamtui.store.planfile" in loaded
    assert not [m for m in loaded if m == "tomlkit" or m.startswith("tomlkit.")]
