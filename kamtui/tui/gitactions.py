"""The app's git commands — History (ctrl+l), Commit (ctrl+n), Conflicts (ctrl+b) — and the
question asked when a plan holding merge conflicts opens. Mixed into
:class:`~kamtui.tui.app.KamApp` (which keeps the plan's ``session``, its ``saving`` and ``git``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .i18n import t

if TYPE_CHECKING:
    from ..session import PlanSession
    from .app import KamApp


class GitActions:
    """Actions of the app for the git commands of the registry (``app.git_*``)."""

    def action_git_history(self: Any) -> None:
        from .screens.history import HistoryScreen

        app: KamApp = self
        if app.session is not None and not isinstance(app.screen, HistoryScreen):
            app.push_screen(HistoryScreen(app.session.path))

    def action_conflicts(self: Any) -> None:
        from .screens.conflicts import ConflictsScreen

        app: KamApp = self
        session = app.session
        if session is None or isinstance(app.screen, ConflictsScreen):
            return
        if not session.plan.conflicts:
            app.notify(t("conflicts.none"), markup=False)
            return
        app.push_screen(ConflictsScreen())

    def action_git_commit(self: Any) -> None:
        from .dialogs.commit import CommitDialog

        app: KamApp = self
        session = app.session
        if session is None:
            return

        def chosen(message: str | None) -> None:
            if not message or app.session is not session:
                return
            if session.dirty and not session.read_only:
                app.saving.save_then(lambda: _commit(app, session, message))
            else:
                _commit(app, session, message)

        app.push_screen(CommitDialog(session.path.name), chosen)

    def offer_conflicts(self: Any) -> None:
        """A plan holding merge conflicts was opened: say so, and offer the Conflicts screen (only
        when no other question is open: then the header and the notification say it)."""
        app: KamApp = self
        session = app.session
        if session is None or not session.plan.conflicts:
            return
        from textual.screen import ModalScreen

        from .dialogs.choice import ChoiceDialog

        count = len(session.plan.conflicts)
        app.notify(
            t("conflicts.opened", count=count, keys=app.key_of("app.conflicts")),
            severity="warning",
            timeout=10,
            markup=False,
        )
        if isinstance(app.screen, ModalScreen) or session.read_only:
            return

        def answer(choice: str | None) -> None:
            if choice == "settle" and app.session is session:
                app.action_conflicts()

        choices = [("settle", t("conflicts.settle_now"), "s"), ("later", t("external.later"), "l")]
        app.push_screen(ChoiceDialog(t("conflicts.title"), t("conflicts.ask", count=count), choices), answer)


def _commit(app: KamApp, session: PlanSession, message: str) -> None:
    """``git commit`` of the plan's file alone, in a thread; the short id (or why not) is shown."""
    path = session.path

    def run() -> None:
        from ..report import git

        try:
            short = git.commit(path, message)
        except git.GitError as exc:
            app.call_from_thread(
                app.notify, t("git.commit_failed", why=str(exc)), severity="error", timeout=10, markup=False
            )
        else:
            app.call_from_thread(app.notify, t("git.committed", id=short, name=path.name), markup=False)
        app.call_from_thread(app.git.refresh)

    app.run_worker(run, thread=True, group="git-commit", exit_on_error=False)
