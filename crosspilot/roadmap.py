"""The roadmap to co-creation: lessons under the CoSIE roadmap's three headings, as Markdown or HTML.

Validated lessons first; lessons still under validation follow, each clearly marked; each says what
data it rests on ("Data behind it: computed from 3 illustrative of 7 values", crosspilot.provenance). Every
document is self-contained: the HTML (templates/roadmap.html.j2, autoescaped) has its CSS inline and
links only to the lessons' sources; lesson bodies go through the one Markdown renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from crosspilot.formatting import Formatter
from crosspilot.i18n import current_language, t
from crosspilot.lessons import ROADMAP, Lesson, effective_status, status_label, strength_label
from crosspilot.provenance import Inputs
from crosspilot.templates import environment
from crosspilot.vocabulary import N_

# Validated lessons, then those the partners have not (yet) validated everywhere, each marked; contested,
# draft and revised lessons are left out.
INCLUDED = ("validated", "context_specific", "under_validation", "needs_evidence")
MARKERS = {
    "context_specific": N_("Context-specific: a workshop found it holds for some pilots, not for others"),
    "under_validation": N_("Under validation: not yet validated by the partners"),
    "needs_evidence": N_("Needs evidence: a workshop could not judge it yet"),
}


@dataclass(frozen=True)
class Entry:
    lesson: Lesson
    status: str
    inputs: Inputs | None = None  # what its data evidence is computed from (None: not asked)


def data_behind(inputs: Inputs, fmt: Formatter | None = None) -> str:
    """A roadmap statement's data in words: what its figures and network features are computed from, or
    that it rests on its sources alone."""
    if not inputs.total:
        return t("no figures or network data; it rests on its sources and stories")
    return inputs.words(fmt)


def roadmap_sections(
    lessons: Iterable[Lesson],
    decisions_for: Callable[[str], Iterable] | None = None,
    include_under_validation: bool = True,
    inputs_of: Callable[[Lesson], Inputs] | None = None,
) -> dict[str, list[Entry]]:
    """Heading id -> entries: validated lessons, then (if asked) those under validation; `inputs_of`
    (e.g. crosspilot.lessons.evidence_inputs on the snapshot) gives each what its data rests on."""
    wanted = INCLUDED if include_under_validation else ("validated",)
    sections: dict[str, list[Entry]] = {heading: [] for heading in ROADMAP}
    for lesson in lessons:
        decisions = decisions_for(lesson.item_id) if decisions_for else ()
        status, _ = effective_status(lesson, decisions or ())
        if status in wanted:
            sections[lesson.roadmap].append(Entry(lesson, status, inputs_of(lesson) if inputs_of else None))
    for entries in sections.values():
        entries.sort(key=lambda e: (wanted.index(e.status), -e.lesson.strength, e.lesson.title))
    return sections


@dataclass(frozen=True)
class Numbered:
    """An entry whose sources are footnotes numbered through the whole roadmap, one number a source."""

    entry: Entry
    first: int  # its first source's number
    last: int  # its last source's number; first - 1 when it has none

    @property
    def span(self) -> str:
        """The numbers as the lesson's summary cites them: "3" or "3–5"."""
        return str(self.first) if self.last == self.first else f"{self.first}–{self.last}"

    @property
    def footnotes(self) -> list[tuple[int, object]]:
        return list(enumerate(self.entry.lesson.evidence.sources, start=self.first))


def numbered(sections: Mapping[str, list[Entry]]) -> dict[str, list[Numbered]]:
    """`sections` with each entry's footnote numbers (the page and both downloads number alike)."""
    out, number = {}, 0
    for heading, entries in sections.items():
        out[heading] = []
        for entry in entries:
            first = number + 1
            number += len(entry.lesson.evidence.sources)
            out[heading].append(Numbered(entry, first, number))
    return out


def marker(status: str) -> str:
    """The warning an entry that is not validated carries ("" for a validated one)."""
    return t(MARKERS[status]) if status in MARKERS else ""


def _pilots(lesson: Lesson, names: Mapping[str, str]) -> str:
    return ", ".join(names.get(p, p) for p in lesson.pilots) or t("programme-level (no single pilot)")


def to_markdown(sections: Mapping[str, list[Entry]], names: Mapping[str, str], version: str = "") -> str:
    """The roadmap as one Markdown document, sources as numbered footnotes after each lesson."""
    lines = [
        "# " + t("Roadmap to co-creation"),
        "",
        t(
            "Lessons from the CoSIE pilots, organised under the three headings of the CoSIE roadmap to "
            "co-creation. Lessons marked *under validation*, *context-specific* or *needs evidence* have not "
            "been validated by the partners for every pilot."
        ),
    ]
    if version:
        lines += ["", t("Data version {version}.", version=version)]
    for heading, entries in numbered(sections).items():
        lines += ["", "## " + t(ROADMAP[heading]), ""]
        if not entries:
            lines.append(t("No lessons under this heading yet."))
            continue
        for item in entries:
            entry, lesson = item.entry, item.entry.lesson
            marks = "".join(f"[^{n}]" for n in range(item.first, item.last + 1))
            lines += ["### " + lesson.title, ""]
            if marker(entry.status):
                lines += [f"> **{marker(entry.status)}**", ""]
            lines += [lesson.summary + marks, ""]
            if lesson.body:
                lines += [lesson.body, ""]
            lines += [
                f"- **{t('Status')}:** {status_label(entry.status)}",
                f"- **{t('Strength of evidence')}:** {lesson.strength}/4, {strength_label(lesson.strength)}",
                f"- **{t('Pilots')}:** {_pilots(lesson, names)}",
                *([f"- **{t('Data behind it')}:** {data_behind(entry.inputs)}"] if entry.inputs else []),
                "",
            ]
            for n, source in item.footnotes:
                detail = f' "{source.quote}"' if source.quote else ""
                note = f" {source.note}" if source.note else ""
                lines.append(f"[^{n}]: <{source.url}>{note}{detail}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #212529;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; border-bottom: 2px solid #000; margin-top: 2.5rem; }
h3 { font-size: 1.2rem; margin-bottom: .25rem; }
.lesson { border: 2px solid #212529; border-radius: .4rem; padding: .75rem 1rem; margin: 1rem 0;
          break-inside: avoid; page-break-inside: avoid; }
.lesson.under_validation, .lesson.context_specific, .lesson.needs_evidence { border-style: dashed; }
.marker { display: inline-block; border: 2px dashed #000; padding: 0 .4rem; font-weight: 600; }
.facts { list-style: none; padding: 0; margin: .5rem 0; } .facts li { margin: 0; }
.footnotes { font-size: .85rem; border-top: 1px solid #6c757d; margin-top: .75rem; padding-top: .25rem; }
.footnotes a { word-break: break-all; }
a { color: #0b57d0; }
@media print { body { margin: 0; max-width: none; } a { color: #000; }
  h2 { break-after: avoid; page-break-after: avoid; } }
"""


def to_html(sections: Mapping[str, list[Entry]], names: Mapping[str, str], version: str = "") -> str:
    """The roadmap as one self-contained HTML file (inline CSS, no scripts, links only to sources)."""
    headings = []
    for heading, entries in numbered(sections).items():
        lessons = []
        for item in entries:
            entry, lesson = item.entry, item.entry.lesson
            lessons.append(
                {
                    "lesson": lesson,
                    "status": entry.status,
                    "status_label": status_label(entry.status),
                    "marker": marker(entry.status),
                    "strength_label": strength_label(lesson.strength),
                    "pilots": _pilots(lesson, names),
                    "data": data_behind(entry.inputs) if entry.inputs else "",
                    "first": item.first,
                    "span": item.span,
                    "footnotes": item.footnotes,
                }
            )
        headings.append({"title": t(ROADMAP[heading]), "lessons": lessons})
    labels = {
        "title": t("Roadmap to co-creation"),
        "intro": t(
            "Lessons from the CoSIE pilots, organised under the three headings of the CoSIE roadmap "
            "to co-creation. Lessons marked under validation, context-specific or needs evidence have not "
            "been validated by the partners for every pilot."
        ),
        "version": t("Data version {version}.", version=version) if version else "",
        "empty": t("No lessons under this heading yet."),
        "status": t("Status"),
        "strength": t("Strength of evidence"),
        "pilots": t("Pilots"),
        "data": t("Data behind it"),
    }
    page = (
        environment()
        .get_template("roadmap.html.j2")
        .render(lang=current_language(), css=Markup(_CSS), labels=labels, headings=headings)
    )
    return page.rstrip() + "\n"
