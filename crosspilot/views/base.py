"""The machinery of views that live in the URL: fields, old-link migrations, parse and write back.

Each page declares its fields once; `parse` never raises (a malformed or unknown parameter falls back
to the default and yields a notice for the page to show), and `to_query` writes only values that
differ from the defaults, so shared links stay short and stable. Links written by an older Crosspilot
are upgraded first by the page's migrations (owid-grapher keeps such migrations the same way), so a
saved slide or a cited link keeps opening the view it was saved with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from crosspilot.i18n import t

# Parameters every page accepts, handled by the shell.
GLOBAL_PARAMS = frozenset({"theme", "lang"})


def parse_query(search: str | None) -> dict[str, str]:
    """A query string ("?a=1&b=2", with or without "?") as a dict; a repeated key keeps its last value."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


@dataclass(frozen=True)
class Rename:
    """A parameter an older link called `old`: read as `new`, its value passed through `convert`.
    Where the link has both, the new name wins."""

    old: str
    new: str
    convert: Callable[[str], str] = str


@dataclass(frozen=True)
class Retired:
    """A parameter no view reads any more: dropped without a notice (the link still opens)."""

    name: str


Migration = Rename | Retired


def upgrade(query: Mapping[str, str], migrations: Iterable[Migration]) -> dict[str, str]:
    """`query` as today's page reads it, the migrations applied in order."""
    upgraded = dict(query)
    for migration in migrations:
        if isinstance(migration, Retired):
            upgraded.pop(migration.name, None)
        elif migration.old in upgraded:
            value = upgraded.pop(migration.old)
            if migration.new not in upgraded:
                try:
                    upgraded[migration.new] = migration.convert(value)
                except (ValueError, TypeError):
                    upgraded[migration.new] = value  # the field's own check says what is wrong
    return upgraded


@dataclass(frozen=True)
class Field:
    name: str
    default: Any
    parse: Callable[[str], Any]  # raises ValueError on bad input
    dump: Callable[[Any], str] = str


def choice(options: Iterable[str]) -> Callable[[str], str]:
    allowed = tuple(options)

    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(t("use one of: {allowed}", allowed=", ".join(allowed)))
        return value

    return parse


def choices(options: Iterable[str] | None = None, limit: int = 200) -> Callable[[str], tuple[str, ...]]:
    """A comma-separated list; every item must be known when `options` is given."""
    allowed = None if options is None else frozenset(options)

    def parse(value: str) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
        if not items or len(items) > limit:
            raise ValueError(t("give between 1 and {limit} values", limit=limit))
        unknown = [v for v in items if allowed is not None and v not in allowed]
        if unknown:
            raise ValueError(t("unknown: {values}", values=", ".join(unknown[:5])))
        return items

    return parse


def join(values: Iterable[str]) -> str:
    return ",".join(values)


def parse(
    query: Mapping[str, str], fields: Iterable[Field], migrations: Iterable[Migration] = ()
) -> tuple[dict[str, Any], list[str]]:
    """Checked values for every field (after upgrading an old link), and notices for what was ignored."""
    query = upgrade(query, migrations)
    values: dict[str, Any] = {}
    notices: list[str] = []
    fields = list(fields)
    known = {f.name for f in fields} | GLOBAL_PARAMS
    for field in fields:
        raw = query.get(field.name)
        if raw is None:
            values[field.name] = field.default
            continue
        try:
            values[field.name] = field.parse(str(raw)[:2000])
        except (ValueError, TypeError) as error:
            values[field.name] = field.default
            notices.append(
                t(
                    "The link's {name}={value!r} was ignored ({why}); showing the default.",
                    name=field.name,
                    value=str(raw)[:60],
                    why=error,
                )
            )
    for name in sorted(set(query) - known):
        notices.append(t("The link's unknown parameter {name!r} was ignored.", name=name[:40]))
    return values, notices


def to_query(values: Mapping[str, Any], fields: Iterable[Field]) -> dict[str, str]:
    return {
        f.name: f.dump(values[f.name]) for f in fields if f.name in values and values[f.name] != f.default
    }


@dataclass(frozen=True)
class Empty:
    """The view of a page with no choices of its own (its link carries only the global parameters)."""


class EmptyPage:
    """`parse` and `to_query` of a page with no choices: any parameter but the global ones is ignored
    with a notice. A page module takes them as its own (crosspilot/views/data.py)."""

    View = Empty
    MIGRATIONS: tuple[Migration, ...] = ()

    @staticmethod
    def parse(derived, query: Mapping[str, str]) -> tuple[Empty, list[str]]:
        return Empty(), parse(query, (), EmptyPage.MIGRATIONS)[1]

    @staticmethod
    def to_query(derived, view: Empty) -> dict[str, str]:
        return {}
