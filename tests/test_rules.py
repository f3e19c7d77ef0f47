"""The plan's business rules (kamtui.model.rules), with a fixed today and small plans: no UI."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamtui.model.plan import (
    ACTION_STATUSES,
    Action,
    Answer,
    Competitor,
    Gap,
    HistoryEvent,
    Kpi,
    Measure,
    Objective,
    Plan,
    Stakeholder,
)
from kamtui.model.questions import Question
from kamtui.model.rules import (
    ANSWERED,
    DRAFT,
    TO_CONFIRM,
    UNANSWERED,
    InvestmentSummary,
    Trend,
    ask_whom,
    days_since,
    display_name,
    due_before_visit,
    due_between,
    due_soon,
    investment_summary,
    is_closed,
    is_key_person,
    is_overdue,
    key_people,
    kpi_actuals,
    kpi_measures,
    kpi_trend,
    needs_contact,
    objective_progress,
    on_target,
    open_gaps,
    overdue_actions,
    overdue_sorted,
    period_key,
    question_states,
    stale_answers,
    target_gap,
)

TODAY = dt.date(2026, 11, 29)


def day(offset: int) -> dt.date:
    """TODAY moved by ``offset`` days (negative: in the past)."""
    return TODAY + dt.timedelta(days=offset)


def ids(items) -> list[str]:
    return [item.id for item in items]


QUESTIONS = (
    Question("know-client", "client", "Connaître", "Know the client"),
    Question("market-challenges", "market", "Marché", "Market"),
    Question("priorities", "client", "Priorités", "Priorities"),
    Question("history", "relationship", "Histoire", "History"),
)


# --- actions: closed, overdue ---------------------------------------------------------


@pytest.mark.parametrize("status", ACTION_STATUSES)
def test_is_closed_only_for_done_and_dropped(status):
    assert is_closed(Action(id="a", status=status)) == (status in ("done", "dropped"))


def test_is_overdue_boundaries():
    assert is_overdue(Action(id="a", due=day(-1)), TODAY)
    assert not is_overdue(Action(id="a", due=TODAY), TODAY)  # due today: not late yet
    assert not is_overdue(Action(id="a", due=None), TODAY)
    assert not is_overdue(Action(id="a", due=day(-100), status="done"), TODAY)
    assert not is_overdue(Action(id="a", due=day(-100), status="dropped"), TODAY)
    assert is_overdue(Action(id="a", due=day(-100), status="blocked"), TODAY)


def test_overdue_sorted_longest_overdue_first_ties_in_plan_order():
    plan = Plan(
        actions=[
            Action(id="a-recent", due=day(-1)),
            Action(id="a-old-1", due=day(-40), status="doing"),
            Action(id="a-done", due=day(-90), status="done"),
            Action(id="a-old-2", due=day(-40), status="blocked"),  # same day as a-old-1, after it in the plan
            Action(id="a-oldest", due=day(-60)),
            Action(id="a-dropped", due=day(-70), status="dropped"),
            Action(id="a-today", due=TODAY),
            Action(id="a-undated"),
            Action(id="a-future", due=day(3)),
        ]
    )
    assert ids(overdue_sorted(plan, TODAY)) == ["a-oldest", "a-old-1", "a-old-2", "a-recent"]
    # overdue_actions keeps plan order
    assert ids(overdue_actions(plan, TODAY)) == ["a-recent", "a-old-1", "a-old-2", "a-oldest"]
    assert overdue_sorted(Plan(), TODAY) == []


actions_strategy = st.lists(
    st.builds(
        Action,
        id=st.text(alphabet="abc", min_size=1, max_size=3),
        due=st.none() | st.dates(min_value=day(-30), max_value=day(30)),
        status=st.sampled_from(ACTION_STATUSES),
    ),
    max_size=12,
)


@given(actions_strategy)
def test_overdue_sorted_is_exactly_the_overdue_actions_ordered(actions):
    plan = Plan(actions=actions)
    result = overdue_sorted(plan, TODAY)
    expected = [a for a in actions if a.due is not None and a.due < TODAY and a.status not in ("done", "dropped")]
    position = {id(a): n for n, a in enumerate(actions)}  # by identity: equal actions may repeat
    assert sorted(map(id, result)) == sorted(map(id, expected))  # the same objects, each once
    assert [(a.due, position[id(a)]) for a in result] == sorted((a.due, position[id(a)]) for a in expected)


# --- actions: due soon, before a visit ---------------------------------------------------


def test_due_between_open_actions_inclusive_soonest_first():
    plan = Plan(
        actions=[
            Action(id="a-end", due=day(10)),
            Action(id="a-start", due=TODAY),
            Action(id="a-mid-1", due=day(5)),
            Action(id="a-mid-done", due=day(5), status="done"),
            Action(id="a-mid-2", due=day(5), status="blocked"),
            Action(id="a-before", due=day(-1)),
            Action(id="a-after", due=day(11)),
            Action(id="a-undated"),
            Action(id="a-dropped", due=day(2), status="dropped"),
        ]
    )
    assert ids(due_between(plan, TODAY, day(10))) == ["a-start", "a-mid-1", "a-mid-2", "a-end"]
    assert due_between(plan, day(10), TODAY) == []  # an empty range


def test_due_soon_is_thirty_days_by_default_both_ends_included():
    plan = Plan(
        actions=[
            Action(id="a-30", due=day(30)),
            Action(id="a-31", due=day(31)),
            Action(id="a-0", due=TODAY),
            Action(id="a-late", due=day(-1)),  # overdue, not "soon"
        ]
    )
    assert ids(due_soon(plan, TODAY)) == ["a-0", "a-30"]
    assert ids(due_soon(plan, TODAY, days=31)) == ["a-0", "a-30", "a-31"]
    assert ids(due_soon(plan, TODAY, days=0)) == ["a-0"]


def test_due_before_visit_up_to_and_including_the_visit_day():
    visit = dt.date(2026, 12, 10)
    plan = Plan(
        actions=[
            Action(id="a-after-visit", due=dt.date(2026, 12, 11)),
            Action(id="a-visit-day", due=visit),
            Action(id="a-tomorrow", due=day(1)),
            Action(id="a-overdue", due=day(-3)),
            Action(id="a-done", due=day(1), status="done"),
        ]
    )
    assert ids(due_before_visit(plan, TODAY, visit)) == ["a-tomorrow", "a-visit-day"]
    assert due_before_visit(plan, TODAY, day(-1)) == []  # a visit in the past


# --- investment vs client commitment -------------------------------------------------------


def test_investment_summary_matched_unmatched_and_dropped():
    plan = Plan(
        actions=[
            Action(id="a-matched", investment=15000.0, client_commitment="Tête de gondole 3 mois"),
            Action(id="a-inward", investment=5000.0, client_commitment="   \n"),  # blank: not a commitment
            Action(id="a-dropped", investment=99000.0, status="dropped"),
            Action(id="a-done", investment=2000.0, status="done"),  # spent: counts
            Action(id="a-free", client_commitment="Données sell-out"),  # no investment
            Action(id="a-zero", investment=0.0),
        ]
    )
    summary = investment_summary(plan)
    assert summary.total == 22000.0
    assert summary.matched == 15000.0
    assert summary.unmatched == 7000.0
    assert ids(summary.unmatched_actions) == ["a-inward", "a-done"]
    assert summary.matched_share == pytest.approx(15000 / 22000)


def test_investment_summary_of_a_plan_without_investment():
    summary = investment_summary(Plan(actions=[Action(id="a", client_commitment="x")]))
    assert summary == InvestmentSummary(0.0, 0.0, 0.0, ())
    assert summary.matched_share is None


# --- people --------------------------------------------------------------------------------


def test_days_since():
    assert days_since(None, TODAY) is None
    assert days_since(TODAY, TODAY) == 0
    assert days_since(dt.date(2026, 10, 12), TODAY) == 48
    assert days_since(day(2), TODAY) == -2  # a day to come


@pytest.mark.parametrize(
    "role, influence, key",
    [
        ("decision-maker", 1, True),
        ("influencer", 4, True),
        ("user", 5, True),
        ("influencer", 3, False),
        ("gatekeeper", 1, False),
        ("sponsor", 3, False),
    ],
)
def test_is_key_person(role, influence, key):
    assert is_key_person(Stakeholder(id="s", role=role, influence=influence)) is key


def test_needs_contact_boundaries():
    def person(last_contact, role="decision-maker", influence=3):
        return Stakeholder(id="s", role=role, influence=influence, last_contact=last_contact)

    assert needs_contact(person(None), TODAY, 90)  # never contacted
    assert needs_contact(person(day(-91)), TODAY, 90)
    assert not needs_contact(person(day(-90)), TODAY, 90)  # exactly 90 days ago: still recent
    assert not needs_contact(person(TODAY), TODAY, 90)
    assert needs_contact(person(day(-91), role="influencer", influence=4), TODAY, 90)  # influential
    assert not needs_contact(person(None, role="user", influence=3), TODAY, 90)  # not a key person


def test_key_people_key_persons_first_then_by_influence_stable():
    plan = Plan(
        stakeholders=[
            Stakeholder(id="s-user5", role="user", influence=5),
            Stakeholder(id="s-infl3", role="influencer", influence=3),
            Stakeholder(id="s-dm2", role="decision-maker", influence=2),
            Stakeholder(id="s-infl3b", role="influencer", influence=3),
            Stakeholder(id="s-dm5", role="decision-maker", influence=5),
            Stakeholder(id="s-gate1", role="gatekeeper", influence=1),
            Stakeholder(id="s-spon4", role="sponsor", influence=4),
        ]
    )
    expected = ["s-user5", "s-dm5", "s-spon4", "s-dm2", "s-infl3", "s-infl3b", "s-gate1"]
    assert ids(key_people(plan)) == expected
    assert ids(key_people(plan, limit=3)) == expected[:3]
    assert key_people(plan, limit=0) == []
    assert key_people(Plan()) == []


# --- diagnostic ----------------------------------------------------------------------------


def test_question_states_in_bank_order():
    plan = Plan(
        diagnostic={
            "priorities": Answer(answer="Grow organic", status="answered"),
            "know-client": Answer(answer="Some", status="to-confirm"),
            "history": Answer(answer="  ", status="answered"),  # blank text: unanswered
            "not-in-bank": Answer(answer="x", status="answered"),
        }
    )
    states = question_states(plan, QUESTIONS)
    assert states == {
        "know-client": TO_CONFIRM,
        "market-challenges": UNANSWERED,
        "priorities": ANSWERED,
        "history": UNANSWERED,
    }
    assert list(states) == [q.id for q in QUESTIONS]
    assert question_states(Plan(diagnostic={"know-client": Answer(answer="x")}), QUESTIONS[:1]) == {
        "know-client": DRAFT
    }


def test_stale_answers_boundary_order_and_unknown_dates():
    plan = Plan(
        diagnostic={
            "history": Answer(answer="Old", status="answered", updated=day(-400)),
            "know-client": Answer(answer="Older than 180", status="draft", updated=day(-181)),
            "market-challenges": Answer(answer="Exactly 180", status="answered", updated=day(-180)),
            "priorities": Answer(answer="Hand-written, no date", status="answered"),
        }
    )
    stale = stale_answers(plan, QUESTIONS, TODAY, 180)
    assert [(q.id, a.answer) for q, a in stale] == [("know-client", "Older than 180"), ("history", "Old")]
    assert stale_answers(plan, QUESTIONS, TODAY, 1000) == []


def test_a_blank_answer_is_not_stale_it_is_unanswered():
    plan = Plan(diagnostic={"history": Answer(answer="", status="draft", updated=day(-400))})
    assert stale_answers(plan, QUESTIONS, TODAY, 180) == []


def test_open_gaps():
    plan = Plan(gaps=[Gap(id="g-1"), Gap(id="g-2", resolved=True), Gap(id="g-3")])
    assert ids(open_gaps(plan)) == ["g-1", "g-3"]


# --- names ---------------------------------------------------------------------------------


NAMED = Plan(
    stakeholders=[Stakeholder(id="s-claire", name="Claire Martin", title="Directrice des achats")],
    competitors=[Competitor(id="c-x", name="MarqueX")],
    kpis=[Kpi(id="k-share", name="Part de marché")],
    objectives=[Objective(id="o-10", title="10 % de part de marché")],
    actions=[Action(id="a-1", title="Tête de gondole")],
    gaps=[Gap(id="g-1", question="Volumes par région ?", ask="s-claire")],
    history=[HistoryEvent(id="h-1", event="Référencement bio")],
)


@pytest.mark.parametrize(
    "list_name, item_id, shown",
    [
        ("stakeholders", "s-claire", "Claire Martin"),  # the name, not the job title
        ("competitors", "c-x", "MarqueX"),
        ("kpis", "k-share", "Part de marché"),
        ("objectives", "o-10", "10 % de part de marché"),
        ("actions", "a-1", "Tête de gondole"),
        ("gaps", "g-1", "Volumes par région ?"),
        ("history", "h-1", "Référencement bio"),
        ("stakeholders", "s-gone", "s-gone"),  # a missing id shows as itself
        ("objectives", "", ""),
    ],
)
def test_display_name(list_name, item_id, shown):
    assert display_name(NAMED, list_name, item_id) == shown


def test_display_name_of_an_item_without_a_name_is_its_id():
    assert display_name(Plan(stakeholders=[Stakeholder(id="s-anon")]), "stakeholders", "s-anon") == "s-anon"


def test_display_name_refuses_an_unknown_list():
    with pytest.raises(ValueError):
        display_name(NAMED, "people", "s-claire")


def test_ask_whom_stakeholder_id_or_free_text():
    assert ask_whom(NAMED, Gap(id="g", ask="s-claire")) == "Claire Martin"
    assert ask_whom(NAMED, Gap(id="g", ask="Le directeur régional")) == "Le directeur régional"
    assert ask_whom(NAMED, Gap(id="g", ask="s-deleted")) == "s-deleted"
    assert ask_whom(NAMED, Gap(id="g")) == ""


# --- periods -------------------------------------------------------------------------------


def test_period_order():
    ordered = ["2026-12", "2027", "2027-Q1", "2027-01", "2027-02", "2027-03", "2027-Q2", "2027-04", "2027-12", "2028"]
    assert sorted(reversed(ordered), key=period_key) == ordered
    assert sorted(["2027-Q2", "2027-06"]) == ["2027-06", "2027-Q2"]  # what a plain string sort gets wrong
    assert sorted(["2027-Q2", "2027-06"], key=period_key) == ["2027-Q2", "2027-06"]


def test_malformed_periods_come_last_in_string_order():
    assert sorted(["next year", "2027", "H1", "2027-13"], key=period_key) == ["2027", "2027-13", "H1", "next year"]


periods = st.builds(
    lambda year, kind, n: str(year) if kind == "y" else f"{year}-Q{n % 4 + 1}" if kind == "q" else f"{year}-{n:02d}",
    st.integers(2000, 2099),
    st.sampled_from("yqm"),
    st.integers(1, 12),
)


def _start(period: str) -> tuple[int, int]:
    year, _, rest = period.partition("-")
    month = 1 if not rest else 3 * int(rest[1]) - 2 if rest.startswith("Q") else int(rest)
    return int(year), month


@given(periods, periods)
def test_period_key_orders_by_start(a, b):
    if _start(a) < _start(b):
        assert period_key(a) < period_key(b)
    assert (period_key(a) == period_key(b)) == (a == b)


# --- KPIs ----------------------------------------------------------------------------------


def test_kpi_measures_and_actuals_in_period_order():
    plan = Plan(
        measures=[
            Measure(kpi="k-share", period="2027-06", target=10.0, actual=12.5),
            Measure(kpi="k-other", period="2027-01", actual=99.0),
            Measure(kpi="k-share", period="2027-Q2", target=8.0, actual=7.0),
            Measure(kpi="k-share", period="2026-12", target=5.0, actual=4.0),
            Measure(kpi="k-share", period="2027-09", target=11.0),  # no actual yet
        ]
    )
    assert [m.period for m in kpi_measures(plan, "k-share")] == ["2026-12", "2027-Q2", "2027-06", "2027-09"]
    assert kpi_actuals(plan, "k-share") == [4.0, 7.0, 12.5]
    assert kpi_measures(plan, "k-none") == []
    assert kpi_actuals(plan, "k-none") == []


def _trend(better: str, *actuals: float | None) -> Trend:
    kpi = Kpi(id="k", better=better)
    measures = [Measure(kpi="k", period=f"2027-{n:02d}", actual=a) for n, a in enumerate(actuals, 1)]
    return kpi_trend(Plan(kpis=[kpi], measures=measures), kpi)


def test_kpi_trend_needs_two_actuals():
    assert _trend("higher") == Trend((), None, None)
    assert _trend("higher", 3.0) == Trend((3.0,), None, None)
    assert _trend("higher", 3.0, None) == Trend((3.0,), None, None)  # a period not measured yet


@pytest.mark.parametrize(
    "better, actuals, direction, improving",
    [
        ("higher", (1.0, 5.0, 2.0, 3.0), "up", True),  # the last two decide
        ("higher", (5.0, 4.0), "down", False),
        ("lower", (5.0, 4.0), "down", True),  # fewer days of stock-out: better
        ("lower", (4.0, 5.0), "up", False),
        ("higher", (4.0, 4.0), "flat", False),
        ("lower", (4.0, 4.0), "flat", False),
    ],
)
def test_kpi_trend_direction_and_improving(better, actuals, direction, improving):
    trend = _trend(better, *actuals)
    assert trend == Trend(actuals, direction, improving)


def test_kpi_trend_follows_period_order_not_plan_order():
    kpi = Kpi(id="k")
    plan = Plan(
        kpis=[kpi],
        measures=[Measure(kpi="k", period="2027-Q2", actual=9.0), Measure(kpi="k", period="2027-Q1", actual=5.0)],
    )
    assert kpi_trend(plan, kpi) == Trend((5.0, 9.0), "up", True)


@pytest.mark.parametrize(
    "target, actual, better, expected",
    [
        (10.0, 12.5, "higher", True),
        (10.0, 10.0, "higher", True),  # reaching the target counts
        (10.0, 9.0, "higher", False),
        (10.0, 9.0, "lower", True),
        (10.0, 10.0, "lower", True),
        (10.0, 12.5, "lower", False),
        (None, 12.5, "higher", None),
        (10.0, None, "lower", None),
    ],
)
def test_on_target(target, actual, better, expected):
    assert on_target(Measure(kpi="k", period="2027", target=target, actual=actual), better) is expected


def test_target_gap():
    assert target_gap(Measure(kpi="k", period="2027", target=10.0, actual=12.5)) == 2.5
    assert target_gap(Measure(kpi="k", period="2027", target=10.0, actual=7.0)) == -3.0
    assert target_gap(Measure(kpi="k", period="2027", target=10.0)) is None
    assert target_gap(Measure(kpi="k", period="2027", actual=1.0)) is None


def test_objective_progress_by_the_kpis_latest_actual():
    plan = Plan(
        measures=[Measure(kpi="k", period="2027-01", actual=2.0), Measure(kpi="k", period="2027-02", actual=5.0)]
    )
    assert objective_progress(plan, Objective(id="o", kpi="k", baseline=0.0, target=10.0)) == 0.5
    assert objective_progress(plan, Objective(id="o", kpi="", target=10.0)) is None  # no KPI
    assert objective_progress(plan, Objective(id="o", kpi="k")) is None  # no target
