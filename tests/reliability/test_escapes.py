"""Terminal escapes from plan text and file names never reach the terminal raw (SPEC §9.5, §9.9).

The real app runs in a pseudo-terminal (120×40, ``TERM=xterm-256color``) on a plan whose every
text field, whose question template and whose file name hold hostile sequences: OSC 52 clipboard
writes, OSC 0 window titles, OSC 8 links to ``file:///etc/passwd``, ``ESC[2J`` and the 8-bit CSI
U+009B. The test visits every section, opens the item editor of each table, the help, the
palette, the plans list and a load-error dialog, and searches everything the app wrote for the
payloads it planted. Textual writes many escape sequences of its own: the markers are the
planted ones (``ESC]0;pwned``, ``ESC]52;`` — Textual sends it only to copy —, ``ESC]8;;file:``,
``ESC[2Jpwn``, U+009B), never a bare ESC. The CLI (``list``, ``list --json``, ``check --strict``)
is searched the same way, and the plan file must be left byte for byte as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

OSC0 = "\x1b]0;pwned\x1b\\"
OSC52 = "\x1b]52;c;cHduZWQ=\x1b\\"
OSC8 = "\x1b]8;;file:///etc/passwd\x1b\\pw\x1b]8;;\x1b\\"
CLEAR = "\x1b[2Jpwn"
CSI8 = "\x9b2Jpwn"
PARTS = [OSC0, OSC52, OSC8, CLEAR, CSI8]

# What must never be in the bytes written: each one is only there if a planted payload went raw.
MARKERS = {
    "OSC 0 title": "\x1b]0;pwned",
    "OSC 52 clipboard": "\x1b]52;",
    "OSC 8 link": "\x1b]8;;file:",
    "ESC[2J from the plan": "\x1b[2Jpwn",
    "8-bit CSI U+009B": "\x9b",
    "a raw 0x9b byte": "\udc9b",  # not UTF-8: decoded with surrogateescape
    "ST after the payload": "pwned\x1b\\",
}


def payload(tag: str, n: int) -> str:
    """``tag`` then the hostile parts, rotated by ``n``: each part comes first in some field (a
    table cell shows the start of a text only)."""
    k = n % len(PARTS)
    return tag + "".join(PARTS[k:] + PARTS[:k])


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` exactly (controls as \\u escapes)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# Every text field of the plan: (tag, where). The tags are looked for on screen.
FIELDS = [
    ("ACCNAME", "account.name"),
    ("GROUP", "account.group"),
    ("SUMMARY", "account.summary"),
    ("STRATEGY", "account.strategy"),
    ("PRIORITIES", "account.current_priorities"),
    ("TEAMNAME", "team.name"),
    ("ANSWER", "answer"),
    ("GAPQ", "gap.question"),
    ("GAPASK", "gap.ask"),
    ("STRENGTH", "swot.strengths"),
    ("THREAT", "swot.threats"),
    ("COMPNAME", "competitor.name"),
    ("APPROACH", "competitor.approach"),
    ("STAKENAME", "stakeholder.name"),
    ("STAKETITLE", "stakeholder.title"),
    ("STAKENOTES", "stakeholder.notes"),
    ("EVENT", "history.event"),
    ("KPINAME", "kpi.name"),
    ("OBJTITLE", "objective.title"),
    ("ACTTITLE", "action.title"),
    ("COMMIT", "action.client_commitment"),
    ("ACTNOTES", "action.notes"),
    ("ACTOWNER", "action.owner"),
]
V = {where: toml_string(payload(tag, n)) for n, (tag, where) in enumerate(FIELDS)}

PLAN = f"""\
schema = 1
lang = "en"

[account]
name = {V["account.name"]}
group = {V["account.group"]}
currency = "EUR"
period_start = 2026-01-01
period_end = 2026-12-31
summary = {V["account.summary"]}
strategy = {V["account.strategy"]}
current_priorities = {V["account.current_priorities"]}

[[account.team]]
name = {V["team.name"]}
role = "KAM"

[diagnostic.know-client]
answer = {V["answer"]}
status = "draft"
updated = 2020-01-01

[diagnostic.hostile-q]
answer = "x"
status = "answered"
updated = 2020-01-01

[[gaps]]
id = "g-111111"
question = {V["gap.question"]}
ask = {V["gap.ask"]}

[swot]
strengths = [{V["swot.strengths"]}]
threats = [{V["swot.threats"]}]

[[competitors]]
id = "c-111111"
name = {V["competitor.name"]}
approach = {V["competitor.approach"]}

[[stakeholders]]
id = "s-111111"
name = {V["stakeholder.name"]}
title = {V["stakeholder.title"]}
role = "decision-maker"
influence = 5
notes = {V["stakeholder.notes"]}

[[stakeholders]]
id = "s-222222"
name = "Boss"
reports_to = "s-111111"

[[history]]
id = "h-111111"
date = 2026-02-01
event = {V["history.event"]}

[[kpis]]
id = "k-111111"
name = {V["kpi.name"]}

[[measures]]
kpi = "k-111111"
period = "2026"
target = 10.0
actual = 5.0

[[objectives]]
id = "o-111111"
title = {V["objective.title"]}
kpi = "k-111111"
target = 10.0

[[actions]]
id = "a-111111"
title = {V["action.title"]}
objective = "o-111111"
owner = {V["action.owner"]}
due = 2020-01-01
client_commitment = {V["action.client_commitment"]}
notes = {V["action.notes"]}
"""

# A question template (the user's questions.toml): its texts and its area are shown too.
TEMPLATE = f"""\
[[questions]]
id = "hostile-q"
area = "client"
en = {toml_string(payload("QTEXT", 1))}
fr = {toml_string(payload("QTEXT", 1))}
hint_en = {toml_string(payload("QHINT", 2))}
hint_fr = "x"

[[questions]]
id = "hostile-area"
area = {toml_string(payload("AREA", 3))}
en = "Plain question?"
fr = "Question ?"
"""

PLAN_NAME = "acme" + OSC0 + "\x9b.toml"
BAD_NAME = "bad" + OSC0 + ".toml"
# Valid TOML but not a plan: the error quotes the value (and the file name).
BAD = f"schema = {toml_string(payload('SCHEMA', 4))}\n"

# Keys as a terminal sends them (xterm).
F = {1: "\x1bOP", 2: "\x1bOQ", 3: "\x1bOR", 4: "\x1bOS", 5: "\x1b[15~", 6: "\x1b[17~"}
F.update({7: "\x1b[18~", 8: "\x1b[19~", 9: "\x1b[20~", 10: "\x1b[21~"})
ENTER, ESCAPE, DOWN, TAB, SHIFT_TAB = "\r", "\x1b", "\x1b[B", "\t", "\x1b[Z"
CTRL_P, CTRL_Q, CTRL_O, CTRL_DOWN = "\x10", "\x11", "\x0f", "\x1b[1;5B"

COLUMNS, ROWS = 120, 40


class Terminal:
    """The app running in a pseudo-terminal; everything it writes is kept in ``output``."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.master = master
        self.output = bytearray()
        self.last_read = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kamtui", *argv],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if not ready:
                    if self.process.poll() is not None:
                        return
                    continue
                data = os.read(self.master, 65536)
            except OSError:  # the child is gone (EIO)
                return
            if not data:
                return
            with self._lock:
                self.output += data
                self.last_read = time.monotonic()

    def size(self) -> int:
        with self._lock:
            return len(self.output)

    def text(self, since: int = 0) -> str:
        with self._lock:
            return bytes(self.output[since:]).decode("utf-8", "surrogateescape")

    def settle(self, quiet: float = 0.12, at_most: float = 5.0) -> None:
        """Wait until the app has written nothing for ``quiet`` seconds (a blinking cursor writes
        every 0.5 s: the quieter it must be, the more often a blink makes the wait start again;
        every step waits for the text it expects before this)."""
        start = time.monotonic()
        while time.monotonic() - start < at_most:
            with self._lock:
                idle = time.monotonic() - self.last_read
            if idle >= quiet:
                return
            time.sleep(0.02)

    def wait_for(self, text: str, since: int = 0, at_most: float = 15.0, *more: str) -> bool:
        """Wait until the app has written ``text`` and each of ``more`` (after byte ``since``), then
        until it is quiet."""
        start = time.monotonic()
        while any(each not in self.text(since) for each in (text, *more)):
            if time.monotonic() - start > at_most or self.process.poll() is not None:
                return False
            time.sleep(0.03)
        self.settle()
        return True

    def press(self, key: str, expect: str = "", at_most: float = 15.0) -> bool:
        """Send ``key``; wait until the app has drawn ``expect`` (else until it drew anything)
        and is quiet. False if it never did."""
        since = self.size()
        os.write(self.master, key.encode())
        if expect:
            return self.wait_for(expect, since, at_most)
        start = time.monotonic()
        while self.size() == since and time.monotonic() - start < 3:
            time.sleep(0.02)
        self.settle()
        return self.size() > since

    def press_times(self, key: str, times: int, expect: str, *more: str) -> bool:
        """Press ``key`` ``times`` times, as fast as a user would, then wait until the app has drawn
        ``expect`` and each of ``more`` (a later frame may draw them: waiting for one, then looking
        for the other once the app is quiet, missed a frame that came after the quiet). The app takes the keys in order, however slow it is: where the walk must end on
        one widget (Enter follows), this is exact; ``press_until`` could stop one key late when a
        frame came after the quiet it waited for."""
        since = self.size()
        for _ in range(times):
            os.write(self.master, key.encode())
        return self.wait_for(expect, since, 15.0, *more)

    def press_until(self, key: str, expect: str, times: int = 15) -> bool:
        """Press ``key`` until the app has drawn ``expect`` (down a list)."""
        since = self.size()
        for _ in range(times):
            self.press(key)
            if expect in self.text(since):
                return True
        return False

    def finish(self, timeout: float = 15.0) -> int:
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(5)
        self._reader.join(5)
        os.close(self.master)
        return code


def leaks(text: str) -> list[str]:
    """The planted payloads found in ``text``, each with a little of what surrounds it."""
    found = []
    for what, marker in MARKERS.items():
        at = text.find(marker)
        if at >= 0:
            found.append(f"{what}: ...{text[max(0, at - 30) : at + 40]!r}...")
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """A KAMTUI_HOME with the question template, a plans folder with the hostile plan (named with
    an escape) and a broken file (named with an escape too)."""
    home = tmp_path_factory.mktemp("escapes-home")
    plans = home / "plans"
    plans.mkdir()
    (home / "config.toml").write_text(f'lang = "en"\nplans_dir = {json.dumps(str(plans))}\n', "utf-8")
    (home / "questions.toml").write_text(TEMPLATE, "utf-8")
    plan = plans / PLAN_NAME
    plan.write_text(PLAN, "utf-8")
    bad = plans / BAD_NAME
    bad.write_text(BAD, "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TEXTUAL")}
    env.update(KAMTUI_HOME=str(home), KAMTUI_TODAY="2026-11-29", TERM="xterm-256color", LANG="C.UTF-8")
    env.pop("LC_ALL", None)
    return {"home": home, "plans": plans, "plan": plan, "bad": bad, "env": env, "bytes": plan.read_bytes()}


EDITOR = "shift+Tab: fields"  # the item editor's hint


@pytest.fixture(scope="module")
def tui_output(world, request) -> tuple[str, list[str]]:
    """Everything the app wrote while the user walked through the hostile plan, then opened the
    broken file; and the steps whose expected text never came (the walk went wrong)."""
    repo = Path(__file__).resolve().parents[2]
    term = Terminal([str(world["plan"])], world["env"], repo)
    second = Terminal([str(world["bad"])], world["env"], repo)  # at the same time: the load-error dialog
    for app in (term, second):  # whatever happens below, no app is left running after the tests
        request.addfinalizer(app.process.kill)
    missed: list[str] = []

    started = time.monotonic()

    def step(name: str, done: bool) -> None:
        if not done:
            missed.append(name)
        if os.environ.get("KAMTUI_ESCAPES_TRACE"):  # how long each step takes (pytest -s)
            print(f"{time.monotonic() - started:6.2f}s {name}: {'ok' if done else 'MISSED'}")

    step("load error", second.wait_for("SCHEMA"))  # over the plans list: both file names
    second.press(ESCAPE)
    second.press(CTRL_Q)
    second.finish()
    step("start", term.wait_for("ACCNAME"))  # the Review, with the checklist and the header
    step("F2 account", term.press(F[2], "GROUP"))
    # Back from the first field, round to the team table: the checklist, the section's scroll box
    # and the form's come first. Enter follows, so the count is exact; the key bar then shows a
    # table's keys and the table, scrolled into view (a frame later), its row.
    step("team table", term.press_times(SHIFT_TAB, 4, "Move down", "TEAMNAME"))
    step("team editor", term.press(ENTER, EDITOR))
    step("escape", term.press(ESCAPE, "TEAMNAME"))
    step("F3 diagnostic", term.press(F[3], "ANSWER"))
    step("template question", term.press_until(CTRL_DOWN, "QHINT", times=9))  # question after question
    step("F4 market", term.press(F[4], "STRATEGY"))
    step("SWOT", term.press_until(SHIFT_TAB, "THREAT", times=6))  # round to the last field
    for n, tag, last in (
        (5, "COMPNAME", ""),
        (6, "STAKENAME", "STAKENOTES"),
        (7, "KPINAME", ""),
        (8, "OBJTITLE", ""),
        (9, "ACTTITLE", "ACTNOTES"),
    ):
        step(f"F{n}", term.press(F[n], tag))
        step(f"F{n} editor", term.press(ENTER, EDITOR))
        if last:  # the editor's last field, below the fold: back round to it
            step(f"F{n} {last}", term.press_until(SHIFT_TAB, last, times=6))
        step(f"F{n} escape", term.press(ESCAPE, tag))
    step("F6 again", term.press(F[6], "STAKENAME"))
    term.press(DOWN)  # the second stakeholder: reports to the hostile one (a Select shows its name)
    step("second stakeholder", term.press(ENTER, EDITOR))
    step("escape", term.press(ESCAPE, "STAKENAME"))
    step("F10 review", term.press(F[10], "ACCNAME"))
    step("F1 help", term.press(F[1], "Keys"))
    term.press(ESCAPE)
    step("palette", term.press(CTRL_P))
    term.press(ESCAPE)
    step("plans list", term.press(CTRL_O, "acme␛]0;pwned"))  # both file names
    term.press(CTRL_Q)
    code = term.finish()
    text = term.text()
    assert code == 0, f"the app ended with {code}: {text[-2000:]!r}"
    return text + second.text(), missed


def test_the_app_never_sends_a_planted_escape(tui_output, world):
    assert leaks(tui_output[0]) == []
    assert world["plan"].read_bytes() == world["bytes"], "the plan file was changed"


def test_the_app_showed_every_field_with_stand_ins(tui_output):
    """The test saw what it claims to: every step of the walk drew what it should, every field was
    drawn, its controls as visible stand-ins."""
    text, missed = tui_output
    assert missed == []
    missing = [tag for tag, _ in FIELDS if tag not in text]
    missing += [tag for tag in ("QTEXT", "QHINT", "AREA", "SCHEMA", "acme␛]0;pwned") if tag not in text]
    assert missing == []
    assert "␛]0;pwned␛\\" in text


def run_cli(world, *argv: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "kamtui", *argv],
        env=world["env"],
        capture_output=True,
        timeout=60,
    )
    return result.returncode, (result.stdout + result.stderr).decode("utf-8", "surrogateescape")


def test_list_never_prints_a_planted_escape(world):
    code, text = run_cli(world, "list")
    assert leaks(text) == []
    assert "ACCNAME" in text and "acme␛]0;pwned" in text


def test_list_json_escapes_every_control(world):
    code, text = run_cli(world, "list", "--json")
    assert leaks(text) == []
    data = json.loads(text)
    assert {Path(row["path"]).name for row in data} == {PLAN_NAME, BAD_NAME}  # the data is exact
    assert payload("ACCNAME", 0) in [row["account"] for row in data]


def test_check_strict_never_prints_a_planted_escape(world):
    code, text = run_cli(world, "check", "--strict", str(world["plan"]), str(world["bad"]))
    assert code == 1
    assert leaks(text) == []
    assert "holds control characters" in text
    assert world["plan"].read_bytes() == world["bytes"]
