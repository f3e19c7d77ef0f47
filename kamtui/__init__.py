"""kamtui: Account Business Plans for Key Account Managers."""

__version__ = "0.1.0"
