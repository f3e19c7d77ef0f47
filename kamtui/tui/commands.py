"""Every app command, defined once: its key binding (with an id users can remap),
its footer text and its command palette entry."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .i18n import t

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
    """One app command (a NamedTuple: cheaper than a frozen dataclass to create at start-up)."""

    id: str
    keys: str
    action: str
    label: str  # catalog key
    show: bool = True
    plan_only: bool = False  # only meaningful with a plan open

    def binding(self) -> Binding:
        # priority: works while typing in a field too.
        return Binding(self.keys, self.action, t(self.label), show=self.show, priority=True, id=self.id)


APP_COMMANDS = (
    Command("app.help", "f1", "help", "cmd.help"),
    Command("app.save", "ctrl+s", "save", "cmd.save", plan_only=True),
    Command("app.goto", "ctrl+g", "goto", "cmd.goto", plan_only=True),
    Command("app.checklist", "ctrl+t", "toggle_checklist", "cmd.checklist", plan_only=True),
    Command("app.home", "ctrl+o", "home", "cmd.home", show=False),
    Command("app.quit", "ctrl+q", "quit", "cmd.quit"),
    *(
        Command(f"go.{name}", key, f"section('{name}')", f"section.{name}", show=False, plan_only=True)
        for name, key in SECTIONS
    ),
)


def app_bindings() -> list[Binding]:
    return [command.binding() for command in APP_COMMANDS]


class KamCommands(Provider):
    """The app's commands in the command palette (ctrl+p or F12)."""

    def _commands(self) -> list[Command]:
        has_plan = getattr(self.app, "planfile", None) is not None
        return [c for c in APP_COMMANDS if has_plan or not c.plan_only]

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(
                t(command.label), partial(self.app.run_action, command.action), help=command.keys.upper()
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            label = t(command.label)
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self.app.run_action, command.action),
                    help=command.keys.upper(),
                )
