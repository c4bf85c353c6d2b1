"""The roadmap to co-creation: lessons under the CoSIE roadmap's three headings, as Markdown or HTML.

Validated lessons first; lessons still under validation follow, each clearly marked. Every
document is self-contained: the HTML has its CSS inline and links only to the lessons' sources.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from crosspilot.i18n import t
from crosspilot.lessons import ROADMAP, Lesson, effective_status, status_label, strength_label

INCLUDED = ("validated", "under_validation")


@dataclass(frozen=True)
class Entry:
    lesson: Lesson
    status: str


def roadmap_sections(
    lessons: Iterable[Lesson],
    decisions_for: Callable[[str], Iterable] | None = None,
    include_under_validation: bool = True,
) -> dict[str, list[Entry]]:
    """Heading id -> entries: validated lessons, then (if asked) those under validation."""
    wanted = INCLUDED if include_under_validation else ("validated",)
    sections: dict[str, list[Entry]] = {heading: [] for heading in ROADMAP}
    for lesson in lessons:
        decisions = decisions_for(lesson.item_id) if decisions_for else ()
        status, _ = effective_status(lesson, decisions or ())
        if status in wanted:
            sections[lesson.roadmap].append(Entry(lesson, status))
    for entries in sections.values():
        entries.sort(key=lambda e: (wanted.index(e.status), -e.lesson.strength, e.lesson.title))
    return sections


def _marker(status: str) -> str:
    return "" if status == "validated" else t("Under validation: not yet validated by the partners")


def _pilots(lesson: Lesson, names: Mapping[str, str]) -> str:
    return ", ".join(names.get(p, p) for p in lesson.pilots) or t("programme-level (no single pilot)")


def to_markdown(sections: Mapping[str, list[Entry]], names: Mapping[str, str], version: str = "") -> str:
    """The roadmap as one Markdown document, sources as numbered footnotes after each lesson."""
    lines = [
        "# " + t("Roadmap to co-creation"),
        "",
        t(
            "Lessons from the CoSIE pilots, organised under the three headings of the CoSIE roadmap to "
            "co-creation. Lessons marked *under validation* have not yet been validated by the partners."
        ),
    ]
    if version:
        lines += ["", t("Data version {version}.", version=version)]
    number = 0
    for heading, entries in sections.items():
        lines += ["", "## " + t(ROADMAP[heading]), ""]
        if not entries:
            lines.append(t("No lessons under this heading yet."))
            continue
        for entry in entries:
            lesson = entry.lesson
            first = number + 1
            number += len(lesson.evidence.sources)
            marks = "".join(f"[^{n}]" for n in range(first, number + 1))
            lines += ["### " + lesson.title, ""]
            if _marker(entry.status):
                lines += [f"> **{_marker(entry.status)}**", ""]
            lines += [lesson.summary + marks, ""]
            if lesson.body:
                lines += [lesson.body, ""]
            lines += [
                f"- **{t('Status')}:** {status_label(entry.status)}",
                f"- **{t('Strength of evidence')}:** {lesson.strength}/4, {strength_label(lesson.strength)}",
                f"- **{t('Pilots')}:** {_pilots(lesson, names)}",
                "",
            ]
            for n, source in enumerate(lesson.evidence.sources, start=first):
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
.lesson.under_validation { border-style: dashed; }
.marker { display: inline-block; border: 2px dashed #000; padding: 0 .4rem; font-weight: 600; }
.facts { list-style: none; padding: 0; margin: .5rem 0; } .facts li { margin: 0; }
.footnotes { font-size: .85rem; border-top: 1px solid #6c757d; margin-top: .75rem; padding-top: .25rem; }
.footnotes a { word-break: break-all; }
a { color: #0b57d0; }
@media print { body { margin: 0; max-width: none; } a { color: #000; }
  h2 { break-after: avoid; page-break-after: avoid; } }
"""


def _emphasis(escaped: str) -> str:
    """The one piece of Markdown lesson texts use: *a title* in italics."""
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", escaped)


def to_html(sections: Mapping[str, list[Entry]], names: Mapping[str, str], version: str = "") -> str:
    """The roadmap as one self-contained HTML file (inline CSS, no scripts, links only to sources)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(t('Roadmap to co-creation'))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(t('Roadmap to co-creation'))}</h1>",
        "<p>"
        + e(
            t(
                "Lessons from the CoSIE pilots, organised under the three headings of the CoSIE roadmap "
                "to co-creation. Lessons marked under validation have not yet been validated by the partners."
            )
        )
        + "</p>",
    ]
    if version:
        parts.append(f"<p><small>{e(t('Data version {version}.', version=version))}</small></p>")
    number = 0
    for heading, entries in sections.items():
        parts.append(f"<section><h2>{e(t(ROADMAP[heading]))}</h2>")
        if not entries:
            parts.append(f"<p>{e(t('No lessons under this heading yet.'))}</p>")
        for entry in entries:
            lesson = entry.lesson
            first = number + 1
            number += len(lesson.evidence.sources)
            span = str(first) if number == first else f"{first}–{number}"
            marks = f'<sup><a href="#fn-{first}" id="ref-{first}">{span}</a></sup>' if number >= first else ""
            parts.append(f'<article class="lesson {e(entry.status)}" id="{e(lesson.id)}">')
            parts.append(f"<h3>{e(lesson.title)}</h3>")
            if _marker(entry.status):
                parts.append(f'<p class="marker">{e(_marker(entry.status))}</p>')
            parts.append(f"<p><strong>{e(lesson.summary)}</strong>{marks}</p>")
            parts += [
                f"<p>{_emphasis(e(' '.join(p.split())))}</p>" for p in lesson.body.split("\n\n") if p.strip()
            ]
            parts.append(
                '<ul class="facts">'
                f"<li><strong>{e(t('Status'))}:</strong> {e(status_label(entry.status))}</li>"
                f"<li><strong>{e(t('Strength of evidence'))}:</strong> {lesson.strength}/4, "
                f"{e(strength_label(lesson.strength))}</li>"
                f"<li><strong>{e(t('Pilots'))}:</strong> {e(_pilots(lesson, names))}</li></ul>"
            )
            if lesson.evidence.sources:
                parts.append(f'<ol class="footnotes" start="{first}">')
                for n, source in enumerate(lesson.evidence.sources, start=first):
                    quote = f" “{e(source.quote)}”" if source.quote else ""
                    note = f" {e(source.note)}" if source.note else ""
                    parts.append(
                        f'<li id="fn-{n}"><a href="{e(source.url, quote=True)}">{e(source.url)}</a>'
                        f"{note}{quote}</li>"
                    )
                parts.append("</ol>")
            parts.append("</article>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
