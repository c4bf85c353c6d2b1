"""Lesson cards: Markdown files with a YAML front matter, parsed, checked against the data and rated.

A lesson claims something across pilots and carries its evidence: indicator values, network
features, stories and sources. The package's rooms: `model` (the vocabulary and value objects),
`cards` (front matter, checked by pydantic models, and the status rules), `references` (ids checked
against the data, evidence resolved, strength capped), `status` (the status in force after workshop
decisions, filters) and `loading` (a dataset's cards). Everything is importable from here.
"""

from crosspilot.lessons import model
from crosspilot.lessons.cards import FrontMatter, check_status_rules, parse_lesson, split_front_matter
from crosspilot.lessons.loading import lesson_files, lessons_folder, load_lessons
from crosspilot.lessons.model import *  # noqa: F403 - the vocabulary and value objects, all public
from crosspilot.lessons.references import (
    LessonIndex,
    check_references,
    evidence_inputs,
    resolve,
    supported_strength,
)
from crosspilot.lessons.status import (
    Filters,
    all_themes,
    effective_status,
    filter_lessons,
    status_label,
    status_meaning,
    strength_label,
    strength_requirement,
    theme_label,
)

__all__ = [
    *model.__all__,
    "Filters",
    "FrontMatter",
    "LessonIndex",
    "all_themes",
    "check_references",
    "check_status_rules",
    "effective_status",
    "filter_lessons",
    "lesson_files",
    "lessons_folder",
    "load_lessons",
    "parse_lesson",
    "evidence_inputs",
    "resolve",
    "split_front_matter",
    "status_label",
    "status_meaning",
    "strength_label",
    "strength_requirement",
    "supported_strength",
    "theme_label",
]
