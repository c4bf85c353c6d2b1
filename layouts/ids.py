"""Every component id in one place, prefixed by page, so a typo fails at import."""

# Shell
URL = "shell-url"
ROOT = "shell-root"
CONTENT = "shell-content"
NAV = "shell-nav"
THEME_TOGGLE = "shell-theme-toggle"
TITLE_SINK = "shell-title-sink"
RENDERED = "shell-rendered"  # path and theme of the page on screen


def nav_link(page: str) -> str:
    return f"shell-nav-{page}"


# Overview
OVERVIEW_MAP = "overview-map"

# Data
DATA_TABLES = "data-tables"
DATA_REPORT = "data-report"
