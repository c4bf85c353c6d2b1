"""What a comparison can be asked for: the value modes and chart forms, and how they are named."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crosspilot.i18n import t
from crosspilot.vocabulary import term

if TYPE_CHECKING:
    from crosspilot.compare.index import Indicator

MODES = ("absolute", "change", "change_pct", "indexed", "per_participant")
FORMS = ("dots", "bars", "lines", "slope", "multiples", "heatmap")
SINGLE_PERIOD_FORMS = frozenset({"dots", "bars", "heatmap"})  # one value per pilot and indicator
PARTICIPANTS = "participants"
MAX_INDICATORS = 12


def mode_label(mode: str) -> str:
    return term("mode", mode)


def form_label(form: str) -> str:
    return term("form", form)


def value_unit(indicator: Indicator, mode: str) -> str:
    """The unit of an indicator's values as `mode` plots them."""
    unit = indicator.unit or t("value")
    return {
        "absolute": unit,
        "change": t("change in {unit}", unit=unit),
        "change_pct": t("change (%)"),
        "indexed": t("index (baseline = 100)"),
        "per_participant": t("{unit} per participant", unit=unit),
    }[mode]
