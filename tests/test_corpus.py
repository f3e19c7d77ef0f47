"""SPEC §9.3: the toml-test corpus. Every invalid file gets one clear line, exit 1, no traceback,
file untouched; every valid file is refused as "not a kamtui plan"."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from kamtui.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "toml-test"
TESTS = CORPUS / "tests"
BOM = b"\xef\xbb\xbf"


def missing_corpus(tests: Path, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """None when the corpus is at ``tests``; else ("skip" or "fail", why). Under CI a missing
    corpus fails: a green CI that never ran these tests would promise SPEC §9.3 for nothing."""
    if (tests / "invalid").is_dir():
        return None
    reason = f"toml-test corpus not found at {tests.parent} (expected ../shared/toml-test beside the repo)"
    if environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return "fail", f"{reason}; CI is set, so its tests cannot be skipped"
    return "skip", reason


@pytest.fixture
def corpus() -> Path:
    """The corpus's tests folder; a skip without it, a failure without it under CI."""
    missing = missing_corpus(TESTS, os.environ)
    if missing:
        verdict, reason = missing
        if verdict == "fail":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return TESTS


@pytest.mark.parametrize(
    ("ci", "verdict"), [(None, "skip"), ("", "skip"), ("0", "skip"), ("false", "skip"), ("1", "fail"), ("true", "fail")]
)
def test_a_missing_corpus_fails_under_ci_and_is_skipped_elsewhere(tmp_path, ci, verdict):
    environ = {} if ci is None else {"CI": ci}
    missing = missing_corpus(tmp_path / "toml-test" / "tests", environ)
    assert missing is not None and missing[0] == verdict
    assert str(tmp_path / "toml-test") in missing[1]
    (tmp_path / "toml-test" / "tests" / "invalid").mkdir(parents=True)
    assert missing_corpus(tmp_path / "toml-test" / "tests", environ) is None


def corpus_files(kind: str) -> list[Path]:
    return sorted((TESTS / kind).rglob("*.toml"))


def toml_10_files() -> set[Path]:
    """The files that belong to TOML 1.0.0 (the others use TOML 1.1 features)."""
    listing = TESTS / "files-toml-1.0.0"
    if not listing.is_file():
        return set()
    return {TESTS / line.strip() for line in listing.read_text("utf-8").splitlines() if line.strip()}


def run_check(capsys, files: list[Path]) -> tuple[int, str, str]:
    code = main(["check", *map(str, files)])
    out, err = capsys.readouterr()
    return code, out, err


def lines_by_file(err: str, files: list[Path]) -> dict[Path, list[str]]:
    """Each stderr line under the file it starts with (``name:LINE``)."""
    names = {str(f): f for f in files}
    found: dict[Path, list[str]] = {f: [] for f in files}
    for line in err.splitlines():
        match = re.match(r"(.+?\.toml):(\d+)(:\d+)?: ", line)
        assert match, f"not a 'file:line: message' line: {line!r}"
        found[names[match.group(1)]].append(line)
    return found


def test_every_invalid_file_gets_one_line_exit_1_and_is_untouched(capsys, corpus):
    files = corpus_files("invalid")
    assert len(files) > 100
    before = {f: f.read_bytes() for f in files}
    code, out, err = run_check(capsys, files)
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    found = lines_by_file(err, files)
    silent = [f for f, lines in found.items() if not lines]
    assert not silent, f"{len(silent)} invalid files accepted, e.g. {silent[:5]}"
    several = {f: lines for f, lines in found.items() if len(lines) != 1}
    assert not several, f"more than one line for {list(several.items())[:3]}"
    for line in err.splitlines():
        assert "\x1b" not in line and line.isprintable(), repr(line)
    changed = [f for f in files if f.read_bytes() != before[f]]
    assert not changed


def test_every_valid_file_is_not_a_kamtui_plan(capsys, corpus):
    files = [f for f in corpus_files("valid") if not f.read_bytes().startswith(BOM)]
    assert len(files) > 100
    toml10 = toml_10_files()
    code, out, err = run_check(capsys, files)
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    found = lines_by_file(err, files)
    for path, lines in found.items():
        if "schema = 1" in path.read_text("utf-8", errors="replace"):
            continue  # could be a plan by accident: any verdict but a traceback is fine
        assert len(lines) == 1, (path, lines)
        if path in toml10 or not toml10:
            assert "not a kamtui plan" in lines[0], lines[0]
        else:  # TOML 1.1 syntax: this Python's tomllib may not read it yet
            assert "not a kamtui plan" in lines[0] or "invalid TOML" in lines[0], lines[0]


def test_valid_files_with_a_utf8_bom_are_read(capsys, corpus):
    files = [f for f in corpus_files("valid") if f.read_bytes().startswith(BOM)]
    if not files:
        pytest.skip("no BOM file in this corpus")
    code, _, err = run_check(capsys, files)
    assert code == 1
    for _path, lines in lines_by_file(err, files).items():
        assert lines and "not a kamtui plan" in lines[0], lines


def test_cli_subprocess_on_every_invalid_file(tmp_path, corpus):
    files = corpus_files("invalid")
    env = {**os.environ, "KAMTUI_HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kamtui", "check", *map(str, files)],
        capture_output=True,
        timeout=60,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )
    err = result.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in err
    assert result.returncode == 1
    assert result.stdout == b""
    assert len(err.splitlines()) == len(files)
