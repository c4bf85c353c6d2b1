"""Finding a dataset's lesson cards and loading every sound one, checked against its tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from crosspilot.i18n import t
from crosspilot.lessons.cards import parse_lesson, where
from crosspilot.lessons.model import Lesson
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


def load_lessons(
    files: Iterable[Path], tables: Mapping[str, pd.DataFrame] | None, report: Report
) -> tuple[Lesson, ...]:
    """Parse and check every lesson file; only sound lessons are returned, in file order.

    `tables` None skips the checks against the data (used when the tables themselves have errors).
    """
    index = LessonIndex.of(tables) if tables is not None else None
    lessons: list[Lesson] = []
    seen: dict[str, str] = {}
    for path in files:
        file = f"lessons/{path.name}"
        if path.stat().st_size > MAX_BYTES:
            report.add(
                file, t("is larger than {kb} KB; a lesson card is a page of text", kb=MAX_BYTES // 1024)
            )
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            report.add(file, t("is not UTF-8 text; save it as UTF-8"))
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
        lessons.append(lesson)
    return tuple(lessons)
