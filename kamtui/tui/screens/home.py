"""Home: the plans of the plans folder, with new / open / delete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...model import clock
from ...store.portfolio import PlanSummary, portfolio
from ..access import UsesSession
from ..commands import bindings
from ..dialogs.choice import confirm
from ..i18n import t
from ..widgets.cells import cell
from ..widgets.keybar import KeyBar


class HomeScreen(UsesSession, Screen):
    DEFAULT_CSS = """
    #home-folder { height: 1; color: $text-muted; padding: 0 1; }
    #plans { height: 1fr; }
    """
    BINDINGS = bindings("home.new", "home.open", "home.delete", "home.reload", "home.quit")

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[PlanSummary] = []

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("kamtui  ", "bold"), t("home.title")), id="status")
        yield Static("", id="home-folder")
        yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#plans", DataTable)
        for key in (
            "home.account",
            "home.period",
            "home.complete",
            "home.unanswered",
            "home.overdue",
            "home.changed",
            "home.file",
        ):
            table.add_column(t(key))
        self.reload()

    def reload(self) -> None:
        self.query_one("#home-folder", Static).update(Content(t("home.folder", path=str(self.kam.folder))))
        self._scan(self.kam.folder)

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self, folder: Path) -> None:
        summaries = portfolio(folder, self.kam.bank)
        self.app.call_from_thread(self._show, summaries)

    def _show(self, summaries: list[PlanSummary]) -> None:
        self.summaries = summaries
        table = self.query_one("#plans", DataTable)
        table.clear()
        today = clock.today()
        for n, s in enumerate(summaries):
            changed = dt.datetime.fromtimestamp(s.modified).strftime("%Y-%m-%d %H:%M") if s.modified else ""
            if s.error and not s.account:
                row = [cell("⚠ " + t("home.unreadable"), "bold red"), "", "", "", "", changed, cell(Path(s.path).name)]
            else:
                overdue = s.overdue(today)
                row = [
                    cell(s.account),
                    cell(s.period),
                    f"{s.completeness} %",
                    str(s.unanswered),
                    cell(str(overdue), "bold red" if overdue else ""),
                    changed,
                    cell(Path(s.path).name),
                ]
            table.add_row(*row, key=str(n))
        if not summaries:
            self.query_one("#home-folder", Static).update(Content(t("home.empty", path=str(self.kam.folder))))

    def _selected(self) -> PlanSummary | None:
        table = self.query_one("#plans", DataTable)
        if not self.summaries or table.cursor_row < 0 or table.cursor_row >= len(self.summaries):
            return None
        return self.summaries[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        summary = self._selected()
        if summary is not None:
            self.kam.open_plan(Path(summary.path))

    def action_new(self) -> None:
        from ..dialogs.newplan import NewPlanDialog

        self.app.push_screen(NewPlanDialog(), self._create)

    def _create(self, answer: tuple[str, int, str] | None) -> None:
        if answer is None:
            return
        from ...store.plans import create_plan

        name, year, lang = answer
        try:
            planfile = create_plan(self.kam.folder, name, year, lang)
        except FileExistsError:
            self.notify(t("home.exists", name=name, year=year), severity="error", markup=False)
            return
        except OSError as exc:
            self.notify(t("save.failed", error=str(exc)), severity="error", markup=False)
            return
        self.reload()
        self.kam.open_plan(planfile.path)

    def action_delete(self) -> None:
        summary = self._selected()
        if summary is None:
            return
        path = Path(summary.path)

        def done(answer: str | None) -> None:
            if answer != "yes":
                return
            from ...store.errors import reason
            from ...store.plans import move_to_trash

            try:
                move_to_trash(path, self.kam.folder)  # its parse-cache copy goes too
            except OSError as exc:
                self.notify(t("save.failed", error=reason(exc, path)), severity="error", markup=False)
                return
            self.notify(t("home.deleted", name=path.name), markup=False)
            self.reload()

        self.app.push_screen(
            confirm(t("home.delete_title"), t("home.delete_ask", name=summary.account or path.name)), done
        )
