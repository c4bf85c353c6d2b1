"""The workshop pages' own link state, and the workshop report a facilitator downloads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crosspilot.formatting import Formatter
from crosspilot.views import workshop as view
from crosspilot.workshop import Decision
from crosspilot.workshop.report import to_html, to_markdown
from crosspilot.workshop.rules import tally

# --- views --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parse, shown",
    [
        (view.parse_join, view.JoinView(code="AB12CD34")),
        (view.parse_room, view.RoomView(w="xY_z-09ab12")),
        (view.parse_setup, view.SetupView()),
        (view.parse_join, view.JoinView()),
    ],
)
def test_round_trip_writes_only_what_differs_from_the_default(parse, shown):
    query = view.to_query(None, shown)
    assert parse(None, query) == (shown, [])
    assert (query == {}) == (shown == type(shown)())  # a default view writes nothing


def test_links_of_the_pages_carry_the_theme_only_when_asked():
    room = view.RoomView(w="abc")
    assert view.link(view.PRESENT_PATH, room, theme="projector") == "/workshop/present?w=abc&theme=projector"
    assert view.link(view.JOIN_PATH, view.JoinView()) == "/workshop/join"


@pytest.mark.parametrize(
    "query, notice",
    [
        ({"code": "x" * 17}, "code="),
        ({"code": "<b>"}, "code='<b>'"),
        ({"w": "../../etc/passwd"}, "w='../../etc/passwd'"),
        ({"key": "secret"}, "unknown parameter 'key'"),
    ],
)
def test_what_a_page_cannot_read_falls_back_with_a_notice(query, notice):
    parse = view.parse_join if "code" in query else view.parse_room
    shown, notices = parse(None, query)
    assert shown == type(shown)() and any(notice in n for n in notices)


def test_the_theme_is_no_notice():
    assert view.parse_room(None, {"w": "abc", "theme": "projector"}) == (view.RoomView(w="abc"), [])


# --- the report ---------------------------------------------------------------------------------


def _summary(comments: list[str], reason: str = "The room agreed") -> list[dict]:
    counts = {"agree": 3, "agree_with_changes": 1, "disagree": 0, "cant_judge": 0}
    votes = [(s, 3, None, None) for s, n in counts.items() for _ in range(n)]
    result = tally(votes)
    decision = Decision(
        item_id="lesson:trust",
        status="validated",
        rule_status=result.status,
        reason=reason,
        decided_by="Ann <facilitator>",
        decided_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        workshop_id="w1",
        round=1,
    )
    return [
        {
            "round": 1,
            "position": 0,
            "kind": "lesson",
            "ref": "lesson:trust",
            "title": "Trust <takes> time",
            "results": result,
            "decision": decision,
            "comments": [
                {"text": c, "hidden": False, "stance": "agree", "id": i} for i, c in enumerate(comments)
            ]
            + [{"text": "hidden one", "hidden": True, "stance": "agree", "id": 99}],
        }
    ]


def test_report_html_escapes_what_people_typed_and_renders_their_markdown():
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3))'
    page = to_html("Day <one>", _summary([hostile, "Works when:\n\n- a librarian helps\n- it is local"]))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img" in page
    assert "href" not in page and "click" in page  # a javascript: link keeps its text, loses its target
    assert "<ul>\n<li>a librarian helps</li>\n<li>it is local</li>\n</ul>" in page
    assert "<title>Day &lt;one&gt;</title>" in page and "Trust &lt;takes&gt; time" in page
    assert "Ann &lt;facilitator&gt;" in page and "hidden one" not in page


def test_reports_write_their_numbers_through_the_formatter():
    summary = _summary(["**yes**"])
    page = to_html("Day", summary)
    assert "agreement 100%" in page and "<strong>yes</strong>" in page
    assert "Votes: 4" in page and "75%" in page  # 3 of 4 votes agree
    markdown = to_markdown("Day", summary, Formatter())
    consensus = Formatter().fixed(summary[0]["results"].consensus, 2)
    assert "agreement 100%" in markdown and f"consensus {consensus}" in markdown
    # Markdown keeps participants' text inert (escaped), as before.
    assert "\\*\\*yes\\*\\*" in markdown and "hidden one" not in markdown
