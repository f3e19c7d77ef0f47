"""The English and French UI catalogs stay in step with each other and with the code."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import kamtui.tui
from kamtui.tui.i18n import catalog, set_lang, t

EN = catalog("en")
FR = catalog("fr")

# Values that are rightly the same in both languages: the words are spelled
# identically in French and are the usual business terms there (KPI, OK,
# Performance, Diagnostic, sponsor...), or lowercase list/status labels that
# happen to coincide (« action », « stable »). Anything else identical to the
# English text is an untranslated string.
SAME_IN_BOTH = frozenset(
    {
        "OK",  # dialog button, used as is in French
        "KPI",  # standard acronym in French business too
        "Actions",  # section title: same word
        "action",  # list item name: same word
        "Performance",  # section / area title: same word
        "Diagnostic",  # section / checklist title: same word
        "Client",  # diagnostic area: same word
        "Date",  # field label: same word
        "Question",  # field label: same word
        "Attitude",  # stakeholder's attitude towards us: same word
        "sponsor",  # stakeholder attitude: the usual French term
        "stable",  # market trend: same word
        "Influence",  # short column header: same word
        "Impact",  # short column header: same word
        "Invest.",  # short column header: same abbreviation
    }
)

# t("key") or t('key') with a literal key; f-strings (t(f"...")) and
# concatenations (t("section." + name)) are not literal keys and do not match.
LITERAL_CALL = re.compile(r"""\bt\(\s*(["'])([A-Za-z0-9_.\-]+)\1\s*[,)]""")
TUI_DIR = Path(kamtui.tui.__file__).parent


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def keys_used_in_code() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for path in sorted(TUI_DIR.rglob("*.py")):
        for match in LITERAL_CALL.finditer(path.read_text("utf-8")):
            used.setdefault(match.group(2), []).append(str(path.relative_to(TUI_DIR)))
    return used


@pytest.fixture
def french():
    set_lang("fr")
    try:
        yield
    finally:
        set_lang("en")


def test_same_keys():
    assert sorted(set(EN) - set(FR)) == [], "keys missing from ui_fr.toml"
    assert sorted(set(FR) - set(EN)) == [], "keys missing from ui_en.toml"


def test_same_placeholders():
    different = {
        key: (placeholders(EN[key]), placeholders(FR[key]))
        for key in EN
        if key in FR and placeholders(EN[key]) != placeholders(FR[key])
    }
    assert different == {}


def test_all_values_are_text():
    for lang, cat in (("en", EN), ("fr", FR)):
        bad = [key for key, value in cat.items() if not isinstance(value, str) or not value.strip()]
        assert bad == [], f"empty or non-text values in ui_{lang}.toml"


def test_french_is_translated():
    # (a dialog's shortcut letter may rightly be the same: "r" for Recharger and Reload)
    untranslated = sorted(
        key
        for key in EN
        if key in FR and FR[key] == EN[key] and EN[key] not in SAME_IN_BOTH and not key.startswith("shortcut.")
    )
    assert untranslated == []


# The answers of each dialog together: their shortcut letters must differ.
DIALOGS = [
    ("dialog.yes", "dialog.no"),
    ("quit.save", "quit.discard", "dialog.cancel"),
    ("external.reload", "external.keep", "external.diff"),
    ("external.write_again", "external.later"),
    ("lock.read_only", "lock.edit"),
    ("recovery.restore", "recovery.discard"),
]


@pytest.mark.parametrize("cat", [EN, FR], ids=["en", "fr"])
def test_dialog_shortcuts_are_letters_of_their_labels(cat):
    shortcuts = {key.removeprefix("shortcut."): value for key, value in cat.items() if key.startswith("shortcut.")}
    assert sorted(shortcuts) == sorted(label for group in DIALOGS for label in group)
    for label_key, letter in shortcuts.items():
        assert len(letter) == 1 and letter.isascii() and letter.isalpha(), label_key
        assert letter in cat[label_key].lower(), (label_key, cat[label_key], letter)
    for group in DIALOGS:
        letters = [shortcuts[label_key] for label_key in group]
        assert len(set(letters)) == len(letters), group


def test_french_yes_no_buttons(french):
    from kamtui.tui.dialogs.choice import choice

    assert choice("yes", "dialog.yes") == ("yes", "Oui", "o")
    assert choice("no", "dialog.no") == ("no", "Non", "n")


def _textual_descriptions() -> set[str]:
    """Every key description Textual's own widgets, screens and app bring."""
    import importlib
    import inspect
    import pkgutil

    import textual.widgets
    from textual.binding import Binding
    from textual.dom import DOMNode

    names = ["textual.app", "textual.screen", "textual.containers", "textual.scroll_view", "textual.widget"]
    names += [f"textual.widgets.{m.name}" for m in pkgutil.iter_modules(textual.widgets.__path__)]
    found = set()
    for name in names:
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, DOMNode) and obj.__module__ == module.__name__:
                for binding in obj.__dict__.get("BINDINGS", []):
                    text = binding.description if isinstance(binding, Binding) else (binding[2:3] or [""])[0]
                    if text:
                        found.add(text)
    return found


def test_every_textual_key_description_has_a_french_text():
    descriptions = _textual_descriptions()
    assert {"Scroll Up", "Focus Next", "Copy selected text"} <= descriptions
    missing = sorted(d for d in descriptions if f"textual.{d}" not in FR)
    assert missing == []
    assert all(EN[f"textual.{d}"] == d for d in descriptions)


def test_keys_used_in_code_exist():
    used = keys_used_in_code()
    assert len(used) > 50, "the scan for t(...) calls found too few keys: is the regex still right?"
    missing = {key: files for key, files in used.items() if key not in EN}
    assert missing == {}


def test_set_lang_fr(french):
    assert t("cmd.save") == FR["cmd.save"] == "Enregistrer"
    assert t("cmd.save") != EN["cmd.save"]
    assert t("diagnostic.updated", date="2027-03-01") == "mis à jour le 2027-03-01"


def test_set_lang_back_to_en():
    set_lang("en")
    assert t("cmd.save") == "Save"
