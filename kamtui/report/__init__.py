"""Exports, semantic diff and merge. Never imports textual."""
