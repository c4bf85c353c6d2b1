"""Contrast rules the charts keep, checked without a browser."""

from __future__ import annotations

import pytest

from crosspilot.compare import compare
from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.figures.compare import figure_for
from crosspilot.figures.theme import LINE_COLOURS, OKABE_ITO, contrast_ratio
from crosspilot.views import compare as views
from tests.helpers import context_of


@pytest.fixture(scope="module")
def derived():
    return context_of(load_dataset(BUNDLED).snapshot).derived


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000") == pytest.approx(21)
    assert contrast_ratio("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes AA
    assert contrast_ratio("#F0E442") < 3  # Okabe-Ito yellow: why it never stands alone


def test_line_colours_reach_3_to_1_on_white_and_stay_distinct():
    assert all(contrast_ratio(c) >= 3 for c in LINE_COLOURS)
    assert len(set(LINE_COLOURS)) == len(LINE_COLOURS) == 7
    assert [c for c in OKABE_ITO if contrast_ratio(c) < 3] == ["#E69F00", "#56B4E9", "#F0E442"]


@pytest.mark.parametrize("form", ["lines", "slope", "multiples"])
@pytest.mark.parametrize("theme", ["standard", "projector"])
def test_compare_lines_have_3_to_1_contrast(derived, form, theme):
    view, _ = views.parse(derived, {"form": form, "indicators": "participants,ideas,stakeholders_involved"})
    figure = figure_for(compare(derived.compare_index, view), theme, derived.formatter)
    colours = {
        trace.line.color
        for trace in figure.data
        if trace.type == "scatter" and "lines" in (trace.mode or "") and trace.line.color
    }
    assert colours, "the chart draws lines"
    assert {c: round(contrast_ratio(c), 2) for c in colours if contrast_ratio(c) < 3} == {}
