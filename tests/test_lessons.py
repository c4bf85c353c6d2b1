"""Lesson cards: parsing, each validation error, evidence resolution, strength and status rules,
workshop decisions, governance models and the roadmap export."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from crosspilot.dataset import BUNDLED, content_version, load_dataset
from crosspilot.governance import governance_models, governance_vs_structure, level_label
from crosspilot.i18n import codes
from crosspilot.lessons import (
    Evidence,
    Filters,
    IndicatorEvidence,
    Lesson,
    NetworkEvidence,
    Source,
    check_references,
    effective_status,
    filter_lessons,
    lesson_files,
    parse_lesson,
    resolve,
    status_label,
    supported_strength,
)
from crosspilot.lessons.loading import translation_of
from crosspilot.problems import Report
from crosspilot.roadmap import roadmap_sections, to_html, to_markdown
from crosspilot.structure import structure
from crosspilot.vocabulary import term
from tests.conftest import ROOT

FACTS = ROOT.parent / "shared" / "research" / "cosie_facts.md"

CARD = """---
id: sample
title: A sample lesson
summary: What it claims.
themes: [hackathons, sustainability]
pilots: [voru, valencia]
governance: [co-design]
roadmap: catalysts
strength: 2
status: under_validation
history:
  - status: under_validation
    date: 2026-11-29
    by: Editors
    reason: Drafted.
evidence:
  indicators:
    - {indicator: participants, pilots: [voru]}
  networks:
    - {pilot: valencia, metric: sectors}
  stories: [fi-youth-interviews]
  sources:
    - url: https://example.org/a
      kind: project
      pilots: [valencia]
      quote: a verbatim quote
---
The body.

Second paragraph.
"""


@pytest.fixture(scope="module")
def snapshot():
    result = load_dataset(BUNDLED)
    assert result.ok, result.report.format()
    return result.snapshot


def parse(text: str, file: str = "lessons/sample.md"):
    report = Report()
    return parse_lesson(text, file, report), report


def check(snapshot, text: str):
    report = Report()
    lesson = parse_lesson(text, "lessons/sample.md", report)
    if lesson is not None:
        check_references(lesson, snapshot.tables, report)
    return report


# --- parsing ---------------------------------------------------------------------------------------


def test_front_matter_is_parsed_into_a_frozen_lesson():
    lesson, report = parse(CARD)
    assert report.problems == []
    assert lesson.id == "sample" and lesson.title == "A sample lesson"
    assert lesson.themes == ("hackathons", "sustainability")
    assert lesson.pilots == ("voru", "valencia")
    assert lesson.evidence.indicators == (IndicatorEvidence("participants", ("voru",)),)
    assert lesson.evidence.networks == (NetworkEvidence("valencia", "sectors"),)
    assert lesson.evidence.sources[0].quote == "a verbatim quote"
    assert lesson.history[0].date == "2026-11-29" and lesson.history[0].by == "Editors"
    assert lesson.body == "The body.\n\nSecond paragraph."
    assert lesson.item_id == "lesson:sample"
    with pytest.raises(AttributeError):
        lesson.status = "validated"


def _where(report: Report) -> list[str]:
    return [str(p) for p in report.errors]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (("title: A sample lesson\n", "title: [broken\n"), "line 4", "not valid YAML"),
        (("---\nid: sample\n", "id: sample\n"), "", "has no front matter"),
        (("title: A sample lesson\n", ""), "field title", "missing required field"),
        (("id: sample\n", "id: other\n"), "field id", "differs from the file name"),
        (("status: under_validation\n", "status: approved\n"), "field status", "'approved' is not allowed"),
        (("roadmap: catalysts\n", "roadmap: compass\n"), "field roadmap", "use one of: the_system"),
        (("governance: [co-design]\n", "governance: [co-dreaming]\n"), "field governance[0]", "not allowed"),
        (("strength: 2\n", "strength: 7\n"), "field strength", "whole number from 0 to 4"),
        (("metric: sectors}", "metric: fame}"), "field evidence.networks[0].metric", "'fame' is not allowed"),
        (
            ("url: https://example.org/a", "url: example.org/a"),
            "field evidence.sources[0].url",
            "not a web address",
        ),
        (("    date: 2026-11-29\n", "    date: soon\n"), "field history[0].date", "is not a date"),
        (("kind: project", "kind: rumour"), "field evidence.sources[0].kind", "'rumour' is not allowed"),
        (
            ("    - {indicator: participants, pilots: [voru]}", "    - participants"),
            "field evidence.indicators[0]",
            "needs an indicator id and the pilots, e.g. {indicator: ideas",
        ),
        (
            ("{pilot: valencia, metric: sectors}", "{pilot: valencia}"),
            "field evidence.networks[0]",
            "needs a pilot and a metric",
        ),
        (
            ("history:\n  - status", "history: 5\nxhistory:\n  - status"),
            "field history",
            "must be a list of status changes",
        ),
        (("title: A sample lesson", "title: [a, b]"), "field title", "must be text"),
        (("    date: 2026-11-29\n", ""), "field history[0].date", "missing required field"),
        (("strength: 2", "strength: true"), "field strength", "True is not a strength"),
        (("id: sample", "id: Sample!"), "field id", "'Sample!' is not an id"),
        (
            ("evidence:\n  indicators", "evidence: [a]\nxevidence:\n  indicators"),
            "field evidence",
            "must have indicators, networks, stories and sources",
        ),
    ],
)
def test_each_format_error_names_the_file_and_the_field(change, field, message):
    lesson, report = parse(CARD.replace(*change, 1))
    assert lesson is None
    errors = _where(report)
    place = f"lessons/sample.md {field}".rstrip()
    assert any(e.startswith(f"{place}:") and message in e for e in errors), errors


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            ("pilots: [voru, valencia]", "pilots: [voru, valenca]"),
            "field pilots[1]",
            "unknown pilot id 'valenca' (did you mean 'valencia'?)",
        ),
        (
            ("indicator: participants", "indicator: particpants"),
            "field evidence.indicators[0].indicator",
            "unknown indicator id 'particpants'",
        ),
        (
            ("stories: [fi-youth-interviews]", "stories: [fi-no-such-story]"),
            "field evidence.stories[0]",
            "unknown story id 'fi-no-such-story'",
        ),
        (
            ("{pilot: valencia, metric", "{pilot: atlantis, metric"),
            "field evidence.networks[0].pilot",
            "unknown pilot id 'atlantis'",
        ),
        (
            ("strength: 2\n", "strength: 4\n"),
            "field strength",
            "strength 4 is more than the evidence supports (at most 3",
        ),
    ],
)
def test_each_reference_error_names_the_file_and_the_field(snapshot, change, field, message):
    report = check(snapshot, CARD.replace(*change, 1))
    errors = _where(report)
    assert any(e.startswith(f"lessons/sample.md {field}") and message in e for e in errors), errors


def test_status_rules(snapshot):
    # The history must end in the current status.
    _, report = parse(CARD.replace("status: under_validation\nhistory", "status: draft\nhistory", 1))
    assert any(
        "the last status change is 'under_validation' but the status is 'draft'" in e for e in _where(report)
    )
    # A validated lesson needs a decision that says who and why.
    validated = CARD.replace("status: under_validation\n", "status: validated\n").replace(
        "    reason: Drafted.\n", ""
    )
    _, report = parse(validated)
    assert any(
        "a validated lesson needs a history entry that says who decided it" in e for e in _where(report)
    )
    # Changes must run forward in time.
    backwards = CARD.replace(
        "history:\n",
        "history:\n  - {status: draft, date: 2027-01-01, by: A, reason: B}\n",
    )
    _, report = parse(backwards)
    assert any("date order" in e for e in _where(report))


def test_unknown_fields_and_missing_values_are_warnings(snapshot):
    report = check(
        snapshot,
        CARD.replace("summary:", "colour: blue\nsummary:")
        .replace("pilots: [voru]}", "pilots: [turku]}")
        .replace("strength: 2", "strength: 1"),
    )
    warnings = [str(p) for p in report.warnings]
    assert any("field colour: unknown field ignored" in w for w in warnings)
    assert any("pilot 'turku' has no values for indicator 'participants'" in w for w in warnings)
    assert report.ok


def test_load_dataset_reports_lesson_errors_like_any_other_problem(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BUNDLED, data)
    (data / "lessons").mkdir()
    (data / "lessons" / "sample.md").write_text(
        CARD.replace("stories: [fi-youth-interviews]", "stories: [nope]")
    )
    (data / "lessons" / "README.md").write_text("not a card")
    result = load_dataset(data)
    assert not result.ok
    assert [str(p) for p in result.report.errors] == [
        "lessons/sample.md field evidence.stories[0]: unknown story id 'nope'"
    ]
    done = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "validate", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "lessons/sample.md field evidence.stories[0]: unknown story id 'nope'" in done.stdout


def test_a_datasets_own_lessons_replace_the_bundled_ones_and_enter_the_version(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BUNDLED, data)
    (data / "lessons").mkdir()
    card = data / "lessons" / "sample.md"
    card.write_text(CARD)
    result = load_dataset(data, cache_dir=tmp_path / "cache")
    assert [lesson.id for lesson in result.snapshot.lessons] == ["sample"]
    before = result.snapshot.version
    again = load_dataset(data, cache_dir=tmp_path / "cache")
    assert again.snapshot.from_cache and [lesson.id for lesson in again.snapshot.lessons] == ["sample"]
    card.write_text(CARD.replace("A sample lesson", "A changed lesson"))
    changed = load_dataset(data, cache_dir=tmp_path / "cache")
    assert changed.snapshot.version != before and not changed.snapshot.from_cache
    assert changed.snapshot.lessons[0].title == "A changed lesson"
    files = [p for p in (data).iterdir() if p.is_file()]
    assert content_version(data, sorted(files)) != changed.snapshot.version  # the lessons count


# --- evidence --------------------------------------------------------------------------------------


def _lesson(**changes) -> Lesson:
    base = dict(
        id="x",
        title="X",
        summary="",
        body="",
        themes=(),
        pilots=(),
        governance=(),
        roadmap="catalysts",
        evidence=Evidence(),
        strength=0,
        status="under_validation",
    )
    return Lesson(**{**base, **changes})


def test_evidence_resolution_counts_pilots_whose_evidence_reaches_them(snapshot):
    lesson = _lesson(
        pilots=("voru", "nieuwegein", "hull", "houten", "valencia"),
        evidence=Evidence(
            # Nieuwegein's households in scope are illustrative: shown, never counted.
            indicators=(
                IndicatorEvidence("participants", ("voru",)),
                IndicatorEvidence("households_in_scope", ("nieuwegein",)),
            ),
            networks=(NetworkEvidence("hull", "citizen_tie_share"), NetworkEvidence("valencia", "sectors")),
            stories=("nl-houten-31-stories",),
            sources=(Source("https://example.org"),),
        ),
    )
    found = resolve(lesson, snapshot.tables)
    assert found.total_pilots == 10
    # voru by its published values, houten by its story, valencia by a sector count of published
    # stakeholders; hull's citizen ties rest on illustrative ties and nieuwegein's value is illustrative.
    assert found.evidenced == ("voru", "houten", "valencia")
    assert found.claimed_only == ("nieuwegein", "hull")
    assert set(found.values["pilot_id"]) == {"voru", "nieuwegein"}


def test_strength_rules(snapshot):
    def ceiling(**evidence) -> int:
        lesson = _lesson(pilots=("voru", "valencia", "houten"), evidence=Evidence(**evidence))
        return supported_strength(resolve(lesson, snapshot.tables), lesson)

    assert ceiling() == 0  # no source
    assert ceiling(sources=(Source("https://a"),)) == 1
    assert ceiling(sources=(Source("https://a", pilots=("voru", "valencia")),)) == 2
    published = (IndicatorEvidence("participants", ("voru",)),)
    assert ceiling(indicators=published, sources=(Source("https://a", pilots=("valencia",)),)) == 3
    assert ceiling(sources=(Source("https://a", kind="evaluation", pilots=("voru", "valencia")),)) == 3
    assert (
        ceiling(
            indicators=published,
            sources=(Source("https://a", kind="evaluation", pilots=("valencia", "houten")),),
        )
        == 4
    )


# --- status and decisions -------------------------------------------------------------------------


def test_effective_status_applies_decisions_in_time_order(snapshot):
    lesson = next(x for x in snapshot.lessons if x.id == "formats-that-outlive-the-project")
    assert effective_status(lesson, []) == (lesson.status, lesson.history)
    decisions = [
        {
            "item_id": "lesson:formats-that-outlive-the-project",
            "status": "validated",
            "reason": "agreement 80%",
            "decided_by": "Workshop A",
            "decided_at": dt.datetime(2027, 3, 2, 10),
        },
        SimpleNamespace(
            item_id="lesson:formats-that-outlive-the-project",
            status="contested",
            reason="split",
            decided_by="Workshop B",
            decided_at="2027-03-01T09:00:00",
        ),
        {
            "item_id": "lesson:other",
            "status": "contested",
            "reason": "",
            "decided_by": "",
            "decided_at": "2027-04-01",
        },
        {
            "item_id": "formats-that-outlive-the-project",
            "status": "approved",
            "reason": "",
            "decided_by": "",
            "decided_at": "2027-05-01",
        },
    ]
    status, history = effective_status(lesson, decisions)
    assert status == "validated"
    assert [c.status for c in history] == ["under_validation", "contested", "validated"]
    assert history[-1].via == "workshop" and history[-1].by == "Workshop A"
    # Every workshop outcome is a lesson status: the decision sets it word for word.
    for outcome in ("needs_evidence", "context_specific", "contested", "validated"):
        status, history = effective_status(
            lesson, [*decisions, {"item_id": lesson.item_id, "status": outcome, "decided_at": "2027-06-01"}]
        )
        assert status == outcome and history[-1].status == outcome and history[-1].via == "workshop"
        assert status_label(status) == term("outcome", outcome)


def test_governance_models_have_workshop_ids_and_an_effective_status(snapshot):
    models = governance_models(snapshot.governance, snapshot.pilots)
    valencia = next(m for m in models if m.pilot_id == "valencia")
    assert valencia.item_id == "governance:valencia"
    assert level_label(valencia.role("co-implementation").level) == "4 · empower"
    assert valencia.role("co-decision") is None
    assert valencia.classification_status == "illustrative"
    decided = [
        {
            "item_id": "governance:valencia",
            "status": "validated",
            "reason": "r",
            "decided_by": "w",
            "decided_at": "2027-01-01",
        }
    ]
    assert effective_status(valencia, decided)[0] == "validated"
    comparison = governance_vs_structure(models, snapshot.networks)
    assert len(comparison) == 10
    row = comparison.set_index("pilot_id").loc["valencia"]
    assert row["mean_level"] == pytest.approx(3.5) and row["network_status"] == "illustrative"


def test_network_structure_agrees_with_the_networks_page(snapshot):
    networks = pytest.importorskip("crosspilot.networks")
    for pilot, graph in snapshot.networks.items():
        ours = structure(pilot, graph).values
        _, theirs, _ = networks.compute_metrics(networks.tie_graph(graph))
        assert ours["degree_centralisation"] == pytest.approx(theirs["degree_centralisation"]), pilot
        assert ours["citizen_tie_share"] == pytest.approx(theirs["citizen_share"]), pilot
        assert ours["ties"] == theirs["ties"], pilot


def test_filters(snapshot):
    lessons = snapshot.lessons
    assert [x.id for x in filter_lessons(lessons, Filters(pilots=("wroclaw",)))] == [
        "digital-exclusion-limits-social-media",
        "pivot-on-user-insight",
    ]
    assert all(x.strength >= 3 for x in filter_lessons(lessons, Filters(min_strength=3)))
    statuses = {"pivot-on-user-insight": "validated"}
    assert [x.id for x in filter_lessons(lessons, Filters(statuses=("validated",)), statuses)] == [
        "pivot-on-user-insight"
    ]


# --- the bundled CoSIE lessons --------------------------------------------------------------------


def test_the_bundled_lessons_load_without_problems(snapshot):
    assert len(snapshot.lessons) >= 12
    assert snapshot.report.problems == []
    cards = [p for p in lesson_files(ROOT / "lessons") if not translation_of(p)]
    assert len(cards) == len(snapshot.lessons)
    for lesson in snapshot.lessons:
        # Every card in every interface language, each a draft until a native speaker checks it.
        assert sorted(x.language for x in lesson.translations) == sorted(c for c in codes() if c != "en")
        assert all(x.review in ("draft", "reviewed") for x in lesson.translations)
        assert lesson.evidence.sources, lesson.id
        assert lesson.status == "under_validation", lesson.id
        assert lesson.roadmap in ("the_system", "catalysts", "ethical_compass")
    headings = {lesson.roadmap for lesson in snapshot.lessons}
    assert headings == {"the_system", "catalysts", "ethical_compass"}


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("–", "-")).strip().lower()


@pytest.mark.skipif(not FACTS.is_file(), reason="the shared research notes are not beside the repository")
def test_every_quote_and_source_of_the_bundled_lessons_is_in_the_research_notes(snapshot):
    facts = _plain(FACTS.read_text(encoding="utf-8"))
    for lesson in snapshot.lessons:
        for source in lesson.evidence.sources:
            assert source.url.lower() in facts, (lesson.id, source.url)
            if source.quote:
                assert _plain(source.quote).rstrip(".") in facts, (lesson.id, source.quote)


# --- the roadmap ----------------------------------------------------------------------------------


def test_roadmap_export_contains_every_validated_lesson_with_its_sources(snapshot):
    validated = {"pivot-on-user-insight", "from-sandcastles-to-infrastructure", "redistributing-power"}
    decisions = {
        f"lesson:{i}": [
            {
                "item_id": f"lesson:{i}",
                "status": "validated",
                "reason": "agreed",
                "decided_by": "Workshop",
                "decided_at": "2027-01-01",
            }
        ]
        for i in validated
    }
    names = dict(zip(snapshot.pilots["pilot_id"], snapshot.pilots["name"], strict=True))
    only = roadmap_sections(
        snapshot.lessons, lambda item: decisions.get(item, []), include_under_validation=False
    )
    assert {e.lesson.id for entries in only.values() for e in entries} == validated
    markdown = to_markdown(only, names, snapshot.version)
    page = to_html(only, names, snapshot.version)
    for lesson in (x for x in snapshot.lessons if x.id in validated):
        assert f"### {lesson.title}" in markdown
        assert f"<h3>{lesson.title}</h3>" in page.replace("&quot;", '"')
        for source in lesson.evidence.sources:
            assert f"<{source.url}>" in markdown
            assert f'href="{source.url}"' in page
    assert "Under validation" not in markdown
    for heading in ("The System", "Catalysts", "Ethical Compass"):
        assert f"## {heading}" in markdown and f"<h2>{heading}</h2>" in page
    # Self-contained: inline CSS, no scripts, no stylesheet or image fetched from anywhere.
    assert "<style>" in page and "<script" not in page and "<link" not in page and "<img" not in page
    hrefs = set(re.findall(r'href="(https?://[^"]+)"', page))
    sources = {s.url for x in snapshot.lessons for s in x.evidence.sources}
    assert hrefs <= sources

    everything = roadmap_sections(snapshot.lessons, lambda item: decisions.get(item, []))
    markdown = to_markdown(everything, names)
    assert markdown.count("Under validation: not yet validated by the partners") == len(snapshot.lessons) - 3
    # Validated lessons come first under their heading.
    system = [e.status for e in everything["the_system"]]
    assert system == sorted(system, key=lambda s: s != "validated")


def test_roadmap_keeps_each_workshop_outcome_in_its_own_words(snapshot):
    decided = {
        "pivot-on-user-insight": "context_specific",
        "redistributing-power": "needs_evidence",
        "from-sandcastles-to-infrastructure": "contested",
    }
    decisions = {
        f"lesson:{i}": [{"item_id": f"lesson:{i}", "status": s, "decided_at": "2027-01-01"}]
        for i, s in decided.items()
    }
    sections = roadmap_sections(snapshot.lessons, lambda item: decisions.get(item, []))
    entries = {e.lesson.id: e.status for found in sections.values() for e in found}
    assert entries["pivot-on-user-insight"] == "context_specific"
    assert entries["redistributing-power"] == "needs_evidence"
    assert "from-sandcastles-to-infrastructure" not in entries  # contested: left out
    names = dict(zip(snapshot.pilots["pilot_id"], snapshot.pilots["name"], strict=True))
    markdown = to_markdown(sections, names)
    assert "Context-specific: a workshop found it holds for some pilots, not for others" in markdown
    assert "Needs evidence: a workshop could not judge it yet" in markdown
    validated_only = roadmap_sections(
        snapshot.lessons, lambda item: decisions.get(item, []), include_under_validation=False
    )
    assert not any(validated_only.values())
