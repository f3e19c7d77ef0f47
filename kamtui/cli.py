"""The command line: subcommands, exit codes. The TUI is imported only when needed.

Everything printed that comes from a plan, a template, the config or a file name goes through
:func:`kamtui.model.text.visible`: a control character in it is shown as a stand-in, never sent
to the terminal (SPEC §9.9). The table of ``list`` uses control pictures (one column each, the
columns stay aligned); messages on stderr (``check``'s lines, errors) use ``\\x1b``-style escapes,
exact and ASCII, for whoever fixes the file; JSON keeps the exact text, every control escaped as
``\\u001b`` (C1 ones too, which ``json.dumps`` leaves raw)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from .model import clock
from .model.text import ESCAPES, JSON, visible

OK, PROBLEM, USAGE = 0, 1, 2
CORE_COMMANDS = ("open", "new", "demo", "list", "check")
COMMANDS = (*CORE_COMMANDS, "export", "portfolio", "diff", "merge-driver", "git-setup")


def _err(message: str) -> None:
    """A message on stderr, on one line: control characters in it (from a plan, a file name, the
    config) shown as ``\\x1b``-style escapes."""
    print(visible(message, mode=ESCAPES), file=sys.stderr)


LANGS = ("fr", "en")
GLOBAL_VALUED = ("--lang", "--dir")  # the global options that take a value


def _global_options(p: argparse.ArgumentParser, default: object) -> None:
    """``--lang`` and ``--dir``, on the main parser (default None) and on every command (default
    SUPPRESS: given before the command, the value is not overwritten by the command's default)."""
    p.add_argument("--lang", choices=LANGS, default=default, help="language of the interface and questions")
    p.add_argument("--dir", type=Path, default=default, metavar="DIR", help="plans folder (default: from the config)")


def _period(text: str) -> tuple[dt.date, dt.date]:
    """``new --period``'s value as (first day, last day); a usage error otherwise."""
    from .model.periods import plan_period

    try:
        return plan_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(visible(str(exc), mode=ESCAPES)) from None


class _Skipped:
    """Stands for the subparser of a command that is not being run: takes its arguments, keeps
    nothing (building all eleven subparsers took 5-8 ms of every start-up)."""

    def add_argument(self, *args: object, **kwargs: object) -> None:
        pass


class _OnlyCommand:
    """``add_subparsers()``'s result, building only the subparser of ``command``."""

    def __init__(self, sub: argparse._SubParsersAction, command: str) -> None:
        self.sub, self.command = sub, command

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        return self.sub.add_parser(name, **kwargs) if name == self.command else _Skipped()


def _command_of(argv: list[str]) -> str | None:
    """The command ``argv`` (as :func:`_with_command` leaves it) runs; None without one."""
    hit = _first_word(argv)
    return hit[1] if hit is not None and hit[1] in COMMANDS else None


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The one parser of the command line: the global options, then one subparser per command
    (the report and git commands come from :mod:`kamtui.reportcli` and :mod:`kamtui.gitcli`).
    Given a ``command``, only that one's subparser is built (``kamtui --help`` lists them all)."""
    parser = argparse.ArgumentParser(
        prog="kamtui",
        usage="kamtui [--lang fr|en] [--dir DIR] [FILE | COMMAND ...]",
        description="Account Business Plans for Key Account Managers, in the terminal.",
        epilog="Without a command, opens the plans folder; with a FILE, opens that plan. --lang and --dir "
        "work before or after the command. Run kamtui COMMAND --help for a command's options.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"kamtui {__version__}")
    _global_options(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="kamtui")
    sub: Any = commands if command is None else _OnlyCommand(commands, command)

    p = sub.add_parser("open", help="open a plan in the app")
    p.add_argument("file", type=Path, metavar="FILE")
    p = sub.add_parser("new", help="create a plan and print its path")
    p.add_argument("name", help='account name, e.g. "Distrib SA"')
    p.add_argument(
        "--period",
        type=_period,
        metavar="PERIOD",
        help="the plan's period: a year (2027) or a first and last month (2026-07..2027-06); default: this year",
    )
    p = sub.add_parser("demo", help="write the demo plan and open it")
    p = sub.add_parser("list", help="the plans of the folder, as a table")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p = sub.add_parser("check", help="check plan files; silent when all is well")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--strict", action="store_true", help="also fail on unanswered questions, overdue actions and dangling ids"
    )
    if command not in CORE_COMMANDS:  # None: all of them
        from . import gitcli, reportcli

        reportcli.add_parsers(sub)
        gitcli.add_parsers(sub)
    for subparser in commands.choices.values():
        _global_options(subparser, argparse.SUPPRESS)
    return parser


def _first_word(argv: list[str]) -> tuple[int, str] | None:
    """Where the first word of ``argv`` that is not an option (nor an option's value) is, and
    that word, or ``--``; None when there is none."""
    for at, word in enumerate(argv):
        if word == "--":
            return at, word
        if word.startswith("-") and word != "-" or at and argv[at - 1] in GLOBAL_VALUED:
            continue
        return at, word
    return None


def _with_command(argv: list[str]) -> list[str]:
    """``argv`` with "open" put before its first word when that word is a file, not a command:
    ``kamtui --lang fr plan.toml`` is ``kamtui --lang fr open plan.toml``."""
    hit = _first_word(argv)
    if hit is None:
        return argv
    at, word = hit
    if word == "--":  # what follows is a file, even one named like a command or an option
        return [*argv[:at], "open", *argv[at:]] if at + 1 < len(argv) else argv
    return argv if word in COMMANDS else [*argv[:at], "open", *argv[at:]]


def main(argv: list[str] | None = None) -> int:
    argv = _with_command(list(sys.argv[1:] if argv is None else argv))
    args = _parser(_command_of(argv)).parse_args(argv)
    if args.command is None:
        return _run_tui(None, args.lang, args.dir)
    try:
        return {
            "open": lambda: _run_tui(args.file, args.lang, args.dir),
            "new": lambda: cmd_new(args),
            "demo": lambda: cmd_demo(args),
            "list": lambda: cmd_list(args),
            "check": lambda: cmd_check(args),
            "export": lambda: _report("cmd_export", args),
            "portfolio": lambda: _report("cmd_portfolio", args),
            "diff": lambda: _git(args),
            "merge-driver": lambda: _git(args),
            "git-setup": lambda: _git(args),
        }[args.command]()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return OK


def _report(command: str, args: argparse.Namespace) -> int:
    from . import reportcli

    return int(getattr(reportcli, command)(args))


def _git(args: argparse.Namespace) -> int:
    from . import gitcli

    return gitcli.run(args)


def _config():
    from .store.config import load_config

    config = load_config(create=True)
    for problem in config.problems:
        _err(f"kamtui: {problem}")
    return config


def _bank():
    from .model.questions import load_bank
    from .store.locations import question_templates

    bank = load_bank(question_templates())
    for problem in bank.problems:
        _err(f"kamtui: {problem}")
    return bank


def cmd_new(args: argparse.Namespace) -> int:
    from .store.config import resolve_lang
    from .store.plans import create_plan, year_period

    config = _config()
    folder = args.dir or config.plans_dir
    period = args.period or year_period(clock.today().year)
    if not args.name.strip():
        _err("kamtui new: the account name is empty")
        return USAGE
    try:
        planfile = create_plan(
            folder, args.name.strip(), period[0].year, resolve_lang(args.lang, config), period=period
        )
    except FileExistsError as exc:
        _err(f"kamtui new: {exc}: a plan with this name and period already exists")
        return PROBLEM
    except OSError as exc:
        _err(f"kamtui new: cannot write the plan: {exc}")
        return PROBLEM
    print(visible(str(planfile.path)))
    return OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .store.plans import write_demo

    config = _config()
    try:
        path, _ = write_demo(args.dir or config.plans_dir)
    except OSError as exc:
        _err(f"kamtui demo: cannot write the demo plan: {exc}")
        return PROBLEM
    return _run_tui(path, args.lang, None, config=config)


def cmd_list(args: argparse.Namespace) -> int:
    from .store.portfolio import portfolio

    config = _config()
    folder = args.dir or config.plans_dir
    summaries = portfolio(folder, _bank())
    today = clock.today()
    if args.json:
        import json

        dumped = json.dumps([s.as_json(today) for s in summaries], ensure_ascii=False, indent=2)
        print(visible(dumped, multiline=True, mode=JSON))  # the newlines are the indentation's
        return OK
    if not summaries:
        _err(f"kamtui list: no plans in {folder}")
        return OK
    header = ("account", "period", "complete", "unanswered", "overdue", "path")
    rows = [list(header)]
    for s in summaries:
        values = (
            s.account or "(unreadable)",
            s.period,
            f"{s.completeness} %",
            str(s.unanswered),
            str(s.overdue(today)),
        )
        # Each cell on one line, its controls as pictures (one column each: the columns stay aligned).
        rows.append([visible(c) for c in (*values, s.path)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    for row in rows:
        cells = [c.ljust(w) if i in (0, 1) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))]
        print("  ".join(cells + [row[-1]]))
    errors = [s.error for s in summaries if s.error]
    for error in errors:
        _err(f"kamtui list: {error}")
    return PROBLEM if errors else OK


def cmd_check(args: argparse.Namespace) -> int:
    from .model.rules import dangling_references, overdue_actions, unanswered
    from .model.text import plan_controls
    from .store.planfile import problem_lines, read_plan
    from .store.tomlio import LoadError, locate

    bank = _bank() if args.strict else None
    status = OK
    for path in args.files:
        name = str(path)
        try:
            plan, text, problems = read_plan(path, name)
        except LoadError as exc:
            for line in exc.lines:
                _err(line)
            status = PROBLEM
            continue
        lines = problem_lines(name, text, problems + dangling_references(plan))
        lines += _conflict_lines(name, text)
        if args.strict:
            for question in unanswered(plan, bank or ()):
                where = f"diagnostic.{question.id}"
                lines.append(f"{name}:{locate(text, where + '.answer')}: {where}: question not answered")
            for action in overdue_actions(plan):
                index = plan.actions.index(action) + 1
                where = f"actions[{index}]"
                lines.append(
                    f"{name}:{locate(text, where + '.due')}: {where}: overdue since {action.due} "
                    f"(status {action.status}): {action.title}"
                )
            for where, names in plan_controls(plan):
                at = locate(text, where.rsplit("[", 1)[0] if where.endswith("]") else where)
                lines.append(f"{name}:{at}: {where}: holds control characters ({', '.join(names)})")
        for line in lines:
            _err(line)
        if lines:
            status = PROBLEM
    return status


def _conflict_lines(name: str, text: str) -> list[str]:
    """A line for each merge conflict recorded in the plan (``[[conflicts]]``, see
    kamtui.report.merge) and not settled yet."""
    if "[[conflicts]]" not in text:
        return []
    import tomli

    from .model.text import visible

    entries = tomli.loads(text).get("conflicts", [])
    lines = []
    number = 0
    for at, line in enumerate(text.split("\n"), 1):
        if line.strip() == "[[conflicts]]" and number < len(entries):
            entry = entries[number]
            number += 1
            where = entry.get("path", "?") if isinstance(entry, dict) else "?"
            lines.append(
                f"{name}:{at}: conflicts[{number}]: unresolved merge conflict on {visible(str(where))}: "
                "settle the field, then remove this [[conflicts]] table"
            )
    return lines


def _run_tui(path: Path | None, lang: str | None, folder: Path | None, config=None) -> int:
    from .tui import run

    return run(path=path, lang=lang, folder=folder, config=config or _config())
