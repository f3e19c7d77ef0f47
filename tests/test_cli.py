"""The command line, run in-process: what the user sees on stdout/stderr, exit codes, files on disk."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import stat
import tomllib
from pathlib import Path

import pytest
from conftest import COMPLETE_PLAN, TODAY

import kamtui.cli
from kamtui.cli import main
from kamtui.store.planfile import PlanFile

CORE_IDS = (
    "know-client",
    "market-challenges",
    "priorities",
    "competition",
    "history",
    "ways-of-working",
    "performance",
)


@pytest.fixture(autouse=True)
def plain_help(monkeypatch):
    """Python 3.14's argparse colours help when FORCE_COLOR is set: keep it plain text."""
    monkeypatch.setenv("PYTHON_COLORS", "0")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``kamtui ARGV`` in-process: (exit code, stdout, stderr)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse: --help, usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    out, err = capsys.readouterr()
    return code, out, err


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based number of the first line equal to ``needle`` (stripped), after the line ``after``."""
    lines = text.split("\n")
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if line.strip() == after) + 1
    return next(i for i in range(start, len(lines)) if lines[i].strip() == needle) + 1


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- new -----------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_new_prints_path_creates_private_file_and_folder(capsys, tmp_path):
    folder = tmp_path / "plans"
    code, out, err = run(capsys, "new", "Distrib SA", "--period", "2027", "--lang", "fr", "--dir", folder)
    assert code == 0, err
    assert err == ""
    path = Path(out.strip())
    assert out == f"{folder / 'distrib-sa-2027.toml'}\n"
    assert path.is_file()
    assert mode(path) == 0o600
    assert mode(folder) == 0o700
    text = path.read_text("utf-8")
    assert "Distrib SA" in text.splitlines()[0]  # the header comment names the account
    data = tomllib.loads(text)
    assert data["schema"] == 1 and data["lang"] == "fr"
    assert data["account"]["name"] == "Distrib SA"
    assert data["account"]["period_start"] == dt.date(2027, 1, 1)
    assert data["account"]["period_end"] == dt.date(2027, 12, 31)
    reloaded = PlanFile.load(path)
    assert reloaded.plan.account.name == "Distrib SA"
    assert reloaded.plan.lang == "fr"
    # and the new plan passes check
    assert run(capsys, "check", path) == (0, "", "")


def test_new_slug_drops_accents_and_punctuation(capsys, tmp_path):
    code, out, err = run(capsys, "new", "  Épicerie & Co. ", "--period", "2028", "--dir", tmp_path)
    assert code == 0, err
    assert Path(out.strip()).name == "epicerie-co-2028.toml"


def test_new_existing_plan_exits_1_and_leaves_file_untouched(capsys, tmp_path):
    code, out, _ = run(capsys, "new", "Distrib SA", "--period", "2027", "--dir", tmp_path)
    assert code == 0
    path = Path(out.strip())
    path.write_text(path.read_text("utf-8") + "# my hand-written note\n", encoding="utf-8")
    before = path.read_bytes()
    before_mtime = path.stat().st_mtime_ns
    code, out, err = run(capsys, "new", "Distrib SA", "--period", "2027", "--dir", tmp_path)
    assert code == 1
    assert out == ""
    assert "already exists" in err
    assert str(path) in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == before_mtime


def test_new_without_dir_uses_the_plans_folder_of_kamtui_home(capsys, isolated_home):
    code, out, err = run(capsys, "new", "Acme", "--period", "2030")
    assert code == 0, err
    assert Path(out.strip()) == isolated_home / "plans" / "acme-2030.toml"
    assert Path(out.strip()).is_file()


# --- usage -------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, *kamtui.cli.COMMANDS])
def test_help_everywhere_exits_0(capsys, command):
    argv = ["--help"] if command is None else [command, "--help"]
    code, out, err = run(capsys, *argv)
    assert code == 0
    assert out.startswith("usage: kamtui")
    if command:
        assert f"kamtui {command}" in out
    assert err == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--bogus", "x.toml"],
        ["list", "--bogus"],
        ["new", "X", "--lang", "de"],
        ["new", "X", "--period", "next"],
        ["new"],
        ["check"],
        ["--bogus"],
    ],
)
def test_bad_usage_exits_2_with_usage_on_stderr(capsys, argv, tmp_path):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "usage: kamtui" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["new", "X", "--period", "99999"], "--period"),
        (["new", "   ", "--period", "2027"], "name is empty"),
    ],
)
def test_bad_values_for_new_exit_2(capsys, tmp_path, argv, message):
    code, out, err = run(capsys, *argv, "--dir", tmp_path)
    assert code == 2
    assert out == ""
    assert message in err
    assert list(tmp_path.iterdir()) == []


# --- check -------------------------------------------------------------------


def test_check_demo_is_silent(capsys, demo_file):
    before = demo_file.read_bytes()
    assert run(capsys, "check", demo_file) == (0, "", "")
    assert demo_file.read_bytes() == before


def _demo_expectations(text: str) -> tuple[set[str], set[str]]:
    data = tomllib.loads(text)
    answered = {
        qid
        for qid, entry in data.get("diagnostic", {}).items()
        if entry.get("status") == "answered" and entry.get("answer", "").strip()
    }
    unanswered = set(CORE_IDS) - answered
    overdue = {
        f"actions[{n}]"
        for n, a in enumerate(data["actions"], 1)
        if a.get("due") and a["due"] < TODAY and a.get("status", "todo") not in ("done", "dropped")
    }
    return unanswered, overdue


def test_check_strict_on_demo_lists_unanswered_and_overdue(capsys, demo_file):
    text = demo_file.read_text("utf-8")
    unanswered, overdue = _demo_expectations(text)
    assert unanswered, "the demo plan is meant to have unanswered questions"
    code, out, err = run(capsys, "check", "--strict", demo_file)
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    prefix = re.compile(re.escape(str(demo_file)) + r":(\d+): ")
    assert all(prefix.match(line) for line in lines), lines
    for qid in unanswered:
        assert any(f": diagnostic.{qid}: " in line and "not answered" in line for line in lines), qid
    for where in overdue:
        matching = [line for line in lines if f": {where}: overdue" in line]
        assert len(matching) == 1, where
    # the line of an overdue action is its due line; an answered question is never listed
    for line in lines:
        if ": actions[" in line:
            number = int(prefix.match(line).group(1))
            assert text.split("\n")[number - 1].startswith("due = ")
    assert not any("diagnostic.know-client" in line for line in lines)
    assert len(lines) == len(unanswered) + len(overdue)


def test_check_strict_on_a_complete_plan_is_silent(capsys, complete_file):
    assert run(capsys, "check", "--strict", complete_file) == (0, "", "")
    assert run(capsys, "check", complete_file) == (0, "", "")


BAD_PLANS = {
    "wrong-type": (
        '''\
schema = 1

[[actions]]
id = "a-aaaaaa"
title = "Ok"

[[actions]]
id = "a-bbbbbb"
title = "Negotiate"
notes = """
due = "this line is text, not the key"
"""
due = "next week"
status = "todo"
''',
        "actions[2].due",
        'expected a date like 2027-03-01, got "next week"',
        'due = "next week"',
    ),
    "unknown-status": (
        """\
schema = 1
lang = "en"

[diagnostic.history]
answer = "Long."
status = "maybe"
""",
        "diagnostic.history.status",
        "expected one of draft, answered, to-confirm",
        'status = "maybe"',
    ),
    "duplicate-id": (
        """\
schema = 1

[[competitors]]
id = "c-same11"
name = "A"

[[competitors]]
id = "c-other1"
name = "B"

[[competitors]]
name = "C"
id = "c-same11"
""",
        "competitors[3].id",
        'duplicate id "c-same11"',
        'id = "c-same11"',
        'name = "C"',
    ),
    "dangling-objective": (
        """\
schema = 1

[[objectives]]
id = "o-aaaaaa"
title = "Share"

[[actions]]
id = "a-aaaaaa"
title = "Negotiate"
objective = "o-nowhere"
""",
        "actions[1].objective",
        "o-nowhere",
        'objective = "o-nowhere"',
    ),
    "dangling-kpi": (
        """\
schema = 1

[[kpis]]
id = "k-share"
name = "Share"

[[measures]]
kpi = "k-share"
period = "2027"

[[measures]]
kpi = "k-missing"
period = "2027-Q2"
""",
        "measures[2].kpi",
        "k-missing",
        'kpi = "k-missing"',
    ),
    "dangling-reports-to": (
        """\
schema = 1

[[stakeholders]]
id = "s-aaaaaa"
name = "Claire"
reports_to = ""

[[stakeholders]]
id = "s-bbbbbb"
name = "Thomas"
reports_to = "s-ghost1"
""",
        "stakeholders[2].reports_to",
        "s-ghost1",
        'reports_to = "s-ghost1"',
    ),
    "bad-period": (
        """\
schema = 1

[[kpis]]
id = "k-share"

[[measures]]
kpi = "k-share"
period = "June"
""",
        "measures[1].period",
        "expected a period",
        'period = "June"',
    ),
    "team-member": (
        """\
schema = 1

[account]
name = "X"

[[account.team]]
name = "A"

[[account.team]]
name = 5
""",
        "account.team[2].name",
        "expected text, got 5",
        "name = 5",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PLANS))
def test_check_reports_the_real_line_path_and_expectation(capsys, tmp_path, case):
    text, where, message, bad_line, *after = BAD_PLANS[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    code, out, err = run(capsys, "check", path)
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    line = line_of(text, bad_line, *after)
    assert lines[0].startswith(f"{path}:{line}: {where}: "), (lines[0], line)
    assert message in lines[0]
    assert path.read_bytes() == before


def test_check_invalid_toml_gives_line_and_column(capsys, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('schema = 1\n\n[account]\nname = "Distrib SA\n', encoding="utf-8")
    code, out, err = run(capsys, "check", path)
    assert code == 1
    assert re.fullmatch(re.escape(str(path)) + r":4:\d+: invalid TOML: .+\n", err), err
    assert "Traceback" not in err


def test_check_not_a_plan(capsys, tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n', encoding="utf-8")
    code, out, err = run(capsys, "check", path)
    assert code == 1
    assert err == f"{path}:1: not a kamtui plan (no schema = 1 line)\n"


def test_check_several_files_reports_each_failing_one(capsys, tmp_path, demo_file):
    a = tmp_path / "a.toml"
    a.write_text(BAD_PLANS["wrong-type"][0], encoding="utf-8")
    b = tmp_path / "b.toml"
    b.write_text(BAD_PLANS["dangling-kpi"][0], encoding="utf-8")
    c = tmp_path / "c.toml"
    c.write_text("schema = 1\nlang = \n", encoding="utf-8")
    missing = tmp_path / "missing.toml"
    code, out, err = run(capsys, "check", a, demo_file, b, c, missing)
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    for path in (a, b, c):
        assert sum(line.startswith(f"{path}:") for line in lines) == 1, (path, lines)
    assert any(line.startswith(f"{missing}:") and "no such file" in line for line in lines)
    assert not any(line.startswith(f"{demo_file}:") for line in lines)
    assert len(lines) == 4


def test_check_strict_also_fails_on_dangling_ids(capsys, tmp_path, complete_text):
    path = tmp_path / "p.toml"
    text = complete_text.replace('objective = "o-share1"\ndue = 2099', 'objective = "o-gone11"\ndue = 2099')
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "check", "--strict", path)
    assert code == 1
    line = line_of(text, 'objective = "o-gone11"')
    assert err == f"{path}:{line}: actions[2].objective: no objective with id 'o-gone11'\n"


def test_check_never_prints_terminal_escapes(capsys, tmp_path):
    path = tmp_path / "esc.toml"
    path.write_text('schema = 1\n\n[[actions]]\nid = "a-1"\ndue = "\\u001b[31mred"\n', encoding="utf-8")
    code, _, err = run(capsys, "check", path)
    assert code == 1
    assert "\x1b" not in err
    assert f"{path}:5: actions[1].due:" in err


# --- list --------------------------------------------------------------------


def _table(out: str) -> list[list[str]]:
    return [re.split(r"\s{2,}", line.strip()) for line in out.strip().splitlines()]


@pytest.fixture
def plans_dir(tmp_path, demo_file, complete_text) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    demo_file.rename(folder / "distrib.toml")
    (folder / "complete.toml").write_text(complete_text, encoding="utf-8")
    return folder


def test_list_prints_one_row_per_plan(capsys, plans_dir):
    demo_unanswered, demo_overdue = _demo_expectations((plans_dir / "distrib.toml").read_text("utf-8"))
    code, out, err = run(capsys, "list", "--dir", plans_dir)
    assert code == 0, err
    assert err == ""
    rows = _table(out)
    assert rows[0] == ["account", "period", "complete", "unanswered", "overdue", "path"]
    by_path = {row[-1]: row for row in rows[1:]}
    assert set(by_path) == {str(plans_dir / "complete.toml"), str(plans_dir / "distrib.toml")}
    assert by_path[str(plans_dir / "complete.toml")][:5] == ["Complete SA", "2099", "100 %", "0", "0"]
    demo = by_path[str(plans_dir / "distrib.toml")]
    assert demo[:2] == ["Distrib SA", "2026-2027"]
    assert re.fullmatch(r"\d{1,2} %", demo[2]) and demo[2] != "0 %"
    assert demo[3:5] == [str(len(demo_unanswered)), str(len(demo_overdue))]


def test_list_json_gives_the_same_data(capsys, plans_dir):
    _, table_out, _ = run(capsys, "list", "--dir", plans_dir)
    code, out, err = run(capsys, "list", "--dir", plans_dir, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    rows = {row[-1]: row for row in _table(table_out)[1:]}
    for entry in data:
        row = rows[entry["path"]]
        assert [
            entry["account"],
            entry["period"],
            f"{entry['completeness']} %",
            str(entry["unanswered"]),
            str(entry["overdue"]),
        ] == row[:5]
        assert entry["error"] == ""
        assert isinstance(entry["completeness"], int) and isinstance(entry["unanswered"], int)


def test_list_empty_folder(capsys, tmp_path):
    code, out, err = run(capsys, "list", "--dir", tmp_path)
    assert code == 0
    assert out == ""
    assert f"no plans in {tmp_path}" in err
    code, out, _ = run(capsys, "list", "--dir", tmp_path, "--json")
    assert json.loads(out) == []


def test_list_shows_a_broken_plan_and_says_why(capsys, plans_dir):
    broken = plans_dir / "broken.toml"
    broken.write_text('schema = 1\n[account]\nname = "X\n', encoding="utf-8")
    code, out, err = run(capsys, "list", "--dir", plans_dir)
    rows = {row[-1]: row for row in _table(out)[1:]}
    assert rows[str(broken)][0] == "(unreadable)"
    assert re.search(re.escape(str(broken)) + r":3:\d+: invalid TOML", err), err
    assert "Traceback" not in err


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The names of the plan files that ``kamtui list`` parses, in order (plan_of_bytes, counted)."""
    from kamtui.store import portfolio

    seen: list[str] = []
    real = portfolio.plan_of_bytes

    def counting(data, name):
        seen.append(Path(name).name)
        return real(data, name)

    monkeypatch.setattr(portfolio, "plan_of_bytes", counting)
    return seen


def _rows(out: str) -> dict[str, list[str]]:
    return {row[-1]: row for row in _table(out)[1:]}


def test_list_cache_parses_only_new_and_changed_plans(capsys, plans_dir, isolated_home, parses):
    shutil.copyfile(plans_dir / "complete.toml", plans_dir / "copy.toml")
    names = ["complete.toml", "copy.toml", "distrib.toml"]
    first = run(capsys, "list", "--dir", plans_dir)
    assert first[0] == 0, first[2]
    assert sorted(_rows(first[1])) == [str(plans_dir / n) for n in names]
    assert sorted(parses) == names
    assert any((isolated_home / "state").iterdir()), "the cache is written to the state folder"

    parses.clear()
    assert run(capsys, "list", "--dir", plans_dir) == first
    assert parses == [], "nothing changed: every summary comes from the cache"

    # SPEC §9.6: a change of the same size with the mtime put back is still seen. Closing the
    # first overdue "todo" action ("todo" -> "done") keeps the size.
    path = plans_dir / "distrib.toml"
    overdue_before = int(_rows(first[1])[str(path)][4])
    assert overdue_before > 0
    st = path.stat()
    text = path.read_text("utf-8")
    first_overdue = next(a for a in tomllib.loads(text)["actions"] if a["due"] < TODAY and a["status"] == "todo")
    marker = f'id = "{first_overdue["id"]}"'
    head, tail = text.split(marker, 1)
    path.write_text(head + marker + tail.replace('status = "todo"', 'status = "done"', 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    parses.clear()
    code, out, _ = run(capsys, "list", "--dir", plans_dir)
    assert parses == ["distrib.toml"]
    assert int(_rows(out)[str(path)][4]) == overdue_before - 1
    assert {k: v for k, v in _rows(out).items() if k != str(path)} == {
        k: v for k, v in _rows(first[1]).items() if k != str(path)
    }

    parses.clear()
    (plans_dir / "new.toml").write_text(COMPLETE_PLAN.replace("Complete SA", "New SA"), encoding="utf-8")
    _, out, _ = run(capsys, "list", "--dir", plans_dir)
    assert parses == ["new.toml"]
    assert _rows(out)[str(plans_dir / "new.toml")][0] == "New SA"
    assert len(_rows(out)) == 4

    parses.clear()
    (plans_dir / "copy.toml").unlink()
    _, out, _ = run(capsys, "list", "--dir", plans_dir)
    assert parses == []
    assert sorted(_rows(out)) == [str(plans_dir / n) for n in ("complete.toml", "distrib.toml", "new.toml")]


def test_list_cache_sees_a_change_of_content_after_mtime_change(capsys, plans_dir, parses):
    run(capsys, "list", "--dir", plans_dir)
    path = plans_dir / "complete.toml"
    path.write_text(path.read_text("utf-8").replace('name = "Complete SA"', 'name = "Changed SA"'), "utf-8")
    parses.clear()
    _, out, _ = run(capsys, "list", "--dir", plans_dir)
    assert parses == ["complete.toml"]
    assert _rows(out)[str(path)][0] == "Changed SA"


def test_list_cache_rereads_a_same_size_change_with_a_new_mtime(capsys, plans_dir, parses):
    run(capsys, "list", "--dir", plans_dir)
    path = plans_dir / "complete.toml"
    st = path.stat()
    path.write_text(path.read_text("utf-8").replace('name = "Complete SA"', 'name = "Complete SB"'), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    parses.clear()
    _, out, _ = run(capsys, "list", "--dir", plans_dir)
    assert parses == ["complete.toml"]
    assert _rows(out)[str(path)][0] == "Complete SB"


# --- control characters from plans and file names (SPEC §9.9) -------------------------------

HOSTILE_NAME = "Acme\x1b]0;pwned\x1b\\\x9b2J"  # an OSC 0 window title, then the 8-bit CSI


def _raw_controls(text: str) -> list[str]:
    """Control characters that would reach the terminal (newlines ending lines excepted)."""
    return [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F]


def _hostile_plan(folder: Path, file_name: str = "acme\x1b]0;pwned\x1b\\.toml") -> Path:
    path = folder / file_name
    path.write_text(
        'schema = 1\n\n[account]\nname = "Acme\\u001b]0;pwned\\u001b\\\\\\u009b2J"\n'
        "period_start = 2099-01-01\nperiod_end = 2099-12-31\n"
        'summary = """\nTwo lines,\n\ttabbed: fine.\\u0007"""\n\n'
        '[swot]\nthreats = ["ok", "bell\\u0007"]\n\n'
        '[[actions]]\nid = "a-1"\ntitle = "\\u202eevil"\ndue = 2099-01-01\n',
        encoding="utf-8",
    )
    return path


def test_list_shows_controls_in_names_and_paths_as_pictures(capsys, tmp_path):
    path = _hostile_plan(tmp_path)
    code, out, err = run(capsys, "list", "--dir", tmp_path)
    assert code == 0, err
    assert _raw_controls(out + err) == []
    header, row = _table(out)
    assert row[:2] == ["Acme␛]0;pwned␛\\\\x9b2J", "2099"]
    assert row[-1] == str(path).replace("\x1b", "␛")
    assert out.splitlines()[1].index("2099") == out.splitlines()[0].index("period")  # columns aligned


def test_list_json_escapes_c1_and_keeps_the_exact_text(capsys, tmp_path):
    path = _hostile_plan(tmp_path)
    code, out, err = run(capsys, "list", "--dir", tmp_path, "--json")
    assert code == 0, err
    assert _raw_controls(out) == []
    assert "\\u009b" in out and "\\u001b" in out  # json.dumps alone leaves U+009B raw
    (entry,) = json.loads(out)
    assert entry["account"] == HOSTILE_NAME
    assert entry["path"] == str(path)


def test_check_strict_lists_the_fields_holding_control_characters(capsys, tmp_path):
    path = _hostile_plan(tmp_path)
    code, _, err = run(capsys, "check", "--strict", path)
    assert code == 1
    assert _raw_controls(err) == []
    name = str(path).replace("\x1b", "\\x1b")  # messages: \x1b-style escapes, exact and ASCII
    lines = path.read_text("utf-8").split("\n")
    at = {key: next(n for n, line in enumerate(lines, 1) if line.startswith(key)) for key in ("name", "summary")}
    at.update(
        threats=lines.index('threats = ["ok", "bell\\u0007"]') + 1, title=lines.index('title = "\\u202eevil"') + 1
    )
    assert f"{name}:{at['name']}: account.name: holds control characters (ESC, CSI)\n" in err
    assert f"{name}:{at['summary']}: account.summary: holds control characters (BEL)\n" in err  # not LF, HT
    assert f"{name}:{at['threats']}: swot.threats[2]: holds control characters (BEL)\n" in err
    assert f"{name}:{at['title']}: actions[1].title: holds control characters (RLO)\n" in err
    code, _, err = run(capsys, "check", path)
    assert (code, err) == (0, "")  # only --strict counts them


def test_check_quotes_values_and_file_names_with_escapes(capsys, tmp_path):
    path = tmp_path / "bad\x9b.toml"
    path.write_text('schema = "\\u001b]52;c;cHduZWQ=\\u001b\\\\"\n', encoding="utf-8")
    code, _, err = run(capsys, "check", path)
    assert code == 1
    assert _raw_controls(err) == []
    assert "bad\\x9b.toml:1: not a kamtui plan" in err
    assert '"\\x1b]52;c;cHduZWQ=\\x1b\\\\"' in err


def test_new_prints_a_path_with_controls_as_pictures(capsys, tmp_path):
    folder = tmp_path / "plans\x1b[2J"
    code, out, err = run(capsys, "new", "Acme", "--period", "2027", "--dir", folder)
    assert code == 0, err
    assert _raw_controls(out) == []
    assert out == str(folder / "acme-2027.toml").replace("\x1b", "␛") + "\n"
    assert (folder / "acme-2027.toml").exists()


# --- one parser: global options before or after the command -----------------------------------


def test_help_lists_the_global_options(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "--lang {fr,en}" in out and "--dir DIR" in out
    assert "before or after the command" in out
    for command in ("open", "new", "demo", "list", "check", "export", "portfolio", "diff", "git-setup"):
        assert f"    {command}" in out


def test_only_the_command_run_gets_its_subparser():
    """Start-up builds the parser of the command given alone (all of them took 5-8 ms); the same
    command line parses to the same arguments either way."""
    from kamtui.cli import _command_of, _parser, _with_command

    def subcommands(parser):
        return set(parser._subparsers._group_actions[0].choices)

    assert subcommands(_parser()) == set(kamtui.cli.COMMANDS)
    for argv in (
        ["demo"],
        ["--lang", "fr", "x.toml"],
        ["--dir", "d", "new", "Acme", "--period", "2027"],
        ["--", "list"],
    ):
        argv = _with_command(argv)
        command = _command_of(argv)
        assert subcommands(_parser(command)) == {command}
        assert _parser(command).parse_args(argv) == _parser().parse_args(argv)
    assert _command_of(["--lang", "fr"]) is None and _command_of(["--help"]) is None


@pytest.fixture
def opened(monkeypatch):
    """What kamtui would open the app on, instead of opening it: [(path, lang, folder)]."""
    import kamtui.cli

    calls: list[tuple] = []
    monkeypatch.setattr(
        kamtui.cli, "_run_tui", lambda path, lang, folder, config=None: calls.append((path, lang, folder)) or 0
    )
    return calls


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--lang", "fr", "plan.toml"], (Path("plan.toml"), "fr", None)),
        (["plan.toml", "--lang", "fr"], (Path("plan.toml"), "fr", None)),
        (["--lang=en", "open", "plan.toml"], (Path("plan.toml"), "en", None)),
        (["open", "plan.toml", "--lang", "fr"], (Path("plan.toml"), "fr", None)),
        (["--dir", "d", "--lang", "fr"], (None, "fr", Path("d"))),
        (["--lang", "fr"], (None, "fr", None)),
        ([], (None, None, None)),
        (["--", "list"], (Path("list"), None, None)),  # a file named like a command
        (["--dir", "list", "plan.toml"], (Path("plan.toml"), None, Path("list"))),
    ],
)
def test_global_options_before_or_after_the_file(capsys, opened, argv, expected):
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert opened == [expected]


def test_dir_before_or_after_list(capsys, plans_dir):
    after = run(capsys, "list", "--dir", plans_dir)
    before = run(capsys, "--dir", plans_dir, "list")
    assert after[0] == 0 and "Distrib SA" in after[1]
    assert before == after


def test_global_options_before_new(capsys, tmp_path):
    code, out, err = run(capsys, "--lang", "fr", "--dir", tmp_path, "new", "Acme", "--period", "2027")
    assert code == 0, err
    assert Path(out.strip()) == tmp_path / "acme-2027.toml"
    assert tomllib.loads(Path(out.strip()).read_text("utf-8"))["lang"] == "fr"


def test_global_lang_reaches_portfolio(capsys, plans_dir):
    _, english, _ = run(capsys, "portfolio", "--dir", plans_dir, "--lang", "en")
    code, french, err = run(capsys, "--lang", "fr", "portfolio", "--dir", plans_dir)
    assert code == 0, err
    assert french != english


def test_git_setup_takes_the_global_dir(capsys, tmp_path):
    code, _, err = run(capsys, "--dir", tmp_path, "git-setup")
    assert code == 2 and "not in a git repository" in err and str(tmp_path) in err


@pytest.mark.parametrize("argv", [["--lang"], ["--lang", "de", "list"], ["list", "--dir"], ["nothing.toml", "--bogus"]])
def test_bad_global_options_exit_2_without_traceback(capsys, opened, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and "usage: kamtui" in err and "Traceback" not in err
    assert opened == []


# --- new --period: a year, or a first and last month ----------------------------------------------


def test_new_with_months_writes_the_period_and_a_french_header(capsys, tmp_path):
    code, out, err = run(capsys, "new", "Distrib SA", "--period", "2026-07..2027-06", "--lang", "fr", "--dir", tmp_path)
    assert code == 0, err
    path = Path(out.strip())
    assert path.name == "distrib-sa-2026-2027.toml"
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == "# Plan d’affaires du compte — Distrib SA — 2026-2027"
    account = tomllib.loads(text)["account"]
    assert (account["period_start"], account["period_end"]) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    assert run(capsys, "check", path) == (0, "", "")


def test_new_in_english_has_an_english_header(capsys, tmp_path):
    code, out, _ = run(capsys, "new", "Acme", "--period", "2027", "--lang", "en", "--dir", tmp_path)
    assert code == 0
    assert Path(out.strip()).read_text("utf-8").splitlines()[0] == "# Account Business Plan — Acme — 2027"


@pytest.mark.parametrize("period", ["2027-06..2026-07", "2026-07..2027-13", "2026-07", "2026..2027"])
def test_new_with_bad_months_is_a_usage_error(capsys, tmp_path, period):
    code, out, err = run(capsys, "new", "Acme", "--period", period, "--dir", tmp_path)
    assert code == 2 and out == ""
    assert "--period" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
