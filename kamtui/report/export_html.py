"""A :class:`~kamtui.report.export_doc.Document` as one self-contained, printable HTML file.

The page — head, CSS, header, sections, headings, paragraphs, fact and bullet lists, table
heads — is the Jinja2 template ``templates/document.html.j2``, autoescaped: every value it prints
is escaped, after :func:`~kamtui.report.export_text.shown` made its control characters visible
(the ``finalize`` hook). Table rows and cells, thousands of them in a big plan, are built here
with MarkupSafe, Jinja's own escaping: :func:`cell` escapes every text the same way, and is
five times faster than the same loop in the template (1,000 actions).

The page has its CSS inline, no script, no outside resource (no web font: the reader's own
sans-serif), and prints on A4: a page break before each section, table headers repeated on each
page. Progress bars and KPI sparklines are inline SVG, each with a ``<title>`` and its values in
words beside it.

Jinja2 is imported on the first export only (never on the way to the app's first frame).
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from markupsafe import Markup, escape

from .export_doc import Cell, Document, Progress, Spark, Table
from .export_text import shown

SPARK_W, SPARK_H, SPARK_PAD = 96, 24, 3
LONG = 60  # characters from which a cell of long text gets room (class "long")


def _finalize(value: Any) -> Any:
    """Every value the template prints: control characters as visible stand-ins (our Markup is left)."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return shown(value, multiline=True)
    return value


def text(value: str) -> Markup:
    """Plan text for HTML: control characters made visible, then escaped."""
    return escape(shown(value, multiline=True))


@functools.cache
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kamtui.report", "templates"),
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(kind=_kind, cell=cell, rows=rows, columns=columns)
    return env


def _kind(block: Any) -> str:
    """ "sub", "para", "facts", "bullets" or "table": which layout a block gets."""
    return type(block).__name__.lower()


# --- SVG ---------------------------------------------------------------------------------------


def bar_svg(progress: Progress) -> Markup:
    """A progress bar (the words of ``progress.label`` as its title)."""
    share = max(0.0, min(1.0, progress.share or 0.0))
    colour = "#2e7d32" if share >= 1.0 else "#3559b7"
    return Markup(
        '<svg class="bar" width="64" height="8" viewBox="0 0 100 12" preserveAspectRatio="none" role="img" '
        'aria-label="{label}"><title>{label}</title><rect width="100" height="12" rx="3" fill="#e3e6ea"/>'
        '<rect width="{width}" height="12" rx="3" fill="{colour}"/></svg>'
    ).format(label=text(progress.label), width=round(100 * share, 1), colour=colour)


def _points(values: tuple[float | None, ...], low: float, high: float) -> list[tuple[float, float]]:
    n = len(values)
    step = (SPARK_W - 2 * SPARK_PAD) / (n - 1) if n > 1 else 0.0
    span = high - low
    points = []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = SPARK_PAD + i * step if n > 1 else SPARK_W / 2
        rel = 0.5 if span == 0 else (value - low) / span
        points.append((round(x, 1), round(SPARK_H - SPARK_PAD - rel * (SPARK_H - 2 * SPARK_PAD), 1)))
    return points


def spark_geometry(spark: Spark) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """The actual and target points of a sparkline, on one scale (a single actual is a dot)."""
    known = [v for v in (*spark.actuals, *spark.targets) if v is not None]
    if not known:
        return [], []
    low, high = min(known), max(known)
    return _points(spark.actuals, low, high), _points(spark.targets, low, high)


def spark_svg(spark: Spark) -> Markup:
    """A KPI's periods: actuals solid with dots, targets dashed; its values in words as its title."""
    actual, target = spark_geometry(spark)

    def line(points: list[tuple[float, float]], style: str) -> str:
        return f'<polyline points="{" ".join(f"{x},{y}" for x, y in points)}" fill="none" {style}/>' if points else ""

    parts = [
        line(target, 'stroke="#9aa1ab" stroke-width="1" stroke-dasharray="3 2"'),
        line(actual, 'stroke="#3559b7" stroke-width="1.6"'),
        *(f'<circle cx="{x}" cy="{y}" r="2.2" fill="#3559b7"/>' for x, y in actual),
    ]
    return Markup(
        '<svg class="spark" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        "<title>{label}</title>{body}</svg>"
    ).format(w=SPARK_W, h=SPARK_H, label=text(spark.label), body=Markup("".join(parts)))


# --- cells and rows ----------------------------------------------------------------------------


def cell(c: Cell) -> Markup:
    """A value: its SVG if any, its text, its note under it. Every text through :func:`text`
    (f-strings here: ``Markup.format`` costs five times as much, and this runs for every cell)."""
    html = f'<span class="{c.css}">{text(c.text)}</span>'
    if c.progress is not None and c.progress.share is not None:
        html = str(bar_svg(c.progress)) + html  # str + str: Markup + str would escape our span
    if c.spark is not None:
        html = str(spark_svg(c.spark)) + html
    if c.note:
        html += (
            f'<span class="sub {c.mark}">{text(c.note)}</span>'
            if c.mark
            else f'<span class="sub">{text(c.note)}</span>'
        )
    return Markup(html)


class Column(NamedTuple):
    shown: bool  # False: a detail column, shown under its row
    attr: Markup  # the cells' class attribute, "" for none
    long: Markup  # the same for a cell of long text, which gets room


def columns(table: Table) -> list[Column]:
    found = []
    for i in range(len(table.headers)):
        name = "num" if i in table.numeric else "nw" if i in table.nowrap else ""
        attr = Markup(f' class="{name}"') if name else Markup("")
        found.append(Column(i not in table.detail, attr, attr or Markup(' class="long"')))
    return found


def rows(table: Table) -> Markup:
    """The table's body: a ``<tbody>`` per row (a row and its detail lines break together)."""
    cols = columns(table)
    span = sum(1 for col in cols if col.shown)
    out = []
    for row in table.rows:
        cells = []
        for c, col in zip(row, cols, strict=True):
            if col.shown:
                attr = col.long if c.multiline and len(c.text) > LONG else col.attr
                cells.append(f"<td{attr}>{cell(c)}</td>")
        details = [
            f'<tr class="detail"><td colspan="{span}"><span class="dl">{text(table.headers[i])}</span> {cell(row[i])}</td></tr>'
            for i in table.detail
            if row[i].text.strip()
        ]
        head = '<tbody class="more">' if details else "<tbody>"
        out.append(f"{head}<tr>{''.join(cells)}</tr>{''.join(details)}</tbody>")
    return Markup("\n".join(out))


def html(doc: Document) -> str:
    """The document as one HTML file."""
    return str(_env().get_template("document.html.j2").render(doc=doc))
