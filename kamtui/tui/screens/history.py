"""History: the commits of the open plan's file (``git log --follow``), newest first; Enter shows
what a commit changed (its parent → it), ``s`` what changed since it (it → the working file), by
section and item. Everything git runs in a worker; outside a repository one line says so."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...report import git
from ..commands import bindings
from ..i18n import t
from ..text import shown
from ..widgets.keybar import KeyBar


def entry_line(entry: git.LogEntry) -> Content:
    """One commit: date and time, author, message (author and message as data)."""
    when = entry.date[:16].replace("T", " ")
    return Content.assemble((when, "dim"), "  ", (shown(entry.author), "bold"), "  ", shown(entry.subject))


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    #history-list { height: auto; max-height: 40%; border: none; }
    #history-title { height: 1; background: $primary-background; padding: 0 1; }
    #history-which { height: auto; background: $panel; padding: 0 1; }
    #history-scroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS = bindings("history.show", "history.since", "history.close")

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.entries: list[git.LogEntry] = []
        self.problem: str | None = None
        self.shown_diff: tuple[str, str] | None = None  # (commit, "commit" | "since") once shown
        self._wanted: tuple[str, str] | None = None  # the difference asked for last

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(("kamtui  ", "bold"), t("history.title", name=self.path.name)), id="history-title"
        )
        yield OptionList(id="history-list")
        yield Static(Content(t("history.hint")), id="history-which")
        with VerticalScroll(id="history-scroll"):
            yield Static(Content(t("history.loading")), id="history-diff")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#history-list").focus()
        self._load()

    @work(thread=True, exclusive=True, group="history-log")
    def _load(self) -> None:
        try:
            entries, problem = git.log(self.path), None
        except git.NotARepository:
            entries, problem = [], t("history.no_repo", name=self.path.name)
        except git.GitError as exc:
            entries, problem = [], t("history.error", why=str(exc))
        self.app.call_from_thread(self._loaded, entries, problem)

    def _loaded(self, entries: list[git.LogEntry], problem: str | None) -> None:
        self.entries, self.problem = entries, problem
        options = self.query_one("#history-list", OptionList)
        options.set_options([Option(entry_line(e), id=e.commit) for e in entries])
        if entries:
            options.highlighted = 0
            self._say(t("history.hint"))
        else:
            self._say(problem or t("history.none", name=self.path.name))
        self.query_one("#history-diff", Static).update("")

    def _say(self, text: str) -> None:
        self.query_one("#history-which", Static).update(Content(text))

    def _current(self) -> int | None:
        highlighted = self.query_one("#history-list", OptionList).highlighted
        return highlighted if highlighted is not None and highlighted < len(self.entries) else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_show()

    def action_show(self) -> None:
        """What the highlighted commit changed: its parent's version → its version."""
        index = self._current()
        if index is not None:
            self._diff(index, since=False)

    def action_since(self) -> None:
        """What changed since the highlighted commit: its version → the working file."""
        index = self._current()
        if index is not None:
            self._diff(index, since=True)

    def _diff(self, index: int, since: bool) -> None:
        entry = self.entries[index]
        older = self.entries[index + 1] if index + 1 < len(self.entries) else None
        short = entry.commit[:7]
        self._wanted = (entry.commit, "since" if since else "commit")
        self._say(t("history.since" if since else "history.commit", id=short, subject=entry.subject))
        self.query_one("#history-diff", Static).update(Content(t("history.building")))
        self._build(entry, older.path if older is not None else entry.path, since)

    @work(thread=True, exclusive=True, group="history-diff")
    def _build(self, entry: git.LogEntry, parent_path: str, since: bool) -> None:
        from ..gitui import semantic_difference

        short = entry.commit[:7]
        try:
            if since:
                old = git.file_at(self.path, entry.commit, entry.path)
                new = _read(self.path)
                names = (f"{short}:{entry.path}", str(self.path.name))
            else:
                old = git.file_at(self.path, entry.commit + "^", parent_path)
                new = git.file_at(self.path, entry.commit, entry.path)
                names = (f"{short}^:{parent_path}", f"{short}:{entry.path}")
            body = semantic_difference(old, new, *names)
        except git.GitError as exc:
            body = Content(t("history.error", why=str(exc)))
        self.app.call_from_thread(self._built, entry.commit, "since" if since else "commit", body)

    def _built(self, commit: str, kind: str, body: Content) -> None:
        if not self.is_attached or self._wanted != (commit, kind):
            return  # gone, or another difference was asked for since
        self.shown_diff = (commit, kind)
        self.query_one("#history-diff", Static).update(body)
        self.query_one("#history-scroll").scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


def _read(path: Path) -> bytes | None:
    """The working file's bytes (never blocking on a named pipe; None if it can't be read)."""
    from ...store.tomlio import read_disk

    return read_disk(path).data
