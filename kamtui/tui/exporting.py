"""Exports and the visit brief from the app: ask what and where, write it in a worker, say where.

The plan is copied on the UI thread (the user may go on editing), then rendered and written in a
thread by the same functions as ``kamtui export`` (:mod:`kamtui.report`)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..model import clock
from .i18n import t

if TYPE_CHECKING:
    from .dialogs.export import ExportRequest


def ask_export(app: Any, kind: str = "plan", visit: dt.date | None = None) -> None:
    """The export dialog over the open plan (nothing without one); the file is written on OK."""
    session = app.session
    if session is None:
        return
    from .dialogs.export import ExportDialog

    def chosen(request: ExportRequest | None) -> None:
        if request is not None:
            write_export(app, request)

    app.push_screen(ExportDialog(session.path, kind, visit or clock.today()), chosen)


def render_export(plan: Any, bank: Any, config: Any, today: dt.date, request: ExportRequest) -> str:
    if request.kind == "brief":
        from ..report.brief import export_brief

        return export_brief(plan, bank, config, today, request.visit, request.fmt, request.audience)
    from ..report.export import export_plan

    return export_plan(plan, bank, config, today, request.fmt, request.audience)


def write_export(app: Any, request: ExportRequest) -> None:
    """Write ``request`` in a thread; a notification says where, or why not (one line)."""
    session = app.session
    if session is None:
        return
    plan = copy.deepcopy(session.plan)
    bank, config, today = app.bank, app.config, clock.today()

    def work() -> None:
        from ..store.atomic import atomic_write
        from ..store.errors import reason

        try:
            text = render_export(plan, bank, config, today, request)
            atomic_write(request.path, text.encode("utf-8"))
        except OSError as exc:
            message = t("export.failed", error=reason(exc, request.path))
            app.call_from_thread(app.notify, message, severity="error", markup=False)
            return
        except (ValueError, UnicodeError) as exc:  # a report that can't be made: one line, no traceback
            message = t("export.failed", error=f"{type(exc).__name__}: {exc}".splitlines()[0])
            app.call_from_thread(app.notify, message, severity="error", markup=False)
            return
        app.call_from_thread(app.notify, t("export.written", path=str(request.path)), markup=False)

    app.run_worker(work, thread=True, group="export", exit_on_error=False)
