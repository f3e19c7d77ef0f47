"""The diagnostic question bank: the seven core questions plus template ones."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import tomli

from .. import data

AREAS = ("client", "market", "competition", "relationship", "performance")
CORE_IDS = (
    "know-client",
    "market-challenges",
    "priorities",
    "competition",
    "history",
    "ways-of-working",
    "performance",
)


class Question(NamedTuple):
    """A diagnostic question in French and English, with its hints (an immutable value; a
    NamedTuple rather than a frozen dataclass, which costs a millisecond to create at start-up)."""

    id: str
    area: str
    fr: str
    en: str
    hint_fr: str = ""
    hint_en: str = ""
    core: bool = False

    def text(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def hint(self, lang: str) -> str:
        return self.hint_fr if lang == "fr" else self.hint_en


class QuestionBank(tuple):
    """The questions in display order; problems met while reading templates."""

    problems: tuple[str, ...] = ()

    def by_id(self, qid: str) -> Question | None:
        return next((q for q in self if q.id == qid), None)

    def by_area(self) -> list[tuple[str, list[Question]]]:
        areas = list(AREAS) + sorted({q.area for q in self} - set(AREAS))
        return [(a, [q for q in self if q.area == a]) for a in areas if any(q.area == a for q in self)]


def _parse(raw: dict, core: bool, source: str, problems: list[str]) -> list[Question]:
    found: list[Question] = []
    entries = raw.get("questions", [])
    if not isinstance(entries, list):
        problems.append(f"{source}: expected [[questions]] tables")
        return found
    for n, entry in enumerate(entries, 1):
        try:
            qid, area, fr, en = (entry[k] for k in ("id", "area", "fr", "en"))
            if not all(isinstance(v, str) and v.strip() for v in (qid, area, fr, en)):
                raise TypeError
            found.append(
                Question(qid, area, fr, en, str(entry.get("hint_fr", "")), str(entry.get("hint_en", "")), core)
            )
        except (KeyError, TypeError):
            problems.append(f"{source}: questions[{n}]: expected id, area, fr and en texts")
    return found


def load_bank(templates: list[Path] | tuple[Path, ...] = ()) -> QuestionBank:
    """The core questions, then those of each template file that add new ids."""
    problems: list[str] = []
    core_raw = tomli.loads(data.read_text("questions.toml"))
    questions = _parse(core_raw, True, "questions.toml", problems)
    seen = {q.id for q in questions}
    for path in templates:
        try:
            raw = tomli.loads(Path(path).read_text("utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        for question in _parse(raw, False, str(path), problems):
            if question.id in seen:
                problems.append(f"{path}: question {question.id!r} already exists, skipped")
                continue
            seen.add(question.id)
            questions.append(question)
    bank = QuestionBank(questions)
    bank.problems = tuple(problems)
    return bank
