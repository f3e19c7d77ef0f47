"""Exports of a plan (Markdown, HTML) and the one-page visit brief: every section and item is
there, hostile text stays inert text, the client never reads an internal field, the brief says
exactly what the model's rules say, and the command line's exit codes, stdout and files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DEMO, TODAY
from markdown_it import MarkdownIt

from kamtui.model.plan import LISTS, Account, Action, Answer, Plan, Swot, TeamMember
from kamtui.model.questions import Question, load_bank
from kamtui.model.rules import (
    due_before_visit,
    is_key_person,
    key_people,
    needs_contact,
    open_gaps,
    overdue_sorted,
    question_states,
    unanswered,
)
from kamtui.model.schema import DATE, FLOAT, INT, STR, STRLIST, TEXT, specs
from kamtui.report.brief import LIST_MAX, QUESTIONS_MAX, brief, export_brief
from kamtui.report.export import CLIENT_LEAVES_OUT, export_plan, internal_fields
from kamtui.report.export_labels import EN, FR
from kamtui.reportcli import main
from kamtui.store.config import Config
from kamtui.store.planfile import read_plan

BANK = load_bank()
VISIT = dt.date(2026, 12, 12)

# --- helpers -----------------------------------------------------------------------------------

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newline and tab are layout
EMITTED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "span",
    "dl",
    "dt",
    "dd",
    "ul",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "svg",
    "rect",
    "polyline",
    "circle",
}
VOID = {"meta", "br"}


class Page(HTMLParser):
    """Parses an export: the tags, whether they nest properly, and the text a reader sees."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.chunks: list[str] = []
        self._skip = 0
        self.feed(source)
        self.close()
        if self.stack:
            self.errors.append(f"not closed: {self.stack}")

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag in ("style", "title") and self.stack and self.stack[-1] != "svg":
            self._skip += tag == "style"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "style":
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


def md_plain(md: str) -> str:
    """What a Markdown export says, its escapes undone (for looking for a title in it)."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)
    return " ".join(html.unescape(text.replace("<br>", " ")).split())


def table_rows(md: str) -> list[list[str]]:
    """The Markdown tables' rows, each cut at its unescaped pipes (a pipe after an even number
    of backslashes separates cells, as in GitHub's parser)."""
    tables, current = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            current.append(re.split(r"(?<!\\)(?:\\\\)*\|", line)[1:-1])
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def assert_tables_keep_columns(md: str) -> int:
    tables = table_rows(md)
    for table in tables:
        width = len(table[0])
        assert all(len(row) == width for row in table), table
    # and a real Markdown parser sees the same tables: one <td> per column in every row
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    for body in re.findall(r"<table>(.*?)</table>", rendered, re.S):
        heads = len(re.findall(r"<th[ >]", body))
        for row in re.findall(r"<tbody>.*", body, re.S)[0].split("</tr>")[:-1]:
            assert len(re.findall(r"<td[ >]", row)) == heads, row
    assert len(re.findall(r"<table>", rendered)) == len(tables)
    return len(tables)


def demo() -> Plan:
    plan, _, problems = read_plan(DEMO)
    assert not problems
    return plan


def export(plan: Plan, fmt: str, audience: str = "internal", bank=BANK) -> str:
    return export_plan(plan, bank, Config(), TODAY, fmt, audience)


# --- every section and every item ------------------------------------------------------------


def item_texts(plan: Plan) -> list[str]:
    """The name or title of every item of the plan, as a reader looks for it."""
    texts = [plan.account.name, plan.account.kam, *(m.name for m in plan.account.team)]
    texts += [q.text(plan.lang) for q in BANK]
    texts += [g.question for g in plan.gaps]
    texts += plan.swot.strengths + plan.swot.weaknesses + plan.swot.opportunities + plan.swot.threats
    texts += [c.name for c in plan.competitors] + [s.name for s in plan.stakeholders]
    texts += [h.event for h in plan.history] + [k.name for k in plan.kpis]
    texts += [o.title for o in plan.objectives] + [a.title for a in plan.actions]
    texts += [a.client_commitment.strip().splitlines()[0] for a in plan.actions]
    return texts


SECTIONS_FR = ["Compte", "Diagnostic", "Marché et client", "Concurrence", "Relations", "Performance", "Objectifs"]


def test_markdown_of_the_demo_holds_every_section_and_item():
    plan = demo()
    md = export(plan, "md")
    headings = re.findall(r"^## (.+)$", md, re.M)
    assert headings == [*SECTIONS_FR, "Actions"]
    plain = md_plain(md)
    for text in item_texts(plan):
        assert " ".join(text.split()) in plain, text
    for measure in plan.measures:  # every measure: its period, in the KPI's rows
        assert f"| {measure.period} |" in md
    assert assert_tables_keep_columns(md) >= 8
    assert not CONTROLS.search(md)


def test_html_of_the_demo_holds_every_section_and_item():
    plan = demo()
    page = Page(export(plan, "html"))
    assert not page.errors
    assert page.tags <= EMITTED_TAGS
    assert "<" not in page.text and "class=" not in page.text  # no markup of ours escaped twice
    for text in item_texts(plan):
        assert " ".join(text.split()) in page.text, text
    for title in SECTIONS_FR:
        assert title in page.text


def test_html_is_self_contained_and_printable():
    source = export(demo(), "html")
    assert "<script" not in source.lower()
    assert not re.search(r"""(?:src|href)\s*=|url\(|@import|@font-face""", source)
    assert "@page { size: A4;" in source
    assert "thead { display: table-header-group; }" in source
    assert "break-before: page" in source
    # progress bars and sparklines drawn in SVG, each with its values in words
    assert source.count('<svg class="bar"') == 3  # three objectives have a progress
    assert source.count('<svg class="spark"') == 4  # one per KPI
    assert "<title>Progression 34" in source or "<title>Avancement 34" in source
    assert "Part de marché catégorie snacking fruité bio : 2026-10 cible 3, réalisé 3,4" in html.unescape(source)


def test_kpi_trend_arrows_follow_better(tmp_path):
    plan = demo()
    # shortage rate (better = lower) goes down: improving; market share goes down: worsening
    plan.measures[8].actual = 3.9  # k-eblptt 2026-11, after 4.8
    plan.measures[1].actual = 2.0  # k-share 2026-11, after 3.4
    md = export(plan, "md")
    scorecard = next(table for table in table_rows(md) if table[0][-1].strip() == "Tendance")
    rows = {row[0].strip(): row for row in scorecard}
    assert "▼ en baisse, en progrès" in rows["Taux de rupture en linéaire"][7]
    assert "▼ en baisse, en recul" in rows["Part de marché catégorie snacking fruité bio"][7]
    assert "↓ plus bas" in rows["Taux de rupture en linéaire"][1]


# --- hostile text ----------------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script> [bold]loud[/bold] a|b `tick` \x1b]0;pwned\x1b\\ \x9b31m "
    "*em* _u_ [link](http://x.test) ![img](y) <b onclick=x>b</b> &amp; $x$ ~~s~~ \\| end"
)
HOSTILE_LINES = HOSTILE + "\n# heading?\n- item?\n1. list?\n    code?\n---\n<img src=x onerror=alert(2)>"


def hostile_plan(lang: str = "en") -> Plan:
    """A plan with hostile text in every text field of every item (and in ids and references)."""

    def fill(item, n: int):
        for name, spec in specs(item):
            if spec.kind in (STR, TEXT) or (spec.kind == "ref"):
                setattr(item, name, (HOSTILE_LINES if spec.kind == TEXT else HOSTILE) + f" {name}{n}")
            elif spec.kind == STRLIST:
                setattr(item, name, [HOSTILE + f" {name}{n}", HOSTILE_LINES])
            elif spec.kind == DATE:
                setattr(item, name, TODAY - dt.timedelta(days=10 * n + 1))
            elif spec.kind == FLOAT:
                setattr(item, name, 1000.0 * n)
            elif spec.kind == INT:
                setattr(item, name, 5)
        return item

    plan = Plan(lang=lang, account=fill(Account(), 0), swot=fill(Swot(), 0))
    plan.account.team = [fill(TeamMember(), i) for i in range(2)]
    for q in BANK:
        plan.diagnostic[q.id] = fill(Answer(), 1)
        plan.diagnostic[q.id].status = "to-confirm"
    for list_name, cls in LISTS.items():
        items = [fill(cls(), i) for i in range(2)]
        setattr(plan, list_name, items)
    for i, measure in enumerate(plan.measures):
        measure.kpi = plan.kpis[0].id
        measure.period = f"2026-0{i + 1}"
    plan.actions[0].status = "todo"
    plan.actions[0].client_commitment = ""  # an investment without commitment: listed
    return plan


def hostile_bank() -> list[Question]:
    return [*BANK, Question("x-1", "client", HOSTILE_LINES, HOSTILE_LINES)]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("audience", ["internal", "client"])
def test_hostile_text_in_html_is_escaped_text(lang, audience):
    plan = hostile_plan(lang)
    source = export(plan, "html", audience, hostile_bank())
    page = Page(source)
    assert not page.errors
    assert page.tags <= EMITTED_TAGS, page.tags - EMITTED_TAGS
    assert "<script" not in source.lower() and "onerror" not in re.sub(r"&lt;img[^<]*", "", source)
    assert not CONTROLS.search(source)
    # the reader sees the text as it was written, its control characters as visible stand-ins
    assert "<script>alert(1)</script> [bold]loud[/bold] a|b `tick` ␛]0;pwned␛\\ \\x9b31m" in page.text
    assert "<img src=x onerror=alert(2)>" in page.text


@pytest.mark.parametrize("audience", ["internal", "client"])
def test_hostile_text_in_markdown_is_literal_and_tables_keep_their_columns(audience):
    plan = hostile_plan()
    md = export(plan, "md", audience, hostile_bank())
    assert not CONTROLS.search(md)
    assert assert_tables_keep_columns(md) >= 8
    # no HTML of the plan's: the only tag is the line break the export writes
    assert not re.search(r"<(?!br>)[A-Za-z/!?]", md)
    # nothing of the plan's starts a block: every heading, list item and rule is the export's
    for line in md.splitlines():
        assert not line.startswith(("    ", "---", "1.", "* ", "+ ")), line
        if line.startswith("#"):
            assert re.match(r"#{1,4} \S", line), line
    # rendered, the text reads as written: no emphasis, code, link, image or strikethrough
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(md)
    for tag in ("<em>em</em>", "<em>u</em>", "<code>", "<a ", "<img", "<s>", "<del>", "<script", "<b ", "<h1>heading"):
        assert tag not in rendered, tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold]loud[/bold] a|b `tick` ␛]0;pwned␛\\ \\x9b31m" in rendered
    assert "# heading?" in md_plain(md)


def test_brief_with_hostile_text_is_escaped():
    plan = hostile_plan()
    for fmt in ("md", "html"):
        out = export_brief(plan, hostile_bank(), Config(), TODAY, VISIT, fmt)
        assert not CONTROLS.search(out)
        assert "<script" not in out.lower()
        if fmt == "html":
            page = Page(out)
            assert not page.errors and page.tags <= EMITTED_TAGS
            assert "<script>alert(1)</script>" in page.text
        else:
            assert_tables_keep_columns(out)


# --- the client's version --------------------------------------------------------------------

# (list, field, value, what must not be read): a marker no other field holds
CLIENT_CASES = [
    ("stakeholders", "attitude", "opponent", ["opponent", "Attitude"]),
    ("stakeholders", "influence", 1, ["1/5", "Influence"]),
    ("stakeholders", "owner", "MARKER-owner-k3", ["MARKER-owner-k3"]),
    ("stakeholders", "notes", "MARKER-snotes-q8", ["MARKER-snotes-q8"]),
    ("actions", "notes", "MARKER-anotes-z1", ["MARKER-anotes-z1"]),
    ("actions", "investment", 98765.43, ["98,765.43", "Our investment"]),
    ("competitors", "approach", "MARKER-approach-w2", ["MARKER-approach-w2"]),
    ("swot", "weaknesses", ["MARKER-weak-p4"], ["MARKER-weak-p4", "Weaknesses"]),
    ("swot", "threats", ["MARKER-threat-j6"], ["MARKER-threat-j6", "Threats"]),
]


def marked_plan(list_name: str, name: str, value) -> Plan:
    plan = demo()
    plan.lang = "en"
    target = plan.swot if list_name == "swot" else plan.items(list_name)[0]
    setattr(target, name, value)
    return plan


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(
    ("list_name", "name", "value", "hidden"), CLIENT_CASES, ids=[f"{c[0]}.{c[1]}" for c in CLIENT_CASES]
)
def test_client_version_leaves_out_internal_field(fmt, list_name, name, value, hidden):
    plan = marked_plan(list_name, name, value)
    internal = export(plan, fmt, "internal")
    client = export(plan, fmt, "client")
    for marker in hidden:
        assert marker in internal, marker  # the marker is there for the KAM...
        assert marker not in client, marker  # ... and never for the client
    brief_client = export_brief(plan, BANK, Config(), TODAY, VISIT, fmt, "client")
    for marker in hidden:
        assert marker not in brief_client


def test_client_version_leaves_out_what_is_worked_out_from_internal_fields():
    plan = demo()
    plan.lang = "en"
    client = export(plan, "md", "client")
    assert "no recent contact" not in client  # key people are known by their influence
    assert "Our investment vs" not in client and "154,000" not in client
    assert "Key people" not in export_brief(plan, BANK, Config(), TODAY, VISIT, "md", "client")
    assert "Client's commitment in return" in client  # what the client commits stays


def test_the_fields_spec_6_names_are_left_out_whatever_the_model_marks():
    for cls, names in CLIENT_LEAVES_OUT.items():
        assert set(names) <= internal_fields(cls)
        marked = {name for name, spec in specs(cls) if spec.internal}
        assert marked <= internal_fields(cls)


# --- the visit brief -------------------------------------------------------------------------


def test_brief_lists_exactly_what_the_rules_say():
    plan = demo()
    config = Config()
    b = brief(plan, BANK, config, TODAY, VISIT)
    states = question_states(plan, BANK)
    assert [(q.id, s) for q, s in b.questions] == [(q.id, states[q.id]) for q in unanswered(plan, BANK)]
    assert list(b.gaps) == open_gaps(plan)
    assert list(b.overdue) == overdue_sorted(plan, TODAY)
    assert list(b.due) == due_before_visit(plan, TODAY, VISIT)
    assert [p.stakeholder for p in b.people] == [s for s in key_people(plan) if is_key_person(s)]
    assert [p.needs_contact for p in b.people] == [needs_contact(p.stakeholder, TODAY, 90) for p in b.people]
    # and by hand, on the demo plan on 2026-11-29 for a visit on 2026-12-12
    assert [(q.id, s) for q, s in b.questions] == [
        ("priorities", "to-confirm"),
        ("history", "draft"),
        ("ways-of-working", "unanswered"),
        ("performance", "unanswered"),
    ]
    assert [g.id for g in b.gaps] == ["g-gyayrj", "g-cibnk5", "g-ob2vmz"]
    assert [a.id for a in b.overdue] == ["a-q2y34n", "a-gp25co", "a-vmxuct"]  # 60, 29, 14 days late
    assert [a.id for a in b.due] == ["a-zgxok6"]  # due 2026-12-10
    assert [(p.stakeholder.name, p.days, p.needs_contact) for p in b.people] == [
        ("Marc Lefèvre", 164, True),
        ("Claire Martin", 18, False),
        ("Thomas Girard", 10, False),
    ]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_brief_shows_those_and_nothing_else(fmt):
    plan = demo()
    out = export_brief(plan, BANK, Config(), TODAY, VISIT, fmt)
    text = md_plain(out) if fmt == "md" else Page(out).text
    b = brief(plan, BANK, Config(), TODAY, VISIT)
    shown = [*b.overdue, *b.due]
    for action in plan.actions:
        assert (action.title in text) == (action in shown), action.title
    positions = [text.index(a.title) for a in b.overdue]
    assert positions == sorted(positions)  # the longest overdue first
    for gap in plan.gaps:
        assert (gap.question in text) == (not gap.resolved), gap.question
    for stakeholder in plan.stakeholders:
        assert (stakeholder.name + " ") in text or not is_key_person(stakeholder)
    assert "Sophie Nguyen Responsable" not in text  # not a key person
    assert "en retard de 60 jours" in text and "164 jours" in text and "pas de contact récent" in text
    for objective in plan.objectives:
        assert objective.title in text


def big_plan(n: int = 300) -> Plan:
    plan = demo()
    for i in range(n):
        plan.actions.append(Action(id=f"a-{i:06d}", title=f"Generated {i}", due=TODAY - dt.timedelta(days=i % 40 - 20)))
    plan.gaps = plan.gaps * 20
    plan.objectives = plan.objectives * 10
    plan.stakeholders = [dataclasses.replace(s, influence=5) for s in plan.stakeholders] * 5
    return plan


def test_brief_fits_one_page_whatever_the_plan():
    plan = big_plan()
    md = export_brief(plan, BANK, Config(), TODAY, VISIT, "md")
    assert len(md.splitlines()) <= 80  # one printed page of Markdown
    assert "… et " in md  # the rest is counted, not dropped silently
    assert_tables_keep_columns(md)
    source = export_brief(plan, BANK, Config(), TODAY, VISIT, "html")
    rows = source.count("<tr>")
    assert rows <= 6 + QUESTIONS_MAX + 5 * LIST_MAX  # 6 tables: their heads, the questions, the other lists
    assert len(Page(source).text) < 4500


def test_brief_for_a_visit_in_the_past_says_so():
    plan = demo()
    plan.lang = "en"
    md = export_brief(plan, BANK, Config(), TODAY, TODAY - dt.timedelta(days=3), "md")
    assert "The visit date is before today" in md
    assert "Due by the visit" not in md


def test_labels_exist_in_both_languages():
    assert set(EN) == set(FR)


# --- the command line ------------------------------------------------------------------------


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_export_to_stdout_and_to_a_private_file(capsys, demo_file, tmp_path):
    code, out, err = run(capsys, "export", demo_file)
    assert (code, err) == (0, "")
    assert out.startswith("# Plan d’affaires du compte — Distrib SA\n")
    target = tmp_path / "out" / "plan.html"
    target.parent.mkdir()
    code, out, err = run(capsys, "export", demo_file, "-o", target)  # html from the suffix
    assert (code, out, err) == (0, "", "")
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not [p for p in target.parent.iterdir() if p != target]  # no temp file left


def test_export_brief_with_a_visit_date(capsys, demo_file):
    code, out, _ = run(capsys, "export", demo_file, "--brief", "--visit", "2026-12-12", "--format", "md")
    assert code == 0
    assert "Visite le 2026-12-12" in out and "Réserver une demi-page" in out
    code, out, _ = run(capsys, "export", demo_file, "--brief", "--format", "md")  # visit: today
    assert code == 0 and f"Visite le {TODAY.isoformat()}" in out and "Réserver une demi-page" not in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--brief", "--visit", "next week"],
        ["--visit", "2026-12-12"],  # without --brief
        ["--format", "pdf"],
        ["--audience", "manager"],
    ],
)
def test_export_usage_errors(capsys, demo_file, argv):
    code, out, err = run(capsys, "export", demo_file, *argv)
    assert code == 2 and out == ""
    assert err.strip()


def test_export_never_writes_over_the_plan(capsys, demo_file):
    before = demo_file.read_bytes()
    code, _, err = run(capsys, "export", demo_file, "-o", demo_file)
    assert code == 2 and "plan file itself" in err
    assert demo_file.read_bytes() == before


def test_export_of_a_bad_plan_says_where(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\n[account]\nname = "X"\nperiod_start = "next week"\n', "utf-8")
    code, out, err = run(capsys, "export", bad)
    assert (code, out) == (1, "")
    assert err.startswith(f"{bad}:4: account.period_start: expected a date")
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = 1\n[account\n", "utf-8")
    code, out, err = run(capsys, "export", broken, "-o", tmp_path / "x.md")
    assert code == 1 and f"{broken}:2:" in err
    assert not (tmp_path / "x.md").exists()
    code, _, err = run(capsys, "export", tmp_path / "missing.toml")
    assert code == 1 and "no such file" in err


def test_export_cannot_write_says_why(capsys, demo_file, tmp_path):
    code, _, err = run(capsys, "export", demo_file, "-o", tmp_path / "no" / "such" / "folder.md")
    assert code == 1 and "cannot write" in err
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _, err = run(capsys, "export", demo_file, "-o", folder)
    assert code == 1 and "cannot write" in err


def test_export_of_hostile_file_name_and_text_sends_no_control_character(capsys, tmp_path):
    path = Path(tmp_path / "evil\x1b]0;x\x07.toml")
    text = DEMO.read_text("utf-8").replace('name = "Distrib SA"', 'name = "Evil \\u001b]0;pwned\\u0007 \\u009b SA"')
    path.write_text(text, "utf-8")
    for fmt in ("md", "html"):
        code, out, err = run(capsys, "export", path, "--format", fmt)
        assert code == 0 and not CONTROLS.search(out + err)
        assert "Evil ␛]0;pwned␇ \\x9b SA" in (md_plain(out) if fmt == "md" else Page(out).text)
    code, out, err = run(capsys, "export", path, "--visit", "\x1b[2J")
    assert code == 2 and not CONTROLS.search(out + err)
