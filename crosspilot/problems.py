"""Validation problems and the report that collects them in one pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from crosspilot.i18n import again, from_record, t, tn, to_record

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
        """The problem in the reader's language (messages made at load are shown again in it)."""
        place = self.file
        if self.where:
            place += f" {again(self.where)}"
        if self.column:
            place += ("," if self.where else "") + " " + t("column {column}", column=self.column)
        return f"{place}: {again(self.message)}"

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
        lines.append(
            t(
                "Result: {errors}, {warnings}.",
                errors=tn("{n} error", "{n} errors", len(self.errors)),
                warnings=tn("{n} warning", "{n} warnings", len(self.warnings)),
            )
        )
        return "\n".join(lines)

    def to_records(self) -> list[dict]:
        """For the cache: each problem with its message kept to be shown in any language."""
        return [
            {**p.as_dict(), "message": to_record(p.message), "where": to_record(p.where)}
            for p in self.problems
        ]

    @classmethod
    def from_records(cls, records: list[dict]) -> Report:
        return cls(
            problems=[
                Problem(
                    **{**r, "message": from_record(r["message"]), "where": from_record(r.get("where", ""))}
                )
                for r in records
            ]
        )
