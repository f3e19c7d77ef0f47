"""UI text in French and English, from the catalogs in ``kamtui/data/ui_*.toml``."""

from __future__ import annotations

from functools import cache

import tomli

from .. import data
from ..model.text import visible
from ..store import parsecache

LANGS = ("en", "fr")
_current = ["en"]


@cache
def catalog(lang: str) -> dict[str, str]:
    """The catalog of ``lang``, flat (``section.key``). Parsing one takes 6-8 ms of every start-up:
    it is kept in the parse cache, like a plan, and used only for exactly the same text."""
    path = data.FOLDER / f"ui_{lang}.toml"
    text = path.read_text("utf-8")
    raw = parsecache.lookup(path, text)
    if raw is None:
        raw = tomli.loads(text)
        parsecache.remember(path, text, raw)
    return _flatten(raw)


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def set_lang(lang: str) -> None:
    _current[0] = lang if lang in LANGS else "en"


def lang() -> str:
    return _current[0]


def t(key: str, **values: object) -> str:
    """The UI text for ``key`` in the current language, with ``{name}`` fields filled.

    The values are often plan text or file names (``name=path.name``): their control characters
    are shown as stand-ins (:func:`kamtui.model.text.visible`; newlines and tabs kept), so that
    no message sends one to the terminal. The result is plain text: show it with
    ``Content(...)`` or ``markup=False``.
    """
    return t_in(_current[0], key, **values)


def t_in(language: str, key: str, **values: object) -> str:
    """:func:`t` in ``language`` rather than the interface's: the plan's language, for text that
    sits beside the plan's own (its diagnostic questions)."""
    language = language if language in LANGS else "en"
    text = catalog(language).get(key) or catalog("en").get(key) or key
    if not values:
        return text
    return text.format(**{k: visible(v, multiline=True) if isinstance(v, str) else v for k, v in values.items()})


def value_label(value: str) -> str:
    """An enumerated value (``todo``, ``decision-maker``...) in the UI language."""
    return t(f"value.{value}") if f"value.{value}" in catalog("en") else value


def field_label(name: str) -> str:
    return t(f"field.{name}")


def has(key: str) -> bool:
    return key in catalog("en")
