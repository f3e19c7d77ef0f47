"""A :class:`~kamtui.report.export_doc.Document` as Markdown that renders well on GitHub and GitLab.

Every text goes through :func:`~kamtui.report.export_text.md_inline` or ``md_block``: it stays
literal whatever it holds, and a table row keeps its header's column count (a ``|`` is escaped,
a newline becomes ``<br>``). Progress and sparklines are written in characters, values beside them.
"""

from __future__ import annotations

from .export_doc import Block, Bullets, Cell, Document, Facts, Para, Sub, Table, text_bar, text_spark
from .export_text import md_block, md_inline


def _cell(cell: Cell) -> str:
    text = md_inline(cell.text)
    if cell.note:
        text = f"{text}<br>{md_inline(cell.note)}" if text else md_inline(cell.note)
    if cell.progress is not None and cell.progress.share is not None:
        text = f"{text_bar(cell.progress.share)} {text}"
    if cell.spark is not None:
        spark = text_spark(cell.spark.actuals)
        text = f"{spark} {text}" if spark else text
    if cell.mark == "strong" and text:
        text = f"**{text}**"
    return text


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(md_inline(h) for h in table.headers) + " |"]
    lines.append("| " + " | ".join("---:" if i in table.numeric else "---" for i in range(len(table.headers))) + " |")
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return lines


def _block(block: Block, colon: str) -> list[str]:
    if isinstance(block, Sub):
        lines = [f"{'#' * block.level} {md_inline(block.title)}"]
        if block.note is not None:
            lines += ["", f"*{_cell(block.note)}*"]
        return lines
    if isinstance(block, Para):
        text = md_block(block.text)
        return [f"*{text}*" if block.mark == "muted" and "\n" not in text else text] if text else []
    if isinstance(block, Facts):
        return [f"- **{md_inline(label)}{colon}** {_cell(cell)}" for label, cell in block.items]
    if isinstance(block, Bullets):
        return [f"- {_cell(cell)}" for cell in block.items]
    if isinstance(block, Table):
        return _table(block)
    raise TypeError(f"not a block: {block!r}")


def markdown(doc: Document) -> str:
    """The document as Markdown: a title, its lines, a ``##`` heading per section."""
    colon = "\u00a0:" if doc.lang == "fr" else ":"  # French puts a space before a colon
    out = [f"# {md_inline(doc.title)}", ""]
    if doc.meta:
        out += [" · ".join(md_inline(line) for line in doc.meta), ""]
    if doc.stamp:
        out += [f"**{md_inline(doc.stamp)}**", ""]
    for section in doc.sections:
        out += [f"## {md_inline(section.title)}", ""]
        for block in section.blocks:
            lines = _block(block, colon)
            if lines:
                out += [*lines, ""]
    return "\n".join(out).rstrip("\n") + "\n"
