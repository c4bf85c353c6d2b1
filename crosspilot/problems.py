"""Validation problems and the report that collects them in one pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from crosspilot.i18n import t

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, located as precisely as the file allows."""

    file: str
    message: str
    where: str = ""  # "line 14", "row 3", "node 'x'"; empty for a whole-file problem
    column: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        place = self.file
        if self.where:
            place += f" {self.where}"
        if self.column:
            place += ("," if self.where else "") + " " + t("column {column}", column=self.column)
        return f"{place}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "where": self.where,
            "column": self.column,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Report:
    """Every problem found while loading a dataset. Mutable while loading only."""

    problems: list[Problem] = field(default_factory=list)
    # A column full of one mistake would bury the rest: after this many, one summary line.
    max_per_kind: int = 20
    _seen: Counter = field(default_factory=Counter, repr=False)
    _hidden: Counter = field(default_factory=Counter, repr=False)

    def add(
        self,
        file: str,
        message: str,
        *,
        where: str = "",
        column: str = "",
        severity: str = ERROR,
        kind: str = "",
    ) -> None:
        group = (file, column, kind or message, severity)
        self._seen[group] += 1
        if self._seen[group] > self.max_per_kind:
            self._hidden[group] += 1
            return
        self.problems.append(Problem(file, message, where, column, severity))

    def warn(self, file: str, message: str, **kw: str) -> None:
        self.add(file, message, severity=WARNING, **kw)

    def finish(self) -> None:
        """Turn the per-kind overflow counts into summary lines."""
        for (file, column, kind, severity), hidden in self._hidden.items():
            self.problems.append(
                Problem(
                    file,
                    t("… and {n} more like this ({kind})", n=hidden, kind=kind),
                    column=column,
                    severity=severity,
                )
            )
        self._hidden.clear()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def format(self, title: str = "") -> str:
        """The plain-text report printed by `validate` and by the server at start."""
        lines = [title] if title else []
        if not self.problems:
            lines.append(t("No problems found."))
        for label, items in ((t("Errors"), self.errors), (t("Warnings"), self.warnings)):
            if items:
                lines.append(f"{label} ({len(items)}):")
                lines.extend(f"  - {p}" for p in items)
        lines.append(t("Result: {e} error(s), {w} warning(s).", e=len(self.errors), w=len(self.warnings)))
        return "\n".join(lines)

    def to_records(self) -> list[dict[str, str]]:
        return [p.as_dict() for p in self.problems]

    @classmethod
    def from_records(cls, records: list[dict[str, str]]) -> Report:
        return cls(problems=[Problem(**r) for r in records])
