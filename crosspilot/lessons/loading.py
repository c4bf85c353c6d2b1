"""Finding a dataset's lesson cards and loading every sound one, checked against its tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd

from crosspilot.i18n import codes, t
from crosspilot.lessons.cards import parse_lesson, parse_translation, where
from crosspilot.lessons.model import Lesson, LessonText
from crosspilot.lessons.references import LessonIndex, check_references
from crosspilot.problems import Report

MAX_BYTES = 256 * 1024


def lessons_folder(data_dir: Path, bundled: Path) -> Path | None:
    """A dataset's own `lessons/`; for the bundled CoSIE data, the repository's `lessons/`."""
    own = Path(data_dir) / "lessons"
    if own.is_dir():
        return own
    try:
        if Path(data_dir).resolve() == Path(bundled).resolve():
            top = Path(bundled).resolve().parent.parent / "lessons"
            return top if top.is_dir() else None
    except OSError:
        return None
    return None


def lesson_files(folder: Path | None) -> list[Path]:
    if folder is None:
        return []
    return [
        p
        for p in sorted(folder.glob("*.md"))
        if p.is_file() and not p.name.lower().startswith("readme") and not p.name.startswith(".")
    ]


def translation_of(path: Path) -> tuple[str, str] | None:
    """(lesson id, language) of a translation's file name ("equal-participants.fi.md"), else None."""
    stem, dot, code = path.stem.rpartition(".")
    return (stem, code) if dot and stem and code in codes() else None


def load_lessons(
    files: Iterable[Path], tables: Mapping[str, pd.DataFrame] | None, report: Report
) -> tuple[Lesson, ...]:
    """Parse and check every lesson file; only sound lessons are returned, in file order.

    `tables` None skips the checks against the data (used when the tables themselves have errors).
    """
    index = LessonIndex.of(tables) if tables is not None else None
    lessons: list[Lesson] = []
    seen: dict[str, str] = {}
    files = list(files)
    translations: dict[str, list[LessonText]] = {}
    for path in (p for p in files if translation_of(p)):
        lesson_id, code = translation_of(path)
        text = _read(path, f"lessons/{path.name}", report, warn=True)
        found = None if text is None else parse_translation(text, f"lessons/{path.name}", code, report)
        if found is not None:
            translations.setdefault(lesson_id, []).append(found)
    for path in (p for p in files if not translation_of(p)):
        file = f"lessons/{path.name}"
        text = _read(path, file, report)
        if text is None:
            continue
        lesson = parse_lesson(text, file, report)
        if lesson is None:
            continue
        if lesson.id in seen:
            report.add(
                file,
                t("the id {id!r} is used by {other} too", id=lesson.id, other=seen[lesson.id]),
                where=where("id"),
            )
            continue
        seen[lesson.id] = file
        if index is not None and not check_references(lesson, index, report):
            continue
        own = tuple(x for x in translations.pop(lesson.id, ()) if x.language != lesson.language)
        lessons.append(replace(lesson, translations=own) if own else lesson)
    for lesson_id, texts in translations.items():
        for text in texts:
            report.warn(text.file, t("translates {id!r}, but no lesson card has that id", id=lesson_id))
    return tuple(lessons)


def _read(path: Path, file: str, report: Report, warn: bool = False) -> str | None:
    """A lesson file's text, or None with the reason in `report` (a translation's only warns)."""
    say = report.warn if warn else report.add
    if path.stat().st_size > MAX_BYTES:
        say(file, t("is larger than {kb} KB; a lesson card is a page of text", kb=MAX_BYTES // 1024))
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        say(file, t("is not UTF-8 text; save it as UTF-8"))
        return None
