"""Languages: complete catalogues, the request's language, <html lang>, links that keep ?lang=, numbers
written the locale's way."""

from __future__ import annotations

import json
import re
from functools import cache

import pytest
from babel.messages.pofile import read_po

from app import request_language
from crosspilot.formatting import Formatter
from crosspilot.i18n import (
    LOCALE_DIR,
    codes,
    from_accept_language,
    languages,
    supported,
    t,
    translator,
    use_language,
)
from tests.test_app import _route

FIELDS = re.compile(r"\{[^{}]*\}")
OTHER = [code for code in codes() if code != "en"]


def _messages(path):
    with open(path, "rb") as handle:
        return [m for m in read_po(handle) if m.id]


@cache
def _template_ids() -> frozenset:
    return frozenset(
        m.id if isinstance(m.id, str) else m.id[0] for m in _messages(LOCALE_DIR / "messages.pot")
    )


def test_ten_interface_languages_each_with_a_locale_and_a_review_state():
    assert codes() == ("en", "fi", "sv", "et", "pl", "hu", "it", "es", "nl", "el")
    for lang in languages():
        assert lang.review in {"draft", "reviewed"}
        assert lang.locale.split("_")[0] == lang.code
        if lang.code != "en":
            assert (LOCALE_DIR / lang.code / "LC_MESSAGES" / "messages.po").exists()


@pytest.mark.parametrize("code", OTHER)
def test_every_catalogue_translates_every_message_with_its_placeholders_intact(code):
    messages = _messages(LOCALE_DIR / code / "LC_MESSAGES" / "messages.po")
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in messages}
    assert _template_ids() <= ids, f"{code}: run scripts/i18n.sh update: {sorted(_template_ids() - ids)[:5]}"
    untranslated = [
        m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    broken = [
        m.id
        for m in messages
        if isinstance(m.id, str) and sorted(FIELDS.findall(m.string)) != sorted(FIELDS.findall(m.id))
    ]
    assert not broken, f"{code}: placeholders changed in {broken[:3]}"
    fuzzy = [m.id for m in messages if "fuzzy" in m.flags]
    assert not fuzzy, f"{code}: fuzzy (unchecked) translations {fuzzy[:3]}"


def test_the_template_holds_every_message_the_code_marks():
    """Every literal the code passes to t(), tn() or N_() is in the template: a message added without
    `scripts/i18n.sh update`, or hidden from pybabel (inside an f-string or another t() call on
    Python 3.11), would show in English."""
    import ast

    root = LOCALE_DIR.parent.parent
    files = [
        root / "app.py",
        *root.glob("crosspilot/**/*.py"),
        *root.glob("layouts/*.py"),
        *root.glob("callbacks/*.py"),
    ]
    missing = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"t", "tn", "N_"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in _template_ids()
            ):
                missing.append(f"{path.relative_to(root)}:{node.lineno}: {node.args[0].value[:50]!r}")
    assert not missing, "run scripts/i18n.sh update, or take t() out of the f-string: " + "; ".join(
        missing[:8]
    )


def test_t_speaks_the_current_language_and_falls_back_to_english():
    with use_language("fi"):
        finnish = t("Skip to content")
        filled = t("There is no page at {path}.", path="/x")
    assert finnish and finnish != "Skip to content"
    assert "/x" in filled and filled != "There is no page at /x."
    assert t("Skip to content") == "Skip to content"
    with use_language("xx"):  # unknown: the default language
        assert t("Skip to content") == "Skip to content"
    assert translator("fi").gettext("A message no catalogue has") == "A message no catalogue has"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fi-FI,fi;q=0.9,en;q=0.8", "fi"),
        ("de-DE,de;q=0.9,el;q=0.5", "el"),  # German is not ours: the next one we have
        ("en;q=0.3, sv;q=0.7", "sv"),  # by weight, not by order
        ("pl;q=0, it", "it"),  # q=0 means "not this one"
        ("", None),
        ("*", None),
        ("x" * 5000, None),
    ],
)
def test_accept_language_picks_the_first_language_we_have(header, expected):
    assert from_accept_language(header) == expected


def test_a_link_beats_the_page_which_beats_the_browser():
    assert request_language({"lang": "et"}, {"Accept-Language": "fi", "X-Crosspilot-Language": "hu"}) == "et"
    assert request_language({}, {"Accept-Language": "fi", "X-Crosspilot-Language": "hu"}) == "hu"
    assert request_language({}, {"Accept-Language": "fi", "Referer": "http://h/compare?lang=nl"}) == "nl"
    assert request_language({}, {"Accept-Language": "fi"}) == "fi"
    assert request_language({"lang": "<script>"}, {}) == "en"  # checked: never echoed
    assert supported("EL-gr") == "el" and supported("de") is None and supported(["fi"]) is None


@pytest.mark.parametrize("code", codes())
def test_each_page_is_served_with_html_lang_of_its_language(cosie_app, code):
    client = cosie_app.server.test_client()
    page = client.get(f"/compare?lang={code}").get_data(as_text=True)
    assert f'<html lang="{code}" dir="ltr">' in page
    browser = client.get("/compare", headers={"Accept-Language": f"{code},en;q=0.1"}).get_data(as_text=True)
    assert f'<html lang="{code}"' in browser


def test_the_shell_and_a_page_are_drawn_in_the_pages_language(cosie_app):
    client = cosie_app.server.test_client()
    raw = client.get("/_dash-layout", headers={"X-Crosspilot-Language": "el"}).get_json()
    layout = json.dumps(raw, ensure_ascii=False)
    with use_language("el"):
        skip, footer = t("Skip to content"), t("Glossary")
    assert skip in layout and "Skip to content" not in layout
    assert footer in layout
    result = _route(cosie_app, "/compare", "?lang=el", headers={"X-Crosspilot-Language": "el"})
    content = json.dumps(result["shell-content.children"], ensure_ascii=False)
    with use_language("el"):
        assert t("Download CSV") in content
    assert "Download CSV" not in content


def test_links_keep_the_language_and_the_switcher_keeps_the_view(cosie_app):
    result = _route(cosie_app, "/compare", "?lang=fi&form=bars", headers={"X-Crosspilot-Language": "fi"})
    assert result["shell-nav-data.href"] == "/data?lang=fi"
    assert "lang=fi" in result["shell-theme-toggle.href"]
    links = json.dumps(result["shell-languages.children"])
    assert '"/compare?form=bars&lang=sv"' in links  # the same view, in Swedish
    assert '"/compare?form=bars&lang=en"' in links  # explicit: it beats the browser's Accept-Language
    assert '"aria-current": "true"' in links and '"hrefLang": "el"' in links
    english = _route(cosie_app, "/compare", "")
    assert english["shell-nav-data.href"] == "/data"


@pytest.mark.parametrize(
    ("code", "number", "percent", "day"),
    [
        ("en", "1,500.5", "9.5%", "2 December 2026"),
        ("fi", "1\u00a0500,5", "9,5\u00a0%", "2. joulukuuta 2026"),
        ("es", "1.500,5", "9,5\u00a0%", "2 de diciembre de 2026"),
        ("el", "1.500,5", "9,5%", "2 Δεκεμβρίου 2026"),
        ("hu", "1\u00a0500,5", "9,5%", "2026. december 2."),
    ],
)
def test_numbers_percentages_and_dates_are_written_the_locales_way(code, number, percent, day):
    fmt = Formatter(code)
    assert (fmt.number(1500.5), fmt.percent(0.095, 1), fmt.date("2026-12-02")) == (number, percent, day)


def test_charts_use_plotlys_own_locale_offline(cosie_app):
    client = cosie_app.server.test_client()
    script = client.get("/assets/20-plotly-locales.js").get_data(as_text=True)
    for lang in languages():
        if lang.plotly:
            assert f'"name":"{lang.plotly}"' in script
    result = _route(cosie_app, "/compare", "?lang=pl", headers={"X-Crosspilot-Language": "pl"})
    assert '"locale": "pl"' in json.dumps(result["shell-content.children"])


def test_glossary_lists_the_governance_vocabulary_in_every_language(cosie_app):
    result = _route(cosie_app, "/glossary", "?lang=it", headers={"X-Crosspilot-Language": "it"})
    content = json.dumps(result["shell-content.children"], ensure_ascii=False)
    for code in codes():
        assert translator(code).gettext("Co-design") in content
        assert translator(code).gettext("Validated") in content
    with use_language("it"):
        assert t("Glossary") in content


def test_about_translations_says_which_languages_are_drafts(cosie_app):
    result = _route(cosie_app, "/about/translations")
    content = json.dumps(result["shell-content.children"], ensure_ascii=False)
    assert "Draft: not yet checked by a native speaker" in content
    for lang in languages():
        assert lang.name in content


# --- the data's own words ----------------------------------------------------------------------------


def _translated_tiny(tmp_path, rows: str):
    import shutil

    from tests.conftest import FIXTURES

    folder = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", folder)
    (folder / "translations.csv").write_text("table,id,field,language,text\n" + rows, encoding="utf-8")
    return folder


def test_a_translations_table_is_checked_row_by_row_and_never_stops_the_load(tmp_path):
    from crosspilot.dataset import load_dataset

    folder = _translated_tiny(
        tmp_path,
        "indicators,participants,label,fi,Osallistujat\n"
        "indicators,nobody,label,fi,Ei ketään\n"  # line 3: no such indicator
        "indicators,ideas,direction,fi,ylös\n"  # line 4: not a text field
        "indicators,ideas,label,de,Ideen\n",  # line 5: not an interface language
    )
    result = load_dataset(folder)
    assert result.ok
    said = {(p.where, p.column): p.message for p in result.report.warnings if p.file == "translations.csv"}
    assert "nobody" in said[("line 3", "id")]
    assert "direction" in said[("line 4", "field")]
    assert "'de'" in said[("line 5", "language")]
    assert list(result.snapshot.translations["id"]) == ["participants"]  # only the usable row


def test_a_page_in_finnish_draws_the_partners_translation_and_counts_what_is_not(tmp_path):
    from tests.conftest import make_app

    folder = _translated_tiny(tmp_path, "indicators,participants,label,fi,Osallistujat\n")
    app = make_app(folder)
    finnish = _route(
        app, "/compare", "?lang=fi&indicators=participants", headers={"X-Crosspilot-Language": "fi"}
    )
    content = json.dumps(finnish["shell-content.children"], ensure_ascii=False)
    assert "Osallistujat" in content
    note = json.dumps(finnish["shell-data-language.children"], ensure_ascii=False)
    coverage = app.context.derived
    with use_language("fi"):
        missing = coverage.data_coverage().missing
    assert missing > 0 and str(missing) in note  # the rest is shown in English, and the page says so
    english = _route(app, "/compare", "?indicators=participants")
    assert "Osallistujat" not in json.dumps(english["shell-content.children"], ensure_ascii=False)
    assert english["shell-data-language.children"] == []


def test_the_bundled_data_is_translated_into_every_language():
    from crosspilot.config import Config
    from crosspilot.context import Derived
    from crosspilot.dataset import BUNDLED, load_dataset

    result = load_dataset(BUNDLED)
    assert result.report.warnings == [] or all(p.file != "translations.csv" for p in result.report.warnings)
    derived = Derived(result.snapshot, Config(cache_dir=None))
    for code in OTHER:
        with use_language(code):
            coverage = derived.data_coverage()
            assert coverage.missing == 0, code
            label = derived.snapshot.indicators.set_index("indicator_id").loc["participants", "label"]
            assert label != "Participants", code


def test_a_lesson_shown_in_its_translation_or_marked_with_its_language(cosie_app):
    finnish = _route(
        cosie_app, "/lessons", "?lang=fi&lesson=equal-participants", headers={"X-Crosspilot-Language": "fi"}
    )
    content = json.dumps(finnish["shell-content.children"], ensure_ascii=False)
    lesson = next(x for x in cosie_app.context.snapshot.lessons if x.id == "equal-participants")
    fi = next(x for x in lesson.translations if x.language == "fi")
    assert fi.title in content and lesson.title not in content
    assert "translation-note" in content  # says it is a draft translation
    # A quote from a source is never translated: the card's sources list it as published.
    assert "young people weren't just decorations" in content


def test_a_comment_keeps_the_language_it_was_written_in(tmp_path):
    from crosspilot.workshop import WorkshopService
    from crosspilot.workshop.errors import WorkshopError

    service = WorkshopService.from_url(f"sqlite:///{tmp_path / 'w.db'}", titles={"lesson:x": "X"})
    room = service.create_workshop("Room", ["lesson:x"])
    service.set_voting(room.workshop_id, room.facilitator_secret, True)
    token = service.join(room.join_code)[1]
    service.vote(token, 0, "agree", 4, "Συμφωνώ", language="el")
    with pytest.raises(WorkshopError):
        service.vote(token, 0, "agree", 4, "x", language="xx")
    assert [(c["text"], c["language"]) for c in service.comments(room.workshop_id, 0)] == [("Συμφωνώ", "el")]
    from plotly.utils import PlotlyJSONEncoder

    from layouts.workshop import comment_wall

    wall = json.dumps(comment_wall(service.comments(room.workshop_id, 0)), cls=PlotlyJSONEncoder)
    assert '"lang": "el"' in wall and "(Greek)" in wall


def test_a_datasets_report_made_at_load_is_read_in_each_readers_language(tmp_path):
    from crosspilot.dataset import load_dataset

    folder = _translated_tiny(tmp_path, "indicators,nobody,label,fi,Ei ketään\n")
    for cached in (None, tmp_path / "cache", tmp_path / "cache"):  # built, then read from the cache
        report = load_dataset(folder, cached).report
        problem = next(p for p in report.warnings if p.file == "translations.csv")
        english = str(problem)
        with use_language("fi"):
            finnish = str(problem)
            expected = t("unknown id {value!r}: no row of {table} has it", value="nobody", table="indicators")
        assert "unknown id 'nobody'" in english
        assert expected in finnish and expected != "unknown id 'nobody': no row of indicators has it"
        assert "line 2" in english


def test_a_language_shares_the_datas_index_and_changes_only_its_words(cosie_app):
    derived = cosie_app.context.derived
    english = derived.compare_index
    with use_language("fi"):
        finnish = derived.compare_index
    assert finnish is not english and finnish.blocks is english.blocks  # no second index of every row
    assert finnish.indicators["participants"].label != english.indicators["participants"].label
    assert finnish.indicators["participants"].direction == english.indicators["participants"].direction


def test_a_lessons_themes_in_the_datasets_words_or_marked_as_english(cosie_app):
    derived = cosie_app.context.derived
    with use_language("fi"):
        words, code = derived.theme_label("co_creation")
        assert code == "fi" and words != "Co creation"
        assert derived.theme_label("no_such_theme") == ("No such theme", "en")
    finnish = _route(
        cosie_app, "/lessons", "?lang=fi&lesson=equal-participants", headers={"X-Crosspilot-Language": "fi"}
    )
    lesson = next(x for x in cosie_app.context.snapshot.lessons if x.id == "equal-participants")
    with use_language("fi"):
        themes = [derived.theme_label(x)[0] for x in lesson.themes]
    content = json.dumps(finnish["shell-content.children"], ensure_ascii=False)
    assert all(theme in content for theme in themes) and "User insight" not in content


def test_the_facilitators_links_keep_their_language_and_the_join_link_leaves_it_to_each_phone():
    from types import SimpleNamespace

    from layouts import workshop as page

    created = SimpleNamespace(workshop_id="abcdefghijkl", join_code="HJKM2345", facilitator_secret="s3cret")
    with use_language("fi"):
        panel = json.dumps(page.created_panel(created).to_plotly_json(), default=str)
        hrefs = re.findall(r"href='([^']+)'", panel) or re.findall(r'"href": "([^"]+)"', panel)
    joined = " ".join(hrefs)
    assert "/workshop/facilitate?w=abcdefghijkl&lang=fi#key=s3cret" in joined
    assert "/workshop/present?w=abcdefghijkl&theme=projector&lang=fi" in joined
    assert any(h.startswith("/workshop/join?") and "lang=" not in h for h in hrefs)


def test_network_phases_are_named_by_the_glossary(cosie_app):
    from layouts.networks import phase_options

    store = cosie_app.context.derived.networks
    with use_language("el"):
        options = phase_options(store, "hull")
        assert options["co-design"] == translator("el").gettext("Co-design") != "co-design"
