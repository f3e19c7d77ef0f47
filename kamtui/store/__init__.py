"""Plan files on disk. Never imports textual."""
