"""The manager's roll-up (``kamtui portfolio``) over a folder of generated plans, one broken:
per-plan figures and totals checked against sums made by hand, the broken plan listed with its
error, the cache (keyed by path and content hash) used when nothing changed and not fooled by an
edit of the same size with the mtime put back, and every output format."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
from conftest import TODAY

from kamtui.model.questions import load_bank
from kamtui.report import rollup as ru
from kamtui.report.export import render
from kamtui.reportcli import main
from kamtui.store import locations

BANK = load_bank()
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plan_text(
    name: str,
    actions: list[tuple[float | None, str, str, str]],
    objectives: list[str] = (),
    answered: int = 0,
    currency: str = "EUR",
    kam: str = "Kim",
) -> str:
    """A plan: ``actions`` as (investment, client commitment, status, due), ``objectives`` as
    statuses, the first ``answered`` core questions answered."""
    lines = [
        "schema = 1",
        'lang = "en"',
        "",
        "[account]",
        f"name = {json.dumps(name)}",
        f'currency = "{currency}"',
        "period_start = 2027-01-01",
        "period_end = 2027-12-31",
        f"kam = {json.dumps(kam)}",
    ]
    for qid in [q.id for q in BANK][:answered]:
        lines += ["", f"[diagnostic.{qid}]", 'answer = "Known."', 'status = "answered"']
    for i, status in enumerate(objectives):
        lines += ["", "[[objectives]]", f'id = "o-{i:06d}"', f'title = "Objective {i}"', f'status = "{status}"']
    for i, (investment, commitment, status, due) in enumerate(actions):
        lines += ["", "[[actions]]", f'id = "a-{i:06d}"', f'title = "Action {i}"', f'status = "{status}"']
        if due:
            lines.append(f"due = {due}")
        if investment is not None:
            lines.append(f"investment = {investment}")
        if commitment:
            lines.append(f"client_commitment = {json.dumps(commitment)}")
    return "\n".join(lines) + "\n"


# today is 2026-11-29: "2026-11-28" is overdue, "2026-11-29" is due today (not overdue)
PLANS = {
    "alpha.toml": plan_text(
        "Alpha SA",
        [
            (10000.0, "Shelf space", "todo", "2026-11-28"),  # matched, overdue
            (5000.0, "", "doing", "2026-12-15"),  # not matched
            (2500.0, "Data", "done", "2026-01-01"),  # done: counted, never late
            (99999.0, "Whatever", "dropped", "2026-01-01"),  # dropped: not counted
        ],
        ["on-track", "at-risk", "at-risk", "achieved"],
        answered=7,
    ),
    "beta.toml": plan_text(
        "Beta SAS",
        [(40000.0, "Two promotions", "blocked", "2026-10-01"), (None, "", "todo", "2026-11-29")],
        ["off-track"],
        answered=3,
    ),
    "gamma.toml": plan_text("Gamma GmbH", [(1234.5, "", "todo", None)], [], answered=0, kam="Jo"),
    "delta.toml": plan_text("Delta Inc", [(7000.0, "Listing", "todo", "2026-06-01")], ["on-track"], 5, "USD"),
    "broken.toml": "schema = 1\n[account\nname = 'x'\n",
}


@pytest.fixture
def folder(tmp_path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name, text in PLANS.items():
        (plans / name).write_text(text, "utf-8")
    (plans / ".hidden.toml").write_text("not a plan", "utf-8")  # hidden files are not plans
    (plans / "notes.txt").write_text("not a plan", "utf-8")
    return plans


def test_figures_and_totals_by_hand(folder):
    r = ru.rollup(folder, BANK, TODAY)
    by_name = {Path(p.path).name: p for p in r.plans}
    assert set(by_name) == set(PLANS)
    alpha, beta, gamma, delta = (by_name[n] for n in ("alpha.toml", "beta.toml", "gamma.toml", "delta.toml"))
    assert (alpha.investment, alpha.matched) == (17500.0, 12500.0)  # 10000 + 5000 + 2500; 10000 + 2500
    assert (beta.investment, beta.matched) == (40000.0, 40000.0)
    assert (gamma.investment, gamma.matched) == (1234.5, 0.0)
    assert (delta.investment, delta.matched, delta.currency) == (7000.0, 7000.0, "USD")
    assert [p.overdue(TODAY) for p in (alpha, beta, gamma, delta)] == [1, 1, 0, 1]
    assert [p.unanswered for p in (alpha, beta, gamma, delta)] == [0, 4, 7, 2]
    assert alpha.objectives["on-track"] == 1 and alpha.objectives["at-risk"] == 2 and alpha.objectives["achieved"] == 1
    assert beta.objectives["off-track"] == 1
    assert alpha.kam == "Kim" and alpha.period == "2027" and gamma.kam == "Jo"
    # largest investment first (whatever the currency), the unreadable file last
    assert [Path(p.path).name for p in r.plans] == [
        "beta.toml",
        "alpha.toml",
        "delta.toml",
        "gamma.toml",
        "broken.toml",
    ]
    t = r.totals
    assert (t.plans, t.failed) == (4, 1)
    assert t.investment == {"EUR": 17500.0 + 40000.0 + 1234.5, "USD": 7000.0}
    assert t.matched == {"EUR": 12500.0 + 40000.0, "USD": 7000.0}
    assert t.unanswered == 0 + 4 + 7 + 2
    assert t.objectives == {"on-track": 2, "at-risk": 2, "off-track": 1}
    assert t.overdue == 3
    assert t.completeness == round(sum(p.completeness for p in (alpha, beta, gamma, delta)) / 4)


def test_the_broken_plan_is_listed_with_its_error(folder):
    r = ru.rollup(folder, BANK, TODAY)
    broken = r.plans[-1]
    assert not broken.readable
    assert broken.error.startswith(f"{folder / 'broken.toml'}:2:")
    assert r.errors == [broken.error]
    for fmt in ("md", "html"):
        out = render(ru.rollup_document(r), fmt)
        assert "broken.toml" in out and "Plans that could not be read" in out
    assert "(unreadable)" in ru.rollup_text(r)


def test_a_plan_with_problems_keeps_its_figures_and_says_what_is_wrong(folder):
    (folder / "gamma.toml").write_text(PLANS["gamma.toml"].replace("period_end = 2027-12-31", 'period_end = "soon"'))
    gamma = next(p for p in ru.rollup(folder, BANK, TODAY).plans if p.path.endswith("gamma.toml"))
    assert gamma.readable and gamma.investment == 1234.5
    assert re.match(rf"{re.escape(str(folder / 'gamma.toml'))}:\d+: account.period_end: expected a date", gamma.error)


def test_json_output_parses_and_holds_the_same_figures(folder, capsys):
    code = main(["portfolio", "--dir", str(folder), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1  # a plan could not be read
    assert "broken.toml:2:" in err
    data = json.loads(out)
    assert [Path(p["path"]).name for p in data["plans"]][0] == "beta.toml"
    assert data["totals"]["investment"] == {"EUR": 58734.5, "USD": 7000.0}
    assert data["plans"][1]["matched_share"] == pytest.approx(12500 / 17500)
    assert data["plans"][1]["overdue"] == 1
    assert data["plans"][-1]["readable"] is False and data["plans"][-1]["error"]


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_format_to_a_private_file(folder, tmp_path, capsys, fmt):
    out = tmp_path / f"rollup.{fmt}"
    code = main(["portfolio", "--dir", str(folder), "--format", fmt, "-o", str(out)])
    assert code == 1
    assert capsys.readouterr().out == ""
    text = out.read_text("utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    for account in ("Alpha SA", "Beta SAS", "Gamma GmbH", "Delta Inc"):
        assert account in text
    assert "7,000" in text and "58,734.5" in text  # USD and EUR totals, apart


def test_text_output_sends_no_control_character(folder, capsys):
    (folder / "evil.toml").write_text(
        plan_text("Evil \x1b]0;pwned\x07 \x9b SA", [])
        .replace("\x1b", "\\u001b")
        .replace("\x07", "\\u0007")
        .replace("\x9b", "\\u009b")
    )
    for fmt in ("text", "json", "md", "html"):
        main(["portfolio", "--dir", str(folder), "--format", fmt])
        out, err = capsys.readouterr()
        assert not CONTROLS.search(out + err), fmt
        if fmt == "json":
            assert any(p["account"] == "Evil \x1b]0;pwned\x07 \x9b SA" for p in json.loads(out)["plans"])
        else:
            assert "Evil ␛]0;pwned␇" in out.replace("\\]", "]")


def test_no_plans_and_a_missing_folder(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["portfolio", "--dir", str(empty)]) == 0
    assert "no plans in" in capsys.readouterr().err
    assert main(["portfolio", "--dir", str(tmp_path / "missing")]) == 2


# --- the cache -----------------------------------------------------------------------------


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The plans parsed (not taken from the cache), by file name."""
    seen: list[str] = []
    real = ru._read

    def counting(path, data, bank):
        seen.append(Path(path).name)
        return real(path, data, bank)

    monkeypatch.setattr(ru, "_read", counting)
    return seen


def test_the_cache_is_used_when_nothing_changed(folder, reads):
    first = ru.rollup(folder, BANK, TODAY)
    assert sorted(reads) == sorted(PLANS)
    reads.clear()
    second = ru.rollup(folder, BANK, TODAY)
    assert reads == []  # the broken one too: the same bytes give the same error
    assert second.as_json() == first.as_json()
    cache = locations.state_dir() / ru.CACHE_NAME
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700


def test_overdue_counts_follow_the_day_with_the_cache(folder):
    import datetime as dt

    ru.rollup(folder, BANK, TODAY)
    later = ru.rollup(folder, BANK, dt.date(2026, 12, 16))  # from the cache
    by_name = {Path(p.path).name: p for p in later.plans}
    assert by_name["alpha.toml"].overdue(dt.date(2026, 12, 16)) == 2  # the 2026-12-15 action too
    assert by_name["beta.toml"].overdue(dt.date(2026, 12, 16)) == 2  # and the one due 2026-11-29


def test_an_edit_of_the_same_size_with_the_mtime_put_back_is_seen(folder, reads):
    ru.rollup(folder, BANK, TODAY)
    path = folder / "alpha.toml"
    st = path.stat()
    text = path.read_text("utf-8")
    edited = text.replace("investment = 10000.0", "investment = 90000.0")
    assert len(edited) == len(text)
    path.write_text(edited, "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    reads.clear()
    r = ru.rollup(folder, BANK, TODAY)
    assert reads == ["alpha.toml"]
    alpha = next(p for p in r.plans if p.path.endswith("alpha.toml"))
    assert alpha.investment == 97500.0


def test_a_damaged_cache_is_rebuilt(folder, reads):
    cache = locations.state_dir() / ru.CACHE_NAME
    cache.parent.mkdir(parents=True, exist_ok=True)
    for damaged in ("{not json", '{"version": 1, "questions": "x", "plans": []}', "[]"):
        cache.write_text(damaged, "utf-8")
        reads.clear()
        assert ru.rollup(folder, BANK, TODAY).totals.plans == 4
        assert len(reads) == len(PLANS)
    entries = json.loads(cache.read_text("utf-8"))
    key = next(iter(entries["plans"]))
    entries["plans"][key]["figures"] = {"path": 3, "unknown": True}  # an entry of another shape
    cache.write_text(json.dumps(entries), "utf-8")
    reads.clear()
    assert ru.rollup(folder, BANK, TODAY).totals.plans == 4
    assert len(reads) == 1  # that plan only
