"""The open plan's git features in the app: its state in the header (found in a thread), the
commands History, Commit and Conflicts, and the semantic difference shown by History and by the
outside-change question.

git is optional: when it is missing the header says nothing and one notice says why the git
features are off; every git error is one line. Nothing here blocks typing — every git command
runs in a worker thread.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from textual.content import Content

from .i18n import t

if TYPE_CHECKING:
    from ..session import PlanSession
    from .app import KamApp

MAX_DIFF_LINES = 2000  # a longer semantic difference is cut (the rest counted)
MAX_DIFF_BYTES = 8 * 1024 * 1024  # a version larger than this is not compared
STATE_STYLE = {
    "committed": "green",
    "changed": "bold yellow",
    "new": "yellow",
    "ignored": "dim",
    "conflict": "bold red",
}


FIRST_LOOK = 0.3  # seconds after a plan opens before its git state is looked up


class GitState:
    """The open plan's git state (:data:`kamtui.report.git.STATES`, or "none": not in a
    repository; "off": git not installed; "" not known yet), looked up in a thread when the plan
    opens, after each save or reload, after a commit, when the file changes on disk, and every
    ``interval`` seconds (a commit made in a terminal). Owned by the app as ``app.git``."""

    def __init__(self, app: KamApp) -> None:
        self.app = app
        self.state = ""
        self._stamp: object = None
        self._looking = False
        self._again = False
        self._off_said = False

    def opened(self, session: PlanSession) -> None:
        self.state = ""
        self._stamp = session.planfile.stamp
        session.subscribe(self._session_changed)
        # Not on the way to the first frame: a git subprocess and its thread then compete with it.
        self.app.set_timer(FIRST_LOOK, self.refresh)

    def _session_changed(self, session: PlanSession) -> None:
        """A save or a reload gives the file a new stamp: its git state may have changed."""
        if session is self.app.session and session.planfile.stamp is not self._stamp:
            self._stamp = session.planfile.stamp
            self.refresh()

    def refresh(self) -> None:
        session = self.app.session
        if session is None:
            return
        if self._looking:
            self._again = True  # once the look running now is done
            return
        self._looking = True
        path = session.path
        self.app.run_worker(lambda: self._look(path), thread=True, group="git-state", exit_on_error=False)

    def _look(self, path: Any) -> None:
        from ..report import git  # (in the thread: not on the way to the first frame)

        problem = ""
        try:
            state = git.status(path)
        except git.NoGit as exc:
            state, problem = "off", str(exc)
        except git.NotARepository:
            state = "none"
        except git.GitError as exc:
            state, problem = "off", str(exc)
        self.app.call_from_thread(self._found, path, state, problem)

    def _found(self, path: Any, state: str, problem: str) -> None:
        self._looking = False
        session = self.app.session
        if session is None or session.path != path:
            return
        if state == "off" and not self._off_said:
            self._off_said = True
            self.app.notify(t("git.off", why=problem), severity="warning", timeout=8, markup=False)
        if state != self.state:
            self.state = state
            screen = self.app.plan_screen()
            if screen is not None:
                screen.status_changed()
        if self._again:
            self._again = False
            self.refresh()

    def label(self) -> tuple[str, str] | None:
        """(text, style) for the header; None when there is nothing to say."""
        session = self.app.session
        count = len(session.plan.conflicts) if session is not None else 0
        if count:
            return t("git.conflicts", count=count), "bold red reverse"
        if self.state in STATE_STYLE:
            return t(f"git.state.{self.state}"), STATE_STYLE[self.state]
        if self.state == "none":
            return t("git.state.none"), "dim"
        return None


def fit_header(name: str, file: str, save: tuple[str, str], extra: tuple[str, str] | None, width: int) -> Content:
    """The plan screen's header on one line of ``width`` cells: "kamtui", the save state, the git
    state (``extra``), then the account and the file. The states come first and always show; when
    the line is too long, "kamtui" goes first, then the account and the file name are shortened
    (with "…")."""
    states: list[tuple[str, str]] = [save]
    if extra is not None:
        states += [("  ", ""), extra]
    states_width = sum(len(text) for text, _ in states)
    brand = "kamtui  "
    room = width - states_width - 3 - 5  # "   " after the states, "  —  " between the names
    if len(brand) + len(name) + len(file) > room:
        brand = ""
    room -= len(brand)
    if len(name) + len(file) > room:
        file = _cut(file, max(8, min(len(file), room // 3)))
        name = _cut(name, max(4, room - len(file)))
    return Content.assemble((brand, "bold"), *states, "   ", name, ("  —  ", "dim"), file)


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: max(1, room - 1)] + "…"


# --- the semantic difference -----------------------------------------------------------------------

_WORDS = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def diff_content(text: str, max_lines: int = MAX_DIFF_LINES) -> Content:
    """The lines of :func:`kamtui.report.diff.render_text` (already safe to show: control
    characters escaped) as a Content: removed words in red, added ones in green, item names bold."""
    lines = text.split("\n")
    more = len(lines) - max_lines
    out: list[Content] = []
    for line in lines[:max_lines]:
        pieces: list[tuple[str, str] | str] = []
        pos = 0
        for match in _WORDS.finditer(line):
            pieces.append(line[pos : match.start()])
            if match.group(1) is not None:
                pieces.append((match.group(1), "red strike"))
            else:
                pieces.append((match.group(2), "green"))
            pos = match.end()
        pieces.append(line[pos:])
        head, colon, rest = line.partition(": ")
        if colon and not line.startswith(" ") and pos == 0:
            pieces = [(head, "bold"), colon + rest]
        out.append(Content.assemble(*pieces))
    if more > 0:
        out.append(Content.styled(t("git.more_lines", count=more), "dim"))
    return Content("\n").join(out)


def semantic_difference(old: bytes | str | None, new: bytes | str | None, old_name: str, new_name: str) -> Content:
    """What changed from ``old`` to ``new`` (None: the file is not in that version), by section
    and item; when a side is not a valid plan, None is returned in its place by
    :func:`try_semantic`. Any thread."""
    found = try_semantic(old, new, old_name, new_name)
    return found if found is not None else Content(t("git.not_a_plan"))


def try_semantic(old: bytes | str | None, new: bytes | str | None, old_name: str, new_name: str) -> Content | None:
    """The semantic difference as a Content, or None when a side is not a valid plan (or too
    large). A side that is None (no such file in that version) shows as "added" / "removed"."""
    from ..report.diff import diff_texts, render_text
    from ..store.tomlio import LoadError, decode

    if old is None and new is None:
        return Content(t("git.no_change"))
    if old is None:
        return Content(t("git.added"))
    if new is None:
        return Content(t("git.removed"))
    if max(len(old), len(new)) > MAX_DIFF_BYTES:
        return None
    try:
        old_text = old if isinstance(old, str) else decode(old, old_name)
        new_text = new if isinstance(new, str) else decode(new, new_name)
        diff = diff_texts(old_text, new_text, old_name, new_name)
    except LoadError:
        return None
    except Exception:  # noqa: BLE001 - a difference that can't be made falls back, never a traceback
        return None
    return diff_content(render_text(diff)) if diff else Content(t("git.no_change"))


def snapshot_difference(disk: bytes | None, snap: dict[str, Any], disk_name: str, mine_name: str) -> Content | None:
    """What differs from the file on disk (``disk``) to the plan the app holds (``snap``, a
    snapshot taken on the UI thread), by section and item; None when the file on disk is not a
    valid plan (or too large): the caller then shows the line difference. Any thread."""
    from ..report.diff import diff_versions, render_text
    from ..report.versions import from_snapshot, read_full
    from ..store.tomlio import LoadError, decode

    if disk is None or len(disk) > MAX_DIFF_BYTES:
        return None
    try:
        old = read_full(decode(disk, disk_name), disk_name)
        diff = diff_versions(old, from_snapshot(mine_name, "", snap))
    except LoadError:
        return None
    except Exception:  # noqa: BLE001 - the line difference is shown instead, never a traceback
        return None
    return diff_content(render_text(diff)) if diff else None  # same content: the lines show what differs
