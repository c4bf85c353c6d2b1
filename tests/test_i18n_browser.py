"""Languages in headless Chromium: every page in every language shows no English interface string and
its <html lang> says the language shown; the switcher works by keyboard and keeps the view; a
workshop where the facilitator's projector speaks English and a participant's phone Greek."""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po
from selenium.webdriver.common.keys import Keys

from crosspilot.i18n import LOCALE_DIR, codes, translator, use_language
from tests.conftest import make_app
from tests.test_workshop_browser import ADMIN, Room, get, tap, until, viewport

PORT = 8156
PAGES = [
    "/",
    "/compare",
    "/networks",
    "/lessons",
    "/lessons?lesson=equal-participants",
    "/lessons/governance",
    "/lessons/roadmap",
    "/workshop",
    "/workshop/join",
    "/data",
    "/glossary",
    "/about/translations",
]
# Words that are the same in English and in some of the languages, or names: never a leak.
SAME_EVERYWHERE = {"Crosspilot", "CoSIE", "CSV", "PNG", "SVG", "JSON", "BibTeX", "API", "Data", "Workshop"}

# Visible text nodes outside charts (plotly's SVG text is data and ticks) and outside anything marked
# as written in another language (lang="en" on an untranslated lesson, a comment, a source quote).
TEXTS = """
const page = document.documentElement.lang;
const out = [];
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walk.nextNode()) {
  const node = walk.currentNode;
  const el = node.parentElement;
  const text = node.textContent.trim();
  if (!text || !el || el.closest('svg, script, style, code, blockquote, .source-quote, .sr-only')) continue;
  const marked = el.closest('[lang]');
  if (marked && marked.getAttribute('lang') !== page) continue;
  if (!el.getClientRects().length) continue;
  out.push(text);
}
// What a screen reader or a tooltip says: titles, labels, placeholders, alt texts, plotly's toolbar.
for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt], [data-title]')) {
  const marked = el.closest('[lang]');
  if (marked && marked.getAttribute('lang') !== page) continue;
  for (const name of ['title', 'aria-label', 'placeholder', 'alt', 'data-title']) {
    const text = (el.getAttribute(name) || '').trim();
    if (text) out.push(text);
  }
}
return out;
"""


# Placeholders filled with a formatted number match only a number.
NUMERIC = {"total", "count", "done", "votes", "comments", "pilots", "countries", "share", "year", "kb"}
NUMBER = r"[\d\s.,\u00a0\u202f%−+-]+"


@cache
def english_messages() -> tuple[re.Pattern, ...]:
    """Every English interface string of 4 letters or more, as a pattern its placeholders fill."""
    with open(LOCALE_DIR / "messages.pot", "rb") as handle:
        ids = [m.id for m in read_po(handle) if isinstance(m.id, str)]
    patterns = []
    for text in ids:
        parts = re.split(r"\{[^{}]*\}", text.strip())
        if sum(c.isalpha() for part in parts for c in part) < 4 or text in SAME_EVERYWHERE:
            continue
        fields = re.findall(r"\{([^{}!:]*)[^{}]*\}", text.strip())
        pattern = re.escape(parts[0])
        for name, part in zip(fields, parts[1:], strict=True):
            pattern += (NUMBER if name in NUMERIC or len(name) <= 2 else ".+?") + re.escape(part)
        patterns.append((text, re.compile(pattern + r"\Z")))
    return tuple(patterns)


def leaks(texts: list[str], code: str) -> list[str]:
    """The page's texts that are an English message the language translates differently."""
    found = []
    for shown in set(texts):
        for text, pattern in english_messages():
            if pattern.match(shown) and translator(code).gettext(text) != text:
                found.append(shown)
                break
    return sorted(found)


@pytest.fixture
def app(tmp_path):
    return make_app(database_url=f"sqlite:///{tmp_path / 'i18n.db'}", admin_password=ADMIN)


def _open(dash_duo, url: str, code: str) -> None:
    dash_duo.wait_for_page(url)
    until(dash_duo, lambda: dash_duo.driver.execute_script("return document.documentElement.lang") == code)
    dash_duo.wait_for_element("#shell-content h1", timeout=15)
    # Settled: no callback is running (Dash marks loading components).
    until(
        dash_duo,
        lambda: (
            not dash_duo.driver.execute_script(
                "return document.querySelector('[data-dash-is-loading=\"true\"]') !== null"
            )
        ),
    )


@pytest.mark.parametrize("code", [c for c in codes() if c != "en"])
def test_every_page_in_each_language_shows_no_english_interface_string(dash_duo, app, code):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    with use_language(code):
        heading = translator(code).gettext("Overview")
    for path in PAGES:
        url = f"{base}{path}{'&' if '?' in path else '?'}lang={code}"
        _open(dash_duo, url, code)
        texts = dash_duo.driver.execute_script(TEXTS)
        assert texts, path
        found = leaks(texts, code)
        assert found == [], f"{path} in {code}: {found}"
        # The address keeps the language, and navigation links carry it.
        assert f"lang={code}" in dash_duo.driver.current_url
    assert dash_duo.find_element("#shell-nav-overview").text == heading
    assert dash_duo.get_logs() == []


def test_the_switcher_opens_by_keyboard_and_keeps_the_view(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    _open(dash_duo, f"{base}/compare?form=bars", "en")
    summary = dash_duo.find_element(".lang-summary")
    summary.send_keys(Keys.ENTER)  # a <details>: Enter opens it
    finnish = dash_duo.wait_for_element("#shell-lang-fi", timeout=5)
    assert finnish.is_displayed()
    assert finnish.get_attribute("hreflang") == "fi"
    finnish.send_keys(Keys.ENTER)
    until(dash_duo, lambda: dash_duo.driver.execute_script("return document.documentElement.lang") == "fi")
    dash_duo.wait_for_element("#shell-content h1", timeout=15)
    assert "form=bars" in dash_duo.driver.current_url and "lang=fi" in dash_duo.driver.current_url
    assert dash_duo.find_element("#shell-content h1").text == translator("fi").gettext("Compare")
    # A chart's toolbar and number format follow: plotly was given the Finnish locale.
    dash_duo.wait_for_element("#compare-graph .js-plotly-plot .main-svg", timeout=15)  # drawn
    locale = dash_duo.driver.execute_script(
        "const g = document.querySelector('#compare-graph .js-plotly-plot');"
        "return g && g._context ? g._context.locale : null;"
    )
    assert locale == "fi"
    # Navigating inside the app keeps the language in the address and on the page.
    dash_duo.find_element("#shell-nav-data").click()
    until(dash_duo, lambda: "/data" in dash_duo.driver.current_url)
    dash_duo.wait_for_text_to_equal("#shell-content h1", translator("fi").gettext("Data"), timeout=15)
    assert "lang=fi" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


# Every callback request the page sends from now on, by the outputs it asks for.
RECORD_REQUESTS = """
window.__outputs = [];
if (!window.__recording) {
  window.__recording = true;
  var original = window.fetch;
  window.fetch = function (input, init) {
    if (String(input).indexOf('_dash-update-component') !== -1 && init && init.body) {
      window.__outputs.push(JSON.parse(init.body).output);
    }
    return original.apply(this, arguments);
  };
}
"""
SHELL_HREFS = """
var out = {};
document.querySelectorAll('#shell-nav .nav-link, #shell-theme-toggle, .lang-option').forEach(function (a) {
  out[a.id] = a.getAttribute('href');
});
return out;
"""


def test_the_shells_links_follow_an_in_page_change_as_the_server_writes_them(dash_duo, app):
    from urllib.parse import urlsplit

    from crosspilot.i18n import languages
    from layouts.shell import language_href, parse_query, theme_of, with_theme

    dash_duo.start_server(app, port=PORT)
    # A value that needs quoting, as a shared link may carry: the links keep it as Python quotes it.
    _open(
        dash_duo, f"{dash_duo.server_url}/compare?form=bars&theme=projector&note=a+b%2A%7E%21&lang=fi", "fi"
    )

    def expected() -> dict[str, str]:
        parts = urlsplit(dash_duo.driver.current_url)
        query, theme = parse_query(parts.query), theme_of(parts.query)
        with use_language("fi"):
            hrefs = {f"shell-nav-{p.key}": with_theme(p.path, theme) for p in app.context.pages if p.in_nav}
            other = "standard" if theme == "projector" else "projector"
            hrefs["shell-theme-toggle"] = with_theme(parts.path, other, query)
        for lang in languages():
            hrefs[f"shell-lang-{lang.code}"] = language_href(parts.path, query, lang.code)
        return hrefs

    assert dash_duo.driver.execute_script(SHELL_HREFS) == expected()
    assert (
        dash_duo.find_element("#shell-nav-data")
        .get_attribute("href")
        .endswith("/data?theme=projector&lang=fi")
    )
    dash_duo.driver.execute_script(RECORD_REQUESTS)
    radio = dash_duo.find_element("#compare-form input[value='lines']")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
    radio.send_keys(Keys.SPACE)
    until(dash_duo, lambda: "form=lines" in dash_duo.find_element("#shell-lang-sv").get_attribute("href"))
    assert "form=lines" in dash_duo.driver.current_url
    assert dash_duo.driver.execute_script(SHELL_HREFS) == expected()
    # The change cost its own callbacks only: the page was not asked for again.
    outputs = dash_duo.driver.execute_script("return window.__outputs")
    assert outputs and not [o for o in outputs if "shell-content.children" in o]
    # The theme switch still works, on the view as it now is.
    dash_duo.find_element("#shell-theme-toggle").send_keys(Keys.ENTER)
    dash_duo.wait_for_class_to_equal("#shell-root", "theme-standard", timeout=10)
    assert "form=lines" in dash_duo.driver.current_url and "theme=" not in dash_duo.driver.current_url
    assert dash_duo.driver.execute_script(SHELL_HREFS) == expected()
    assert dash_duo.get_logs() == []


def test_a_greek_phone_votes_in_a_room_whose_projector_speaks_english(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    room = Room(base, ["lesson:equal-participants"])
    room.control("open")
    el = translator("el")
    viewport(dash_duo, 390, 844)
    dash_duo.wait_for_page(f"{base}/workshop/join?code={room.code}&lang=el")
    tap(dash_duo, "#workshop-join-button")
    dash_duo.wait_for_text_to_equal("#workshop-vote-state", el.gettext("Voting is open"), timeout=15)
    # The claim is the lesson's Greek summary; the stances are in Greek.
    assert el.gettext("Agree") in dash_duo.find_element("#workshop-stance-choice").text
    tap(dash_duo, "label[for$='_input_agree']")
    dash_duo.find_element("#workshop-comment").send_keys("Συμφωνώ, με τη σημείωση ότι οι νέοι ήταν ίσοι")
    tap(dash_duo, "#workshop-send")
    stored = el.gettext("Stored: {stance}, confidence {confidence}, with your comment.").split("{")[0]
    until(dash_duo, lambda: dash_duo.find_element("#workshop-send-status").text.startswith(stored))
    results = get(f"{base}/api/workshops/{room.id}/results?position=0", room.key)
    assert results["total"] == 1
    assert [c["language"] for c in results["comments"]] == ["el"]

    viewport(dash_duo, 1280, 720)
    room.control("reveal")
    dash_duo.wait_for_page(f"{base}/workshop/present?w={room.id}&theme=projector")
    until(dash_duo, lambda: dash_duo.driver.execute_script("return document.documentElement.lang") == "en")
    dash_duo.wait_for_contains_text(".workshop-present", "Συμφωνώ, με τη σημείωση", timeout=15)
    comment = dash_duo.find_element(".workshop-comment [lang='el']")
    assert comment.text.endswith("(Greek)")  # the comment keeps its language, named in the room's
    assert "Agree" in dash_duo.find_element(".workshop-present").text
    assert dash_duo.get_logs() == []
