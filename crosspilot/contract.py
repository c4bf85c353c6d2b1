"""The data contract: which tables a dataset has, their columns, types and allowed values.

`data/README.md` documents the same contract for people; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTORS = ("public", "civil_society", "commercial", "citizen", "informal")
# Who may see an actor's name (crosspilot.privacy): anyone, partners only, or nobody (counts only).
VISIBILITIES = ("named", "partners", "aggregate")
STATUSES = ("published", "estimate", "illustrative")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")
STAGES = ("co-initiation", "co-design", "co-decision", "co-implementation", "co-evaluation")
LEVELS = ("inform", "consult", "involve", "collaborate", "empower")  # 0..4
# What an outcome value counts, so that values counted differently are never read as like for like
# (their words are `crosspilot.vocabulary` terms of kind "basis"; data/README.md defines each).
BASES = (
    "event",
    "per_period",
    "cumulative",
    "point_in_time",
    "area_statistic",
    "national_statistic",
    "planned",
)

SHORT_NAME_LENGTH = 24  # a pilot's short_name: fits a chart's axis and a small multiple's title

TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
# What the translations table may translate: table -> (its id column, the text fields).
TRANSLATABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "pilots": ("pilot_id", ("name", "short_name", "place", "target_group", "service", "methods")),
    "indicators": ("indicator_id", ("label", "unit", "category", "definition")),
    "stories": ("story_id", ("title", "summary")),
    "figures": ("figure_id", ("label", "unit", "note")),
}
# Words that belong to no table: a lesson card's themes (its `themes:` ids), translated as `label`.
WORDS = {"themes": ("label",)}
# Proper names: shown as given unless a translation is given, never counted as missing one.
NAME_FIELDS = frozenset({("pilots", "name"), ("pilots", "short_name"), ("pilots", "place")})
NETWORK_SUFFIXES = (".graphml", ".gexf", ".json")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text | id | number | integer | enum | bool | country | url
    required: bool = False
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None  # text: at most this many characters


@dataclass(frozen=True)
class Reference:
    """Values in `columns` must exist as `target_columns` in table `target`."""

    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    required: bool
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    references: tuple[Reference, ...] = field(default=())

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


_PILOT = Reference(("pilot_id",), "pilots", ("pilot_id",))
# Columns that mean the same in every table that has them: how sure we are of a row, and where it is from.
_STATUS = Column("status", "enum", allowed=STATUSES)
_PROVENANCE = (_STATUS, Column("source", "url"))
_SOURCE_URL = Column("source_url", "url")


def _per_pilot(
    name: str,
    required: bool,
    columns: tuple[Column, ...],
    key: tuple[str, ...] = (),
    references: tuple[Reference, ...] = (),
) -> TableSpec:
    """A table whose every row belongs to a pilot: a required `pilot_id` that names one."""
    return TableSpec(name, required, (Column("pilot_id", "id", True), *columns), key, (_PILOT, *references))


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "pilots",
            True,
            (
                Column("pilot_id", "id", True),
                Column("name", required=True),
                Column("country", "country", True),
                Column("place"),
                # How charts and tables name the pilot where room is short; default: the place.
                Column("short_name", max_length=SHORT_NAME_LENGTH),
                # Who may see the names of the pilot's network's actors (default: named).
                Column("network_visibility", "enum", allowed=VISIBILITIES),
                Column("lat", "number", minimum=-90, maximum=90),
                Column("lon", "number", minimum=-180, maximum=180),
                Column("target_group"),
                Column("service"),
                Column("methods"),
                Column("lead_organisations"),
                Column("start"),
                Column("end"),
                _SOURCE_URL,
            ),
            key=("pilot_id",),
        ),
        TableSpec(
            "indicators",
            True,
            (
                Column("indicator_id", "id", True),
                Column("label", required=True),
                Column("unit"),
                Column("direction", "enum", allowed=DIRECTIONS),
                Column("category"),
                Column("definition"),
            ),
            key=("indicator_id",),
        ),
        _per_pilot(
            "outcomes",
            True,
            (
                Column("indicator_id", "id", True),
                Column("period", required=True),
                Column("value", "number", True),
                Column("group"),
                *_PROVENANCE,
                Column("note"),
                Column("basis", "enum", allowed=BASES),  # optional; empty means "not stated"
                Column("comparability_note"),
            ),
            key=("pilot_id", "indicator_id", "period", "group"),
            references=(Reference(("indicator_id",), "indicators", ("indicator_id",)),),
        ),
        _per_pilot(
            "nodes",
            False,
            (
                Column("node_id", "id", True),
                Column("label", required=True),
                Column("sector", "enum", allowed=SECTORS),
                Column("role"),
                Column("hard_to_reach", "bool"),
                Column("visibility", "enum", allowed=VISIBILITIES),  # default: the network's
                *_PROVENANCE,
            ),
            key=("pilot_id", "node_id"),
        ),
        _per_pilot(
            "edges",
            False,
            (
                Column("source", "id", True),
                Column("target", "id", True),
                Column("relation"),
                Column("weight", "number", minimum=0),
                Column("phase"),
                Column("directed", "bool"),
                _STATUS,
                _SOURCE_URL,
            ),
            references=(
                Reference(("pilot_id", "source"), "nodes", ("pilot_id", "node_id")),
                Reference(("pilot_id", "target"), "nodes", ("pilot_id", "node_id")),
            ),
        ),
        _per_pilot(
            "stories",
            False,
            (
                Column("story_id", "id", True),
                Column("title", required=True),
                Column("summary"),
                Column("themes"),
                Column("language"),
                _SOURCE_URL,
            ),
            key=("story_id",),
        ),
        _per_pilot(
            "governance",
            False,
            (
                Column("stage", "enum", True, allowed=STAGES),
                Column("level", "integer", True, minimum=0, maximum=4),
                Column("lead_sector", "enum", allowed=SECTORS),
                *_PROVENANCE,
            ),
            key=("pilot_id", "stage"),
        ),
        # Partners' translations of the data's own words (crosspilot/translations.py, data/README.md).
        TableSpec(
            "translations",
            False,
            (
                Column("table", "enum", True, allowed=(*TRANSLATABLE, *WORDS)),
                Column("id", required=True, max_length=200),
                Column("field", required=True, max_length=40),
                Column("language", required=True, max_length=35),
                Column("text", required=True, max_length=4000),
            ),
            key=("table", "id", "field", "language"),
        ),
        # Programme-wide headline figures that belong to no single pilot.
        TableSpec(
            "figures",
            False,
            (
                Column("figure_id", "id", True),
                Column("label", required=True),
                Column("value", "number", True),
                Column("unit"),
                *_PROVENANCE,
                Column("note"),
            ),
            key=("figure_id",),
        ),
    )
}

TABLE_ORDER = tuple(TABLES)
