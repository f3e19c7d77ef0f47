"""Where kamtui keeps things. ``KAMTUI_HOME`` puts everything under one folder."""

from __future__ import annotations

import os
from pathlib import Path

APP = "kamtui"


def home() -> Path | None:
    value = os.environ.get("KAMTUI_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    if (root := home()) is not None:
        return root
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def config_file() -> Path:
    return config_dir() / "config.toml"


def data_dir() -> Path:
    if (root := home()) is not None:
        return root
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def default_plans_dir() -> Path:
    return data_dir() / "plans"


def state_dir() -> Path:
    """Caches and recovery files: not for the user's eyes, not for git."""
    if (root := home()) is not None:
        return root / "state"
    from platformdirs import user_state_path

    return user_state_path(APP, appauthor=False)


def own_folder(folder: Path) -> bool:
    """True for a folder that is kamtui's own, holding nothing but what kamtui writes there: the
    state folder (caches, recovery copies, locks, logs) and any folder in it, and the config
    folder when it is platformdirs' ``.../kamtui`` (not a ``KAMTUI_HOME`` the user chose, which
    may hold the plans). Such a folder is kept 0700; a plans folder never is made so by kamtui
    once it exists."""
    folder = Path(os.path.realpath(folder))
    state = Path(os.path.realpath(state_dir()))
    if folder == state or state in folder.parents:
        return True
    return home() is None and folder == Path(os.path.realpath(config_dir()))


def private_write_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (replacing it atomically), readable by this user only: a 0600
    file in a 0700 folder, whatever the umask. For what kamtui writes beside the plans that may
    hold client information, such as the crash log."""
    from .atomic import atomic_write, ensure_private_dir  # atomic imports this module

    path = Path(path)
    ensure_private_dir(path.parent)
    atomic_write(path, text.encode("utf-8"), private=True)
    return path


def question_templates() -> list[Path]:
    """Template files that add diagnostic questions: ``questions.toml`` in the config folder."""
    return [config_dir() / "questions.toml"]
