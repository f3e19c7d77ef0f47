"""Periods as periods (never strings), the actual an objective is judged by, measures kept in
period order, what an editor must not save blank, and ``kamtui new --period``'s values."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamtui.model.inputs import problems_of
from kamtui.model.periods import Period, PlanPeriodError, parse_period, plan_period
from kamtui.model.plan import Measure, Objective, Plan
from kamtui.model.rules import (
    latest_actual,
    measure_index,
    objective_actual,
    objective_measure,
    objective_progress,
    period_key,
)

D = dt.date


@pytest.mark.parametrize(
    "text, start, end, kind",
    [
        ("2027", D(2027, 1, 1), D(2027, 12, 31), "year"),
        ("2027-Q1", D(2027, 1, 1), D(2027, 3, 31), "quarter"),
        ("2027-Q4", D(2027, 10, 1), D(2027, 12, 31), "quarter"),
        ("2028-02", D(2028, 2, 1), D(2028, 2, 29), "month"),  # a leap year
        ("2027-12", D(2027, 12, 1), D(2027, 12, 31), "month"),
    ],
)
def test_parse_period(text, start, end, kind):
    assert parse_period(text) == Period(start, end, kind)


@pytest.mark.parametrize("text", ["", "27", "2027-Q5", "2027-13", "2027-00", "H1", " 2027", "2027-H1", "2027-6"])
def test_parse_period_refuses_what_the_format_does_not_know(text):
    assert parse_period(text) is None


@given(st.integers(1900, 2100), st.integers(1, 12))
def test_a_month_lies_in_its_quarter_and_its_year(year, month):
    m = parse_period(f"{year}-{month:02d}")
    q = parse_period(f"{year}-Q{(month - 1) // 3 + 1}")
    y = parse_period(str(year))
    assert m and q and y
    assert y.start <= q.start <= m.start <= m.end <= q.end <= y.end
    assert m.start in q and m.end in y and (m.end + dt.timedelta(days=1)) not in m


def test_latest_actual_compares_periods_not_strings():
    # As strings "2026-Q3" > "2026-12" > "2026": the quarter would win over the later month.
    plan = Plan(
        measures=[
            Measure(kpi="k", period="2026-12", actual=3.0),
            Measure(kpi="k", period="2026-Q3", actual=1.0),
            Measure(kpi="k", period="2026", actual=2.0),
        ]
    )
    assert latest_actual(plan, "k") == 3.0
    assert sorted(["2026-Q3", "2026-12", "2026"], key=period_key) == ["2026", "2026-Q3", "2026-12"]


def _plan(*measures: tuple[str, float | None]) -> Plan:
    return Plan(measures=[Measure(kpi="k", period=p, target=1.0, actual=a) for p, a in measures])


def test_an_annual_objective_is_judged_by_the_years_actual_not_the_last_quarters():
    plan = _plan(("2027-Q1", 500.0), ("2027-Q2", 600.0), ("2027", 2200.0), ("2027-Q3", 550.0))
    annual = Objective(id="o", kpi="k", baseline=1600.0, target=2400.0, deadline=D(2027, 12, 31))
    assert objective_actual(plan, annual) == 2200.0
    assert objective_progress(plan, annual) == pytest.approx(0.75)


def test_an_annual_objective_with_only_quarterly_actuals_so_far_is_unknown_not_zero():
    # The year's measure is there (its target) but not its actual: a quarter's 550 against an
    # annual 2,400 would read 0 %; the truth is "not known yet".
    plan = _plan(("2027-Q1", 500.0), ("2027-Q2", 600.0), ("2027", None))
    annual = Objective(id="o", kpi="k", baseline=1600.0, target=2400.0, deadline=D(2027, 12, 31))
    assert objective_measure(plan, annual) is None
    assert objective_progress(plan, annual) is None


def test_an_annual_objective_falls_back_on_last_years_actual():
    plan = _plan(("2026", 2000.0), ("2027-Q1", 500.0), ("2027", None))
    annual = Objective(id="o", kpi="k", baseline=1600.0, target=2400.0, deadline=D(2027, 12, 31))
    assert objective_actual(plan, annual) == 2000.0


def test_a_quarterly_objective_uses_the_latest_quarter_so_far():
    plan = _plan(("2026-Q3", 436.5), ("2026-Q4", None), ("2027-Q1", None), ("2027-Q2", None), ("2026-Q2", 402.5))
    objective = Objective(id="o", kpi="k", baseline=402.5, target=650.0, deadline=D(2027, 6, 30))
    assert objective_actual(plan, objective) == 436.5
    assert objective_progress(plan, objective) == pytest.approx((436.5 - 402.5) / (650 - 402.5))


def test_the_objectives_own_period_wins_when_measured():
    plan = _plan(("2027-05", 9.0), ("2027-06", 8.0), ("2027-Q2", 8.5), ("2027-07", 12.0))
    objective = Objective(id="o", kpi="k", baseline=0.0, target=10.0, deadline=D(2027, 6, 30))
    assert objective_actual(plan, objective) == 8.5  # the quarter, longest period holding the deadline


def test_measures_after_the_deadline_do_not_count():
    plan = _plan(("2026-10", 4.8), ("2027-01", 2.0))
    objective = Objective(id="o", kpi="k", baseline=6.2, target=3.0, deadline=D(2026, 12, 31))
    assert objective_actual(plan, objective) == 4.8
    assert objective_progress(plan, objective) == pytest.approx(0.4375)  # lower is better: 6.2 -> 3.0


def test_without_a_deadline_the_latest_actual_of_the_longest_kind():
    plan = _plan(("2027-Q1", 5.0), ("2027-05", 7.0), ("2027-Q2", 6.0))
    assert objective_actual(plan, Objective(id="o", kpi="k", target=10.0)) == 6.0


def test_no_kpi_no_measures_unknown_periods():
    plan = _plan(("June", 5.0))
    assert objective_measure(plan, Objective(id="o", kpi="", target=1.0)) is None
    assert objective_measure(plan, Objective(id="o", kpi="k", target=1.0)) is None
    assert objective_measure(Plan(), Objective(id="o", kpi="k", target=1.0)) is None


def test_the_same_period_twice_the_last_in_the_plan_counts():
    plan = _plan(("2027-Q1", 5.0), ("2027-Q1", 6.0))
    assert objective_actual(plan, Objective(id="o", kpi="k", target=10.0, deadline=D(2027, 3, 31))) == 6.0


# --- measures in period order -------------------------------------------------------------


def test_measure_index_keeps_each_kpis_measures_in_period_order():
    plan = Plan(
        measures=[
            Measure(kpi="a", period="2026-Q3"),
            Measure(kpi="b", period="2026-10"),
            Measure(kpi="a", period="2027-Q1"),
            Measure(kpi="b", period="2026-12"),
        ]
    )
    assert measure_index(plan, "a", "2026-Q4") == 2  # between a's Q3 and Q1
    assert measure_index(plan, "a", "2026-Q1") == 0
    assert measure_index(plan, "a", "2027-Q2") == 3  # after a's last one
    assert measure_index(plan, "b", "2026-11") == 3
    assert measure_index(plan, "b", "2027") == 4
    assert measure_index(plan, "c", "2027") == 4  # a KPI without measures: at the end


@given(st.lists(st.sampled_from(["2026", "2026-Q2", "2026-05", "2026-12", "2027-Q1", "2027", "2025-11"]), max_size=8))
def test_measures_added_by_measure_index_stay_in_period_order(periods):
    plan = Plan()
    for period in periods:
        plan.measures.insert(measure_index(plan, "k", period), Measure(kpi="k", period=period))
    keys = [period_key(m.period) for m in plan.measures]
    assert keys == sorted(keys)


# --- what must not be saved blank -----------------------------------------------------------


def test_problems_of_an_objective_without_a_title():
    assert problems_of("objectives", {"title": "  ", "kpi": "k"}) == ["title"]
    assert problems_of("objectives", {"title": "Grow", "kpi": ""}) == []
    assert problems_of("actions", {"title": ""}) == ["title"]
    assert problems_of("stakeholders", {"name": None}) == ["name"]
    assert problems_of("measures", {"kpi": "", "period": ""}) == ["kpi", "period"]
    assert problems_of("objectives", {"kpi": "k"}) == []  # a field the editor does not show
    assert problems_of("swot", {"x": ""}) == []


# --- kamtui new --period --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("2027", D(2027, 1, 1), D(2027, 12, 31)),
        ("2026-07..2027-06", D(2026, 7, 1), D(2027, 6, 30)),
        ("2027-02..2027-02", D(2027, 2, 1), D(2027, 2, 28)),
        (" 2028-01..2028-02 ", D(2028, 1, 1), D(2028, 2, 29)),
    ],
)
def test_plan_period(text, first, last):
    assert plan_period(text) == (first, last)


@pytest.mark.parametrize(
    "text, message",
    [
        ("next", "expected a year"),
        ("99999", "expected a year"),
        ("1800", "expected a year"),
        ("2026-07", "expected a year"),
        ("2026-07..2027-13", "expected a year"),
        ("2027-06..2026-07", "comes before"),
        ("2020-01..2027-01", "five years"),
    ],
)
def test_plan_period_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        plan_period(text)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("next", "expected"),
        ("2026-07..2027-13", "expected"),
        ("2027-06..2026-07", "order"),
        ("2020-01..2027-01", "long"),
    ],
)
def test_plan_period_says_why_by_kind(text, kind):
    """The new-plan dialog words its message in the user's language from the kind."""
    with pytest.raises(PlanPeriodError) as refused:
        plan_period(text)
    assert refused.value.kind == kind
