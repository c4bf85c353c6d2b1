"""About translations (which languages a native speaker has checked) and the Glossary (the governance
vocabulary in every language)."""

from __future__ import annotations

from functools import cache

from dash import html

from crosspilot.i18n import LOCALE_DIR, N_, current_language, language, languages, t, translator
from crosspilot.vocabulary import TERMS
from layouts.tables import Column, table

# The governance vocabulary the Glossary lists, in its order: (TERMS kind, heading).
GLOSSARY_KINDS = (
    ("stage", N_("Co-creation stages")),
    ("level", N_("Citizens' level of participation")),
    ("lesson_status", N_("Lesson statuses")),
    ("stance", N_("Workshop stances")),
    ("provenance", N_("Where a value comes from")),
    ("sector", N_("Stakeholder sectors")),
    ("role", N_("Stakeholders' roles")),
    ("relation", N_("Relations between stakeholders")),
)


@cache
def catalogue_counts(code: str) -> tuple[int, int]:
    """(translated, all) messages of `code`'s catalogue; English, the source, is complete."""
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        with open(LOCALE_DIR / "messages.pot", "rb") as handle:
            total = sum(1 for m in read_po(handle) if m.id)
        return (total if code == "en" else 0), total
    with open(path, "rb") as handle:
        messages = [m for m in read_po(handle, locale=code) if m.id]
    done = sum(1 for m in messages if (all(m.string) if isinstance(m.string, tuple) else m.string))
    return done, len(messages)


def _display_name(locale: str) -> str:
    """The language's name in the page's language, from CLDR ("suomi" in Finnish: "finska" in Swedish)."""
    from babel import Locale

    here = Locale.parse(language(current_language()).locale)
    return Locale.parse(locale).get_language_name(here) or locale


def translations_layout(context, query: dict[str, str], theme: str) -> html.Div:
    fmt = context.fmt
    rows = []
    for lang in languages():
        done, total = catalogue_counts(lang.code)
        if lang.code == "en":
            state = t("Source language")
        elif lang.review == "reviewed":
            state = t("Reviewed by a native speaker") + (f" ({lang.reviewed_by})" if lang.reviewed_by else "")
        else:
            state = t("Draft: not yet checked by a native speaker")
        rows.append(
            [
                html.Span(lang.name, lang=lang.code),
                _display_name(lang.locale),
                lang.code,
                state,
                t("{done} of {total}", done=fmt.count(done), total=fmt.count(total)),
            ]
        )
    return html.Div(
        [
            html.H1(t("About translations")),
            html.P(
                t(
                    "Crosspilot's interface is written in English and translated into the languages "
                    "below. Translations are drafts until a native speaker has checked them; this "
                    "table says which ones are."
                ),
                className="lead",
            ),
            table(
                [
                    Column(t("Language"), row_header=True),
                    t("Name"),
                    t("Code"),
                    t("Review"),
                    Column(t("Messages translated"), numeric=True),
                ],
                rows,
                caption=t("Interface languages and the state of their translation"),
                id="about-translations-table",
                scroll_label=t("Interface languages"),
            ),
            html.H2(t("What is translated, and what is not")),
            html.Ul(
                [
                    html.Li(
                        t(
                            "The interface, charts' titles and axes, notices, validation reports and "
                            "workshop screens are translated."
                        )
                    ),
                    html.Li(
                        t(
                            "Data labels and lesson texts are shown in a partner's translation where the "
                            "dataset gives one; otherwise in the original, marked with its language."
                        )
                    ),
                    html.Li(
                        t(
                            "Quotes from sources are never translated: the original is shown as it was "
                            "published."
                        )
                    ),
                    html.Li(t("Workshop comments are shown as they were written, with their language.")),
                ]
            ),
            html.P(
                [
                    t("Found a mistake? The catalogues are plain gettext files in the repository: "),
                    html.Code("crosspilot/locale/<lang>/LC_MESSAGES/messages.po"),
                    ".",
                ]
            ),
        ]
    )


def glossary_layout(context, query: dict[str, str], theme: str) -> html.Div:
    here = current_language()
    langs = sorted(languages(), key=lambda lang: lang.code != here)  # the page's language first
    sections = []
    for kind, heading in GLOSSARY_KINDS:
        words = TERMS.get(kind, {})
        rows = [
            [html.Span(translator(lang.code).gettext(word), lang=lang.code) for lang in langs]
            for key, word in words.items()
            if key and word
        ]
        sections.append(
            html.Section(
                [
                    html.H2(t(heading), id=f"glossary-{kind}"),
                    table(
                        [
                            Column(html.Span(lang.name, lang=lang.code), row_header=i == 0)
                            for i, lang in enumerate(langs)
                        ],
                        rows,
                        caption=t("{heading} in every interface language", heading=t(heading)),
                        id=f"glossary-table-{kind}",
                        scroll_label=t(heading),
                        className="glossary-table",
                    ),
                ]
            )
        )
    return html.Div(
        [
            html.H1(t("Glossary")),
            html.P(
                t(
                    "The words Crosspilot uses for co-creation, in every interface language. Every "
                    "page, chart and report uses these same words."
                ),
                className="lead",
            ),
            html.Nav(
                html.Ul([html.Li(html.A(t(h), href=f"#glossary-{k}")) for k, h in GLOSSARY_KINDS]),
                **{"aria-label": t("Glossary sections")},
            ),
            *sections,
        ]
    )
