"""The Account Business Plan as typed Python objects (SPEC §3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .schema import (
    BOOL,
    DATE,
    ENUM,
    FLOAT,
    INT,
    PERIOD,
    REF,
    STR,
    STRLIST,
    TEXT,
    f,
    uid_field,
)
from .struct import Struct

SCHEMA_VERSION = 1
LANGS = ("fr", "en")
STATUSES = ("draft", "answered", "to-confirm")
TRENDS = ("growing", "stable", "declining")
IMPACTS = ("high", "medium", "low")
ROLES = ("decision-maker", "influencer", "user", "gatekeeper", "sponsor")
ATTITUDES = ("champion", "supporter", "neutral", "skeptic", "opponent")
TONES = ("positive", "neutral", "negative")
BETTER = ("higher", "lower")
PERSPECTIVES = ("financial", "customer", "process", "people")
OBJECTIVE_STATUSES = ("on-track", "at-risk", "off-track", "achieved", "dropped")
ACTION_STATUSES = ("todo", "doing", "done", "blocked", "dropped")
CLOSED_ACTION_STATUSES = ("done", "dropped")


@dataclass(repr=False, eq=False)
class TeamMember(Struct):
    """Someone on our side working on the account."""

    name: str = f()
    role: str = f()
    uid: int = uid_field()


@dataclass(repr=False, eq=False)
class Account(Struct):
    """Who the client is, the plan's period, our strategy and priorities for them."""

    name: str = f()
    group: str = f()
    sector: str = f()
    country: str = f()
    currency: str = f("EUR")
    period_start: dt.date | None = f(None, DATE)
    period_end: dt.date | None = f(None, DATE)
    kam: str = f()
    summary: str = f("", TEXT)
    strategy: str = f("", TEXT)
    current_priorities: str = f("", TEXT)
    team: list[TeamMember] = field(default_factory=list)


@dataclass(repr=False, eq=False)
class Answer(Struct):
    """The answer to one diagnostic question, its status and when its text last changed."""

    answer: str = f("", TEXT)
    status: str = f("draft", ENUM, choices=STATUSES)
    updated: dt.date | None = f(None, DATE)
    uid: int = uid_field()

    @property
    def is_answered(self) -> bool:
        return self.status == "answered" and bool(self.answer.strip())


@dataclass(repr=False, eq=False)
class Swot(Struct):
    """Strengths, weaknesses, opportunities and threats, as short lines."""

    strengths: list[str] = f([], STRLIST)
    weaknesses: list[str] = f([], STRLIST)
    opportunities: list[str] = f([], STRLIST)
    threats: list[str] = f([], STRLIST)


@dataclass(repr=False, eq=False)
class Gap(Struct):
    """Missing information: what to find out, and whom to ask."""

    PREFIX: ClassVar[str] = "g"
    id: str = f("", STR, required=True)
    question: str = f()
    ask: str = f()
    resolved: bool = f(False, BOOL)
    uid: int = uid_field()

    @property
    def title(self) -> str:
        return self.question


@dataclass(repr=False, eq=False)
class Competitor(Struct):
    """A competitor at the client: share, strengths and weaknesses."""

    PREFIX: ClassVar[str] = "c"
    id: str = f("", STR, required=True)
    name: str = f()
    trend: str = f("stable", ENUM, choices=TRENDS)
    impact: str = f("medium", ENUM, choices=IMPACTS)
    wallet_share: float | None = f(None, FLOAT, lo=0, hi=100)
    approach: str = f("", TEXT)
    uid: int = uid_field()

    @property
    def title(self) -> str:
        return self.name


@dataclass(repr=False, eq=False)
class Stakeholder(Struct):
    """A person at the client: role, influence, attitude, last contact."""

    PREFIX: ClassVar[str] = "s"
    id: str = f("", STR, required=True)
    name: str = f()
    title: str = f()
    role: str = f("influencer", ENUM, choices=ROLES)
    influence: int = f(3, INT, lo=1, hi=5, internal=True)
    attitude: str = f("neutral", ENUM, choices=ATTITUDES, internal=True)
    owner: str = f()
    reports_to: str = f("", REF, ref="stakeholders")
    last_contact: dt.date | None = f(None, DATE)
    notes: str = f("", TEXT, internal=True)
    uid: int = uid_field()

    @property
    def label(self) -> str:
        return self.name


@dataclass(repr=False, eq=False)
class HistoryEvent(Struct):
    """Something that happened with the client, for the relationship timeline."""

    PREFIX: ClassVar[str] = "h"
    id: str = f("", STR, required=True)
    date: dt.date | None = f(None, DATE)
    event: str = f()
    tone: str = f("neutral", ENUM, choices=TONES)
    uid: int = uid_field()

    @property
    def label(self) -> str:
        return self.event


@dataclass(repr=False, eq=False)
class Kpi(Struct):
    """A measure of performance with the client, and which way is better."""

    PREFIX: ClassVar[str] = "k"
    id: str = f("", STR, required=True)
    name: str = f()
    unit: str = f()
    better: str = f("higher", ENUM, choices=BETTER)
    perspective: str = f("customer", ENUM, choices=PERSPECTIVES)
    uid: int = uid_field()

    @property
    def label(self) -> str:
        return self.name


@dataclass(repr=False, eq=False)
class Measure(Struct):
    """A KPI's target and actual for one period."""

    kpi: str = f("", REF, ref="kpis", required=True)
    period: str = f("", PERIOD, required=True)
    target: float | None = f(None, FLOAT)
    actual: float | None = f(None, FLOAT)
    uid: int = uid_field()

    @property
    def label(self) -> str:
        return f"{self.kpi} {self.period}"


@dataclass(repr=False, eq=False)
class Objective(Struct):
    """A SMART objective: a KPI to move from a baseline to a target by a deadline."""

    PREFIX: ClassVar[str] = "o"
    id: str = f("", STR, required=True)
    title: str = f()
    kpi: str = f("", REF, ref="kpis")
    baseline: float | None = f(None, FLOAT)
    target: float | None = f(None, FLOAT)
    deadline: dt.date | None = f(None, DATE)
    status: str = f("on-track", ENUM, choices=OBJECTIVE_STATUSES)
    uid: int = uid_field()

    @property
    def label(self) -> str:
        return self.title


@dataclass(repr=False, eq=False)
class Action(Struct):
    """A step of the joint action plan: who, by when, what it costs, what the client gives."""

    PREFIX: ClassVar[str] = "a"
    id: str = f("", STR, required=True)
    title: str = f()
    objective: str = f("", REF, ref="objectives")
    owner: str = f()
    due: dt.date | None = f(None, DATE)
    status: str = f("todo", ENUM, choices=ACTION_STATUSES)
    investment: float | None = f(None, FLOAT, internal=True)
    client_commitment: str = f("", TEXT)
    notes: str = f("", TEXT, internal=True)
    uid: int = uid_field()

    @property
    def label(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today and self.status not in CLOSED_ACTION_STATUSES


# The arrays of tables of a plan, in file order, with their item class.
LISTS: dict[str, type] = {
    "gaps": Gap,
    "competitors": Competitor,
    "stakeholders": Stakeholder,
    "history": HistoryEvent,
    "kpis": Kpi,
    "measures": Measure,
    "objectives": Objective,
    "actions": Action,
}


@dataclass(repr=False, eq=False)
class Plan(Struct):
    """A whole Account Business Plan: the content of one plan file."""

    schema: int = SCHEMA_VERSION
    lang: str = "en"
    account: Account = field(default_factory=Account)
    diagnostic: dict[str, Answer] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    swot: Swot = field(default_factory=Swot)
    competitors: list[Competitor] = field(default_factory=list)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    history: list[HistoryEvent] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    # The [[conflicts]] tables a merge recorded (kamtui.report.merge), each {path, base, ours,
    # theirs}: kept as read, dropped one by one as the user settles them.
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def items(self, list_name: str) -> list[Any]:
        if list_name == "team":
            return self.account.team
        return getattr(self, list_name)

    def answer(self, qid: str) -> Answer:
        """The answer to question ``qid``, created empty (not yet in the file) if missing."""
        found = self.diagnostic.get(qid)
        if found is None:
            found = self.diagnostic[qid] = Answer()
        return found

    def find(self, list_name: str, item_id: str) -> Any | None:
        for item in self.items(list_name):
            if getattr(item, "id", None) == item_id:
                return item
        return None
