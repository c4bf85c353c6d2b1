"""The pages of the app, in navigation order."""

from __future__ import annotations

from crosspilot.i18n import N_
from layouts import (
    about,
    admin,
    compare,
    data_page,
    lessons,
    lessons_governance,
    lessons_roadmap,
    networks,
    overview,
    workshop,
)
from layouts.shell import ABOUT_TRANSLATIONS, GLOSSARY, Page


def pages() -> list[Page]:
    return [
        Page("overview", "/", N_("Overview"), overview.layout),
        Page("compare", "/compare", N_("Compare"), compare.layout),
        Page("networks", "/networks", N_("Networks"), networks.layout),
        Page("lessons", "/lessons", N_("Lessons"), lessons.layout),
        Page(
            "lessons-governance",
            "/lessons/governance",
            N_("Governance models"),
            lessons_governance.layout,
            in_nav=False,
        ),
        Page("lessons-roadmap", "/lessons/roadmap", N_("Roadmap"), lessons_roadmap.layout, in_nav=False),
        Page("workshop", "/workshop", N_("Workshop"), workshop.setup_layout),
        Page("workshop-join", "/workshop/join", N_("Join a workshop"), workshop.join_layout, in_nav=False),
        Page(
            "workshop-facilitate",
            "/workshop/facilitate",
            N_("Facilitate"),
            workshop.facilitate_layout,
            in_nav=False,
        ),
        Page(
            "workshop-present",
            "/workshop/present",
            N_("Workshop results"),
            workshop.present_layout,
            in_nav=False,
        ),
        Page("data", "/data", N_("Data"), data_page.layout),
        Page("glossary", GLOSSARY, N_("Glossary"), about.glossary_layout, in_nav=False),
        Page(
            "about-translations",
            ABOUT_TRANSLATIONS,
            N_("About translations"),
            about.translations_layout,
            in_nav=False,
        ),
        Page("admin", "/admin", N_("Admin"), admin.layout, in_nav=False, role="admin"),
    ]
