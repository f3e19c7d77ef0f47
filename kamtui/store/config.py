"""The user's settings: a commented TOML file in the config folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tomli

from . import locations
from .atomic import atomic_write, ensure_private_dir

_TEMPLATE = """\
# kamtui settings. Delete a line to get the default back.

# Language of the interface and of new plans: "en" or "fr".
# Left out: taken from the system locale (English when unknown).
# lang = "fr"

# Folder holding your plans (put it under git to share them with your team).
# plans_dir = "~/plans"

# Seconds without typing before the plan is saved by itself; 0 turns autosave off.
autosave_seconds = 2

# Days after which a diagnostic answer counts as stale in the review.
stale_days = 180

# Days without contact after which a decision maker stands out.
contact_days = 90

# Keys: give any command other keys, by its id (several keys: comma-separated).
# Keys every terminal delivers are letters, F-keys and ctrl+letter.
[keys]
{{keys}}"""


# Every command id with its default keys (the interface's registry, kamtui/tui/commands.py,
# holds the same list: a test keeps the two equal).
COMMAND_KEYS = {
    "app.help": "f1",
    "app.save": "ctrl+s",
    "app.save_as": "ctrl+r",
    "app.undo": "ctrl+z",
    "app.redo": "ctrl+y",
    "app.goto": "ctrl+g",
    "app.checklist": "ctrl+t",
    "app.home": "ctrl+o",
    "app.quit": "ctrl+q",
    "app.palette": "ctrl+p,f12",
    "app.git_history": "ctrl+l",
    "app.git_commit": "ctrl+n",
    "app.conflicts": "ctrl+b",
    "app.export": "ctrl+e",
    "go.account": "f2",
    "go.diagnostic": "f3",
    "go.market": "f4",
    "go.competition": "f5",
    "go.relationships": "f6",
    "go.performance": "f7",
    "go.objectives": "f8",
    "go.actions": "f9",
    "go.review": "f10",
    "home.new": "n",
    "home.open": "enter,o",
    "home.delete": "d,delete",
    "home.reload": "r",
    "home.quit": "q",
    "item.add": "a,insert",
    "item.edit": "e",
    "item.delete": "d,delete",
    "item.up": "K,shift+up",
    "item.down": "J,shift+down",
    "actions.filter_status": "f",
    "actions.filter_owner": "o",
    "relationships.sort": "s",
    "diagnostic.next": "ctrl+down,ctrl+pagedown",
    "diagnostic.previous": "ctrl+up,ctrl+pageup",
    "review.down": "j",
    "review.up": "k",
    "review.next": "n",
    "review.prev": "p",
    "review.prev_hit": "N",
    "review.search": "slash",
    "review.clear": "escape",
    "review.visit": "v",
    "review.brief": "b",
    "review.back": "q",
    "checklist.down": "down,j",
    "checklist.up": "up,k",
    "checklist.page_down": "pagedown",
    "checklist.page_up": "pageup",
    "checklist.first": "home",
    "checklist.last": "end",
    "checklist.open": "enter",
    "editor.accept": "ctrl+s",
    "editor.cancel": "escape",
    "dialog.cancel": "escape",
    "dialog.dismiss": "escape",
    "dialog.close": "escape,enter,q",
    "help.close": "escape,f1,q",
    "history.show": "enter",
    "history.since": "s",
    "history.close": "escape,q",
    "conflicts.ours": "o",
    "conflicts.theirs": "t",
    "conflicts.edit": "e",
    "conflicts.close": "escape,q",
}


def template() -> str:
    """The commented config.toml written on first run, listing every command id."""
    lines = [f'# "{command}" = "{keys}"' for command, keys in COMMAND_KEYS.items()]
    return _TEMPLATE.replace("{{keys}}", "\n".join(lines) + "\n")


TEMPLATE = template()


@dataclass
class Config:
    """The user's settings (config.toml), with the problems met reading them."""

    lang: str | None = None
    plans_dir: Path = field(default_factory=locations.default_plans_dir)
    autosave_seconds: float = 2.0
    stale_days: int = 180
    contact_days: int = 90
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _number(raw: dict, key: str, default: float, problems: list[str], path: Path) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        problems.append(f"{path}: {key}: expected a positive number, got {value!r}; using {default}")
        return default
    return value


def load_config(path: Path | None = None, create: bool = False) -> Config:
    """Read the config; a missing file gives the defaults (written out when ``create``)."""
    path = path or locations.config_file()
    config = Config()
    try:
        raw = tomli.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        if create:
            try:
                ensure_private_dir(path.parent)
                atomic_write(path, TEMPLATE.encode("utf-8"))
            except OSError:
                pass
        return config
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
        config.problems.append(f"{path}: {exc}; using the defaults")
        return config
    lang = raw.get("lang")
    if lang in ("en", "fr"):
        config.lang = lang
    elif lang is not None:
        config.problems.append(f'{path}: lang: expected "en" or "fr", got {lang!r}')
    plans_dir = raw.get("plans_dir")
    if isinstance(plans_dir, str) and plans_dir.strip():
        config.plans_dir = Path(plans_dir).expanduser()
    elif plans_dir is not None:
        config.problems.append(f"{path}: plans_dir: expected a folder path in quotes, got {plans_dir!r}")
    config.autosave_seconds = float(_number(raw, "autosave_seconds", 2.0, config.problems, path))
    config.stale_days = int(_number(raw, "stale_days", 180, config.problems, path))
    config.contact_days = int(_number(raw, "contact_days", 90, config.problems, path))
    keys = raw.get("keys", {})
    if isinstance(keys, dict) and all(isinstance(v, str) and v.strip() for v in keys.values()):
        config.keys = {k: v.strip() for k, v in keys.items()}
    else:
        config.problems.append(f'{path}: keys: expected a table of command = "keys" lines, e.g. "app.save" = "f2"')
    return config


def system_lang() -> str:
    """ "fr" when the system locale is French, else "en"."""
    import os

    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def resolve_lang(cli_lang: str | None, config: Config) -> str:
    return cli_lang or config.lang or system_lang()
