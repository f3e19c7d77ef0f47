"""``kamtui export`` and ``kamtui portfolio``: the plan, the visit brief and the manager's roll-up
for people without kamtui (SPEC §5, §6).

:func:`add_parsers` adds both to the ``kamtui`` command's subparsers; :func:`cmd_export` and
:func:`cmd_portfolio` run them and return the exit code: 0 ok, 1 a problem in the data (a plan
that can't be read, an output that can't be written), 2 a usage error. Data goes to stdout (or to
``-o OUT``, written atomically, a new file private: 0600); messages go to stderr, control
characters in them as ``\\x1b``-style escapes. Everything heavy is imported when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

OK, PROBLEM, USAGE = 0, 1, 2
FORMATS = ("md", "html")
PORTFOLIO_FORMATS = ("text", "json", "md", "html")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``portfolio`` to ``kamtui``'s subparsers."""
    p = sub.add_parser(
        "export",
        help="the plan, or a one-page visit brief, as Markdown or HTML",
        description="Write the whole plan, or the one-page visit brief, as Markdown or printable HTML.",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the plan file")
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="md (Markdown) or html (one printable file); default: from OUT's suffix, else md",
    )
    p.add_argument(
        "--audience",
        choices=("internal", "client"),
        default="internal",
        help="client leaves out internal fields (attitudes, notes, our investment...); default internal",
    )
    p.add_argument("--brief", action="store_true", help="the one-page visit brief instead of the whole plan")
    p.add_argument("--visit", metavar="DATE", help="the visit date for --brief, like 2027-03-01 (default: today)")
    p.add_argument("-o", "--output", type=Path, metavar="OUT", help="write to OUT instead of stdout")
    p = sub.add_parser(
        "portfolio",
        help="the manager's roll-up of every plan in a folder",
        description="Investment asked vs client commitments, objectives and completeness, per plan and in total.",
    )
    # (--dir and --lang are kamtui's global options, see kamtui.cli)
    p.add_argument("--format", choices=PORTFOLIO_FORMATS, default="text", help="default: text")
    p.add_argument("-o", "--output", type=Path, metavar="OUT", help="write to OUT instead of stdout")


def _err(message: str) -> None:
    from .report.export_text import shown_message

    print(shown_message(message), file=sys.stderr)


def _config():  # the same settings and warnings as every kamtui command
    from .cli import _config as config

    return config()


def _bank():
    from .cli import _bank as bank

    return bank()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _write(command: str, text: str, out: Path | None) -> int:
    """``text`` to stdout, or to ``out`` atomically (a new file 0600)."""
    data = text.encode("utf-8")
    if out is None or str(out) == "-":
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a stdout replaced by a text-only stream (tests)
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
        return OK
    from .store.atomic import atomic_write
    from .store.errors import reason

    try:
        atomic_write(out, data)
    except OSError as exc:
        _err(f"kamtui {command}: cannot write {out}: {reason(exc, out)}")
        return PROBLEM
    return OK


def cmd_export(args: argparse.Namespace) -> int:
    """``kamtui export FILE [--format md|html] [--audience internal|client] [--brief [--visit DATE]] [-o OUT]``."""
    import datetime as dt

    from .model import clock

    visit = None
    if args.visit is not None:
        if not args.brief:
            _err("kamtui export: --visit goes with --brief")
            return USAGE
        try:
            visit = dt.date.fromisoformat(args.visit.strip())
        except ValueError:
            _err(f"kamtui export: --visit: expected a date like 2027-03-01, got {args.visit!r}")
            return USAGE
    fmt = args.format
    if fmt is None:
        fmt = "html" if args.output is not None and args.output.suffix.lower() in (".html", ".htm") else "md"
    if args.output is not None and str(args.output) != "-" and _same_file(args.output, args.file):
        _err(f"kamtui export: -o {args.output} is the plan file itself; nothing was written")
        return USAGE

    from .model.plan import SCHEMA_VERSION
    from .store.planfile import problem_lines, read_plan
    from .store.tomlio import LoadError

    name = str(args.file)
    try:
        plan, text, problems = read_plan(args.file, name)
    except LoadError as exc:
        for line in exc.lines:
            _err(line)
        return PROBLEM
    if problems and plan.schema <= SCHEMA_VERSION:
        for line in problem_lines(name, text, problems):
            _err(line)
        return PROBLEM
    if plan.schema > SCHEMA_VERSION:
        _err(
            f"kamtui export: {name} uses schema {plan.schema}, newer than this kamtui knows: what it knows is exported"
        )
    config, bank, today = _config(), _bank(), clock.today()
    if args.brief:
        from .report.brief import export_brief

        output = export_brief(plan, bank, config, today, visit, fmt, args.audience)
    else:
        from .report.export import export_plan

        output = export_plan(plan, bank, config, today, fmt, args.audience)
    return _write("export", output, args.output)


def cmd_portfolio(args: argparse.Namespace) -> int:
    """``kamtui portfolio [--dir DIR] [--format text|json|md|html] [-o OUT]``."""
    from .model import clock
    from .report import rollup as ru
    from .store.config import resolve_lang

    config = _config()
    given = getattr(args, "dir", None)
    folder = given or config.plans_dir
    if given is not None and not given.is_dir():
        _err(f"kamtui portfolio: --dir: {given} is not a folder")
        return USAGE
    result = ru.rollup(folder, _bank(), clock.today())
    lang = resolve_lang(getattr(args, "lang", None), config)
    if args.format == "json":
        output = ru.rollup_json(result)
    elif args.format == "text":
        output = ru.rollup_text(result, lang)
    else:
        from .report.export import render

        output = render(ru.rollup_document(result, lang), args.format)
    if not result.plans:
        _err(f"kamtui portfolio: no plans in {folder}")
    status = _write("portfolio", output, args.output)
    for error in result.errors:
        _err(f"kamtui portfolio: {error}")
    return status if status != OK else (PROBLEM if result.errors else OK)


def main(argv: list[str] | None = None) -> int:
    """``kamtui export ...`` or ``kamtui portfolio ...`` (tests, benchmarks): ``main(["portfolio"])``
    is ``kamtui portfolio``, through kamtui's one parser."""
    from .cli import main as kamtui_main

    return kamtui_main(argv)
