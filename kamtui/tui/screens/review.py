"""Review: a read-only walk through what matters before meeting the client (SPEC §6).

Keys (all in the command registry, scoped here): j/k scroll, n/p the next/previous part, / a
search (n/N through its hits, Escape clears it), v the visit date, b the visit brief, q back to
the section the user came from. The parts are laid out by :mod:`.review_parts` for the width of
the section, line by line, so that a part or a hit is scrolled to its exact line.
"""

from __future__ import annotations

import datetime as dt
import re

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.widgets import Static

from ...model import clock
from ...model.rules import completeness
from ..commands import bindings
from ..i18n import t
from ..text import shown
from ..widgets.lines import Lines
from .base import Section, focus_now
from .review_parts import Part, review_parts

HIT_STYLE = "black on yellow"
CURRENT_HIT_STYLE = "bold black on #ff8800"


class ReviewSection(Section):
    """Everything here is read-only: the plan is not changed."""

    DEFAULT_CSS = """
    ReviewSection { scrollbar-gutter: stable; }
    ReviewSection #review-bar { dock: top; height: 1; background: $boost; color: $text-muted; }
    ReviewSection #review-body { width: 1fr; height: auto; }
    """
    BINDINGS = bindings(
        "review.down",
        "review.up",
        "review.next",
        "review.prev",
        "review.prev_hit",
        "review.search",
        "review.clear",
        "review.visit",
        "review.brief",
        "review.back",
    )

    visit: dt.date | None = None  # None: today
    search_text = ""
    hits: list[tuple[int, int, int]] = []  # (line, start, end) of each match
    hit = -1  # the current hit
    part = 0  # the part last jumped to
    starts: list[int] = []  # the first line of each part
    parts: list[Part] = []
    _lines: list[Content] = []
    _width = 0
    _jumped_y = -1.0

    def compose(self) -> ComposeResult:
        yield Static("", id="review-bar")
        yield Lines(id="review-body")

    def on_mount(self) -> None:
        super().on_mount()
        self.lay_out()

    def on_show_section(self) -> None:
        if self._stale:
            self.catch_up()
        focus_now(self)

    def show_plan(self, touched: frozenset[str]) -> None:
        self.lay_out()

    def on_resize(self) -> None:
        if self._text_width() != self._width:
            self.lay_out()

    # --- laying out ---------------------------------------------------------------------

    @property
    def visit_day(self) -> dt.date:
        return self.visit or clock.today()

    def _text_width(self) -> int:
        return max(self.content_width() or self.app.size.width - 4, 20)

    def lay_out(self) -> None:
        """Build the parts for the width on show, then show them (with the search's hits)."""
        session = self.kam.session
        if session is None:
            return
        self._width = width = self._text_width()
        plan = session.plan
        today = clock.today()
        self.parts = review_parts(plan, self.kam.bank, self.kam.config, today, self.visit_day, width)
        title = Content.assemble(
            (shown(plan.account.name) or session.path.stem, "bold"),
            " — ",
            (t("visit.title", visit=self.visit_day.isoformat()), "bold"),
        )
        pct = completeness(plan, list(self.kam.bank))
        subtitle = Content.styled(t("visit.subtitle", today=today.isoformat(), pct=pct), "dim")
        lines = [*title.wrap(width), *subtitle.wrap(width)]
        self.starts = []
        for n, part in enumerate(self.parts, 1):
            lines.append(Content(""))
            self.starts.append(len(lines))
            heading = Content.styled(f"{n}/{len(self.parts)}  {part.title}", "bold underline $accent")
            lines += heading.wrap(width)
            lines += part.lines
        self._lines = lines
        self._find()
        self._show()

    def _find(self) -> None:
        """The search's hits, line by line (a match cut by a line's end is not found)."""
        self.hits = []
        if self.search_text:
            pattern = re.compile(re.escape(self.search_text), re.IGNORECASE)
            for n, line in enumerate(self._lines):
                self.hits += [(n, m.start(), m.end()) for m in pattern.finditer(line.plain)]
        self.hit = min(self.hit, len(self.hits) - 1) if self.hits else -1

    def _show(self) -> None:
        lines = list(self._lines)
        for n, (row, start, end) in enumerate(self.hits):
            lines[row] = lines[row].stylize(CURRENT_HIT_STYLE if n == self.hit else HIT_STYLE, start, end)
        self.query_one("#review-body", Lines).update(lines)
        self._show_bar()

    def _show_bar(self) -> None:
        """One line: the search and where it is (first: it changes), the part, the visit day."""
        bar = []
        if self.search_text:
            where = f"{self.hit + 1}/{len(self.hits)}" if self.hits else t("visit.no_hit")
            bar.append(t("visit.search", query=self.search_text, where=where))
        if self.parts:
            short = t(f"visit.short.{self.parts[self.part].key}")
            bar.append(t("visit.part", n=self.part + 1, of=len(self.parts), title=short))
        bar.append(t("visit.bar", visit=self.visit_day.isoformat()))
        self.query_one("#review-bar", Static).update(Content(" · ".join(bar)).truncate(max(self._width, 20)))

    def review_text(self) -> str:
        """The review as plain text (the lines as laid out)."""
        return "\n".join(line.plain for line in self._lines)

    # --- moving -------------------------------------------------------------------------

    def _scroll_to_line(self, line: int) -> None:
        self.scroll_to(y=line, animate=False, immediate=True)
        self._jumped_y = float(line)

    def _current_part(self) -> int:
        """The part last jumped to — or, after a scroll by j/k, the part at the top of the view."""
        if self.scroll_y == self._jumped_y or not self.starts:
            return self.part
        return max((n for n, start in enumerate(self.starts) if start <= self.scroll_y + 1), default=0)

    def go_part(self, step: int) -> None:
        if not self.starts:
            return
        self.part = max(0, min(len(self.starts) - 1, self._current_part() + step))
        self._scroll_to_line(self.starts[self.part])
        self._show_bar()

    def go_hit(self, step: int) -> None:
        if not self.hits:
            if self.search_text:
                self.notify(t("visit.not_found", query=self.search_text), markup=False)
            return
        self.hit = (self.hit + step) % len(self.hits)
        row = self.hits[self.hit][0]
        self.part = max((n for n, start in enumerate(self.starts) if start <= row), default=0)
        self._show()
        self._scroll_to_line(max(0, row - 2))

    def action_next(self) -> None:
        """n: the next hit of the search, or the next part when there is no search."""
        if self.search_text:
            self.go_hit(1)
        else:
            self.go_part(1)

    def action_previous_part(self) -> None:
        self.go_part(-1)

    def action_previous_hit(self) -> None:
        if self.search_text:
            self.go_hit(-1)
        else:
            self.go_part(-1)

    def action_search(self) -> None:
        from ..dialogs.prompt import PromptDialog

        def found(text: str | None) -> None:
            if text is None:
                return
            self.search_text, self.hit = text.strip(), -1
            self._find()
            if self.hits:
                self.go_hit(1)
            else:
                self._show()
                if self.search_text:
                    self.notify(t("visit.not_found", query=self.search_text), markup=False)

        self.app.push_screen(PromptDialog(t("visit.search_title"), self.search_text, t("visit.search_hint")), found)

    def action_clear_search(self) -> None:
        if self.search_text:
            self.search_text, self.hit = "", -1
            self._find()
            self._show()

    def action_visit_date(self) -> None:
        from ..dialogs.prompt import PromptDialog, parse_day

        def chosen(text: str | None) -> None:
            if text is None:
                return
            day = parse_day(text)
            if day is not None:
                self.visit = day
                self.lay_out()

        self.app.push_screen(
            PromptDialog(t("visit.date_title"), self.visit_day.isoformat(), t("visit.date_hint"), check=parse_day),
            chosen,
        )

    def action_brief(self) -> None:
        from ..exporting import ask_export

        ask_export(self.app, kind="brief", visit=self.visit_day)

    def action_back(self) -> AwaitComplete:
        """q: back to the section shown before the review."""
        screen = self.kam.plan_screen()
        previous = screen.previous if screen is not None else ""
        if screen is not None and previous and previous != "review":
            return screen.show_section(previous)
        self.notify(t("visit.no_previous"), markup=False)
        return AwaitComplete.nothing()


SECTION = ReviewSection
