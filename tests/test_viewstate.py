"""URL view state: round trips, and garbage that falls back to defaults with a notice."""

from crosspilot.viewstate import Field, choice, choices, join, parse, to_query

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
