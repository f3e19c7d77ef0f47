"""Every command of the interface, defined once.

A :class:`Command` has an id (which users remap in the ``[keys]`` table of ``config.toml``), its
default keys, the action it runs and a label — a catalog key, translated when shown, so that the
language can change while the app runs. From this one table come the widgets' and screens'
``BINDINGS``, the key bar, the F1 help, the go-to dialog and the command palette.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .i18n import has, t

if TYPE_CHECKING:
    from textual.screen import Screen

# Plan sections in order: (name, F-key). ctrl+g then the digit also reaches each one.
SECTIONS = (
    ("account", "f2"),
    ("diagnostic", "f3"),
    ("market", "f4"),
    ("competition", "f5"),
    ("relationships", "f6"),
    ("performance", "f7"),
    ("objectives", "f8"),
    ("actions", "f9"),
    ("review", "f10"),
)


class Command(NamedTuple):
    """One command (a NamedTuple: cheaper than a frozen dataclass to create at start-up)."""

    id: str
    keys: str  # default keys, comma-separated
    action: str
    label: str  # catalog key
    show: bool = True  # in the key bar
    plan_only: bool = False  # only meaningful with a plan open
    priority: bool = False  # works while typing in a field
    listed: bool = False  # in the palette even when not in the key bar

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.show, priority=self.priority, id=self.id)


def _commands() -> dict[str, Command]:
    app = [
        Command("app.help", "f1", "help", "cmd.help", priority=True),
        Command("app.save", "ctrl+s", "save", "cmd.save", plan_only=True, priority=True),
        Command("app.save_as", "ctrl+r", "save_as", "cmd.save_as", show=False, plan_only=True, priority=True),
        Command("app.undo", "ctrl+z", "undo", "cmd.undo", plan_only=True, priority=True),
        Command("app.redo", "ctrl+y", "redo", "cmd.redo", plan_only=True, priority=True),
        Command("app.goto", "ctrl+g", "goto", "cmd.goto", plan_only=True, priority=True),
        Command("app.checklist", "ctrl+t", "toggle_checklist", "cmd.checklist", plan_only=True, priority=True),
        Command("app.home", "ctrl+o", "home", "cmd.home", show=False, priority=True),
        Command("app.quit", "ctrl+q", "quit", "cmd.quit", priority=True),
        Command("app.palette", "ctrl+p,f12", "command_palette", "cmd.palette", show=False, priority=True),
        Command("app.git_history", "ctrl+l", "git_history", "cmd.git_history", False, True, True),
        Command("app.git_commit", "ctrl+n", "git_commit", "cmd.git_commit", False, True, True),
        Command("app.conflicts", "ctrl+b", "conflicts", "cmd.conflicts", False, True, True),
        # Not priority: in a text field ctrl+e is the end of the line; the palette has it anywhere.
        Command("app.export", "ctrl+e", "export", "export.cmd", show=False, plan_only=True),
        *(
            Command(f"go.{name}", key, f"section('{name}')", f"section.{name}", False, True, True)
            for name, key in SECTIONS
        ),
    ]
    others = [
        Command("home.new", "n", "new", "home.new"),
        Command("home.open", "enter,o", "open", "home.open"),
        Command("home.delete", "d,delete", "delete", "home.delete"),
        Command("home.reload", "r", "reload", "home.reload"),
        Command("home.quit", "q", "app.quit", "cmd.quit", show=False),
        Command("item.add", "a,insert", "add", "table.add"),
        Command("item.edit", "e", "edit", "table.edit"),
        Command("item.delete", "d,delete", "delete", "table.delete"),
        Command("item.up", "K,shift+up", "move(-1)", "table.up"),
        Command("item.down", "J,shift+down", "move(1)", "table.down"),
        Command("actions.filter_status", "f", "filter_status", "actions.filter_status"),
        Command("actions.filter_owner", "o", "filter_owner", "actions.filter_owner"),
        Command("relationships.sort", "s", "sort", "relationships.sort"),
        Command("diagnostic.next", "ctrl+down,ctrl+pagedown", "next_question", "diagnostic.next"),
        Command("diagnostic.previous", "ctrl+up,ctrl+pageup", "previous_question", "diagnostic.previous", show=False),
        Command("review.down", "j", "scroll_down", "review.down", show=False),
        Command("review.up", "k", "scroll_up", "review.up", show=False),
        Command("review.next", "n", "next", "visit.cmd_next"),
        # p, N and Escape are in F1 and the palette, not in the key bar: it keeps room for ctrl+s, ctrl+z.
        Command("review.prev", "p", "previous_part", "visit.cmd_prev", show=False, listed=True),
        Command("review.prev_hit", "N", "previous_hit", "visit.cmd_prev_hit", show=False, listed=True),
        Command("review.search", "slash", "search", "visit.cmd_search"),
        Command("review.clear", "escape", "clear_search", "visit.cmd_clear", show=False, listed=True),
        Command("review.visit", "v", "visit_date", "visit.cmd_visit"),
        Command("review.brief", "b", "brief", "visit.cmd_brief"),
        Command("review.back", "q", "back", "visit.cmd_back"),
        Command("checklist.down", "down,j", "move(1)", "checklist.down", show=False),
        Command("checklist.up", "up,k", "move(-1)", "checklist.up", show=False),
        Command("checklist.page_down", "pagedown", "page(1)", "checklist.page_down", show=False),
        Command("checklist.page_up", "pageup", "page(-1)", "checklist.page_up", show=False),
        Command("checklist.first", "home", "edge(0)", "checklist.first", show=False),
        Command("checklist.last", "end", "edge(1)", "checklist.last", show=False),
        Command("checklist.open", "enter", "select", "checklist.open", show=False),
        Command("editor.accept", "ctrl+s", "accept", "dialog.ok", priority=True),
        Command("editor.cancel", "escape", "cancel", "dialog.cancel"),
        Command("dialog.cancel", "escape", "cancel", "dialog.cancel"),
        Command("dialog.dismiss", "escape", "dismiss_none", "dialog.cancel", show=False),
        Command("dialog.close", "escape,enter,q", "close", "dialog.close"),
        Command("help.close", "escape,f1,q", "close", "dialog.close"),
        Command("history.show", "enter", "show", "history.show"),
        Command("history.since", "s", "since", "history.since_key"),
        Command("history.close", "escape,q", "close", "dialog.close"),
        Command("conflicts.ours", "o", "ours", "conflicts.take_ours"),
        Command("conflicts.theirs", "t", "theirs", "conflicts.take_theirs"),
        Command("conflicts.edit", "e", "edit", "conflicts.edit"),
        Command("conflicts.close", "escape,q", "close", "dialog.close"),
    ]
    return {command.id: command for command in (*app, *others)}


COMMANDS = _commands()
APP_COMMANDS = tuple(c for c in COMMANDS.values() if c.id.startswith(("app.", "go.")))


def bindings(*ids: str) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The bindings of the commands ``ids``, for a widget's or screen's ``BINDINGS``."""
    return [COMMANDS[i].binding() for i in ids]


def app_bindings() -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    return [command.binding() for command in APP_COMMANDS]


def label(binding: Binding) -> str:
    """What a binding does, in the language of the interface now: its description is a catalog
    key for kamtui's own commands; Textual's widgets bring their own English text, translated
    through the catalog's ``[textual]`` table (shown as is when it has no entry)."""
    description = binding.description
    if has(description):
        return t(description)
    return t(f"textual.{description}") if has(f"textual.{description}") else description


def check_keymap(keymap: dict[str, str]) -> list[str]:
    """Problems with a ``[keys]`` table: ids that are not commands."""
    return [f"[keys] {key}: no command with this id" for key in keymap if key not in COMMANDS]


def grouped_keys(screen: Screen[Any], entries: Iterable[tuple[Any, Binding, bool, str]]) -> list[tuple[str, str, bool]]:
    """(keys, label, enabled) for each action bound on ``screen``, the keys of one action together
    ("^p / F12"), in binding order."""
    found: dict[tuple[str, str], tuple[list[str], bool]] = {}
    for _node, binding, enabled, _tooltip in entries:
        if not binding.description:
            continue
        key = (binding.action, label(binding))
        display = screen.app.get_key_display(binding)
        keys, was = found.setdefault(key, ([], enabled))
        if display not in keys:
            keys.append(display)
        found[key] = (keys, was or enabled)
    return [(" / ".join(keys), text, enabled) for (_action, text), (keys, enabled) in found.items()]


class KamCommands(Provider):
    """The command palette (ctrl+p or F12): the app's commands and those of the screen and the
    widget it was opened from, each with its keys."""

    def _hits(self) -> Sequence[tuple[str, Any, str]]:
        from .access import app_of

        app = app_of(self.screen)
        keys: dict[str, list[str]] = {}
        nodes: dict[str, Any] = {}
        # Commands that don't apply here are not in active_bindings; greyed-out ones (Save with
        # nothing to save) are, and stay listed.
        for node, binding, _enabled, _tooltip in self.screen.active_bindings.values():
            if binding.id in COMMANDS:
                keys.setdefault(binding.id, []).append(app.get_key_display(binding))
                nodes.setdefault(binding.id, node)
        found: list[tuple[str, Any, str]] = []
        for command_id, node in nodes.items():
            command = COMMANDS[command_id]
            if command.id == "app.palette" or not (
                command.show or command.listed or command.id.startswith(("app.", "go."))
            ):
                continue
            found.append((t(command.label), partial(node.run_action, command.action), " / ".join(keys[command_id])))
        return found

    async def discover(self) -> Hits:
        for text, run, keys in self._hits():
            yield DiscoveryHit(text, run, help=keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, run, keys in self._hits():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, help=keys)
