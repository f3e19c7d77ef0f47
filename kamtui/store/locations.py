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


def question_templates() -> list[Path]:
    """Template files that add diagnostic questions: ``questions.toml`` in the config folder."""
    return [config_dir() / "questions.toml"]
