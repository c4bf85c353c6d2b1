"""The Lessons section's pages and callbacks: views in the URL, callbacks called directly, Markdown
bodies, numbers and dates through the one formatter, and the front matter's pydantic messages."""

from __future__ import annotations

import datetime as dt
import shutil
from types import SimpleNamespace

import pytest
from dash import dcc, html, no_update

from callbacks import lessons as callbacks
from crosspilot.config import Config
from crosspilot.context import AppContext
from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.problems import Report
from crosspilot.views import governance as governance_views
from crosspilot.views import lessons as lesson_views
from crosspilot.views import link_for, parse_link
from crosspilot.views import roadmap as roadmap_views
from layouts import lessons as page
from layouts import lessons_governance, lessons_roadmap
from tests.helpers import by_id, of_type, text_of
from tests.test_lessons import CARD, parse

LIST_CARD = CARD.replace(
    "The body.\n\nSecond paragraph.\n",
    "What the pilots did:\n\n- held a hackathon\n- kept the format going\n\n# A heading in the card\n",
)


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    """The bundled data with one extra lesson whose body has a list and a heading."""
    folder = tmp_path_factory.mktemp("lessons-data")
    data = folder / "data"
    shutil.copytree(BUNDLED, data)
    (data / "lessons").mkdir()
    for card in (BUNDLED.parent.parent / "lessons").glob("*.md"):
        if not card.name.lower().startswith("readme"):
            shutil.copy(card, data / "lessons" / card.name)
    (data / "lessons" / "sample.md").write_text(LIST_CARD, encoding="utf-8")
    result = load_dataset(data)
    assert result.ok, result.report.format()
    config = Config(
        data_dir=data, cache_dir=None, instance_dir=folder, database_url=f"sqlite:///{folder}/w.db"
    )
    return AppContext(snapshot=result.snapshot, config=config)


# --- views ---------------------------------------------------------------------------------------


def test_the_lessons_view_round_trips_and_writes_only_what_differs(context):
    derived = context.derived
    view = lesson_views.View(
        lesson="sample", topic="hackathons", pilot="voru", status=("validated",), strength=2
    )
    query = lesson_views.to_query(derived, view)
    assert query == {
        "lesson": "sample",
        "topic": "hackathons",
        "pilot": "voru",
        "status": "validated",
        "strength": "2",
    }
    assert lesson_views.parse(derived, query) == (view, [])
    assert lesson_views.to_query(derived, lesson_views.View()) == {}
    assert view.listing() == lesson_views.View(
        topic="hackathons", pilot="voru", status=("validated",), strength=2
    )
    link = link_for(derived, "/lessons", view.listing(), {"theme": "projector"})
    assert parse_link(derived, link).view == view.listing()


def test_a_lessons_link_with_garbage_falls_back_with_a_notice_for_each_part(context):
    view, notices = lesson_views.parse(
        context.derived, {"lesson": "nope", "strength": "9", "status": "approved", "zoom": "2"}
    )
    assert view == lesson_views.View()
    assert any("lesson='nope'" in n for n in notices)
    assert any("strength='9'" in n and "0 to 4" in n for n in notices)
    assert any("unknown: approved" in n for n in notices)
    assert any("'zoom'" in n for n in notices)


def test_governance_and_roadmap_views(context):
    derived = context.derived
    assert governance_views.parse(derived, {"theme": "projector"}) == (governance_views.View(), [])
    assert governance_views.parse(derived, {"pilot": "hull"})[1]
    only = roadmap_views.View(scope="validated")
    assert roadmap_views.to_query(derived, only) == {"scope": "validated"}
    assert roadmap_views.parse(derived, {"scope": "validated"}) == (only, [])
    assert roadmap_views.to_query(derived, roadmap_views.View()) == {}
    view, notices = roadmap_views.parse(derived, {"scope": "some"})
    assert view.include_under_validation and any("scope='some'" in n for n in notices)
    assert parse_link(derived, "/lessons/roadmap?scope=validated").view == only


# --- the pages -----------------------------------------------------------------------------------


def test_a_lesson_body_is_drawn_as_markdown_with_a_real_list(context):
    shown = page.layout(context, {"lesson": "sample"}, "standard")
    body = next(d for d in of_type(shown, html.Div) if "lesson-body" in (getattr(d, "className", None) or ""))
    [items] = of_type(body, html.Ul)
    assert [text_of(li) for li in items.children] == ["held a hackathon", "kept the format going"]
    assert "- held" not in text_of(shown)
    # A card's own top heading sits under the page's H1.
    assert [text_of(h) for h in of_type(body, html.H2)] == ["A heading in the card"]
    assert [text_of(h) for h in of_type(shown, html.H1)] == ["A sample lesson"]


def test_the_downloaded_roadmap_html_has_the_list_too(context):
    download = callbacks.roadmap_download(context, "html", ["all"])
    assert download["filename"] == "roadmap-to-co-creation.html" and download["type"] == "text/html"
    page_html = download["content"]
    assert "<ul>\n<li>held a hackathon</li>\n<li>kept the format going</li>\n</ul>" in page_html
    assert "- held a hackathon" not in page_html
    markdown = callbacks.roadmap_download(context, "markdown", ["all"])
    assert markdown["filename"].endswith(".md") and "- held a hackathon" in markdown["content"]
    assert callbacks.roadmap_download(context, "", ["all"]) is no_update


def test_the_roadmap_html_escapes_what_authors_wrote(context):
    from crosspilot.roadmap import Entry, to_html

    lesson, _ = parse(
        LIST_CARD.replace("title: A sample lesson", "title: <script>alert(1)</script>").replace(
            "What the pilots did:", "<b>bold</b> [link](javascript:alert(1))"
        )
    )
    text = to_html({"catalysts": [Entry(lesson, "under_validation")]}, {})
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>" not in text and "&lt;b&gt;bold&lt;/b&gt;" in text
    assert 'href="javascript' not in text  # the unsafe link stays text, never a link


def test_history_dates_are_in_words_and_counts_through_the_formatter(context):
    shown = text_of(page.layout(context, {"lesson": "sample"}, "standard"))
    assert "29 November 2026" in shown and "2026-11-29" not in shown
    assert "Evidenced in 2 of 10 pilots" in shown


def test_workshop_decisions_set_the_status_on_the_list_and_the_lesson(context, monkeypatch):
    decided = SimpleNamespace(
        item_id="lesson:sample",
        status="validated",
        reason="agreed",
        decided_by="Workshop A",
        decided_at=dt.datetime(2027, 3, 2, 10, 5),
    )
    monkeypatch.setattr(type(context), "all_decisions", lambda self: [decided])
    monkeypatch.setattr(
        type(context), "decisions_for", lambda self, item: [decided] if item == "lesson:sample" else []
    )
    result = callbacks.filter_list(context, None, None, ["validated"], None, "")
    assert result["count"] == "Showing 1 of 16 lessons."
    assert "A sample lesson" in text_of(result["list"])
    shown = text_of(page.layout(context, {"lesson": "sample"}, "standard"))
    assert "2 March 2027, 10:05" in shown and "Workshop decision" in shown


def test_governance_page_shows_numbers_through_the_formatter(context):
    shown = text_of(lessons_governance.layout(context, {}, "standard"))
    assert "Governance models" in shown and "4 · empower" in shown
    assert "5 of 5" in shown and "2 of 5" in shown  # Hungary classified at every stage, Valencia at two


def test_governance_says_a_stage_nobody_classified_is_unknown_not_skipped(context):
    page_ = lessons_governance.layout(context, {}, "standard")
    shown = text_of(page_)
    assert "covered" not in shown.lower()
    assert "Stages classified" in shown
    # Valencia: co-design and co-implementation are classified, the other three are not.
    valencia = text_of(
        next(r for r in of_type(page_, html.Tr) if getattr(r, "id", "") == "governance-valencia")
    )
    assert valencia.count("not classified") == 3
    counts = next(
        p for p in of_type(page_, html.P) if getattr(p, "id", "") == "lessons-governance-unclassified"
    )
    assert text_of(counts).startswith("17 of 50 pilot stages are not classified: no source describes them")
    figure = next(
        g for g in of_type(page_, dcc.Graph) if getattr(g, "id", "") == "lessons-governance-matrix"
    ).figure
    assert "– not classified: no source describes this stage" in [trace.name for trace in figure.data]


# --- callbacks, called directly ---------------------------------------------------------------------


def test_filter_list_answers_with_the_list_count_and_url(context):
    result = callbacks.filter_list(context, "*", "wroclaw", [], "2", "?theme=projector")
    assert result["count"] == "Showing 2 of 16 lessons."
    assert result["search"] == "?pilot=wroclaw&strength=2&theme=projector"
    assert result["shown"] == "pilot=wroclaw&strength=2"
    links = [a.href for a in of_type(result["list"], page.dcc.Link)]
    assert links and all(href.startswith("/lessons?lesson=") and "theme=projector" in href for href in links)
    # Garbage from the browser is checked like any link: the filter is dropped.
    assert callbacks.filter_list(context, "nope", 5, "x", "9", "")["count"] == "Showing 16 of 16 lessons."


def test_follow_link_redraws_only_when_the_url_says_something_new(context):
    assert callbacks.follow_link(context, "?lesson=sample", "/lessons/roadmap", "") is no_update
    assert callbacks.follow_link(context, "?pilot=wroclaw", "/lessons", "pilot=wroclaw") is no_update
    opened = callbacks.follow_link(context, "?lesson=sample&pilot=voru", "/lessons", "pilot=voru")
    assert "A sample lesson" in text_of(opened)
    back = [a for a in of_type(opened, page.dcc.Link) if a.className == "back-link"]
    assert back[0].href == "/lessons?pilot=voru"


def test_roadmap_scope_shows_the_validated_lessons_only(context):
    result = callbacks.roadmap_scope(context, [], "?theme=projector")
    assert result["search"] == "?scope=validated&theme=projector"
    assert text_of(result["body"]).count("No lessons under this heading yet.") == 3
    everything = callbacks.roadmap_scope(context, ["all"], "")
    assert everything["search"] == "" and "A sample lesson" in text_of(everything["body"])
    assert len(of_type(lessons_roadmap.layout(context, {}, "standard"), html.Article)) == 16


# --- front matter (pydantic) ---------------------------------------------------------------------


def test_a_source_may_be_a_bare_web_address_and_every_problem_is_reported_at_once():
    lesson, report = parse(
        CARD.replace(
            "    - url: https://example.org/a\n",
            "    - https://example.org/b\n    - url: https://example.org/a\n",
        )
    )
    assert report.problems == [] and [s.url for s in lesson.evidence.sources] == [
        "https://example.org/b",
        "https://example.org/a",
    ]
    lesson, report = parse(
        CARD.replace("strength: 2", "strength: 9").replace("roadmap: catalysts", "roadmap: compass")
    )
    assert lesson is None and {p.where for p in report.errors} == {"field strength", "field roadmap"}


def test_unknown_evidence_fields_are_warnings():
    lesson, report = parse(CARD.replace("evidence:\n", "evidence:\n  colour: red\n"))
    assert lesson is not None and report.ok
    assert [str(w) for w in report.warnings] == [
        "lessons/sample.md field evidence.colour: unknown field ignored"
    ]


def test_loading_builds_one_index_and_the_app_keeps_its_own(context):
    from crosspilot.lessons import LessonIndex, lesson_files, load_lessons

    assert context.derived.lesson_index is context.derived.lesson_index
    assert isinstance(context.derived.lesson_index, LessonIndex)
    report = Report()
    files = lesson_files(context.config.data_dir / "lessons")
    assert len(load_lessons(files, context.snapshot.tables, report)) == 16 and report.ok


# --- the evidence vocabulary, where it is used -----------------------------------------------------


def _how_to_read(component):
    return next(d for d in of_type(component, html.Details) if getattr(d, "id", "") == "lessons-how-to-read")


def test_the_lessons_page_and_each_lesson_say_how_to_read_strength_and_status(context):
    for shown in (
        page.layout(context, {}, "standard"),
        page.layout(context, {"lesson": "sample"}, "standard"),
    ):
        text = text_of(_how_to_read(shown))
        # What each strength requires, as lessons/README.md defines it ...
        assert (
            "3/4" in text and "at least two pilots, and a published indicator value or an evaluation" in text
        )
        assert "Tested across pilots" in text and "Illustrative values are shown, but never count" in text
        # ... and every status, the workshop's outcomes among them, with what it means.
        for word in ("Under validation", "Validated", "Context-specific", "Contested", "Needs evidence"):
            assert word in text
        assert "fewer than 3 judging votes" in text and "That outcome becomes the lesson's status" in text
    lesson = next(x for x in context.snapshot.lessons if x.id == "sample")
    marked = text_of(_how_to_read(page.layout(context, {"lesson": "sample"}, "standard")))
    assert f"{lesson.strength}/4 (this lesson)" in marked


def test_the_status_words_state_the_rules_the_workshop_applies():
    from crosspilot.lessons import status_meaning
    from crosspilot.workshop import rules

    assert f"{rules.AGREEMENT:.0%}".replace("%", " %") in status_meaning("validated")
    assert f"{rules.CONSENSUS}" in status_meaning("validated")
    assert f"fewer than {rules.MIN_JUDGING} judging votes" in status_meaning("needs_evidence")
    assert f"{rules.CANT_JUDGE_SHARE:.0%}".replace("%", " %") in status_meaning("needs_evidence")
    assert f"{rules.GROUP_LOW:.0%}".replace("%", " %") in status_meaning("context_specific")
    assert set(rules.STATUSES) <= set(lesson_views.STATUSES)  # one vocabulary: every outcome is a status


def test_a_lessons_computed_share_says_what_it_is_computed_from_not_published(context):
    from layouts import ids

    shown = page.layout(context, {"lesson": "lived-experience-intermediaries"}, "standard")
    features = text_of(by_id(shown, ids.LESSONS_NETWORK_TABLE))
    assert "Share of hard-to-reach stakeholders 9% computed from published data" in features
    assert "Published" not in features and "Computed from" in features
    # Its source values keep their own status: a stated value is published.
    assert "Published" in text_of(shown)


def test_the_roadmap_says_the_data_behind_each_statement(context):
    view, _ = roadmap_views.parse(context.derived, {})
    body = text_of(lessons_roadmap.roadmap_body(context, view, "standard"))
    assert body.count("Data behind it:") == sum(
        len(e) for e in lessons_roadmap.sections_of(context, view).values()
    )
    assert "illustrative of" in body and "rests on its sources" in body
