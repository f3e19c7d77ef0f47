"""What the review says, part by part, laid out for a width (SPEC §6).

Every figure comes from the model's rules (:mod:`kamtui.model.rules`), the same functions the
exports, the visit brief and the command line ask. Each part is a list of lines already wrapped
to the width, continuation lines indented under the text they continue: the review can then
place a part or a search hit on an exact line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from textual.content import Content

from ...model.plan import ATTITUDES, Plan
from ...model.rules import (
    ask_whom,
    days_since,
    due_before_visit,
    investment_summary,
    is_key_person,
    key_people,
    kpi_measures,
    kpi_trend,
    latest_actual,
    needs_contact,
    objective_progress,
    on_target,
    open_gaps,
    overdue_sorted,
    question_states,
    stale_answers,
    unanswered,
)
from ..i18n import t, value_label
from ..text import shown
from ..widgets.cells import money, number

PARTS = ("agenda", "actions", "objectives", "scorecard", "people", "stale", "investment")
SYMBOLS = {"unanswered": "○", "draft": "◔", "to-confirm": "?"}  # as the checklist shows them
STATUS_STYLES = {  # an objective's bar takes the colour of its status, not of its percentage
    "on-track": "green",
    "achieved": "green",
    "at-risk": "yellow",
    "off-track": "red",
    "dropped": "dim",
}
SPARKS = "▁▂▃▄▅▆▇█"
ARROWS = {"up": "▲", "down": "▼", "flat": "▬"}
FLAG = "⚠"
BAR = 12  # cells of a progress bar


class Part(NamedTuple):
    key: str  # one of PARTS
    title: str
    lines: list[Content]


class Facts(NamedTuple):
    """What a review is about: a plan, the question bank, the user's settings, two days."""

    plan: Plan
    bank: Any
    config: Any
    today: dt.date
    visit: dt.date


def wrap(prefix: Content | str, body: Content | str, width: int, style: str = "") -> list[Content]:
    """``prefix`` then ``body`` wrapped to ``width``; the lines after the first are indented to
    where the body starts (the indent is kept at any width)."""
    prefix = Content(prefix) if isinstance(prefix, str) else prefix
    body = Content(body) if isinstance(body, str) else body
    if style:
        body = body.stylize(style)
    indent = prefix.cell_length
    room = max(width - indent, 10)
    lines = body.wrap(room, overflow="fold") or [Content("")]
    return [prefix + lines[0]] + [Content(" " * indent) + line for line in lines[1:]]


def wrap_under(prefix: Content, body: Content, width: int) -> list[Content]:
    """Like :func:`wrap`, but a long prefix (a date and a delay) on a narrow screen goes on a line
    of its own, the body under it: a text squeezed into a column a word wide can't be read."""
    if prefix.cell_length <= width * 0.4:
        return wrap(prefix, body, width)
    return [prefix.truncate(width), *wrap("      ", body, width)]


def amount(value: float | None, unit: str) -> str:
    """12.5 %, 436.5 k€, 40 personnes — a unit of letters is set apart from the number."""
    text = number(value)
    if not text or not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "€", "$") else f"{text} {unit}"


def hint(key: str, width: int, **values: Any) -> list[Content]:
    """An empty part says what to do."""
    return wrap("  ", Content.styled(t(key, **values), "italic"), width)


def sparkline(values: list[float | None]) -> str:
    """One block per period, its height the actual's place between the lowest and the highest;
    a period without an actual is a dot."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    blocks = []
    for value in values:
        if value is None:
            blocks.append("·")
        else:
            blocks.append(SPARKS[round((value - low) / span * (len(SPARKS) - 1))] if span else SPARKS[3])
    return "".join(blocks)


# --- the parts --------------------------------------------------------------------------


def agenda(f: Facts, width: int) -> Part:
    plan = f.plan
    questions = unanswered(plan, list(f.bank))
    states = question_states(plan, questions)
    gaps = open_gaps(plan)
    lines: list[Content] = []
    for q in questions:
        state = states[q.id]
        prefix = Content.assemble(
            "  ", (f"{SYMBOLS.get(state, '○')} ", "bold magenta" if state == "to-confirm" else "")
        )
        body = Content.assemble(shown(q.text(plan.lang)), (f"  [{t('state.' + state)}]", "dim"))
        lines += wrap(prefix, body, width)
    for gap in gaps:
        whom = ask_whom(plan, gap)
        body = Content.assemble(shown(gap.question), (f"  → {shown(whom)}", "dim") if whom else "")
        lines += wrap("  • ", body, width)
    if not lines:
        lines = hint("visit.empty_agenda", width)
    return Part("agenda", t("visit.agenda", questions=len(questions), gaps=len(gaps)), lines)


def _action_line(action: Any, days: str, width: int) -> list[Content]:
    details = ", ".join(x for x in (shown(action.owner), value_label(action.status)) if x)
    body = Content.assemble(shown(action.title) or "—", (f"  ({details})", "dim") if details else "")
    return wrap_under(Content.assemble("  ", (f"{action.due}  {days}  ", "bold")), body, width)


LIST_MAX = 25  # actions listed per list: a review is read before a meeting; the rest is on F9


def _more(count: int, width: int) -> list[Content]:
    """The line that says how many more there are, and where to see them all."""
    if count <= LIST_MAX:
        return []
    more = t("review.more", n=count - LIST_MAX, fkey="F9", section=t("section.actions"))
    return wrap("", Content.styled("  " + more, "dim"), width)


def actions(f: Facts, width: int) -> Part:
    soon = due_before_visit(f.plan, f.today, f.visit)
    late = overdue_sorted(f.plan, f.today)
    lines = wrap("", Content.styled(t("visit.due_before", visit=f.visit.isoformat(), n=len(soon)), "bold"), width)
    for action in soon[:LIST_MAX]:
        lines += _action_line(action, t("visit.in_days", n=-(days_since(action.due, f.today) or 0)), width)
    lines += _more(len(soon), width)
    if not soon:
        lines += hint("visit.none", width)
    lines += wrap("", Content.styled(t("visit.overdue", n=len(late)), "bold"), width)
    for action in late[:LIST_MAX]:
        days = Content.styled(f"{FLAG} " + t("visit.days_late", n=days_since(action.due, f.today)), "bold red")
        details = ", ".join(x for x in (shown(action.owner), value_label(action.status)) if x)
        body = Content.assemble(shown(action.title) or "—", (f"  ({details})", "dim") if details else "")
        lines += wrap_under(Content.assemble("  ", (f"{action.due}  ", "bold"), days, "  "), body, width)
    lines += _more(len(late), width)
    if not late:
        lines += hint("visit.none", width)
    if not f.plan.actions:
        lines = hint("visit.empty_actions", width)
    return Part("actions", t("visit.actions", soon=len(soon), late=len(late)), lines)


def progress_bar(share: float | None, status: str) -> Content:
    """A bar and a percentage; the bar's colour says the objective's status (written next to it)."""
    if share is None:
        return Content.styled("─" * BAR + "   — ", "dim")
    filled = round(share * BAR)
    return Content.styled("█" * filled + "░" * (BAR - filled) + f" {share * 100:3.0f} %", STATUS_STYLES.get(status, ""))


def objectives(f: Facts, width: int) -> Part:
    plan = f.plan
    lines: list[Content] = []
    units = {k.id: k.unit for k in plan.kpis}
    for objective in plan.objectives:
        unit = units.get(objective.kpi, "")
        actual = latest_actual(plan, objective.kpi) if objective.kpi else None
        values = " → ".join(amount(v, unit) or "—" for v in (objective.baseline, actual, objective.target))
        status = Content.styled(f"[{value_label(objective.status)}]", STATUS_STYLES.get(objective.status, ""))
        lines += wrap("  ", Content.assemble((shown(objective.title) or "—", "bold"), "  ", status), width)
        detail = Content.assemble(progress_bar(objective_progress(plan, objective), objective.status), "  ", values)
        if objective.deadline:
            detail += Content.styled(f"  ({t('visit.by', day=objective.deadline.isoformat())})", "dim")
        lines += wrap("    ", detail, width)
    if not lines:
        lines = hint("visit.empty_objectives", width)
    return Part("objectives", t("visit.objectives", n=len(plan.objectives)), lines)


def trend_words(plan: Plan, kpi: Any) -> Content:
    """▲ up, improving — the arrow is where the actual went; the word says whether that is the
    better way (down is better for a KPI where lower is better)."""
    trend = kpi_trend(plan, kpi)
    if trend.direction is None:
        return Content.styled(t("visit.no_trend"), "dim")
    words = f"{ARROWS[trend.direction]} {t('visit.' + trend.direction)}"
    if trend.direction == "flat":
        return Content.styled(words, "dim")
    improving = bool(trend.improving)
    words += ", " + t("visit.improving" if improving else "visit.worsening")
    return Content.styled(words, "green" if improving else "bold red")


def scorecard(f: Facts, width: int) -> Part:
    plan = f.plan
    lines: list[Content] = []
    for kpi in plan.kpis:
        measures = kpi_measures(plan, kpi.id)
        with_actual = [m for m in measures if m.actual is not None]
        latest = with_actual[-1] if with_actual else (measures[0] if measures else None)
        better = f"{'↓' if kpi.better == 'lower' else '↑'} {value_label(kpi.better)}"
        head = Content.assemble((shown(kpi.name) or kpi.id, "bold"), (f"  ({better})", "dim"))
        lines += wrap("  ", head, width)
        if latest is None:
            lines += wrap("    ", Content.styled(t("visit.no_measure"), "dim"), width)
            continue
        hit = on_target(latest, kpi.better)
        mark = (
            Content.styled("—", "dim")
            if hit is None
            else Content.styled(f"✓ {value_label('yes')}", "green")
            if hit
            else Content.styled(f"✗ {value_label('no')}", "bold red")
        )
        figures = t(
            "visit.target_actual",
            period=latest.period,
            target=amount(latest.target, kpi.unit) or "—",
            actual=amount(latest.actual, kpi.unit) or "—",
        )
        spark = sparkline([m.actual for m in measures])
        body = Content.assemble(figures, "  ", mark, "  ", (spark, "bold cyan"), "  ", trend_words(plan, kpi))
        lines += wrap("    ", body, width)
    if not lines:
        lines = hint("visit.empty_kpis", width)
    return Part("scorecard", t("visit.scorecard", n=len(plan.kpis)), lines)


def people_map(f: Facts, width: int) -> Part:
    """Influence (5 at the top) against attitude (opponent → champion), names in the cells; key
    people without a recent contact marked ⚠ and listed below with the word."""
    plan, days_limit = f.plan, f.config.contact_days
    if not plan.stakeholders:
        return Part("people", t("visit.people", n=0), hint("visit.empty_people", width))
    columns = list(reversed(ATTITUDES))  # opponent ... champion
    label_width = 4
    cell = max(6, (width - label_width) // len(columns))
    late = {id(s) for s in plan.stakeholders if needs_contact(s, f.today, days_limit)}
    lines = [
        Content.assemble(
            " " * label_width, *((value_label(a)[: cell - 1].ljust(cell), "bold") for a in columns)
        ).truncate(width)
    ]
    for influence in range(5, 0, -1):
        cells = []
        for attitude in columns:
            people = [s for s in plan.stakeholders if s.attitude == attitude and s.influence == influence]
            cells.append([(f"{FLAG}" if id(s) in late else "") + (shown(s.name) or "—") for s in people])
        height = max(1, *(len(c) for c in cells))
        for row in range(height):
            label = f"{influence} ┃ " if row == 0 else "  ┃ "
            line = Content(label[:label_width])
            for names in cells:
                name = names[row] if row < len(names) else ("·" if row == 0 else "")
                text = name if len(name) < cell else name[: cell - 2] + "…"
                line += Content.styled(text.ljust(cell), "bold red" if text.startswith(FLAG) else "")
            lines.append(line.truncate(width))
    lines.append(Content.styled("  ┗" + "━" * max(0, min(width, label_width + cell * 5) - 3), "dim"))
    lines += wrap("  ", Content.styled(t("visit.axes", days=days_limit), "dim"), width)
    for person in key_people(plan):
        if not is_key_person(person):
            break
        days = days_since(person.last_contact, f.today)
        said = t("visit.never") if days is None else t("visit.days_since", n=days)
        flag = (
            Content.styled(f"  {FLAG} {t('visit.no_contact', days=days_limit)}", "bold red")
            if id(person) in late
            else ""
        )
        body = Content.assemble(
            (shown(person.name) or "—", "bold"),
            (f" — {shown(person.title)}" if person.title.strip() else "", ""),
            (f", {value_label(person.attitude)}, {t('visit.influence', n=person.influence)}, {said}", "dim"),
            flag,
        )
        lines += wrap("  • ", body, width)
    return Part("people", t("visit.people", n=len(plan.stakeholders)), lines)


def stale(f: Facts, width: int) -> Part:
    days_limit = f.config.stale_days
    found = stale_answers(f.plan, f.bank, f.today, days_limit)
    lines: list[Content] = []
    for q, entry in found:
        age = days_since(entry.updated, f.today)
        body = Content.assemble(
            shown(q.text(f.plan.lang)), (f"  ({entry.updated}, {t('visit.days_old', n=age)})", "dim")
        )
        lines += wrap("  • ", body, width)
    if not lines:
        lines = hint("visit.empty_stale", width, days=days_limit)
    return Part("stale", t("visit.stale", n=len(found), days=days_limit), lines)


def investment(f: Facts, width: int) -> Part:
    plan = f.plan
    summary = investment_summary(plan)
    currency = plan.account.currency
    if not summary.total:
        return Part("investment", t("visit.investment"), hint("visit.empty_investment", width))
    share = summary.matched_share or 0.0
    lines = wrap(
        "  ",
        t(
            "visit.asked",
            total=money(summary.total),
            matched=money(summary.matched),
            pct=round(share * 100),
            currency=currency,
        ),
        width,
    )
    if summary.unmatched_actions:
        lines.append(
            Content.styled("  " + t("visit.unmatched", amount=money(summary.unmatched), currency=currency), "bold")
        )
    for action in summary.unmatched_actions:
        body = Content.assemble(shown(action.title) or "—", (f"  {money(action.investment)} {currency}", "dim"))
        lines += wrap(Content.styled(f"  {FLAG} ", "bold red"), body, width)
    return Part("investment", t("visit.investment"), lines)


BUILDERS = {
    "agenda": agenda,
    "actions": actions,
    "objectives": objectives,
    "scorecard": scorecard,
    "people": people_map,
    "stale": stale,
    "investment": investment,
}


def review_parts(plan: Plan, bank: Any, config: Any, today: dt.date, visit: dt.date, width: int) -> list[Part]:
    """The review's parts in order, each laid out for ``width`` cells."""
    facts = Facts(plan, bank, config, today, visit)
    return [BUILDERS[key](facts, width) for key in PARTS]
