"""The one formatter: every number, percentage and date a page, figure or report shows passes through it.

Babel does the locale's work (grouping, decimal sign, percent sign, month names). Machine-readable
exports (CSV cells, URLs) never use it: they keep plain numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from crosspilot.i18n import current_language, language

PERCENT_UNITS = frozenset({"%", "percent", "per cent"})


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Formatter:
    language: str = "en"

    @cached_property
    def locale(self) -> Locale:
        try:
            return Locale.parse(language(self.language).locale)
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en_GB")

    def number(self, value: object, digits: int = 4) -> str:
        """A value as people read it: whole numbers grouped ("1,234"), others to `digits` significant
        digits, and one decimal from 1,000 on ("12.35", "1,234.5"); "" for a missing value."""
        number = _finite(value)
        if number is None:
            return ""
        if number.is_integer():
            return format_decimal(int(number), locale=self.locale)
        if abs(number) >= 1000:
            rounded = Decimal(f"{number:.1f}")
        else:
            rounded = Decimal(f"{number:.{digits}g}")
        return format_decimal(rounded, locale=self.locale, decimal_quantization=False)

    def fixed(self, value: object, places: int) -> str:
        """Exactly `places` decimals ("0.64"), for metrics read side by side."""
        number = _finite(value)
        if number is None:
            return ""
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(number, format=pattern, locale=self.locale)

    def percent(self, share: object, places: int = 0) -> str:
        """A share of 1 as a percentage ("9%")."""
        number = _finite(share)
        if number is None:
            return ""
        # The locale's own pattern ("#,##0 %" in Finnish, "%#,##0" in Turkish), with `places` decimals.
        pattern = self.locale.percent_formats[None].pattern
        if places:
            pattern = pattern.replace("0", "0." + "0" * places, 1) if "0" in pattern else pattern
            pattern = pattern.replace("#,##0.", "#,##0.", 1)
        return format_percent(number, format=pattern, locale=self.locale)

    def value(self, value: object, unit: str = "", show_unit: bool = True) -> str:
        """A value with its unit: percentages written as the locale writes them, other units after
        (`show_unit=False` where a label beside the number already names the unit)."""
        unit = (unit or "").strip()
        number = _finite(value)
        if number is None:
            return ""
        if unit.lower() in PERCENT_UNITS:
            return self.percent(number / 100, places=0 if number.is_integer() else 1)
        text = self.number(number)
        return f"{text}\u00a0{unit}" if unit and show_unit else text

    def count(self, n: int) -> str:
        return self.number(int(n))

    def date(self, value: date | datetime | str) -> str:
        """A date in words ("2 December 2026"); an ISO string is read first, a bad one shown as it is."""
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
        if isinstance(value, datetime):
            value = value.date()
        return format_date(value, format="long", locale=self.locale)

    def datetime(self, value: datetime | str) -> str:
        """A moment in words ("2 December 2026, 14:05")."""
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
        day = format_date(value, format="long", locale=self.locale)
        time = format_datetime(value, format="HH:mm", locale=self.locale)
        return self.locale.datetime_formats["medium"].format(time, day)


_formatters: dict[str, Formatter] = {}


def current_formatter() -> Formatter:
    """The formatter of the current request's language (one per language per process)."""
    code = current_language()
    found = _formatters.get(code)
    if found is None:
        found = _formatters.setdefault(code, Formatter(code))
    return found
