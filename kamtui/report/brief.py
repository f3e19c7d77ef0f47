"""The one-page visit brief (SPEC §6; issue 11): what the KAM takes to the client.

:func:`brief` gathers, from the model's rules, what the page says for a visit on ``visit``:

* the agenda — the questions not answered (unanswered, draft, to-confirm) and the open gaps,
  as things to ask the client;
* the overdue actions (the longest overdue first) and the actions due from today up to the
  visit day (soonest first);
* the objectives with their progress;
* the key people (decision makers, influence 4 or 5), with the days since the last contact and
  those without recent contact standing out.

:func:`brief_document` lays it out on one page (each list cut at :data:`LIST_MAX` lines, the
rest counted); ``export.render`` writes it as Markdown or HTML. The app can call :func:`brief`
and show the same lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..model.plan import Action, Gap, Objective, Plan, Stakeholder
from ..model.questions import Question
from ..model.rules import (
    ask_whom,
    days_since,
    due_before_visit,
    is_key_person,
    key_people,
    needs_contact,
    open_gaps,
    overdue_sorted,
    question_states,
    unanswered,
)
from .export import DEFAULT_CONTACT_DAYS, View
from .export_doc import Cell, Document, Para, Section, Sub, Table

LIST_MAX = 4  # lines per list: the brief holds on one page whatever the plan's size
QUESTIONS_MAX = 7  # questions on the agenda: the seven core ones fit


@dataclass(frozen=True)
class Person:
    """A key person as the brief shows them."""

    stakeholder: Stakeholder
    days: int | None  # since the last contact; None: never contacted
    needs_contact: bool


@dataclass(frozen=True)
class Brief:
    """What the visit brief says, straight from the model's rules."""

    plan: Plan
    today: dt.date
    visit: dt.date
    questions: tuple[tuple[Question, str], ...]  # not answered, with its state, in the bank's order
    gaps: tuple[Gap, ...]  # open gaps, in plan order
    overdue: tuple[Action, ...]  # the longest overdue first
    due: tuple[Action, ...]  # due from today to the visit day, soonest first
    objectives: tuple[Objective, ...]  # in plan order
    people: tuple[Person, ...]  # key people, most influential first


def brief(plan: Plan, bank: Iterable[Question], config: Any, today: dt.date, visit: dt.date | None = None) -> Brief:
    """The brief for a visit on ``visit`` (default: ``today``). ``config`` is the user's
    :class:`kamtui.store.config.Config` (its ``contact_days``), or None for the defaults."""
    visit = visit or today
    questions = list(bank)
    states = question_states(plan, questions)
    contact_days = getattr(config, "contact_days", DEFAULT_CONTACT_DAYS)
    people = tuple(
        Person(s, days_since(s.last_contact, today), needs_contact(s, today, contact_days))
        for s in key_people(plan)
        if is_key_person(s)
    )
    return Brief(
        plan=plan,
        today=today,
        visit=visit,
        questions=tuple((q, states[q.id]) for q in unanswered(plan, questions)),
        gaps=tuple(open_gaps(plan)),
        overdue=tuple(overdue_sorted(plan, today)),
        due=tuple(due_before_visit(plan, today, visit)),
        objectives=tuple(plan.objectives),
        people=people,
    )


def _table(v: View, section: Section, table: Table, total: int, limit: int = LIST_MAX) -> None:
    """Add ``table`` cut at ``limit`` rows, and a line that counts the rest."""
    table.rows = table.rows[:limit]
    section.add(table)
    if total > limit:
        section.add(Para(v.t("p.more", n=total - limit), "muted"))


def _agenda(v: View, b: Brief) -> Section:
    t = v.t
    section = Section("agenda", t("section.agenda"))
    if not b.questions and not b.gaps:
        return section.add(v.empty("empty.agenda"))
    if b.questions:
        rows = [[v.state(state), Cell(q.text(b.plan.lang))] for q, state in b.questions]
        section.add(Sub(t("sub.questions_open")))
        table = Table([t("f.state"), t("f.question")], rows, nowrap=frozenset({0}), name="agenda")
        _table(v, section, table, len(rows), QUESTIONS_MAX)
    if b.gaps:
        rows = [[Cell(g.question), Cell(ask_whom(b.plan, g))] for g in b.gaps[:LIST_MAX]]
        section.add(Sub(t("sub.gaps_open")))
        _table(v, section, Table([t("f.question"), t("f.ask")], rows, name="gaps"), len(b.gaps))
    return section


def _actions(v: View, b: Brief) -> Section:
    """Overdue (how late, on one line) and due by the visit (in how many days)."""
    t = v.t
    section = Section("actions", t("section.brief_actions"))
    if b.visit < b.today:
        section.add(Para(t("p.visit_past"), "warn"))
    if not b.overdue and not b.due:
        return section.add(v.empty("empty.brief_actions"))

    def when(action: Action) -> Cell:
        days = days_since(action.due, b.today) or 0
        if days > 0:
            late = t("p.overdue_one") if days == 1 else t("p.overdue", n=days)
            return Cell(f"{v.day(action.due)} ⚠ {late}", "bad")
        return Cell(f"{v.day(action.due)} ({t('p.due_today') if days == 0 else t('p.due_in', n=-days)})")

    headers = [t("f.due"), t("f.action"), t("f.owner"), t("f.status")]
    for key, actions, name in (("sub.overdue", b.overdue, "overdue"), ("sub.due_before", b.due, "due")):
        if actions:
            rows = [[when(a), Cell(a.title), Cell(a.owner), v.action_status(a.status)] for a in actions[:LIST_MAX]]
            section.add(Sub(t(key)))
            _table(v, section, Table(headers, rows, nowrap=frozenset({0, 3}), name=name), len(actions))
    return section


def _objectives(v: View, b: Brief) -> Section:
    t = v.t
    section = Section("objectives", t("section.objectives"))
    if not b.objectives:
        return section.add(v.empty("empty.objectives"))
    rows = [
        [Cell(o.title), Cell(v.objective_path(o)), v.progress(o), v.objective_status(o.status)]
        for o in b.objectives[:LIST_MAX]
    ]
    headers = [t("f.objective"), t("f.path"), t("f.progress"), t("f.status")]
    _table(v, section, Table(headers, rows, nowrap=frozenset({1, 2, 3}), name="objectives"), len(b.objectives))
    return section


def _people(v: View, b: Brief) -> Section:
    t = v.t
    section = Section("people", t("section.people"))
    if not b.people:
        return section.add(v.empty("empty.people"))
    rows = []
    for p in b.people[:LIST_MAX]:
        s = p.stakeholder
        days = t("p.never") if p.days is None else t("p.days", n=p.days)
        contact = f"{v.day(s.last_contact)} ({days})"
        rows.append(
            [
                Cell(s.name),
                Cell(s.title),
                Cell(t.value(s.role)),
                Cell(t.value(s.attitude)),
                Cell(f"{contact} ⚠ {t('p.needs_contact')}", "bad") if p.needs_contact else Cell(contact),
            ]
        )
    headers = [t("f.person"), t("f.title"), t("f.role"), t("f.attitude"), t("f.last_contact")]
    _table(v, section, Table(headers, rows, nowrap=frozenset({2, 3, 4}), name="people"), len(b.people))
    return section


def brief_document(b: Brief, audience: str = "internal") -> Document:
    """The brief on one page. For the client (``audience="client"``) the key people are left
    out: who counts, their attitude and our contacts with them are the KAM's own notes."""
    v = View(b.plan, b.today, audience)
    t, account = v.t, b.plan.account
    doc = Document("brief", v.lang, t("brief.title", account=account.name or "—"), badge=audience)
    doc.meta = [
        t("brief.visit", date=b.visit.isoformat()),
        t("p.kam", kam=account.kam or "—"),
        t("brief.prepared", date=b.today.isoformat()),
    ]
    doc.stamp = t("plan.internal") if v.internal else t("plan.client")
    doc.sections = [_agenda(v, b), _actions(v, b), _objectives(v, b)]
    if v.internal:
        doc.sections.append(_people(v, b))
    return doc


def export_brief(
    plan: Plan,
    bank: Iterable[Question],
    config: Any,
    today: dt.date,
    visit: dt.date | None = None,
    fmt: str = "md",
    audience: str = "internal",
) -> str:
    """The visit brief as Markdown or HTML."""
    from .export import render

    return render(brief_document(brief(plan, bank, config, today, visit), audience), fmt)
