"""Derived facts about a plan: answered questions, completeness, overdue, dangling ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import clock
from .convert import Problem
from .plan import Action, Plan
from .questions import Question
from .schema import REF, specs

UNANSWERED, DRAFT, TO_CONFIRM, ANSWERED = "unanswered", "draft", "to-confirm", "answered"
STATES = (UNANSWERED, DRAFT, TO_CONFIRM, ANSWERED)


def question_state(plan: Plan, qid: str) -> str:
    """unanswered (no text), draft, to-confirm or answered."""
    entry = plan.diagnostic.get(qid)
    if entry is None or not entry.answer.strip():
        return UNANSWERED
    return entry.status


def unanswered(plan: Plan, questions: list[Question] | tuple[Question, ...]) -> list[Question]:
    return [q for q in questions if question_state(plan, q.id) != ANSWERED]


def overdue_actions(plan: Plan, today: dt.date | None = None) -> list[Action]:
    today = today or clock.today()
    return [a for a in plan.actions if a.is_overdue(today)]


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
    """The KPI's actual in its latest measured period."""
    measures = sorted((m for m in plan.measures if m.kpi == kpi_id and m.actual is not None), key=lambda m: m.period)
    return measures[-1].actual if measures else None


def dangling_references(plan: Plan) -> list[Problem]:
    """References to items that do not exist (an action's objective, a measure's KPI, ...)."""
    problems = []
    for list_name in ("stakeholders", "measures", "objectives", "actions"):
        for n, item in enumerate(plan.items(list_name), 1):
            for name, spec in specs(item):
                value: Any = getattr(item, name)
                if spec.kind == REF and value and plan.find(spec.ref, value) is None:
                    kind = spec.ref.rstrip("s")
                    problems.append(Problem(f"{list_name}[{n}].{name}", f"no {kind} with id {value!r}"))
    return problems
