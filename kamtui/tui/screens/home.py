"""Home: the plans of the plans folder with the manager's roll-up (SPEC §6), new / open / delete.

The figures are those of ``kamtui portfolio`` (:mod:`kamtui.report.rollup`, cached by path and
content hash), worked out in a thread; a plan that can't be read is listed with its error.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...model import clock
from ...report.rollup import PlanFigures, Totals, plan_figures, totals
from ..access import UsesSession
from ..commands import bindings
from ..dialogs.choice import confirm
from ..i18n import lang, t
from ..text import shown
from ..widgets.cells import cell
from ..widgets.keybar import KeyBar

# The columns, in screen order. When they don't all fit, the least important go first, in
# DROP_ORDER: the KAM and the file name (both always in the detail line under the table, with
# the whole path), the last change, the period, then the amount asked (the totals line and the
# detail line keep it). The account, completeness, unanswered questions, overdue actions,
# objectives and the matched share always stay: at 80 columns they are what is shown; at 120
# everything but the KAM and the file name; from about 150 columns, everything.
COLUMNS = (
    "account",
    "period",
    "complete",
    "unanswered",
    "overdue",
    "objectives",
    "asked",
    "matched",
    "changed",
    "kam",
    "file",
)
DROP_ORDER = ("kam", "file", "changed", "period", "asked")
ACCOUNT_MAX = 22  # cells of the account column (the whole name is in the detail line)
FILE_MAX = 24


def _money(value: float, currency: str) -> str:
    from ...report.export_text import money

    return money(value, currency, lang())


def _share(value: float | None) -> str:
    from ...report.export_text import share

    return share(value, lang())


def _objectives(counts: dict[str, int]) -> str:
    return "/".join(str(counts.get(status, 0)) for status in ("on-track", "at-risk", "off-track"))


class PlansTable(DataTable):
    """The plans list. Enter opens the plan at once: through DataTable's RowSelected message, keys
    typed straight after Enter were handled first (d asked to delete the plan being opened)."""

    def action_select_cursor(self) -> None:
        screen = self.screen
        if isinstance(screen, HomeScreen):
            screen.action_open()


class HomeScreen(UsesSession, Screen):
    DEFAULT_CSS = """
    #home-folder { height: 1; color: $text-muted; padding: 0 1; }
    #plans { height: 1fr; }
    #home-detail { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    #home-totals { height: auto; padding: 0 1; text-style: bold; }
    """
    BINDINGS = bindings("home.new", "home.open", "home.delete", "home.reload", "home.quit")

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[PlanFigures] = []
        self.modified: dict[str, float] = {}
        self.columns: tuple[str, ...] = ()
        self.today = clock.today()

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("kamtui  ", "bold"), t("home.title")), id="status")
        yield Static("", id="home-folder")
        yield PlansTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Static("", id="home-detail")
        yield Static("", id="home-totals")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.query_one("#home-folder", Static).update(Content(t("home.folder", path=str(self.kam.folder))))
        self._scan(self.kam.folder)

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self, folder: Path) -> None:
        figures = plan_figures(folder, self.kam.bank)
        modified = {}
        for figure in figures:
            try:
                modified[figure.path] = os.stat(figure.path).st_mtime
            except OSError:
                modified[figure.path] = 0.0
        self.app.call_from_thread(self._show, figures, modified)

    def _show(self, figures: list[PlanFigures], modified: dict[str, float]) -> None:
        self.summaries, self.modified = figures, modified
        self.today = clock.today()
        self._fill(force=True)
        total = totals(figures, self.today)
        self.query_one("#home-totals", Static).update(self._totals(total) if figures else "")
        if not figures:
            self.query_one("#home-folder", Static).update(Content(t("home.empty", path=str(self.kam.folder))))
        self._show_detail()

    def on_resize(self) -> None:
        if self.summaries:
            self._fill()

    def _cells(self, p: PlanFigures) -> dict[str, Any]:
        stamp = self.modified.get(p.path, 0.0)
        changed = dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d") if stamp else ""
        name = cell(Path(p.path).name, width=FILE_MAX)
        if not p.readable:
            error = p.error.split(": ", 1)[-1] if p.error else ""
            return {"account": cell(f"⚠ {t('home.unreadable')}: {error}", "bold red"), "changed": changed, "file": name}
        overdue = p.overdue(self.today)
        matched = _share(p.matched_share) if p.investment else "—"
        return {
            "account": cell(("⚠ " if p.error else "") + p.account, "yellow" if p.error else ""),
            "period": cell(p.period),
            "complete": f"{p.completeness} %",
            "unanswered": str(p.unanswered),
            "overdue": cell(str(overdue), "bold red" if overdue else ""),
            "objectives": cell(_objectives(p.objectives), "bold red" if p.objectives.get("off-track") else ""),
            "asked": _money(p.investment, p.currency) if p.investment else "—",
            "matched": cell(matched, "bold red" if p.investment and p.matched < p.investment else ""),
            "kam": cell(p.kam),
            "changed": changed,
            "file": name,
        }

    def _fitting(self, rows: list[dict[str, Any]]) -> tuple[str, ...]:
        """The columns that fit the screen's width, the least important dropped first."""
        width = self.size.width or self.app.size.width
        need = {}
        for key in COLUMNS:
            texts = [t(f"home.{key}")] + [str(row.get(key, "")) for row in rows]
            need[key] = max(len(x) for x in texts) + 2  # the cell's padding
        need["account"] = min(need["account"], ACCOUNT_MAX + 2)
        shown_columns = list(COLUMNS)
        for key in DROP_ORDER:
            if sum(need[k] for k in shown_columns) + 2 <= width:
                break
            shown_columns.remove(key)
        return tuple(shown_columns)

    def _fill(self, force: bool = False) -> None:
        table = self.query_one("#plans", DataTable)
        rows = [self._cells(p) for p in self.summaries]
        columns = self._fitting(rows)
        if columns == self.columns and not force:
            return
        row = table.cursor_row
        self.columns = columns
        table.clear(columns=True)
        for key in columns:
            table.add_column(t(f"home.{key}"), key=key, width=ACCOUNT_MAX if key == "account" else None)
        for n, cells in enumerate(rows):
            table.add_row(*(cells.get(key, "") for key in columns), key=str(n))
        if rows:
            table.move_cursor(row=max(0, min(row, len(rows) - 1)))

    def _totals(self, total: Totals) -> Content:
        currencies = sorted(total.investment)
        asked = "; ".join(_money(total.investment[c], c) for c in currencies) or "—"
        matched = "; ".join(
            f"{_money(total.matched.get(c, 0.0), c)} ({_share(total.matched.get(c, 0.0) / total.investment[c])})"
            for c in currencies
            if total.investment[c]
        )
        said = t(
            "home.totals",
            plans=total.plans,
            complete=total.completeness,
            unanswered=total.unanswered,
            on=total.objectives["on-track"],
            risk=total.objectives["at-risk"],
            off=total.objectives["off-track"],
            asked=asked,
            matched=matched or "—",
            overdue=total.overdue,
        )
        if total.failed:
            said += " · " + t("home.failed", n=total.failed)
        return Content(said)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted plan in full: its path, KAM, amounts and error (what narrow columns drop)."""
        detail = self.query_one("#home-detail", Static)
        p = self._selected()
        if p is None:
            detail.update("")
            return
        stamp = self.modified.get(p.path, 0.0)
        parts = [shown(p.path)]
        if stamp:
            parts.append(t("home.changed") + " " + dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M"))
        if p.readable:
            if p.kam:
                parts.append(t("home.kam") + " " + shown(p.kam))
            if p.investment:
                parts.append(
                    t(
                        "home.detail_money",
                        asked=_money(p.investment, p.currency),
                        matched=_money(p.matched, p.currency),
                        share=_share(p.matched_share),
                    )
                )
        line = Content(" · ".join(parts))
        if p.error:
            line = Content.assemble(line, "\n", (f"⚠ {shown(p.error)}", "bold red" if not p.readable else "yellow"))
        detail.update(line)

    def _selected(self) -> PlanFigures | None:
        table = self.query_one("#plans", DataTable)
        if not self.summaries or table.cursor_row < 0 or table.cursor_row >= len(self.summaries):
            return None
        return self.summaries[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # a click on the row under the cursor
        self.action_open()

    def action_open(self) -> None:
        summary = self._selected()
        if summary is not None:
            self.kam.open_plan(Path(summary.path))

    def action_new(self) -> None:
        from ..dialogs.newplan import NewPlanDialog

        self.app.push_screen(NewPlanDialog(), self._create)

    def _create(self, answer: tuple[str, tuple[dt.date, dt.date], str] | None) -> None:
        if answer is None:
            return
        from ...store.plans import create_plan, period_label

        name, period, lang = answer
        try:
            planfile = create_plan(self.kam.folder, name, period[0].year, lang, period=period)
        except FileExistsError:
            self.notify(t("home.exists", name=name, year=period_label(period)), severity="error", markup=False)
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
