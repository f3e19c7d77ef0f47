"""Creating plans: file names from the account and period, the bundled demo; deleting them
(to the plans folder's ``.trash``)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from .. import data
from ..model.plan import Account, Plan
from .atomic import atomic_write, ensure_private_dir

if TYPE_CHECKING:
    from .planfile import PlanFile


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "plan"


def plan_path(folder: Path, name: str, year: int | str) -> Path:
    return Path(folder) / f"{slugify(name)}-{year}.toml"


Period = tuple[dt.date, dt.date]

# The first line of a new plan file, in the plan's language.
HEADERS = {"en": "Account Business Plan", "fr": "Plan d’affaires du compte"}


def year_period(year: int) -> Period:
    """The calendar year ``year``, 1 January to 31 December."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def period_label(period: Period) -> str:
    """ "2027" for a calendar year's plan, "2026-2027" for one from July 2026 to June 2027."""
    start, end = period
    return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"


def new_plan(name: str, year: int, lang: str, *, period: Period | None = None) -> Plan:
    """An empty plan for ``name`` over ``period`` (default: the calendar year ``year``)."""
    start, end = period or year_period(year)
    return Plan(lang=lang, account=Account(name=name, period_start=start, period_end=end))


def header_line(name: str, label: str, lang: str) -> str:
    """The comment that begins a new plan file, in the plan's language."""
    return f"# {HEADERS.get(lang, HEADERS['en'])} — {name} — {label}\n"


def create_plan(folder: Path, name: str, year: int, lang: str, *, period: Period | None = None) -> PlanFile:
    """Write a new plan file in ``folder`` for the calendar year ``year``, or for ``period``
    (its first and last day); FileExistsError if that plan already exists."""
    from .planfile import PlanFile  # not needed to write or open the demo: keeps start-up light

    period = period or year_period(year)
    label = period_label(period)
    path = plan_path(folder, name, label)
    return PlanFile.create(path, new_plan(name, year, lang, period=period), header_line(name, label, lang))


DEMO_NAME = "distrib-sa-2026-2027.toml"


def demo_text() -> str:
    return data.read_text("demo.toml")


def write_demo(folder: Path) -> tuple[Path, bool]:
    """Write the demo plan into ``folder`` unless it is there already: (path, written)."""
    path = Path(folder) / DEMO_NAME
    if path.exists():
        return path, False
    ensure_private_dir(Path(folder))
    text = demo_text()
    atomic_write(path, text.encode("utf-8"))
    from . import parsecache
    from .tomlio import parse

    parsecache.remember(path, text, parse(text, DEMO_NAME))  # as a save does: opening it skips the parse
    return path, True


TRASH = ".trash"


def move_to_trash(path: Path, folder: Path) -> Path:
    """Move the plan at ``path`` into ``folder``/.trash (a 0700 folder) and return where it went.

    A name already in the trash gets the time as a suffix (``plan-20261129-143000.toml``, then
    ``-2``, ``-3``... within the same second): nothing in the trash is ever replaced. The
    plan's parse-cache entry (a copy of its text in the state folder) goes too. OSError if the
    plan can't be moved (it stays where it was).
    """
    from . import parsecache

    path = Path(path)
    trash = ensure_private_dir(Path(folder) / TRASH, own=True)
    target = trash / path.name
    if os.path.lexists(target):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = trash / f"{path.stem}-{stamp}{path.suffix}"
        count = 1
        while os.path.lexists(target):
            count += 1
            target = trash / f"{path.stem}-{stamp}-{count}{path.suffix}"
    parsecache.forget(path)  # before the move: the entry is named after where the plan is now
    shutil.move(str(path), str(target))
    return target
