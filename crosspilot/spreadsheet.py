"""Cells written to CSV for spreadsheets: the one guard against formula injection."""

from __future__ import annotations

import re

# Text starting with these is run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet may split a cell on `;` or tab (our CSV quotes only cells with commas, quotes or line
# breaks): text after such a separator that starts like a formula would run too.
_AFTER_SEPARATOR = re.compile(r"([;\t])(\s*)(?=[=+\-@])")


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula, at its start or after a `;` or tab, gets an apostrophe
    there; other values pass as they are."""
    if not isinstance(value, str):
        return value
    value = _AFTER_SEPARATOR.sub(r"\1\2'", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
