"""Conflicts: the merge conflicts recorded in the open plan (``[[conflicts]]``, written by
``kamtui merge-driver``), one by one — where, and the value of each side — to settle by taking
ours (``o``), theirs (``t``) or typing the value (``e``). Each is one undoable edit through the
session (:meth:`~kamtui.session.PlanSession.settle_conflict`); saving then writes the plan
without the settled tables, and ``kamtui check`` passes once none is left."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...session.conflicts import ConflictError
from ..access import UsesSession
from ..commands import bindings
from ..i18n import has, t
from ..text import plan_content, shown
from ..widgets.keybar import KeyBar

SIDES = ("base", "ours", "theirs")


def item_title(plan: Any, path: str) -> str:
    """The title (name, question...) of the item a conflict's path names, "" if none."""
    from ...report.conflict_text import parse_path
    from ...report.diff import TITLE_FIELDS
    from ...session.conflicts import ITEM_CLASS, find_item

    try:
        section, parts, _name = parse_path(path)
    except ValueError:
        return ""
    if section not in ITEM_CLASS:
        return ""
    item = find_item(plan, section, parts)
    return str(getattr(item, TITLE_FIELDS.get(section, "name"), "") or "") if item is not None else ""


def conflict_detail(entry: dict[str, Any], title: str = "") -> Content:
    """Where the conflict is and the three values, shown as data (never markup)."""
    path = str(entry.get("path", "?"))
    whole = "." not in path.rsplit("]", 1)[-1] and "[" in path
    lines = [Content.assemble((t("conflicts.where") + " ", "bold"), shown(path))]
    if title:
        lines.append(plan_content(title, "italic"))
    for side in SIDES:
        value = str(entry.get(side, ""))
        lines.append(Content(""))
        lines.append(Content.styled(t(f"conflicts.{side}"), "bold underline"))
        if value:
            lines.append(plan_content(value, multiline=True))
        else:
            lines.append(Content.styled(t("conflicts.deleted" if whole else "conflicts.empty"), "dim italic"))
    return Content("\n").join(lines)


class ConflictsScreen(UsesSession, Screen[None]):
    DEFAULT_CSS = """
    #conflicts-title { height: 1; background: $primary-background; padding: 0 1; }
    #conflicts-list { height: auto; max-height: 30%; border: none; }
    #conflicts-hint { height: auto; background: $panel; padding: 0 1; }
    #conflicts-scroll { height: 1fr; padding: 0 1; }
    #conflicts-error { height: auto; color: $error; padding: 0 1; }
    """
    BINDINGS = bindings("conflicts.ours", "conflicts.theirs", "conflicts.edit", "conflicts.close")

    def compose(self) -> ComposeResult:
        yield Static("", id="conflicts-title")
        yield OptionList(id="conflicts-list")
        yield Static(Content(t("conflicts.hint")), id="conflicts-hint")
        yield Static("", id="conflicts-error")
        with VerticalScroll(id="conflicts-scroll"):
            yield Static("", id="conflicts-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "plan_version", self._plan_changed, init=False)
        self.show_conflicts()
        self.query_one("#conflicts-list").focus()

    def _plan_changed(self) -> None:
        if self.is_attached and self.app.screen is self:
            self.show_conflicts()

    @property
    def conflicts(self) -> list[dict[str, Any]]:
        return self.session.plan.conflicts if self.kam.session is not None else []

    def show_conflicts(self) -> None:
        conflicts = self.conflicts
        title = t("conflicts.count", count=len(conflicts), name=self.kam.session.path.name if self.kam.session else "")
        self.query_one("#conflicts-title", Static).update(Content.assemble(("kamtui  ", "bold"), title))
        options = self.query_one("#conflicts-list", OptionList)
        was = options.highlighted
        options.set_options([Option(plan_content(str(c.get("path", "?")))) for c in conflicts])
        if conflicts:
            options.highlighted = min(was or 0, len(conflicts) - 1)
        self._show_detail()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#conflicts-scroll").focus()

    def _current(self) -> int | None:
        index = self.query_one("#conflicts-list", OptionList).highlighted
        return index if index is not None and index < len(self.conflicts) else None

    def _show_detail(self) -> None:
        index = self._current()
        detail = self.query_one("#conflicts-detail", Static)
        if index is None:
            detail.update(Content(t("conflicts.all_done")))
            return
        entry = self.conflicts[index]
        detail.update(conflict_detail(entry, item_title(self.session.plan, str(entry.get("path", "")))))

    def action_ours(self) -> None:
        self._settle("ours")

    def action_theirs(self) -> None:
        self._settle("theirs")

    def action_edit(self) -> None:
        from ..dialogs.value import ValueDialog

        index = self._current()
        if index is None or self.kam.read_only_notice():
            return
        entry = self.conflicts[index]

        def typed(text: str | None) -> None:
            if text is not None:
                self._settle("edit", text, entry)

        self.app.push_screen(ValueDialog(str(entry.get("path", "")), str(entry.get("ours", ""))), typed)

    def _settle(self, choice: str, text: str | None = None, entry: dict[str, Any] | None = None) -> None:
        index = self._current()
        if index is None or self.kam.read_only_notice():
            return
        if entry is not None:  # the conflict the value was typed for (the list may have changed)
            index = next((n for n, c in enumerate(self.conflicts) if c is entry), None)
            if index is None:
                return
        error = self.query_one("#conflicts-error", Static)
        try:
            self.session.settle_conflict(index, choice, text)
        except ConflictError as exc:
            code = str(exc)
            key = f"conflicts.error.{code}" if has(f"conflicts.error.{code}") else f"form.error.{code}"
            error.update(Content(t(key, lo="", hi="")))
            return
        error.update("")
        self.show_conflicts()
        if not self.conflicts:
            self.app.notify(t("conflicts.all_settled", keys=self.kam.key_of("app.save")), markup=False)
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
