"""The pages of the app, in navigation order."""

from __future__ import annotations

from crosspilot.i18n import t
from layouts import (
    compare,
    data_page,
    lessons,
    lessons_governance,
    lessons_roadmap,
    networks,
    overview,
    workshop,
)
from layouts.shell import Page


def pages() -> list[Page]:
    return [
        Page("overview", "/", t("Overview"), overview.layout),
        Page("compare", "/compare", t("Compare"), compare.layout),
        Page("networks", "/networks", t("Networks"), networks.layout),
        Page("lessons", "/lessons", t("Lessons"), lessons.layout),
        Page(
            "lessons-governance",
            "/lessons/governance",
            t("Governance models"),
            lessons_governance.layout,
            in_nav=False,
        ),
        Page("lessons-roadmap", "/lessons/roadmap", t("Roadmap"), lessons_roadmap.layout, in_nav=False),
        Page("workshop", "/workshop", t("Workshop"), workshop.setup_layout),
        Page("workshop-join", "/workshop/join", t("Join a workshop"), workshop.join_layout, in_nav=False),
        Page(
            "workshop-facilitate",
            "/workshop/facilitate",
            t("Facilitate"),
            workshop.facilitate_layout,
            in_nav=False,
        ),
        Page(
            "workshop-present",
            "/workshop/present",
            t("Workshop results"),
            workshop.present_layout,
            in_nav=False,
        ),
        Page("data", "/data", t("Data"), data_page.layout),
    ]
