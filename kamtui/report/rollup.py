"""The manager's roll-up of a folder of plans (SPEC §6; issue 11).

Management funds the KAMs' plans *in return for the clients' commitments*: per plan the account,
the KAM, the period, completeness, unanswered questions, objectives on track / at risk / off track,
the investment asked and the part of it matched by a client commitment, the overdue actions; the
totals; largest investment first. A plan that can't be read is listed with its error, never left
out.

:func:`rollup` is what ``kamtui portfolio`` prints and what the home screen can show. Each plan's
figures come from the model's rules and are cached in the private state folder, keyed like the
``list`` cache (``kamtui.store.portfolio``): by path, and by the SHA-256 of the file's bytes — an
edit of the same size with the mtime put back is still seen (SPEC §9.6). The overdue count depends
on the day, so the cache keeps the open actions' due dates and statuses, and the count is worked
out for ``today`` by :func:`kamtui.model.rules.is_overdue` on each run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.convert import NotAPlan, from_data
from ..model.plan import Action, Plan
from ..model.questions import Question
from ..model.rules import completeness, investment_summary, is_closed, is_overdue, unanswered
from ..store import locations
from ..store.atomic import atomic_write, ensure_private_dir
from ..store.portfolio import plan_files
from ..store.tomlio import MAX_BYTES, LoadError, decode, parse, read_disk
from .export_labels import Labels
from .export_text import money, number, percent, share, shown, shown_json

if TYPE_CHECKING:
    from .export_doc import Document

CACHE_VERSION = 1
CACHE_NAME = "rollup-cache.json"
TRACKS = ("on-track", "at-risk", "off-track")  # the objective statuses the roll-up counts


@dataclass
class PlanFigures:
    """One plan's line of the roll-up. ``readable`` is False for a file that could not be read
    (``error`` says why; no figures). A plan read with problems has figures and an ``error``."""

    path: str
    readable: bool = True
    account: str = ""
    kam: str = ""
    period: str = ""
    currency: str = ""
    completeness: int = 0
    questions: int = 0
    unanswered: int = 0
    objectives: dict[str, int] = field(default_factory=dict)  # status -> count, every status
    investment: float = 0.0
    matched: float = 0.0
    open_dues: list[tuple[str, str]] = field(default_factory=list)  # (due date, status) of open actions
    error: str = ""

    @property
    def matched_share(self) -> float | None:
        return self.matched / self.investment if self.investment else None

    def overdue(self, today: dt.date) -> int:
        """The open actions due before ``today`` (:func:`kamtui.model.rules.is_overdue`)."""
        return sum(
            1
            for due, status in self.open_dues
            if is_overdue(Action(id="", due=dt.date.fromisoformat(due), status=status), today)
        )

    def as_json(self, today: dt.date) -> dict[str, Any]:
        data = asdict(self)
        data.pop("open_dues")
        data["objectives"] = {status: self.objectives.get(status, 0) for status in TRACKS}
        data["matched_share"] = self.matched_share
        data["overdue"] = self.overdue(today) if self.readable else 0
        return data


@dataclass
class Totals:
    plans: int = 0  # read (with or without problems)
    failed: int = 0  # could not be read
    completeness: int = 0  # the plans' average, in percent
    unanswered: int = 0
    objectives: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TRACKS, 0))
    investment: dict[str, float] = field(default_factory=dict)  # per currency: plans in EUR and USD don't add up
    matched: dict[str, float] = field(default_factory=dict)
    overdue: int = 0


@dataclass
class Rollup:
    folder: str
    today: dt.date
    plans: list[PlanFigures]  # largest investment first; unreadable files last
    totals: Totals

    @property
    def errors(self) -> list[str]:
        return [p.error for p in self.plans if p.error]

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "today": self.today.isoformat(),
            "plans": [p.as_json(self.today) for p in self.plans],
            "totals": asdict(self.totals),
        }


def period_label(plan: Plan) -> str:
    """2027, or 2026-2027 for a plan over two years; "" without dates."""
    start, end = plan.account.period_start, plan.account.period_end
    if start and end:
        return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    day = start or end
    return str(day.year) if day else ""


def figures(plan: Plan, bank: Iterable[Question], path: str) -> PlanFigures:
    """A plan's figures, from the model's rules."""
    questions = list(bank)
    invest = investment_summary(plan)
    counts = dict.fromkeys((*TRACKS, "achieved", "dropped"), 0)
    for objective in plan.objectives:
        counts[objective.status] = counts.get(objective.status, 0) + 1
    return PlanFigures(
        path=path,
        account=plan.account.name or Path(path).stem,
        kam=plan.account.kam,
        period=period_label(plan),
        currency=plan.account.currency,
        completeness=completeness(plan, questions),
        questions=len(questions),
        unanswered=len(unanswered(plan, questions)),
        objectives=counts,
        investment=invest.total,
        matched=invest.matched,
        open_dues=[(a.due.isoformat(), a.status) for a in plan.actions if a.due is not None and not is_closed(a)],
    )


def _read(path: Path, data: bytes, bank: list[Question]) -> PlanFigures:
    name = str(path)
    try:
        text = decode(data, name)
        raw = parse(text, name)
        try:
            plan, problems = from_data(raw)
        except NotAPlan as exc:
            raise LoadError([f"{name}:1: {exc}"]) from None
    except LoadError as exc:
        return PlanFigures(path=name, readable=False, error=exc.lines[0])
    result = figures(plan, bank, name)
    if problems:
        from ..store.planfile import problem_lines  # not on the way of a warm run: it imports a lot

        result.error = problem_lines(name, text, problems)[0]
    return result


def _cache_path() -> Path:
    return locations.state_dir() / CACHE_NAME


def _load_cache(signature: str) -> dict[str, Any]:
    try:
        cache = json.loads(_cache_path().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(cache, dict) or cache.get("version") != CACHE_VERSION or cache.get("questions") != signature:
        return {}
    plans = cache.get("plans")
    return plans if isinstance(plans, dict) else {}


def _cached(entry: object, digest: str, path: str) -> PlanFigures | None:
    if not isinstance(entry, dict) or entry.get("digest") != digest:
        return None
    try:
        found = PlanFigures(**entry["figures"])
        found.open_dues = [(str(due), str(status)) for due, status in found.open_dues]
    except (KeyError, TypeError, ValueError):  # an entry of another shape: the plan is read again
        return None
    # The error names the file as it was reached when cached ("plans/x.toml" from one folder):
    # it is named as reached now.
    old = entry.get("name")
    if isinstance(old, str) and old and old != path and found.error.startswith(old):
        found.error = path + found.error[len(old) :]
    found.path = path
    return found


def plan_figures(folder: Path, bank: Iterable[Question], use_cache: bool = True) -> list[PlanFigures]:
    """Every plan file of ``folder`` (``kamtui.store.portfolio.plan_files``), in file order,
    each plan's figures taken from the cache when its bytes did not change."""
    questions = list(bank)
    signature = ",".join(q.id for q in questions)
    entries = _load_cache(signature) if use_cache else {}
    fresh: dict[str, Any] = {}
    found = []
    for path in plan_files(folder):
        name = str(path)
        try:
            st = os.stat(path)
        except OSError:
            continue  # gone since the folder was listed
        version = read_disk(path) if st.st_size <= MAX_BYTES else None
        if version is None or version.data is None:
            problem = version.problem if version is not None else "file too large"
            found.append(PlanFigures(path=name, readable=False, error=f"{name}: {problem}"))
            continue
        digest = hashlib.sha256(version.data).hexdigest()
        key = str(path.resolve())
        result = _cached(entries.get(key), digest, name) or _read(path, version.data, questions)
        found.append(result)
        fresh[key] = {
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "digest": digest,
            "name": name,
            "figures": asdict(result),
        }
    if use_cache and fresh != entries:
        try:
            ensure_private_dir(_cache_path().parent)
            payload = {"version": CACHE_VERSION, "questions": signature, "plans": fresh}
            atomic_write(_cache_path(), json.dumps(payload).encode("utf-8"))
        except OSError:
            pass  # no cache this time; the figures are right all the same
    return found


def totals(plans: list[PlanFigures], today: dt.date) -> Totals:
    result = Totals()
    read = [p for p in plans if p.readable]
    result.plans = len(read)
    result.failed = len(plans) - len(read)
    if read:
        result.completeness = round(sum(p.completeness for p in read) / len(read))
    for p in read:
        result.unanswered += p.unanswered
        for status in TRACKS:
            result.objectives[status] += p.objectives.get(status, 0)
        if p.investment:
            result.investment[p.currency] = result.investment.get(p.currency, 0.0) + p.investment
            result.matched[p.currency] = result.matched.get(p.currency, 0.0) + p.matched
        result.overdue += p.overdue(today)
    return result


def rollup(folder: Path, bank: Iterable[Question], today: dt.date, use_cache: bool = True) -> Rollup:
    """The roll-up of ``folder``: plans sorted by investment (largest first, then by account),
    the files that could not be read last, and the totals."""
    plans = plan_figures(Path(folder), bank, use_cache)
    plans.sort(key=lambda p: (not p.readable, -p.investment, p.account.casefold(), p.path))
    return Rollup(str(folder), today, plans, totals(plans, today))


# --- as text, JSON, Markdown and HTML ------------------------------------------------------


def _amounts(values: dict[str, float], lang: str) -> str:
    if not values:
        return money(0.0, "", lang)
    return "; ".join(money(amount, currency, lang) for currency, amount in sorted(values.items()))


def _objectives(p: PlanFigures | Totals) -> str:
    return " / ".join(str(p.objectives.get(status, 0)) for status in TRACKS)


def rollup_document(r: Rollup, lang: str = "en") -> Document:
    """The roll-up as a document (Markdown or HTML through ``export.render``)."""
    from .export_doc import Cell, Document, Facts, Para, Section, Table

    t = Labels(lang)
    doc = Document("rollup", t.lang, t("rollup.title"))
    doc.meta = [t("rollup.folder", count=len(r.plans), folder=r.folder), r.today.isoformat()]
    headers = [
        t("f.account"),
        t("f.kam"),
        t("f.period"),
        t("f.completeness"),
        t("f.unanswered"),
        t("f.objectives"),
        t("f.invest_asked"),
        t("f.matched"),
        t("f.overdue"),
    ]
    rows = []
    for p in r.plans:
        if not p.readable:
            continue
        matched = f"{money(p.matched, p.currency, t.lang)} ({share(p.matched_share, t.lang)})" if p.investment else "—"
        overdue = p.overdue(r.today)
        rows.append(
            [
                Cell(p.account, note=p.error and f"⚠ {p.error}", mark="bad" if p.error else ""),
                Cell(p.kam or "—"),
                Cell(p.period or "—"),
                Cell(percent(p.completeness, t.lang)),
                Cell(f"{p.unanswered}/{p.questions}"),
                Cell(_objectives(p)),
                Cell(money(p.investment, p.currency, t.lang)),
                Cell(matched, "bad" if p.investment and p.matched < p.investment else ""),
                Cell(str(overdue), "bad" if overdue else ""),
            ]
        )
    plans = Section("plans", t("section.plans"))
    if rows:
        plans.add(Table(headers, rows, numeric=frozenset({3, 4, 6, 7, 8}), nowrap=frozenset({2}), name="rollup"))
    else:
        plans.add(Para(t("empty.plans"), "muted"))
    doc.sections.append(plans)
    tot = r.totals
    doc.sections.append(
        Section("totals", t("section.totals")).add(
            Facts(
                [
                    (
                        t("f.plans"),
                        Cell(
                            t("p.plans_ok", n=tot.plans)
                            + (f", {t('p.plans_failed', n=tot.failed)}" if tot.failed else "")
                        ),
                    ),
                    (t("f.completeness"), Cell(percent(tot.completeness, t.lang))),
                    (t("f.unanswered"), Cell(number(tot.unanswered, t.lang))),
                    (t("f.objectives"), Cell(_objectives(tot))),
                    (t("f.invest_asked"), Cell(_amounts(tot.investment, t.lang), "strong")),
                    (t("f.matched"), Cell(_amounts(tot.matched, t.lang))),
                    (t("f.overdue"), Cell(number(tot.overdue, t.lang), "bad" if tot.overdue else "")),
                ]
            )
        )
    )
    failed = [p for p in r.plans if not p.readable]
    if failed:
        table = Table(
            [t("f.file"), t("f.error")], [[Cell(p.path), Cell(p.error, "bad")] for p in failed], name="errors"
        )
        doc.sections.append(Section("errors", t("section.errors")).add(table))
    return doc


def rollup_text(r: Rollup, lang: str = "en") -> str:
    """The roll-up as an aligned table for the terminal (control characters as pictures)."""
    t = Labels(lang)
    header = ["account", "KAM", "period", "complete", "unanswered", "on/risk/off", "investment", "matched", "overdue"]
    rows = [header + ["file"]]
    for p in r.plans:
        if not p.readable:
            rows.append(["(unreadable)", "", "", "", "", "", "", "", "", shown(p.path)])
            continue
        rows.append(
            [
                shown(p.account),
                shown(p.kam),
                p.period,
                percent(p.completeness, t.lang),
                f"{p.unanswered}/{p.questions}",
                _objectives(p),
                money(p.investment, p.currency, t.lang),
                f"{money(p.matched, p.currency, t.lang)} ({share(p.matched_share, t.lang)})" if p.investment else "—",
                str(p.overdue(r.today)),
                shown(p.path),
            ]
        )
    tot = r.totals
    rows.append(
        [
            f"total: {tot.plans} plans" + (f", {tot.failed} unreadable" if tot.failed else ""),
            "",
            "",
            percent(tot.completeness, t.lang),
            str(tot.unanswered),
            _objectives(tot),
            _amounts(tot.investment, t.lang),
            _amounts(tot.matched, t.lang),
            str(tot.overdue),
            "",
        ]
    )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    left = {0, 1, 2}
    lines = []
    for n, row in enumerate(rows):
        if n == len(rows) - 1:
            lines.append("  ".join("-" * w for w in widths).rstrip())
        cells = [c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def rollup_json(r: Rollup) -> str:
    """The roll-up as JSON (exact text, control characters escaped as ``\\u001b``)."""
    text = json.dumps(r.as_json(), ensure_ascii=False, indent=2)
    return shown_json(text) + "\n"
