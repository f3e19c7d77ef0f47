"""A measure's period ("2027", "2027-Q2", "2027-06") as dates, and the order of periods.

Periods are compared as periods, never as strings: "2027-Q2" starts before "2027-06" and
a year starts with its first quarter and its first month.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

__all__ = ["MONTH", "QUARTER", "YEAR", "Period", "PeriodKey", "parse_period", "period_key"]

_PERIOD = re.compile(r"^([0-9]{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")

PeriodKey = tuple[int, int, int, int, str]

YEAR, QUARTER, MONTH = "year", "quarter", "month"
_LENGTH = {YEAR: 12, QUARTER: 3, MONTH: 1}


class Period(NamedTuple):
    """A measure's period as dates: "2027" is the calendar year, "2027-Q2" April to June,
    "2027-06" the month of June (the periods the plan format knows, SPEC §3)."""

    start: dt.date
    end: dt.date
    kind: str  # YEAR, QUARTER or MONTH

    @property
    def months(self) -> int:
        return _LENGTH[self.kind]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def parse_period(text: str) -> Period | None:
    """The period written ``text`` ("2027", "2027-Q2" or "2027-06"), or None for anything else."""
    match = _PERIOD.match(text)
    if match is None:
        return None
    year_text, quarter, month = match.groups()
    year = int(year_text)
    if quarter:
        first, kind = 3 * int(quarter) - 2, QUARTER
    elif month:
        first, kind = int(month), MONTH
    else:
        first, kind = 1, YEAR
    last = first + _LENGTH[kind] - 1
    end = dt.date(year + 1, 1, 1) if last == 12 else dt.date(year, last + 1, 1)
    return Period(dt.date(year, first, 1), end - dt.timedelta(days=1), kind)


def period_key(period: str) -> PeriodKey:
    """A sort key for measure periods: by year, then by the month the period starts in; for the
    same start, the longer period first. So::

        "2026-12" < "2027" < "2027-Q1" < "2027-01" < "2027-02" < "2027-03" < "2027-Q2" < "2027-04"

    (a plain string sort would put "2027-Q2" after "2027-12"). Periods that are not of the form
    "2027", "2027-Q2" or "2027-06" come after all the others, in string order.
    """
    parsed = parse_period(period)
    if parsed is None:
        return (1, 0, 0, 0, period)
    rank = {YEAR: 0, QUARTER: 1, MONTH: 2}[parsed.kind]
    return (0, parsed.start.year, parsed.start.month, rank, "")


class PlanPeriodError(ValueError):
    """A plan's period that can't be: ``kind`` says why — "expected" (not a year nor two months),
    "order" (the last month before the first), "long" (more than five years) — for a message in
    the user's language; ``str()`` is the English one."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


_PLAN_PERIOD = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])\.\.([0-9]{4})-(0[1-9]|1[0-2])$")


def plan_period(text: str) -> tuple[dt.date, dt.date]:
    """A plan's first and last day from what is typed after ``kamtui new --period``: a year
    ("2027": 1 January to 31 December) or a first and last month ("2026-07..2027-06": 1 July 2026
    to 30 June 2027, the months included). PlanPeriodError (a ValueError), with a message saying what is expected,
    for anything else: a year outside 1900..9999, a last month before the first, more than five
    years."""
    text = text.strip()
    expected = f'expected a year like 2027 or months like 2026-07..2027-06, got "{text}"'
    if re.fullmatch(r"[0-9]{4}", text):
        year = int(text)
        if year < 1900:
            raise PlanPeriodError("expected", expected)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    match = _PLAN_PERIOD.match(text)
    if match is None:
        raise PlanPeriodError("expected", expected)
    first_year, first_month, last_year, last_month = (int(g) for g in match.groups())
    first = parse_period(f"{first_year}-{first_month:02d}")
    last = parse_period(f"{last_year}-{last_month:02d}")
    if first is None or last is None or first_year < 1900:  # (the pattern let them through)
        raise PlanPeriodError("expected", expected)
    months = (last_year - first_year) * 12 + last_month - first_month + 1
    if months < 1:
        raise PlanPeriodError("order", f'the last month comes before the first one in "{text}"')
    if months > 60:
        raise PlanPeriodError("long", f'"{text}" is longer than five years')
    return first.start, last.end
