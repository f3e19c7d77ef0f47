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
    "kamtui.store.writable",
    "kamtui.store.atomic",
    "kamtui.store.recovery",
    "kamtui.store.snapshot",
    "kamtui.store.parsecache",
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
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
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
    loaded = loaded_after(
        ["kamtui.store.planfile", "kamtui.store.portfolio", "kamtui.store.plans", "kamtui.store.recovery"]
    )
    assert "kamtui.store.planfile" in loaded
    assert not [m for m in loaded if m == "tomlkit" or m.startswith("tomlkit.")]


STARTUP = """
import sys
import kamtui.tui

real_run = kamtui.tui.run

def customize(app_class):
    class FirstFrame(app_class):
        CSS_PATH = str(__import__("pathlib").Path(kamtui.tui.__file__).parent / "app.tcss")

        def on_mount(self):
            self.call_after_refresh(self.exit, 0)

    return FirstFrame

kamtui.tui.run = lambda path, lang, folder, config: real_run(path, lang, folder, config, headless=True,
                                                           customize=customize)
from kamtui.cli import main

code = main(["demo"])
modules = sorted(sys.modules)
import json
print(json.dumps({"code": code, "modules": modules}))
"""


def test_opening_a_plan_imports_only_what_its_first_screen_needs(tmp_path):
    """Start-up speed (SPEC §8): `kamtui demo` up to its first frame loads no writer, no JSON or
    hashing, and none of the Textual widgets that only other sections and dialogs use."""
    env = {**__import__("os").environ, "KAMTUI_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", STARTUP], capture_output=True, text=True, cwd=ROOT, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    loaded = set(report["modules"])
    assert "kamtui.tui.screens.review" in loaded and "kamtui.tui.widgets.checklist" in loaded
    unwanted = {
        "tomlkit",
        "json",  # (the parse cache is in marshal format)
        "hashlib",
        "importlib.resources",
        "kamtui.store.writer",
        # (Textual's own App imports Input, Select and OptionList: they can't be avoided.)
        "textual.widgets._data_table",
        "textual.widgets._text_area",
        "textual.widgets._content_switcher",
        "kamtui.tui.widgets.form",
        "kamtui.tui.widgets.itemtable",
        "kamtui.tui.dialogs.choice",
        "kamtui.tui.screens.home",
    }
    found = sorted(unwanted & loaded)
    assert found == [], found
