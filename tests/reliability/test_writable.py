"""SPEC §9.10, issue 8 item 3: what can be read can be written. A file that ``kamtui check``
accepts (and the app opens) can always be saved after an edit: the loader refuses, with one
``file:line:`` line, what tomlkit or kamtui's writer cannot write.

The proof is generated: plan-shaped files in every layout TOML allows for the plan's sections
(tables, inline tables, dotted keys, split or out-of-order tables), with unknown content of
every kind (nesting around tomlkit's limit of 100, dates and times, huge integers, nan, control
characters, odd keys), CRLF line ends or a byte order mark; and each valid file of the
toml-test corpus inside a plan. Each is either refused when read, or edited, saved and read
back with the edit and its unknown content intact.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kamtui.cli import main
from kamtui.model import ops
from kamtui.model.convert import to_data
from kamtui.store.planfile import PlanFile
from kamtui.store.tomlio import LoadError
from kamtui.store.writable import MAX_DEPTH

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "toml-test" / "tests"
KNOWN_TOP = {"schema", "lang", "account", "diagnostic", "swot", "gaps", "actions"}
ACCOUNT_FIELDS = {"name", "sector", "summary", "team"}
ANSWER_FIELDS = {"answer", "status", "updated"}
ACTION_FIELDS = {"id", "title", "status", "due", "investment"}


# --- the files ---------------------------------------------------------------------------------


def deep_array(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_inline(depth: int) -> str:
    return "{a = " * (depth - 1) + "{}" + "}" * (depth - 1)


def dotted(parts: int) -> str:
    return ".".join(f"k{n}" for n in range(parts))


# Unknown content: (kind, depth or size) -> the key = value line(s).
EXTRA_KINDS = ["array", "inline", "dotted", "datetime", "time", "bigint", "nan", "controls", "oddkeys", "mixed"]


def extra_line(kind: str, n: int, tag: int) -> str:
    key = f"x{tag}"
    if kind == "array":
        return f"{key} = {deep_array(n)}"
    if kind == "inline":
        return f"{key} = {deep_inline(n)}"
    if kind == "dotted":
        return f"{key}.{dotted(n - 1)} = 1" if n > 1 else f"{key} = 1"
    if kind == "datetime":
        return f"{key} = [1979-05-27T07:32:00.999999-07:00, 1979-05-27 07:32:00Z, 1979-05-27T00:32:00]"
    if kind == "time":
        return f"{key} = 00:32:00.999999999"
    if kind == "bigint":
        return f"{key} = {'9' * n}"
    if kind == "nan":
        return f"{key} = [nan, +inf, -inf, -0.0, 5e-324]"
    if kind == "controls":
        return f'{key} = "a\\u001b]0;x\\u001b\\\\ \\u009b \\u0000 \\r"'
    if kind == "oddkeys":
        return f'"{key}.a\\"b\\u001b" = 1\n\'{key}"\' = 2\n" {key} " = 3'
    # "mixed": arrays of inline tables with dotted keys, nested to about n levels in all
    half = max(1, n // 3)
    return f"{key} = " + ("[{" + dotted(2) + " = ") * half + "1" + "}]" * half


def weighted(good: list[Any], bad: list[Any]) -> st.SearchStrategy[Any]:
    """Mostly one of ``good``, sometimes one of ``bad``."""
    return st.sampled_from(good * 12 + bad)


@st.composite
def layouts(draw: Any) -> dict[str, Any]:
    extras = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["top", "account", "answer", "action", "swot", "table", "aot"]),
                st.sampled_from(EXTRA_KINDS),
                weighted([1, 2, 50, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH], [MAX_DEPTH + 1, MAX_DEPTH + 2]),
            ),
            max_size=3,
        )
    )
    # Mostly layouts the writer handles, so that most files are saved, not refused.
    return {
        "account": draw(weighted(["table", "only-sub"], ["inline", "dotted", "sub-first", "split"])),
        "team": draw(weighted(["aot", "none"], ["inline", "late"])),
        "diagnostic": draw(weighted(["tables", "explicit"], ["inline", "dotted", "split", "top-inline"])),
        "swot": draw(weighted(["table", "sub"], ["inline", "dotted"])),
        "actions": draw(weighted(["aot", "interleaved", "sub-table"], ["inline"])),
        "gaps": draw(weighted(["aot", "none"], ["empty-inline"])),
        "extras": extras,
        "crlf": draw(st.booleans()),
        "bom": draw(st.booleans()),
    }


def render(layout: dict[str, Any]) -> bytes:
    """A plan file with the given layout (valid TOML or not: the loader decides)."""
    top = ["# Account Business Plan — Layout SA", "schema = 1", 'lang = "en"']
    extras: dict[str, list[str]] = {}
    for tag, (where, kind, n) in enumerate(layout["extras"]):
        extras.setdefault(where, []).append(extra_line(kind, n, tag))
    top += extras.get("top", [])
    tables: list[str] = []
    late: list[str] = []

    account_keys = ['name = "Layout SA"', 'sector = "Retail"', 'summary = """\nA retailer.\nTwo lines."""']
    account_keys += extras.get("account", [])
    team = [{"name": "Paul R.", "role": "Supply chain"}, {"name": "Inès T.", "role": "Trade"}]
    team_tables = ["[[account.team]]\n" + "\n".join(f'{k} = "{v}"' for k, v in m.items()) for m in team]
    team_inline = (
        "team = [" + ", ".join("{" + ", ".join(f'{k} = "{v}"' for k, v in m.items()) + "}" for m in team) + "]"
    )
    if layout["team"] == "inline":
        account_keys.append(team_inline)
    account_form = layout["account"]
    if account_form == "inline":
        top.append(
            "account = {" + ", ".join(account_keys[:2] + ([team_inline] if layout["team"] == "inline" else [])) + "}"
        )
    elif account_form == "dotted":
        top += [f"account.{k}" for k in account_keys[:2]]
    elif account_form == "only-sub":
        tables.append("[account.extra]\nz = 1")
    else:
        body = "[account]\n" + "\n".join(account_keys)
        if account_form == "sub-first":
            tables.append("[account.extra]\nz = 1")
        tables.append(body)
        if account_form == "split":
            late.append("[account.extra]\nz = 1")
    if layout["team"] == "aot":
        tables += team_tables
    elif layout["team"] == "late":
        late += team_tables

    answers = {"history": ['answer = "Four years."', 'status = "answered"'], "priorities": ['answer = "Organic."']}
    answers["history"] += extras.get("answer", [])
    diagnostic = layout["diagnostic"]
    if diagnostic == "top-inline":
        top.append("diagnostic = {" + ", ".join(f"{q} = {{{', '.join(v[:1])}}}" for q, v in answers.items()) + "}")
    elif diagnostic in ("inline", "dotted"):
        lines = ["[diagnostic]"]
        for q, keys in answers.items():
            if diagnostic == "inline":
                lines.append(f"{q} = {{{', '.join(keys)}}}")
            else:
                lines += [f"{q}.{k}" for k in keys]
        tables.append("\n".join(lines))
    else:
        if diagnostic == "explicit":
            tables.append("[diagnostic]")
        qtables = [f"[diagnostic.{q}]\n" + "\n".join(keys) for q, keys in answers.items()]
        tables.append(qtables[0])
        (late if diagnostic == "split" else tables).append(qtables[1])

    swot_keys = ['strengths = ["s1", "s2"]', 'threats = [\n  "t1", # a comment\n  "t2",\n]'] + extras.get("swot", [])
    swot = layout["swot"]
    if swot == "inline":
        top.append('swot = {strengths = ["s1", "s2"]}')
    elif swot == "dotted":
        top.append('swot.strengths = ["s1", "s2"]')
    else:
        if swot == "sub":
            swot_keys.append("")
            tables.append("[swot]\n" + "\n".join(swot_keys) + "[swot.extra]\nz = 1")
        else:
            tables.append("[swot]\n" + "\n".join(swot_keys))

    gaps = layout["gaps"]
    gap_table = '[[gaps]]\nid = "g-aaaaaa"\nquestion = "Volumes by region?"'
    if gaps == "empty-inline":
        top.append("gaps = []")
    actions = [
        ['id = "a-first1"', 'title = "First"', 'status = "todo"', "due = 2027-02-15", *extras.get("action", [])],
        ['id = "a-second"', 'title = "Second"', "investment = 1500.0"],
    ]
    form = layout["actions"]
    if form == "inline":
        top.append("actions = [" + ", ".join("{" + ", ".join(a) + "}" for a in actions) + "]")
        if gaps == "aot":
            tables.append(gap_table)
    else:
        first = "[[actions]]\n" + "\n".join(actions[0])
        if form == "sub-table":
            first += "\n\n[actions.extra]\nz = [1, 2]"
        tables.append(first)
        if gaps == "aot" and form == "interleaved":
            tables.append(gap_table)
        tables.append("[[actions]]\n" + "\n".join(actions[1]))
        if gaps == "aot" and form != "interleaved":
            tables.append(gap_table)
    if extras.get("table"):
        tables.append("[unknown]\n" + "\n".join(extras["table"]))
    if extras.get("aot"):
        tables += ["[[others]]\n" + "\n".join(extras["aot"]), "[[others]]\nn = 2"]
    text = "\n".join(top) + "\n\n" + "\n\n".join(tables + late) + "\n"
    if layout["crlf"]:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if layout["bom"] else "").encode("utf-8") + text.encode("utf-8")


# --- the edits and what must survive them ------------------------------------------------------


def edit(planfile: PlanFile) -> None:
    """One edit of every kind the app makes."""
    plan = planfile.plan
    plan.account.name = "Edited SA"
    plan.account.summary = "New summary.\nOn two lines."
    ops.add_item(plan, "team", ops.new_item(plan, "team", name="Zoé", role="Finance"))
    ops.set_answer(plan, "history", answer="Five years.", status="answered")
    ops.set_answer(plan, "performance", answer="Growing.", status="draft")
    plan.swot.strengths = ["s1", "s3"]
    ops.add_item(plan, "actions", ops.new_item(plan, "actions", title="Added"))
    if plan.actions[0].id == "a-first1":
        ops.update_item(plan.actions[0], title="First, edited")
    ops.remove_item(plan, "actions", next(n for n, a in enumerate(plan.actions) if a.id != "a-first1"))
    ops.add_item(plan, "gaps", ops.new_item(plan, "gaps", question="Margin targets?"))
    plan.lang = "fr"


def unknown_parts(data: dict[str, Any]) -> str:
    """What the plan does not know in the file's data, as a comparable text (nan == nan)."""
    account = data.get("account", {})
    first = next((a for a in data.get("actions", []) if isinstance(a, dict) and a.get("id") == "a-first1"), {})
    answer = data.get("diagnostic", {}).get("history", {})
    keep = {
        "top": {k: v for k, v in data.items() if k not in KNOWN_TOP},
        "account": {k: v for k, v in account.items() if k not in ACCOUNT_FIELDS},
        "answer": {k: v for k, v in answer.items() if k not in ANSWER_FIELDS},
        "action": {k: v for k, v in first.items() if k not in ACTION_FIELDS},
        "swot": {k: v for k, v in data.get("swot", {}).items() if k not in ("strengths", "threats")},
    }
    return repr(keep)


def refused_or_saved(path: Path, twice: bool = True) -> str:
    """Load ``path``; if it loads, edit, save and read it back (and again if ``twice``). Returns
    "refused" or "saved"."""
    try:
        planfile = PlanFile.load(path)
    except LoadError as exc:
        assert len(exc.lines) >= 1 and all(line.startswith(f"{path}:") for line in exc.lines), exc.lines
        return "refused"
    before = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    edit(planfile)
    assert planfile.save() is True
    again = PlanFile.load(path)  # the saved file is itself accepted...
    assert to_data(again.plan) == to_data(planfile.plan)  # ...holds the edits...
    after = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    assert unknown_parts(after) == unknown_parts(before)  # ...and what kamtui does not know
    if twice:  # and can be edited and saved again
        edit(again)
        again.save()
        PlanFile.load(path)
    return "saved"


# The files that made the app fail on save before the loader refused them (issue 8).
KNOWN_BAD = {
    "table header 101 parts": f"schema = 1\n\n[{dotted(MAX_DEPTH + 1)}]\nx = 1\n",
    "key 101 parts": f"schema = 1\n{dotted(MAX_DEPTH + 1)} = 1\n",
    "arrays 101 deep": f"schema = 1\nx = {deep_array(MAX_DEPTH + 1)}\n",
    "inline tables 101 deep": f"schema = 1\nx = {deep_inline(MAX_DEPTH + 1)}\n",
    "inline tables with dotted keys, 1,000 levels": "schema = 1\nx = "
    + ("{" + dotted(MAX_DEPTH) + " = ") * 10
    + "1"
    + "}" * 10
    + "\n",
    "inline account": 'schema = 1\naccount = {name = "A"}\n',
    "dotted account": 'schema = 1\naccount.name = "A"\n',
    "inline actions": 'schema = 1\nactions = [{id = "a-1", title = "T"}]\n',
    "empty inline gaps": "schema = 1\ngaps = []\n",
    "inline team": 'schema = 1\n[account]\nname = "A"\nteam = [{name = "P"}]\n',
    "inline answer": 'schema = 1\n[diagnostic]\nhistory = {answer = "x"}\n',
    "dotted answer": 'schema = 1\n[diagnostic]\nhistory.answer = "x"\n',
    "account split": 'schema = 1\n[account]\nname = "A"\n\n[swot]\n\n[account.extra]\nz = 1\n',
    "team after the actions": 'schema = 1\n[account]\nname = "A"\n\n[[actions]]\nid = "a-1"\ntitle = "T"\n\n[[account.team]]\nname = "P"\n',
    "answers split": 'schema = 1\n[diagnostic.history]\nanswer = "x"\n\n[swot]\n\n[diagnostic.priorities]\nanswer = "y"\n',
    "sub-table before [account]": 'schema = 1\n[account.extra]\nz = 1\n\n[account]\nname = "A"\n',
}


@pytest.mark.parametrize("case", sorted(KNOWN_BAD))
def test_check_and_the_app_refuse_what_the_writer_cannot_write(tmp_path, capsys, case):
    path = tmp_path / "plan.toml"
    path.write_text(KNOWN_BAD[case], encoding="utf-8")
    assert main(["check", str(path)]) == 1, f"{case}: check accepts a file kamtui cannot save"
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith(f"{path}:") and "Traceback" not in err, err
    line = int(err.split(":")[1])
    assert 1 < line <= KNOWN_BAD[case].count("\n"), err
    assert refused_or_saved(path) == "refused"
    assert path.read_text(encoding="utf-8") == KNOWN_BAD[case]


def test_the_limits_themselves_are_accepted_and_saved(tmp_path):
    """Exactly at the limits: refused would be too strict."""
    for n, body in enumerate(
        [
            f"[{dotted(MAX_DEPTH)}]\nx = 1",
            f"{dotted(MAX_DEPTH)} = 1",
            f"x = {deep_array(MAX_DEPTH)}",
            f"x = {deep_inline(MAX_DEPTH)}",
        ]
    ):
        path = tmp_path / f"limit{n}.toml"
        text = body if body.startswith("[") else body + "\n[account]\nname = 'A'"
        path.write_text(f"schema = 1\n{text}\n" if not body.startswith("[") else f"schema = 1\n\n{text}\n", "utf-8")
        assert refused_or_saved(path) == "saved", body[:40]


PLAIN = {
    "account": "table",
    "team": "aot",
    "diagnostic": "tables",
    "swot": "table",
    "actions": "aot",
    "gaps": "aot",
    "extras": [],
    "crlf": False,
    "bom": False,
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts())
@example(layout={**PLAIN, "account": "inline"})
@example(layout={**PLAIN, "team": "late"})
@example(layout={**PLAIN, "extras": [("account", "array", MAX_DEPTH + 1)]})
@example(layout={**PLAIN, "extras": [("action", "dotted", MAX_DEPTH + 1)], "crlf": True, "bom": True})
def test_any_layout_is_refused_or_saved(tmp_path_factory, layout):
    path = tmp_path_factory.mktemp("layout") / "plan.toml"
    path.write_bytes(render(layout))
    refused_or_saved(path)


def corpus_files() -> list[Path]:
    return sorted((CORPUS / "valid").rglob("*.toml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="toml-test corpus not found beside the repository")
def test_every_valid_corpus_file_inside_a_plan_is_refused_or_saved(tmp_path):
    """Each valid toml-test file as the unknown content of a plan: at its top, and inside an
    action. At least most of them are saved (a refusal must stay the exception)."""
    outcomes: dict[str, int] = {"refused": 0, "saved": 0}
    plan_tables = '\n[account]\nname = "Corpus SA"\n\n[[actions]]\nid = "a-first1"\ntitle = "First"\n'
    for n, source in enumerate(corpus_files()):
        try:
            content = source.read_bytes().decode("utf-8-sig")
            tomllib.loads(content)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for where, text in (
            ("top", f"schema = 1\n{content}\n{plan_tables}"),
            ("action", f"schema = 1\n{plan_tables}{content}\n"),
        ):
            path = tmp_path / f"{n}-{where}.toml"
            path.write_text(text, encoding="utf-8", newline="")
            try:
                outcomes[refused_or_saved(path, twice=False)] += 1
            except Exception as exc:
                raise AssertionError(f"{source.relative_to(CORPUS)} ({where}): {type(exc).__name__}: {exc}") from exc
    assert outcomes["saved"] > 400, outcomes
