"""The whole plan, section by section, for people without kamtui (SPEC §6; issue 11).

:func:`plan_document` builds what the export says from the model's rules (what is overdue, how a
KPI trends, how far an objective is, how much of our investment the client matches...);
:func:`export_plan` writes it as Markdown or HTML. ``audience="client"`` leaves out what the
client must not read (:func:`internal_fields`) and what is worked out from it.

Nothing here reads the clock: ``today`` is a parameter (the command line passes
``kamtui.model.clock.today()``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from ..model.plan import Action, Competitor, Kpi, Measure, Objective, Plan, Stakeholder, Swot
from ..model.questions import Question
from ..model.rules import (
    ANSWERED,
    DRAFT,
    TO_CONFIRM,
    UNANSWERED,
    ask_whom,
    completeness,
    days_since,
    display_name,
    investment_summary,
    is_overdue,
    kpi_measures,
    kpi_trend,
    needs_contact,
    objective_actual,
    objective_progress,
    on_target,
    question_states,
)
from ..model.schema import specs
from .export_doc import Bullets, Cell, Document, Facts, Mark, Para, Progress, Section, Spark, Sub, Table
from .export_labels import Labels
from .export_text import money, number, share

AUDIENCES = ("internal", "client")
DEFAULT_CONTACT_DAYS = 90  # as kamtui.store.config.Config has it
FORMATS = ("md", "html")

# What the client must not read (SPEC §6): stakeholder attitude, influence, owner and notes;
# action notes and investment; competitor approach; SWOT weaknesses and threats. The model marks
# some of these ``internal=True`` in their field spec; the others are named here until it marks
# them too (see internal_fields). Both are honoured.
CLIENT_LEAVES_OUT: dict[type, tuple[str, ...]] = {
    Stakeholder: ("attitude", "influence", "owner", "notes"),
    Action: ("notes", "investment"),
    Competitor: ("approach",),
    Swot: ("weaknesses", "threats"),
}

SYMBOLS = {UNANSWERED: "○", DRAFT: "◔", TO_CONFIRM: "?", ANSWERED: "●"}  # as the checklist shows them
STATE_MARKS: dict[str, Mark] = {UNANSWERED: "bad", DRAFT: "warn", TO_CONFIRM: "warn", ANSWERED: "good"}
OBJECTIVE_MARKS: dict[str, Mark] = {
    "on-track": "good",
    "achieved": "good",
    "at-risk": "warn",
    "off-track": "bad",
    "dropped": "muted",
}
ACTION_MARKS: dict[str, Mark] = {"done": "good", "blocked": "bad", "dropped": "muted"}


@functools.cache
def internal_fields(cls: type) -> frozenset[str]:
    """The fields of ``cls`` left out for the client: those the model marks internal, and those
    SPEC §6 names."""
    marked = {name for name, spec in specs(cls) if spec.internal}
    return frozenset(marked | set(CLIENT_LEAVES_OUT.get(cls, ())))


class View:
    """What one export needs at hand: the plan, today, the words, and who reads it."""

    def __init__(self, plan: Plan, today: dt.date, audience: str = "internal"):
        if audience not in AUDIENCES:
            raise ValueError(f"audience: expected one of {', '.join(AUDIENCES)}, got {audience!r}")
        self.plan = plan
        self.today = today
        self.audience = audience
        self.lang = plan.lang
        self.t = Labels(plan.lang)

    @property
    def internal(self) -> bool:
        return self.audience == "internal"

    def shows(self, cls: type, name: str) -> bool:
        return self.internal or name not in internal_fields(cls)

    # --- values in words --------------------------------------------------------------------

    def num(self, value: float | None, unit: str = "") -> str:
        text = number(value, self.lang)
        return f"{text}\u00a0{unit.strip()}" if value is not None and unit.strip() else text

    def money(self, value: float | None) -> str:
        return money(value, self.plan.account.currency, self.lang)

    def day(self, value: dt.date | None) -> str:
        return value.isoformat() if value else "—"

    def state(self, state: str) -> Cell:
        return Cell(f"{SYMBOLS.get(state, '?')} {self.t.value(state)}", STATE_MARKS.get(state, ""))

    def objective_status(self, status: str) -> Cell:
        return Cell(self.t.value(status), OBJECTIVE_MARKS.get(status, ""))

    def action_status(self, status: str) -> Cell:
        return Cell(self.t.value(status), ACTION_MARKS.get(status, ""))

    def due(self, action: Action) -> Cell:
        """The due date; an overdue one says so in words and stands out."""
        if action.due is None:
            return Cell("—")
        if is_overdue(action, self.today):
            late = days_since(action.due, self.today) or 0
            words = self.t("p.overdue_one") if late == 1 else self.t("p.overdue", n=late)
            return Cell(action.due.isoformat(), "bad", note=f"⚠ {words}")
        return Cell(action.due.isoformat())

    def progress(self, objective: Objective) -> Cell:
        value = objective_progress(self.plan, objective)
        label = share(value, self.lang)
        return Cell(label, progress=Progress(value, self.t("p.progress", pct=label)))

    def objective_path(self, objective: Objective) -> str:
        """Baseline → the actual for the objective's period (see :func:`objective_measure`) → target, in the KPI's unit."""
        kpi = self.plan.find("kpis", objective.kpi) if objective.kpi else None
        unit = kpi.unit if kpi is not None else ""
        actual = objective_actual(self.plan, objective)
        base = self.num(objective.baseline)
        return f"{base} → {self.num(actual)} → {self.num(objective.target, unit)}"

    def text(self, value: str) -> Para:
        """Long text, or a muted "not written yet"."""
        return Para(value) if value.strip() else Para(self.t("empty.text"), "muted")

    def empty(self, key: str) -> Para:
        return Para(self.t(key), "muted")


# --- the sections --------------------------------------------------------------------------


def _account(v: View) -> Section:
    t, a = v.t, v.plan.account
    section = Section("account", t("section.account"))
    section.add(
        Facts(
            [
                (t("f.name"), Cell(a.name or "—")),
                (t("f.group"), Cell(a.group or "—")),
                (t("f.sector"), Cell(a.sector or "—")),
                (t("f.country"), Cell(a.country or "—")),
                (t("f.currency"), Cell(a.currency or "—")),
                (t("f.period"), Cell(f"{v.day(a.period_start)} → {v.day(a.period_end)}")),
                (t("f.kam"), Cell(a.kam or "—")),
            ]
        ),
        Sub(t("sub.summary")),
        v.text(a.summary),
        Sub(t("sub.team")),
    )
    if a.team:
        section.add(Table([t("f.name"), t("f.role")], [[Cell(m.name), Cell(m.role)] for m in a.team], name="team"))
    else:
        section.add(v.empty("empty.team"))
    return section


def _diagnostic(v: View, bank: Iterable[Question]) -> Section:
    t, plan = v.t, v.plan
    questions = list(bank)
    states = question_states(plan, questions)
    answered = sum(1 for state in states.values() if state == ANSWERED)
    pct = completeness(plan, questions)
    section = Section("diagnostic", t("section.diagnostic"))
    section.add(Para(t("p.completeness", pct=share(pct / 100, v.lang), answered=answered, total=len(questions))))
    for question in questions:
        entry = plan.diagnostic.get(question.id)
        section.add(Sub(question.text(plan.lang), _question_note(v, question.area, states[question.id], entry)))
        section.add(v.text(entry.answer if entry else ""))
    known = {q.id for q in questions}
    others = [(qid, entry) for qid, entry in plan.diagnostic.items() if qid not in known and entry.answer.strip()]
    if others:
        section.add(Sub(t("sub.other_answers")))
        for qid, entry in others:
            section.add(Sub(qid, _question_note(v, "", entry.status, entry)), v.text(entry.answer))
    section.add(Sub(t("sub.gaps")))
    if plan.gaps:
        rows = [
            [
                Cell(gap.question, multiline=True),
                Cell(ask_whom(plan, gap)),
                Cell(t.value("resolved"), "good") if gap.resolved else Cell(t.value("open"), "warn"),
            ]
            for gap in plan.gaps
        ]
        section.add(Table([t("f.question"), t("f.ask"), t("f.resolved")], rows, name="gaps"))
    else:
        section.add(v.empty("empty.gaps"))
    return section


def _question_note(v: View, area: str, state: str, entry: Any) -> Cell:
    cell = v.state(state)
    parts = [v.t.area(area)] if area else []
    parts.append(cell.text)
    if entry is not None and entry.updated is not None and entry.answer.strip():
        parts.append(v.t("p.updated", date=entry.updated.isoformat()))
    cell.text = " · ".join(parts)
    return cell


def _market(v: View) -> Section:
    t, plan = v.t, v.plan
    section = Section("market", t("section.market"))
    section.add(Sub(t("sub.strategy")), v.text(plan.account.strategy))
    section.add(Sub(t("sub.current_priorities")), v.text(plan.account.current_priorities))
    section.add(Sub(t("sub.swot")))
    quadrants = [name for name in ("strengths", "weaknesses", "opportunities", "threats") if v.shows(Swot, name)]
    if not any(getattr(plan.swot, name) for name in quadrants):
        return section.add(v.empty("empty.swot"))
    for name in quadrants:
        lines = getattr(plan.swot, name)
        section.add(Sub(t(f"f.{name}"), level=4))
        section.add(Bullets([Cell(line) for line in lines]) if lines else Para("—", "muted"))
    return section


def _competition(v: View) -> Section:
    t, plan = v.t, v.plan
    section = Section("competition", t("section.competition"))
    if not plan.competitors:
        return section.add(v.empty("empty.competitors"))
    approach = v.shows(Competitor, "approach")
    headers = [t("f.competitor"), t("f.trend"), t("f.impact"), t("f.wallet_share")]
    if approach:
        headers.append(t("f.approach"))
    rows = []
    for c in plan.competitors:
        row = [
            Cell(c.name),
            Cell(t.value(c.trend)),
            Cell(t.value(c.impact), "bad" if c.impact == "high" else ""),
            Cell("—" if c.wallet_share is None else f"{v.num(c.wallet_share)}\u00a0%"),
        ]
        if approach:
            row.append(Cell(c.approach, multiline=True))
        rows.append(row)
    return section.add(Table(headers, rows, numeric=frozenset({3}), name="competitors"))


def _relationships(v: View, contact_days: int) -> Section:
    t, plan = v.t, v.plan
    section = Section("relationships", t("section.relationships"))
    section.add(Sub(t("sub.stakeholders")))
    if plan.stakeholders:
        extra = [name for name in ("influence", "attitude", "owner", "notes") if v.shows(Stakeholder, name)]
        headers = [t("f.person"), t("f.title"), t("f.role"), t("f.reports_to"), t("f.last_contact"), t("f.days")]
        headers += [t(f"f.{name}") for name in extra]
        rows = []
        for s in plan.stakeholders:
            row = [
                Cell(s.name),
                Cell(s.title),
                Cell(t.value(s.role)),
                Cell(display_name(plan, "stakeholders", s.reports_to) or "—"),
                Cell(v.day(s.last_contact)),
                _days_cell(v, s, contact_days),
            ]
            for name in extra:
                if name == "influence":
                    row.append(Cell(f"{s.influence}/5"))
                elif name == "attitude":
                    row.append(Cell(t.value(s.attitude)))
                elif name == "owner":
                    row.append(Cell(s.owner))
                else:
                    row.append(Cell(s.notes, multiline=True))
            rows.append(row)
        detail = (len(headers) - 1,) if "notes" in extra else ()
        section.add(Table(headers, rows, nowrap=frozenset({4, 5}), detail=detail, name="stakeholders"))
    else:
        section.add(v.empty("empty.stakeholders"))
    section.add(Sub(t("sub.history")))
    if plan.history:
        rows = [
            [Cell(v.day(h.date)), Cell(h.event, multiline=True), Cell(t.value(h.tone), _TONE_MARKS.get(h.tone, ""))]
            for h in plan.history
        ]
        section.add(Table([t("f.date"), t("f.event"), t("f.tone")], rows, nowrap=frozenset({0}), name="history"))
    else:
        section.add(v.empty("empty.history"))
    return section


_TONE_MARKS: dict[str, Mark] = {"positive": "good", "negative": "bad"}


def _days_cell(v: View, person: Stakeholder, contact_days: int) -> Cell:
    """Days since the last contact; for the KAM, a key person without recent contact stands out
    (worked out from influence: not for the client)."""
    days = days_since(person.last_contact, v.today)
    text = v.t("p.never") if days is None else str(days)
    if v.internal and needs_contact(person, v.today, contact_days):
        return Cell(text, "bad", note=f"⚠ {v.t('p.needs_contact')}")
    return Cell(text)


def _performance(v: View) -> Section:
    t, plan = v.t, v.plan
    section = Section("performance", t("section.performance"))
    section.add(Sub(t("sub.scorecard")))
    if not plan.kpis:
        return section.add(v.empty("empty.kpis"))
    headers = [
        t("f.kpi"),
        t("f.better"),
        t("f.perspective"),
        t("f.latest"),
        t("f.target"),
        t("f.actual"),
        t("f.on_target"),
        t("f.trend"),
    ]
    rows = [_scorecard_row(v, kpi) for kpi in plan.kpis]
    section.add(Table(headers, rows, numeric=frozenset({4, 5}), nowrap=frozenset({3}), name="scorecard"))
    section.add(Para(t("p.spark_legend"), "muted"))
    section.add(Sub(t("sub.measures")))
    measured: list[tuple[Kpi | None, Measure]] = [(kpi, m) for kpi in plan.kpis for m in kpi_measures(plan, kpi.id)]
    known = {kpi.id for kpi in plan.kpis}
    measured += [(None, m) for m in plan.measures if m.kpi not in known]  # a KPI id that no KPI has
    if not measured:
        return section.add(v.empty("empty.measures"))
    rows = []
    for kpi, m in measured:
        unit = kpi.unit if kpi else ""
        rows.append(
            [
                Cell(kpi.name if kpi else m.kpi),
                Cell(m.period),
                Cell(v.num(m.target, unit)),
                Cell(v.num(m.actual, unit)),
                _on_target(v, m, kpi.better if kpi else "higher"),
            ]
        )
    headers = [t("f.kpi"), t("f.period"), t("f.target"), t("f.actual"), t("f.on_target")]
    return section.add(Table(headers, rows, numeric=frozenset({2, 3}), name="measures"))


def latest_measure(plan: Plan, kpi: Kpi) -> Measure | None:
    """The measure the scorecard shows: the latest period with an actual (period order of
    :func:`kpi_measures`), else the first period (its target, no actual yet)."""
    measures = kpi_measures(plan, kpi.id)
    with_actual = [m for m in measures if m.actual is not None]
    if with_actual:
        return with_actual[-1]
    return measures[0] if measures else None


def _on_target(v: View, measure: Measure | None, better: str) -> Cell:
    hit = None if measure is None else on_target(measure, better)
    if hit is None:
        return Cell("—", "muted")
    return Cell(f"✓ {v.t.value('yes')}", "good") if hit else Cell(f"✗ {v.t.value('no')}", "bad")


_ARROWS = {"up": "▲", "down": "▼", "flat": "▬"}


def _scorecard_row(v: View, kpi: Kpi) -> list[Cell]:
    t, plan = v.t, v.plan
    latest = latest_measure(plan, kpi)
    trend = kpi_trend(plan, kpi)
    if trend.direction is None:
        words = t.value("one_value") if trend.values else t.value("no_value")
        mark: Mark = "muted"
    else:
        words = f"{_ARROWS[trend.direction]} {t.value(trend.direction)}"
        if trend.direction != "flat":
            words += f", {t.value('improving' if trend.improving else 'worsening')}"
        mark = "good" if trend.improving else "muted" if trend.direction == "flat" else "bad"
    measures = kpi_measures(plan, kpi.id)
    said = "; ".join(
        f"{m.period} {t('f.target').lower()} {v.num(m.target)}, {t('f.actual').lower()} {v.num(m.actual)}"
        for m in measures
    )
    spark = Spark(
        tuple(m.actual for m in measures),
        tuple(m.target for m in measures),
        t("p.sparkline", kpi=kpi.name, values=said),
    )
    arrow = "↑" if kpi.better != "lower" else "↓"
    return [
        Cell(kpi.name),
        Cell(f"{arrow} {t.value(kpi.better)}"),
        Cell(t.value(kpi.perspective)),
        Cell(latest.period if latest else "—"),
        Cell(v.num(latest.target if latest else None, kpi.unit)),
        Cell(v.num(latest.actual if latest else None, kpi.unit)),
        _on_target(v, latest, kpi.better),
        Cell(words, mark, spark=spark),
    ]


def _objectives(v: View) -> Section:
    t, plan = v.t, v.plan
    section = Section("objectives", t("section.objectives"))
    if not plan.objectives:
        return section.add(v.empty("empty.objectives"))
    headers = [t("f.objective"), t("f.kpi"), t("f.path"), t("f.progress"), t("f.deadline"), t("f.status")]
    rows = [
        [
            Cell(o.title, multiline=True),
            Cell(display_name(plan, "kpis", o.kpi) or "—"),
            Cell(v.objective_path(o)),
            v.progress(o),
            Cell(v.day(o.deadline)),
            v.objective_status(o.status),
        ]
        for o in plan.objectives
    ]
    return section.add(Table(headers, rows, nowrap=frozenset({2, 3, 4}), name="objectives"))


def _actions(v: View) -> Section:
    t, plan = v.t, v.plan
    section = Section("actions", t("section.actions"))
    if not plan.actions:
        return section.add(v.empty("empty.actions"))
    invest = v.shows(Action, "investment")
    notes = v.shows(Action, "notes")
    headers = [t("f.action"), t("f.objective"), t("f.owner"), t("f.due"), t("f.status")]
    headers += [t("f.investment")] if invest else []
    headers += [t("f.client_commitment")]
    headers += [t("f.notes")] if notes else []
    rows = []
    for a in plan.actions:
        row = [
            Cell(a.title, multiline=True),
            Cell(display_name(plan, "objectives", a.objective) or "—"),
            Cell(a.owner),
            v.due(a),
            v.action_status(a.status),
        ]
        if invest:
            row.append(Cell(v.money(a.investment)))
        row.append(Cell(a.client_commitment, multiline=True))
        if notes:
            row.append(Cell(a.notes, multiline=True))
        rows.append(row)
    table = Table(
        headers, rows, numeric=frozenset({5}) if invest else frozenset(), nowrap=frozenset({3, 4}), name="actions"
    )
    table.detail = tuple(range(len(headers) - (2 if notes else 1), len(headers)))  # commitment, notes
    section.add(table)
    if invest:
        _investment(v, section)
    return section


def _investment(v: View, section: Section) -> None:
    """Our investment against what the client commits in return (internal: amounts are)."""
    t = v.t
    summary = investment_summary(v.plan)
    section.add(Sub(t("sub.investment")))
    if not summary.total:
        section.add(v.empty("empty.investment"))
        return
    section.add(
        Facts(
            [
                (t("p.total"), Cell(v.money(summary.total), "strong")),
                (t("p.matched"), Cell(f"{v.money(summary.matched)} ({share(summary.matched_share, v.lang)})", "good")),
                (t("p.unmatched"), Cell(v.money(summary.unmatched), "bad" if summary.unmatched else "")),
            ]
        )
    )
    if summary.unmatched_actions:
        section.add(Sub(t("sub.unmatched")))
        section.add(Bullets([Cell(f"{a.title} — {v.money(a.investment)}", "bad") for a in summary.unmatched_actions]))
        section.add(Para(t("p.unmatched_note"), "warn"))


# --- the document --------------------------------------------------------------------------


def plan_document(
    plan: Plan, bank: Iterable[Question], config: Any, today: dt.date, audience: str = "internal"
) -> Document:
    """The whole plan as a :class:`Document`: account and team, diagnostic, market & client,
    competition, relationships, performance, objectives, actions. ``config`` is the user's
    :class:`kamtui.store.config.Config` (its ``contact_days``), or None for the defaults."""
    v = View(plan, today, audience)
    contact_days = getattr(config, "contact_days", DEFAULT_CONTACT_DAYS)
    t, account = v.t, plan.account
    doc = Document("plan", v.lang, t("plan.title", account=account.name or "—"), badge=audience)
    doc.meta = [
        t("plan.period", period=f"{v.day(account.period_start)} → {v.day(account.period_end)}"),
        t("p.kam", kam=account.kam or "—"),
        t("plan.exported", date=today.isoformat()),
    ]
    doc.stamp = t("plan.internal") if v.internal else t("plan.client")
    doc.sections = [
        _account(v),
        _diagnostic(v, bank),
        _market(v),
        _competition(v),
        _relationships(v, contact_days),
        _performance(v),
        _objectives(v),
        _actions(v),
    ]
    return doc


def render(doc: Document, fmt: str) -> str:
    """A document as Markdown ("md") or one self-contained HTML file ("html")."""
    if fmt == "md":
        from .export_md import markdown

        return markdown(doc)
    if fmt == "html":
        from .export_html import html

        return html(doc)
    raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def export_plan(
    plan: Plan, bank: Iterable[Question], config: Any, today: dt.date, fmt: str = "md", audience: str = "internal"
) -> str:
    """The plan exported as Markdown or HTML, for the ``audience``."""
    return render(plan_document(plan, bank, config, today, audience), fmt)
