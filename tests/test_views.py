"""URL view state: round trips, and garbage that falls back to defaults with a notice."""

from crosspilot.views.base import Field, Rename, Retired, choice, choices, join, parse, to_query

FIELDS = [
    Field("mode", "absolute", choice(("absolute", "indexed"))),
    Field("pilots", (), choices(("hull", "turku")), join),
]


def test_round_trip_keeps_only_non_defaults():
    values = {"mode": "indexed", "pilots": ("hull",)}
    query = to_query(values, FIELDS)
    assert query == {"mode": "indexed", "pilots": "hull"}
    assert parse(query, FIELDS) == (values, [])
    assert to_query({"mode": "absolute", "pilots": ()}, FIELDS) == {}


def test_garbage_falls_back_to_defaults_with_notices():
    values, notices = parse({"mode": "<script>", "pilots": "hull,nowhere", "zoom": "9"}, FIELDS)
    assert values == {"mode": "absolute", "pilots": ()}
    assert any("mode='<script>'" in n and "absolute, indexed" in n for n in notices)
    assert any("unknown: nowhere" in n for n in notices)
    assert any("'zoom'" in n for n in notices)


def test_theme_is_a_known_global_parameter():
    assert parse({"theme": "projector"}, FIELDS)[1] == []


def test_an_old_link_is_upgraded_before_it_is_read():
    migrations = [Rename("mode_", "mode"), Retired("zoom")]
    values, notices = parse({"mode_": "indexed", "zoom": "9"}, FIELDS, migrations)
    assert values["mode"] == "indexed" and notices == []
    # Where a link has both the old and the new name, the new one wins.
    assert parse({"mode_": "indexed", "mode": "absolute"}, FIELDS, migrations)[0]["mode"] == "absolute"
    # An upgraded value is still checked.
    values, notices = parse({"mode_": "sideways"}, FIELDS, migrations)
    assert values["mode"] == "absolute" and any("mode='sideways'" in n for n in notices)


def test_a_link_to_no_page_is_refused_with_the_reason():
    import pytest

    from crosspilot.views import parse_link

    with pytest.raises(ValueError, match="no page at /nowhere"):
        parse_link(None, "/nowhere?x=1")
    link = parse_link(None, "http://host:8050/data?theme=projector")
    assert (link.path, link.notices, link.globals) == ("/data", (), {"theme": "projector"})
