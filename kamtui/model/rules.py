"""The plan's business rules as plain functions: what is answered, overdue, due soon, stale,
who needs a contact, how a KPI trends, how much of our investment the client matches.

Screens, exports and the command line all ask these functions, so they give the same answers.
Nothing here reads the clock: every rule that depends on the date takes ``today`` (the one
exception, ``overdue_actions(plan)`` without a date, is kept for its existing callers).

Boundaries, the same everywhere: a date *exactly* ``n`` days ago is not yet late (stale
answers, contacts); an action due today is not overdue, it is due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

from . import clock
from .convert import Problem
from .periods import parse_period, period_key
from .plan import CLOSED_ACTION_STATUSES, LISTS, Action, Answer, Gap, Kpi, Measure, Objective, Plan, Stakeholder
from .questions import Question
from .schema import REF, specs

UNANSWERED, DRAFT, TO_CONFIRM, ANSWERED = "unanswered", "draft", "to-confirm", "answered"
STATES = (UNANSWERED, DRAFT, TO_CONFIRM, ANSWERED)

KEY_ROLE = "decision-maker"  # a decision maker is always a key person ...
KEY_INFLUENCE = 4  # ... and so is anyone this influential or more (influence runs 1..5)


# --- diagnostic questions ----------------------------------------------------------------


def question_state(plan: Plan, qid: str) -> str:
    """unanswered (no text), draft, to-confirm or answered."""
    entry = plan.diagnostic.get(qid)
    if entry is None or not entry.answer.strip():
        return UNANSWERED
    return entry.status


def question_states(plan: Plan, questions: Iterable[Question]) -> dict[str, str]:
    """Each question's id mapped to its state (see :func:`question_state`), in the bank's order."""
    return {q.id: question_state(plan, q.id) for q in questions}


def unanswered(plan: Plan, questions: list[Question] | tuple[Question, ...]) -> list[Question]:
    """The questions not yet answered (unanswered, draft or to-confirm): the agenda for the client."""
    return [q for q in questions if question_state(plan, q.id) != ANSWERED]


def stale_answers(
    plan: Plan, questions: Iterable[Question], today: dt.date, days: int
) -> list[tuple[Question, Answer]]:
    """Answers last updated more than ``days`` days before ``today``, in the question bank's order.

    An answer updated exactly ``days`` days ago is not stale yet. An answer without an
    ``updated`` date (written by hand) is not stale: its age is unknown. A blank answer is not
    stale either: it is unanswered, and already on the agenda.
    """
    found = []
    for question in questions:
        entry = plan.diagnostic.get(question.id)
        if entry is None or entry.updated is None or not entry.answer.strip():
            continue
        if (today - entry.updated).days > days:
            found.append((question, entry))
    return found


def completeness(plan: Plan, questions: list[Question] | tuple[Question, ...]) -> int:
    """Percent of the plan's checkpoints met: every question answered and each section filled."""
    account = plan.account
    checks = [question_state(plan, q.id) == ANSWERED for q in questions]
    checks += [
        bool(account.name.strip()),
        account.period_start is not None and account.period_end is not None,
        bool(account.summary.strip()),
        bool(account.strategy.strip()),
        bool(account.current_priorities.strip()),
        all((plan.swot.strengths, plan.swot.weaknesses, plan.swot.opportunities, plan.swot.threats)),
        bool(plan.competitors),
        bool(plan.stakeholders),
        bool(plan.kpis),
        bool(plan.objectives),
        bool(plan.actions),
    ]
    return round(100 * sum(checks) / len(checks))


def open_gaps(plan: Plan) -> list[Gap]:
    """The missing information not yet found out, in plan order."""
    return [g for g in plan.gaps if not g.resolved]


# --- actions -----------------------------------------------------------------------------


def is_closed(action: Action) -> bool:
    """Done or dropped: nothing left to do, never late."""
    return action.status in CLOSED_ACTION_STATUSES


def is_overdue(action: Action, today: dt.date) -> bool:
    """Open and due before ``today`` (an action due today is not late yet)."""
    return action.due is not None and action.due < today and not is_closed(action)


def overdue_actions(plan: Plan, today: dt.date | None = None) -> list[Action]:
    """The open actions due before ``today``, in plan order (``today`` defaults to the clock's)."""
    today = today or clock.today()
    return [a for a in plan.actions if is_overdue(a, today)]


def overdue_sorted(plan: Plan, today: dt.date) -> list[Action]:
    """The overdue actions, the longest overdue first (oldest due date; ties in plan order)."""
    return sorted(overdue_actions(plan, today), key=_due)


def due_between(plan: Plan, start: dt.date, end: dt.date) -> list[Action]:
    """Open actions due from ``start`` to ``end`` (both included), soonest first, ties in plan order."""
    return sorted(
        (a for a in plan.actions if a.due is not None and start <= a.due <= end and not is_closed(a)), key=_due
    )


def due_soon(plan: Plan, today: dt.date, days: int = 30) -> list[Action]:
    """Open actions due from today up to ``days`` days ahead (both included), soonest first."""
    return due_between(plan, today, today + dt.timedelta(days=days))


def due_before_visit(plan: Plan, today: dt.date, visit: dt.date) -> list[Action]:
    """Open actions due from today up to and including the visit day, soonest first.

    The overdue ones are not included (see :func:`overdue_sorted`); a visit in the past gives
    an empty list.
    """
    return due_between(plan, today, visit)


def _due(action: Action) -> dt.date:
    return action.due or dt.date.max  # only called on actions that have a due date


class InvestmentSummary(NamedTuple):
    """Our investment in the account against what the client commits in return.

    Counts every action not dropped (done ones included: the money was spent). An action is
    *matched* when its ``client_commitment`` is not blank. ``unmatched_actions`` are those with
    an investment but no commitment: a plan that looks inward instead of at the client dies.
    """

    total: float
    matched: float
    unmatched: float
    unmatched_actions: tuple[Action, ...]

    @property
    def matched_share(self) -> float | None:
        """The matched part of the total (0..1), None when nothing is invested."""
        return self.matched / self.total if self.total else None


def investment_summary(plan: Plan) -> InvestmentSummary:
    """Total investment of the actions not dropped, the part matched by a client commitment, the rest."""
    total = matched = 0.0
    unmatched_actions = []
    for action in plan.actions:
        if action.status == "dropped" or not action.investment:
            continue
        total += action.investment
        if action.client_commitment.strip():
            matched += action.investment
        else:
            unmatched_actions.append(action)
    return InvestmentSummary(total, matched, total - matched, tuple(unmatched_actions))


# --- people ------------------------------------------------------------------------------


def days_since(day: dt.date | None, today: dt.date) -> int | None:
    """Whole days from ``day`` to ``today`` (negative for a day to come), None without a day."""
    return None if day is None else (today - day).days


def is_key_person(stakeholder: Stakeholder) -> bool:
    """A decision maker, or anyone of influence 4 or 5."""
    return stakeholder.role == KEY_ROLE or stakeholder.influence >= KEY_INFLUENCE


def needs_contact(stakeholder: Stakeholder, today: dt.date, contact_days: int) -> bool:
    """A key person never contacted, or last contacted more than ``contact_days`` days ago.

    Exactly ``contact_days`` days ago is still recent enough.
    """
    if not is_key_person(stakeholder):
        return False
    days = days_since(stakeholder.last_contact, today)
    return days is None or days > contact_days


def key_people(plan: Plan, limit: int | None = None) -> list[Stakeholder]:
    """Key persons first, by influence (highest first), then the others by influence; ties in
    plan order. ``limit`` keeps the first ones only."""
    ranked = sorted(plan.stakeholders, key=lambda s: (not is_key_person(s), -s.influence))
    return ranked if limit is None else ranked[: max(limit, 0)]


# --- names -------------------------------------------------------------------------------


def display_name(plan: Plan, list_name: str, item_id: str) -> str:
    """What a user reads for an item's id: a stakeholder's or KPI's name, an objective's or
    action's title, a gap's question, a history event... The id itself when no item has it (or
    its name is blank), "" for "".

    Raises ValueError for a list that does not exist (a mistake in the caller, not in the plan).
    """
    if list_name not in LISTS:
        raise ValueError(f"no list {list_name!r} in a plan")
    if not item_id:
        return ""
    item = plan.find(list_name, item_id)
    if item is None:
        return item_id
    # ``label`` first: a stakeholder's ``title`` is their job title, not their name.
    text = getattr(item, "label", None)
    if text is None:
        text = getattr(item, "title", "")
    return str(text).strip() or item_id


def ask_whom(plan: Plan, gap: Gap) -> str:
    """Whom to ask for a gap: the stakeholder's name when ``ask`` is a stakeholder id, else ``ask``."""
    return display_name(plan, "stakeholders", gap.ask)


# --- KPIs and objectives -----------------------------------------------------------------


def kpi_measures(plan: Plan, kpi_id: str) -> list[Measure]:
    """The KPI's measures in period order (see :func:`period_key`); the same period twice stays
    in plan order."""
    return sorted((m for m in plan.measures if m.kpi == kpi_id), key=lambda m: period_key(m.period))


def kpi_actuals(plan: Plan, kpi_id: str) -> list[float]:
    """The KPI's known actuals, in period order."""
    return [m.actual for m in kpi_measures(plan, kpi_id) if m.actual is not None]


Direction = Literal["up", "down", "flat"]


class Trend(NamedTuple):
    """Where a KPI is going: its actuals in period order, the direction of the last move, and
    whether that move went the better way (for a KPI where lower is better, down is improving).
    ``direction`` and ``improving`` are None with fewer than two actuals; flat is not improving.
    """

    values: tuple[float, ...]
    direction: Direction | None
    improving: bool | None


def kpi_trend(plan: Plan, kpi: Kpi) -> Trend:
    """The KPI's trend from its last two actuals (see :class:`Trend`)."""
    values = tuple(kpi_actuals(plan, kpi.id))
    if len(values) < 2:
        return Trend(values, None, None)
    before, last = values[-2], values[-1]
    direction: Direction = "up" if last > before else "down" if last < before else "flat"
    improving = direction == ("down" if kpi.better == "lower" else "up")
    return Trend(values, direction, improving)


def on_target(measure: Measure, better: str) -> bool | None:
    """Whether the actual meets the target (reaching it exactly counts): at or above it, or at
    or below it when ``better`` is "lower". None when the target or the actual is missing."""
    if measure.target is None or measure.actual is None:
        return None
    if better == "lower":
        return measure.actual <= measure.target
    return measure.actual >= measure.target


def target_gap(measure: Measure) -> float | None:
    """Actual minus target (positive: above the target, whichever way is better), None when
    either is missing."""
    if measure.target is None or measure.actual is None:
        return None
    return measure.actual - measure.target


def progress(objective: Any, actual: float | None) -> float | None:
    """Share of the way from baseline to target (0..1), or None when unknown."""
    if objective.target is None or actual is None:
        return None
    base = objective.baseline or 0.0
    span = objective.target - base
    if span == 0:
        return 1.0 if actual == objective.target else 0.0
    return max(0.0, min(1.0, (actual - base) / span))


def latest_actual(plan: Plan, kpi_id: str) -> float | None:
    """The KPI's actual in its latest measured period (periods compared as periods, see
    :func:`period_key`: "2027-Q2" comes before "2027-06", not after "2027-12")."""
    actuals = kpi_actuals(plan, kpi_id)
    return actuals[-1] if actuals else None


def objective_measure(plan: Plan, objective: Objective) -> Measure | None:
    """The measure an objective is judged by: its KPI's actual for the objective's period.

    The rule, in order:

    1. The objective's period is the longest period among its KPI's measures that contains
       the objective's deadline ("2027" before "2027-Q2" before "2027-06"). Its kind (year,
       quarter or month) is the objective's kind. Without a deadline, or when no measure's
       period contains it, the kind is the longest one among the KPI's measures.
    2. When the objective's period has an actual, that measure.
    3. Otherwise the latest measure *of the same kind* with an actual that starts by the
       deadline (the quarter so far for a quarterly objective, the last year for a yearly one).
    4. Otherwise None: the progress is unknown. An annual target is never compared with a
       quarter's or a month's actual, nor a quarterly one with a month's.

    Measures with a period the format does not know are ignored; the same period twice: the
    last one in the plan counts.
    """
    if not objective.kpi:
        return None
    # Latest in the plan first, so that max() keeps it when the same period is there twice.
    measures = [(p, m) for m in reversed(plan.measures) if m.kpi == objective.kpi and (p := parse_period(m.period))]
    if not measures:
        return None
    deadline = objective.deadline
    own = [(p, m) for p, m in measures if deadline in p]
    if own:
        period, measure = max(own, key=lambda pm: pm[0].months)
        if measure.actual is not None:
            return measure
        kind = period.kind
    else:
        kind = max((p for p, _ in measures), key=lambda p: p.months).kind
    candidates = [
        (p, m)
        for p, m in measures
        if p.kind == kind and m.actual is not None and (deadline is None or p.start <= deadline)
    ]
    return max(candidates, key=lambda pm: pm[0].start)[1] if candidates else None


def objective_actual(plan: Plan, objective: Objective) -> float | None:
    """The actual an objective is judged by (see :func:`objective_measure`), or None."""
    measure = objective_measure(plan, objective)
    return None if measure is None else measure.actual


def objective_progress(plan: Plan, objective: Objective) -> float | None:
    """How far the objective is toward its target (0..1) by its KPI's actual for the objective's
    period (see :func:`objective_measure`), or None when unknown."""
    return progress(objective, objective_actual(plan, objective))


def measure_index(plan: Plan, kpi_id: str, period: str) -> int:
    """Where a new measure of ``kpi_id`` for ``period`` goes in the plan's measures so that each
    KPI's measures stay in period order: before the first measure of that KPI whose period comes
    later (see :func:`period_key`), else right after the KPI's last measure, else at the end."""
    key = period_key(period)
    last = None
    for n, measure in enumerate(plan.measures):
        if measure.kpi != kpi_id:
            continue
        if period_key(measure.period) > key:
            return n
        last = n
    return len(plan.measures) if last is None else last + 1


# --- references --------------------------------------------------------------------------


def dangling_references(plan: Plan) -> list[Problem]:
    """References to items that do not exist (an action's objective, a measure's KPI, ...)."""
    problems = []
    for list_name in ("stakeholders", "measures", "objectives", "actions"):
        for n, item in enumerate(plan.items(list_name), 1):
            for name, spec in specs(item):
                value: Any = getattr(item, name)
                if spec.kind == REF and spec.ref and value and plan.find(spec.ref, value) is None:
                    kind = spec.ref.rstrip("s")
                    problems.append(Problem(f"{list_name}[{n}].{name}", f"no {kind} with id {value!r}"))
    return problems
