"""SPEC §9.4: hostile files are refused with a clear one-line error naming the file, fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kamtui.cli import main
from kamtui.store.planfile import PlanFile
from kamtui.store.tomlio import LoadError

TEN_MB = 10 * 1024 * 1024


def deep_arrays(path: Path) -> None:
    path.write_text("schema = 1\nx = " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")


def deep_inline_tables(path: Path) -> None:
    path.write_text("schema = 1\nx = " + "{a = " * 10_000 + "1" + "}" * 10_000 + "\n", encoding="utf-8")


def deep_in_account(path: Path) -> None:
    path.write_text("schema = 1\n\n[account]\nname = " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")


def ten_mb(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write('schema = 1\n\n[account]\nname = "Big"\nsummary = """\n')
        line = "x" * 99 + "\n"
        handle.write(line * (TEN_MB // 100 + 1))
        handle.write('"""\n')


def huge_integer(path: Path) -> None:
    path.write_text('schema = 1\n\n[[actions]]\nid = "a-aaaaaa"\ninvestment = ' + "7" * 5_000 + "\n", encoding="utf-8")


def huge_integer_unknown_key(path: Path) -> None:
    path.write_text("schema = 1\nn = " + "1" * 5_000 + "\n", encoding="utf-8")


def invalid_utf8(path: Path) -> None:
    path.write_bytes(b'schema = 1\n\n[account]\nname = "Distrib \xff\xfe SA"\n')


def a_directory(path: Path) -> None:
    path.mkdir()


def missing(path: Path) -> None:
    pass


HOSTILE = {
    "deep-arrays": (deep_arrays, "nest"),
    "deep-inline-tables": (deep_inline_tables, "nest"),
    "deep-in-account": (deep_in_account, "nest"),
    "ten-mb": (ten_mb, "too large"),
    "huge-integer": (huge_integer, "digits"),
    "huge-integer-unknown-key": (huge_integer_unknown_key, "digits"),
    "invalid-utf8": (invalid_utf8, "UTF-8"),
    "directory": (a_directory, "folder"),
    "missing": (missing, "no such file"),
}

# the line each error must point at, when the error has one
LINES = {"huge-integer": 5, "huge-integer-unknown-key": 2, "invalid-utf8": 4}


@pytest.fixture(params=sorted(HOSTILE))
def hostile(request, tmp_path) -> tuple[str, Path, str]:
    make, word = HOSTILE[request.param]
    path = tmp_path / f"{request.param}.toml"
    make(path)
    return request.param, path, word


def test_check_refuses_hostile_file_with_one_clear_line(capsys, hostile):
    case, path, word = hostile
    before = path.read_bytes() if path.is_file() else None
    start = time.perf_counter()
    code = main(["check", str(path)])
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}:"), lines[0]
    assert word.lower() in lines[0].lower(), lines[0]
    assert len(lines[0]) < 300
    if case in LINES:
        assert lines[0].startswith(f"{path}:{LINES[case]}:"), lines[0]
    assert elapsed < 2.0, f"{case}: {elapsed:.2f} s"
    if before is not None:
        assert path.read_bytes() == before
    else:
        assert not path.is_file()


def test_planfile_load_raises_load_error(hostile):
    case, path, word = hostile
    start = time.perf_counter()
    with pytest.raises(LoadError) as info:
        PlanFile.load(path)
    assert time.perf_counter() - start < 2.0
    assert len(info.value.lines) == 1
    assert info.value.lines[0].startswith(f"{path}:")
    assert word.lower() in info.value.lines[0].lower()


def test_check_refuses_an_integer_too_big_for_a_number_field(capsys, tmp_path):
    path = tmp_path / "overflow.toml"
    path.write_text('schema = 1\n\n[[actions]]\nid = "a-aaaaaa"\ninvestment = 1' + "0" * 400 + "\n", encoding="utf-8")
    code = main(["check", str(path)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith(f"{path}:5: actions[1].investment: expected a number")


# --- files that are not regular files -------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def check_in_subprocess(target: Path, home: Path) -> tuple[int | None, str, float]:
    """``python -m kamtui check TARGET`` with 1 GB of address space and a 3 s timeout:
    (exit code or None on timeout, stderr, seconds)."""
    import os
    import subprocess
    import sys

    def limit_memory():  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    start = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "kamtui", "check", str(target)],
            cwd=ROOT,
            env={**os.environ, "KAMTUI_HOME": str(home)},
            capture_output=True,
            timeout=3,
            preexec_fn=limit_memory,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        return None, (exc.stderr or b"").decode("utf-8", "replace"), time.perf_counter() - start
    return result.returncode, result.stderr.decode("utf-8", "replace"), time.perf_counter() - start


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_check_refuses_a_named_pipe(tmp_path):
    import os

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    code, err, elapsed = check_in_subprocess(fifo, tmp_path / "home")
    assert code == 1, f"exit {code} after {elapsed:.1f} s"
    assert err.startswith(f"{fifo}:") and len(err.splitlines()) == 1 and "Traceback" not in err
    assert elapsed < 2.0


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_check_refuses_an_endless_device(tmp_path):
    code, err, elapsed = check_in_subprocess(Path("/dev/zero"), tmp_path / "home")
    assert "Traceback" not in err and "MemoryError" not in err
    assert code == 1 and err.startswith("/dev/zero:") and len(err.splitlines()) == 1
    assert elapsed < 2.0


def test_deep_nesting_in_a_thread_with_a_small_default_stack_is_refused(tmp_path):
    """tomli, compiled, recurses on the C stack: with musl's 128 KB thread stacks a deeply nested
    file read in a worker thread crashed the process (a segmentation fault). kamtui gives its
    threads a main thread's stack: refused with the usual error. Run in a process of its own,
    started with a small default stack, as on such a system."""
    import subprocess
    import sys

    path = tmp_path / "deep.toml"
    deep_inline_tables(path)
    code = f"""
import threading
threading.stack_size(256 * 1024)  # the platform's default, say
from kamtui.store.planfile import PlanFile
from kamtui.store.tomlio import LoadError
said = []
def read():
    try:
        PlanFile.load({str(path)!r})
    except LoadError as exc:
        said.append(str(exc))
thread = threading.Thread(target=read)
thread.start()
thread.join()
print(said[0])
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert "nest" in done.stdout and "deep.toml" in done.stdout
