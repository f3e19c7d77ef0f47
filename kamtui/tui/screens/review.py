"""Review: a read-only walk through what matters before meeting the client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...model import clock
from ...model.rules import ANSWERED, TO_CONFIRM, completeness, latest_actual, overdue_actions, progress, question_state
from ..commands import SECTIONS
from ..i18n import t, value_label
from ..widgets.cells import bar
from ..widgets.checklist import state_label
from .base import Section


class ReviewSection(Section):
    """Everything here is read-only: j/k scroll, the plan is not changed."""

    BINDINGS = [("j", "scroll_down", ""), ("k", "scroll_up", "")]

    _drawn_at = -1  # the app's edit count when the body was last drawn

    def compose(self) -> ComposeResult:
        yield self.heading("section.review")
        yield Static(self._content(), id="review-body")

    def on_show_section(self) -> None:
        if self._drawn_at != self.app.edit_count:
            self.refresh_from_plan()  # edited in another section since
        self.focus()

    def plan_edited(self) -> None:
        self.refresh_from_plan()

    def refresh_from_plan(self) -> None:
        self.query_one("#review-body", Static).update(self._content())

    def _content(self) -> Content:
        self._drawn_at = self.app.edit_count
        return review_content(self.app.plan, self.app.bank, self.app.config)


LIST_MAX = 12  # lines per list: a review is read before a meeting, the full lists are a key away


def _more(count: int, section: str) -> list[Content]:
    """The line that says how many more there are, and where to see them all."""
    if count <= LIST_MAX:
        return []
    fkey = dict(SECTIONS)[section].upper()
    return [
        Content.styled("  " + t("review.more", n=count - LIST_MAX, fkey=fkey, section=t(f"section.{section}")), "dim")
    ]


def _h(key: str, **values: Any) -> Content:
    return Content.styled("\n" + t(key, **values) + "\n", "bold underline")


def review_content(plan: Any, bank: Any, config: Any, today: dt.date | None = None) -> Content:
    today = today or clock.today()
    parts: list[Content] = []
    account = plan.account
    parts.append(Content.styled(f"{account.name} — {t('review.completeness', pct=completeness(plan, bank))}", "bold"))
    agenda = [q for q in bank if question_state(plan, q.id) != ANSWERED]
    parts.append(_h("review.agenda", n=len(agenda)))
    for q in agenda:
        state = question_state(plan, q.id)
        mark = "bold magenta" if state == TO_CONFIRM else ""
        parts.append(Content.assemble((f"  {state_label(state)}  ", mark), q.text(plan.lang)))
    gaps = [g for g in plan.gaps if not g.resolved]
    parts.append(_h("review.gaps", n=len(gaps)))
    for gap in gaps:
        who = plan.find("stakeholders", gap.ask)
        parts.append(Content.assemble("  • ", gap.question, ("  → " + (who.name if who else gap.ask), "dim")))
    late = sorted(overdue_actions(plan, today), key=lambda a: a.due)  # the longest overdue first
    parts.append(_h("review.overdue", n=len(late)))
    for action in late[:LIST_MAX]:
        parts.append(
            Content.assemble(
                ("  ⚠ ", "bold red"),
                f"{action.due}  ",
                action.title,
                (f"  ({action.owner}, {value_label(action.status)})", "dim"),
            )
        )
    parts.extend(_more(len(late), "actions"))
    soon = sorted(
        (
            a
            for a in plan.actions
            if a.due and today <= a.due <= today + dt.timedelta(days=30) and a.status not in ("done", "dropped")
        ),
        key=lambda a: a.due,
    )
    parts.append(_h("review.soon", n=len(soon)))
    for action in soon[:LIST_MAX]:
        parts.append(Content.assemble(f"  {action.due}  ", action.title, (f"  ({action.owner})", "dim")))
    parts.extend(_more(len(soon), "actions"))
    parts.append(_h("review.objectives", n=len(plan.objectives)))
    for objective in plan.objectives:
        share = progress(objective, latest_actual(plan, objective.kpi))
        parts.append(
            Content.assemble(
                "  ",
                Content.from_rich_text(bar(share)),
                "  ",
                objective.title,
                (f"  [{value_label(objective.status)}]", "dim"),
            )
        )
    key_people = sorted(plan.stakeholders, key=lambda s: -s.influence)[:6]
    parts.append(_h("review.people", n=len(key_people)))
    for person in key_people:
        days = (today - person.last_contact).days if person.last_contact else None
        late_contact = days is None or days > config.contact_days
        parts.append(
            Content.assemble(
                f"  {person.name} — {person.title}  ",
                (f"{value_label(person.attitude)}, {'★' * person.influence}  ", "dim"),
                (t("review.days", n="—" if days is None else days), "bold red" if late_contact else ""),
            )
        )
    stale = [
        q
        for q in bank
        if (e := plan.diagnostic.get(q.id)) and e.updated and (today - e.updated).days > config.stale_days
    ]
    parts.append(_h("review.stale", n=len(stale)))
    for q in stale:
        parts.append(Content.assemble("  ", q.text(plan.lang), (f"  ({plan.diagnostic[q.id].updated})", "dim")))
    return Content("\n").join(parts)


SECTION = ReviewSection
