"""The plan screen: one section at a time, the checklist docked beside it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any, cast

from textual import events
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from ...session import Where
from .. import breakpoints
from ..access import UsesSession
from ..commands import SECTIONS
from ..i18n import lang, t
from ..text import show, shown
from ..widgets.keybar import KeyBar
from .base import Section

SECTION_NAMES = [name for name, _ in SECTIONS]
WIDE = 110  # columns from which the checklist is a column beside the section
# From app.tcss: the checklist column's width, and what a section keeps around its content (its
# padding, 1 + 1, and its scrollbar's gutter, 2). The first section shown gets its width from them.
CHECKLIST_WIDTH = 42
SECTION_GUTTER = 4
TALL = 32  # lines from which boxes (the Diagnostic's answer) take their full height


def tab_line(current: str, width: int) -> Content:
    """Every section's key and name, the current one highlighted. The names are shortened (first
    word, three letters, none) until the line fits ``width`` — the same way whichever section is
    current, so that the bar does not change as one moves; the current one keeps at least its first
    word."""
    how = _shortening(width, lang())
    labels = [(_tab_label(name, key, how, name == current), name == current) for name, key in SECTIONS]
    return Content.assemble(*((text, "reverse bold" if on else "") for text, on in labels))


def _tab_label(name: str, key: str, how: int, on: bool) -> str:
    title = t(f"section.{name}")
    short = {0: title, 1: title.split()[0], 2: title[:3]}.get(how, "")
    if on:
        return f" {key.upper()} {short if how < 2 else title.split()[0]} "
    return f"{key.upper()} {short} " if short else f"{key.upper()} "


@functools.cache
def _shortening(width: int, language: str) -> int:
    """How much the tab names are shortened at ``width`` (in ``language``: the cache's key)."""

    def length(on_name: str, how: int) -> int:
        return sum(len(_tab_label(name, key, how, name == on_name)) for name, key in SECTIONS)

    return next((h for h in (0, 1, 2) if max(length(name, h) for name, _ in SECTIONS) <= width), 3)


def section_class(name: str) -> type[Section]:
    """Section widgets are imported when first shown, to keep start-up fast."""
    module = import_module(f"kamtui.tui.screens.{name}")
    return cast("type[Section]", module.SECTION)


# Where a change of each part of the plan is seen (undo / redo put the cursor there).
PART_SECTION = {
    "top": "account",
    "account": "account",
    "team": "account",
    "answer": "diagnostic",
    "gaps": "diagnostic",
    "swot": "market",
    "competitors": "competition",
    "stakeholders": "relationships",
    "history": "relationships",
    "kpis": "performance",
    "measures": "performance",
    "objectives": "objectives",
    "actions": "actions",
}
MARKET_FIELDS = ("strategy", "current_priorities")


def section_of(where: Where) -> str:
    if where.part == "account" and where.field in MARKET_FIELDS:
        return "market"
    return PART_SECTION.get(where.part, "review")


class PlanScreen(UsesSession, breakpoints.OneLayoutPerSize, breakpoints.StyledOnce, Screen):
    """The open plan. Sections are built on first visit.

    From 110 columns the checklist is a column beside the section (ctrl+t hides and shows it);
    below that it is one line under the tabs — answered / total and the next question — and ctrl+t
    opens the whole list over the screen."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.current = "review"
        self.previous = ""

    def compose(self) -> ComposeResult:
        breakpoints.apply(self)  # before the first layout (Textual: on the first Resize)
        # A plan already read is shown whole in the first frame. A large one is read in a thread
        # while this screen shows "loading"; plan_loaded then fills it in.
        ready = self._plan_ready()
        yield Static(
            self._status() if ready else Content.assemble(("kamtui  ", "bold"), shown(self.path.name)), id="status"
        )
        yield Static(self._tabs() if ready else "", id="tabs")
        if ready:
            yield self._summary()
        with Horizontal(id="body"):
            if ready:
                yield from self._body()
            else:
                yield Static(Content(t("plan.loading", name=self.path.name)), id="loading")
        yield KeyBar()

    def _plan_ready(self) -> bool:
        session = self.kam.session
        return session is not None and session.path == self.path

    def _summary(self) -> Widget:
        from ..widgets.checklist import ChecklistSummary

        return ChecklistSummary(id="checklist-summary")

    def _body(self) -> list[Widget]:
        from ..widgets.checklist import Checklist

        # The sections sit side by side with the checklist; only the current one is displayed.
        section = section_class(self.current)(id=f"section-{self.current}")
        section.width_hint = self._section_width()
        return [section, Checklist(id="checklist")]

    def _section_width(self) -> int:
        """The width a new section's content gets, before it is laid out: that of the section shown
        now (every section has the same box), else — the first one — worked out from the sizes."""
        shown = self.section(self.current)
        if shown is not None and shown.display and shown.content_width():
            return shown.content_width()
        width = self.app.size.width - SECTION_GUTTER
        if self.has_class("-wide") and not self.has_class("-no-checklist"):
            width -= CHECKLIST_WIDTH
        return max(width, 0)

    def on_mount(self) -> None:
        self.watch(self.app, "plan_version", self.status_changed, init=False)
        if self.loaded:
            self._focus_section_now()  # before the first frame, which then shows the focus

    @property
    def loaded(self) -> bool:
        return self._body_child("checklist") is not None

    async def plan_loaded(self) -> None:
        """The plan is in memory: build the sections and the checklist."""
        body = self.query_one("#body")
        with self.app.batch_update():
            await self.query("#loading").remove()
            await self.mount(self._summary(), before=body)
            await body.mount(*self._body())
            self._show_tabs()
            self.status_changed()
        self.call_after_refresh(self._focus_section)

    def show_section(self, name: str, then: Callable[[Section], None] | None = None) -> AwaitComplete:
        """Show section ``name`` (built on first visit) and focus it; ``then(section)`` runs once it
        is mounted and focused. Awaiting the result waits for that: the section keys do, so keys
        typed straight after F2 go to the new section's field, not to the one it hides."""
        if not self.loaded:
            self.current = name
            return AwaitComplete.nothing()
        mounted = None
        if self.section(name) is None:
            body = self.query_one("#body")
            section = section_class(name)(id=f"section-{name}")
            section.width_hint = self._section_width()
            mounted = body.mount(section, before=body.query_one("#checklist"))
        if name != self.current:
            self.previous = self.current  # where the review's q goes back to
        self.current = name
        for other in SECTION_NAMES:
            widget = self.section(other)
            if widget is not None:
                widget.display = other == name
        self._show_tabs()
        if mounted is None:  # built before: focused now, in the frame that shows it
            self._focus_section_now()
            widget = self.section(name)
            if then is not None and widget is not None:
                then(widget)
            return AwaitComplete.nothing()
        built = AwaitComplete(self._focus_section(mounted, then)).call_next(self)
        self.kam.typeahead.wait_for(built)  # keys typed meanwhile are for it (when no key awaits it)
        return built

    def section(self, name: str) -> Section | None:
        return cast("Section | None", self._body_child(f"section-{name}"))

    def _body_child(self, widget_id: str) -> Widget | None:
        """The child of ``#body`` with this id, looked up by id (a query walked the whole screen:
        2 ms, and showing a section asked for each of the nine)."""
        try:
            return self.get_child_by_id("body").get_child_by_id(widget_id)
        except NoMatches:
            return None

    async def _focus_section(
        self, mounted: AwaitMount | None = None, then: Callable[[Section], None] | None = None
    ) -> None:
        if mounted is not None:
            await mounted  # a new section's fields exist only once it is mounted
        self._focus_section_now()
        widget = self.section(self.current)
        if then is not None and widget is not None:
            then(widget)

    def _focus_section_now(self) -> None:
        widget = self.section(self.current)
        if widget is not None:
            widget.on_show_section()

    def show_change(self, where: Where) -> AwaitComplete:
        """Show where a change (undone, redone) was: its section, its item, its field."""
        return self.show_section(section_of(where), lambda section: section.show_change(where))

    def scroll_to_center(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Textual centres a newly focused widget taller than the view: for a table, the row under
        its cursor is what must be seen (centring a long table scrolls that row away)."""
        from ..widgets.itemtable import ItemTable

        if isinstance(widget, ItemTable):
            widget.scroll_cursor_into_view()
            return
        super().scroll_to_center(widget, *args, **kwargs)

    def _tabs(self) -> Content:
        return tab_line(self.current, self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if self.loaded:
            self._show_tabs()
            self.status_changed()

    def _show_tabs(self) -> None:
        self.query_one("#tabs", Static).update(self._tabs())

    def _status(self) -> Content:
        session = self.session
        state = self.kam.save_state or "saved"
        style = {
            "saved": "green",
            "unsaved": "bold yellow",
            "saving": "yellow",
            "readonly": "bold red",
            "outside": "bold red",
        }[state]
        from ..gitui import fit_header

        return fit_header(
            shown(session.plan.account.name or session.path.stem),
            shown(session.path.name),
            (f"[{t('save.' + state)}]", style),
            self.kam.git.label(),
            self.app.size.width - 2,  # the header's padding
        )

    def status_changed(self) -> None:
        """Show the header again — only when it says something new (not on every key typed), and
        without a layout: it is one line whatever it says."""
        if self._plan_ready() and self.is_attached:
            show(self.query_one("#status", Static), self._status(), layout=False)

    def toggle_checklist(self) -> None:
        if not self.loaded:
            return
        if self.has_class("-narrow"):
            from ..dialogs.checklist import ChecklistDialog

            qid = getattr(self.section("diagnostic"), "qid", None) if self.current == "diagnostic" else None
            self.app.push_screen(ChecklistDialog(qid), self._checklist_chosen)
        else:
            self.toggle_class("-no-checklist")

    def _checklist_chosen(self, qid: str | None) -> None:
        if qid is not None:
            self.goto_question(qid)

    def on_checklist_jump(self, event: Any) -> None:
        self.goto_question(event.qid)

    def goto_question(self, qid: str) -> AwaitComplete:
        return self.show_section("diagnostic", lambda section: section.show_change(Where("answer", qid)))
