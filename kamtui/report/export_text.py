"""Plan text made safe for an export, and numbers written as people read them.

Every text that comes from a plan, a question template or a file name goes through :func:`shown`
before it lands in an export (SPEC §9.5, §9.9): control characters become visible stand-ins
(``␛`` for ESC, ``\\x9b`` for the 8-bit CSI), the file keeps them. The HTML templates call it on
every value they print (the Jinja ``finalize`` hook), the Markdown writer through :func:`md_inline`.

Markdown has no escaping of its own: :func:`md_inline` makes a text literal on GitHub and GitLab
— ``<`` ``>`` ``&`` as entities (HTML-looking text stays text), a backslash before every character
that could start emphasis, code, a link, a table cell, strikethrough or math, and before what would
start a block at the beginning of a line (``#``, ``-``, ``+``, ``1.``, ``=``).
"""

from __future__ import annotations

import re

from ..model.text import ESCAPES, JSON, visible


def shown(text: str, *, multiline: bool = False) -> str:
    """``text`` with control characters as visible stand-ins (the one place exports do it);
    ``multiline`` keeps newlines and tabs."""
    return visible(text, multiline=multiline)


def shown_json(text: str) -> str:
    """JSON made by ``json.dumps`` with the controls it leaves raw (DEL, C1, bidi) escaped as
    ``\\u009b`` too: still valid JSON, decoding gives the exact text back."""
    return visible(text, multiline=True, mode=JSON)


def shown_message(text: str) -> str:
    """A message for stderr on one line, control characters as ``\\x1b``-style escapes."""
    return visible(text, mode=ESCAPES)


# --- Markdown ------------------------------------------------------------------------------

# Characters that mean something inline, anywhere in a line: \ ` * _ [ ] | ~ $ (math on GitHub
# and GitLab), and < > & written as entities below.
_INLINE = re.compile(r"([\\`*_\[\]|~$])")
# What starts a block at the beginning of a line: a heading, a list item, a setext underline.
_LEADING = re.compile(r"^([#+=-]|[0-9]{1,9}(?=[.)]))")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML = re.compile("[&<>]")


def md_line(text: str) -> str:
    """One line of plan text as literal Markdown (no newline in ``text``)."""
    text = shown(text.strip())
    text = _HTML.sub(lambda m: _ENTITIES[m.group()], text)
    text = _INLINE.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: m.group() + "\\" if m.group().isdigit() else "\\" + m.group(), text)


def _lines(text: str) -> list[str]:
    return [line for line in (raw.strip() for raw in text.replace("\r\n", "\n").split("\n")) if line]


def md_inline(text: str) -> str:
    """Plan text on one Markdown line (a heading, a table cell, a list item): its lines joined
    with ``<br>``, so that a table keeps its column count whatever the text holds."""
    return "<br>".join(md_line(line) for line in _lines(text))


def md_block(text: str) -> str:
    """Long plan text as Markdown paragraphs, one per line of the text."""
    return "\n\n".join(md_line(line) for line in _lines(text))


# --- numbers -------------------------------------------------------------------------------

NBSP, NNBSP = "\u00a0", "\u202f"


def number(value: float | int | None, lang: str = "en", empty: str = "—") -> str:
    """12.5, 45,000 (en) or 12,5 and 45 000 (fr); at most two decimals; ``empty`` when None."""
    if value is None:
        return empty
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        text = f"{int(rounded):,}"
    else:
        text = f"{rounded:,.2f}".rstrip("0")
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def money(value: float | None, currency: str, lang: str = "en", empty: str = "—") -> str:
    """An amount with its currency code: 45,000 EUR."""
    if value is None:
        return empty
    code = shown(currency.strip())
    return f"{number(value, lang)}{NBSP}{code}" if code else number(value, lang)


def percent(value: float | int | None, lang: str = "en", empty: str = "—") -> str:
    """72 % (fr, with a no-break space) or 72% (en); ``value`` already in percent."""
    if value is None:
        return empty
    return f"{number(round(value), lang)}{NBSP}%" if lang == "fr" else f"{number(round(value), lang)}%"


def share(value: float | None, lang: str = "en", empty: str = "—") -> str:
    """A share (0..1) as a percentage."""
    return empty if value is None else percent(100 * value, lang)
