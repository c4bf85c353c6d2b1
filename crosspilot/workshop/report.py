"""Exports of a workshop: results as CSV (safe to open in a spreadsheet) and a Markdown/HTML report.

The CSV keeps plain machine numbers; the reports write every number, percentage and date through the
one Formatter. report.html comes from a Jinja2 template with autoescape, and what people typed
(comments, the facilitator's reason) is rendered there by the one Markdown renderer, raw HTML off.
"""

from __future__ import annotations

import csv
import html
import io

from crosspilot.formatting import Formatter
from crosspilot.i18n import current_language, display_name, t
from crosspilot.spreadsheet import safe_cell
from crosspilot.templates import environment
from crosspilot.workshop.rules import STANCES, stance_label, status_label

CSV_COLUMNS = (
    "round",
    "position",
    "item",
    "title",
    "votes",
    *STANCES,
    "agreement",
    "consensus",
    "mean_confidence",
    "rule_status",
    "status",
    "decided_by",
    "reason",
)


def _voted(entry: dict) -> bool:
    """An item nobody voted on and nobody decided was never opened: it gets no outcome. Nor does a
    slide: its votes are feedback on a view, collected by mark."""
    return entry.get("kind") != "slide" and bool(entry["results"].total or entry["decision"])


def _outcome(entry: dict) -> str:
    if entry.get("kind") == "slide":
        return t("a view: feedback by mark, no outcome")
    return t("not voted on")


def comments_by_mark(entry: dict) -> list[dict]:
    """The item's visible comments grouped by the mark they are about (the whole view first), with
    each mark's count of votes: `[{"mark": label or "", "votes": n, "comments": [text, ...]}]`."""
    labels = {m.mark: m for m in entry.get("marks", ())}
    groups: dict[str, dict] = {}
    for comment in entry["comments"]:
        if comment["hidden"]:
            continue
        key = comment.get("mark") or ""
        tally = labels.get(key)
        group = groups.setdefault(
            key, {"mark": tally.label if tally else key, "votes": tally.votes if tally else 0, "comments": []}
        )
        said = comment.get("language") or ""
        named = f" ({display_name(said)})" if said and said != current_language() else ""
        group["comments"].append(comment["text"] + named)
    for key, tally in labels.items():  # marks voted on without a comment are listed too
        groups.setdefault(key, {"mark": tally.label, "votes": tally.votes, "comments": []})
    whole = [groups.pop("")] if "" in groups else []
    return whole + sorted(groups.values(), key=lambda g: (-g["votes"] - len(g["comments"]), g["mark"]))


def _mark_heading(group: dict, fmt: Formatter) -> str:
    if not group["mark"]:
        return t("On the whole item")
    return t(
        "On {mark} (votes: {votes}, comments: {comments})",
        mark=group["mark"],
        votes=fmt.count(group["votes"]),
        comments=fmt.count(len(group["comments"])),
    )


def _rows(summary: list[dict]) -> list[dict]:
    rows = []
    for entry in summary:
        result, decision = entry["results"], entry["decision"]
        rows.append(
            {
                "round": entry["round"],
                "position": entry["position"] + 1,
                "item": entry["ref"],
                "title": entry["title"],
                "votes": result.total,
                **result.counts,
                "agreement": "" if result.agreement is None else f"{result.agreement:.3f}",
                "consensus": "" if result.consensus is None else f"{result.consensus:.3f}",
                "mean_confidence": "" if result.mean_confidence is None else result.mean_confidence,
                "rule_status": result.status if _voted(entry) else "",
                "status": decision.status if decision else "",
                "decided_by": decision.decided_by if decision else "",
                "reason": decision.reason if decision else result.reason if _voted(entry) else "",
            }
        )
    return rows


def to_csv(summary: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in _rows(summary):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _bar(share: float, width: int = 20) -> str:
    filled = round(share * width)
    return "█" * filled + "·" * (width - filled)


def _percent(fmt: Formatter, value: float | None) -> str:
    return "–" if value is None else fmt.percent(value)


def _consensus(fmt: Formatter, value: float | None) -> str:
    return "–" if value is None else fmt.fixed(value, 2)


def _md(text: str) -> str:
    # Participants' text must not become links, images or HTML in a Markdown viewer.
    escaped = html.escape(text.replace("\n", " "), quote=False)
    for ch in "\\`*_{}[]()#+-.!|<>":
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped


def rounds_compared(summary: list[dict], fmt: Formatter) -> list[dict]:
    """Items voted on in more than one round, their rounds side by side: each stance's count, agreement
    (which counts "agree with changes", as the rules do), consensus and how many changed their stance."""
    items: dict[int, dict] = {}
    for entry in summary:
        items.setdefault(
            entry["position"], {"number": entry["position"] + 1, "title": entry["title"], "rounds": []}
        )
        result = entry["results"]
        changed, both = entry.get("changed", (0, 0))
        items[entry["position"]]["rounds"].append(
            {
                "round": fmt.count(entry["round"]),
                "counts": [fmt.count(result.counts[s]) for s in STANCES],
                "agreement": _percent(fmt, result.agreement),
                "consensus": _consensus(fmt, result.consensus),
                "changed": "–"
                if entry["round"] == 1
                else t("{n} of {m}", n=fmt.count(changed), m=fmt.count(both)),
            }
        )
    return [item for item in items.values() if len(item["rounds"]) > 1]


def _compared_headers() -> list[str]:
    return [
        t("Round"),
        *(stance_label(s) for s in STANCES),
        t("Agreement*"),
        t("Consensus"),
        t("Changed stance"),
    ]


def _agreement_note() -> str:
    return t("* Agreement counts “agree” and “agree with changes”.")


def to_markdown(title: str, summary: list[dict], fmt: Formatter | None = None) -> str:
    fmt = fmt or Formatter()
    lines = [f"# {_md(title)}", "", t("Workshop results, one section per item and round."), ""]
    compared = rounds_compared(summary, fmt)
    if compared:
        lines += [f"## {t('Rounds compared')}", ""]
        for item in compared:
            lines += [f"### {item['number']}. {_md(item['title'])}", ""]
            headers = _compared_headers()
            lines += ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
            for r in item["rounds"]:
                cells = [r["round"], *r["counts"], r["agreement"], r["consensus"], r["changed"]]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
        lines += [_agreement_note(), ""]
    consensus = t("consensus")
    for entry in summary:
        result, decision = entry["results"], entry["decision"]
        status = decision.status if decision else result.status
        lines += [
            f"## {entry['position'] + 1}. {_md(entry['title'])} — {t('round')} {entry['round']}",
            "",
            f"- {t('Item')}: `{entry['ref']}`",
            f"- {t('Votes')}: {fmt.count(result.total)}; {t('agreement')} {_percent(fmt, result.agreement)}; "
            f"{consensus} {_consensus(fmt, result.consensus)}",
            f"- {t('Outcome')}: **{status_label(status)}** ({t('rules say')}: {status_label(result.status)})"
            if _voted(entry)
            else f"- {t('Outcome')}: {_outcome(entry)}",
        ]
        if decision:
            lines.append(f"- {t('Decided by')} {_md(decision.decided_by)}: {_md(decision.reason)}")
        lines += ["", "```text"]
        for stance in STANCES:
            count = result.counts[stance]
            share = count / result.total if result.total else 0
            lines.append(f"{stance_label(stance):<20} {_bar(share)} {fmt.count(count):>4}")
        lines += ["```", ""]
        groups = comments_by_mark(entry)
        if groups:
            lines.append(f"{t('Comments')}:")
            for group in groups:
                if group["mark"] or len(groups) > 1:
                    lines.append(f"- {_md(_mark_heading(group, fmt))}")
                    lines += [f"  - {_md(text)}" for text in group["comments"]]
                else:
                    lines += [f"- {_md(text)}" for text in group["comments"]]
            lines.append("")
    return "\n".join(lines)


def _report_entry(entry: dict, fmt: Formatter) -> dict:
    result, decision = entry["results"], entry["decision"]
    stances = []
    for stance in STANCES:
        count = result.counts[stance]
        share = count / result.total if result.total else 0
        stances.append(
            {
                "label": stance_label(stance),
                "count": fmt.count(count),
                "share": fmt.percent(share),
                "width": f"{share * 20:.2f}",  # CSS length: a machine number
            }
        )
    return {
        "number": entry["position"] + 1,
        "title": entry["title"],
        "round": entry["round"],
        "votes": fmt.count(result.total),
        "agreement": _percent(fmt, result.agreement),
        "status": status_label(decision.status if decision else result.status)
        if _voted(entry)
        else _outcome(entry),
        "rule_status": status_label(result.status) if _voted(entry) else "–",
        "decision": {"by": decision.decided_by, "reason": decision.reason} if decision else None,
        "stances": stances,
        "comments": [
            {"heading": _mark_heading(g, fmt) if g["mark"] else "", "texts": g["comments"]}
            for g in comments_by_mark(entry)
        ],
    }


def to_html(title: str, summary: list[dict], fmt: Formatter | None = None) -> str:
    """A standalone page: bars drawn in CSS with their numbers written beside them, no scripts."""
    fmt = fmt or Formatter()
    labels = {
        "round": t("round"),
        "votes": t("Votes"),
        "agreement": t("agreement"),
        "outcome": t("Outcome"),
        "rules_say": t("rules say"),
        "decided_by": t("Decided by"),
        "stance": t("Stance"),
    }
    return (
        environment()
        .get_template("workshop-report.html.j2")
        .render(
            lang=fmt.language,
            title=title,
            labels=labels,
            entries=[_report_entry(entry, fmt) for entry in summary],
            compared=rounds_compared(summary, fmt),
            compared_headers=_compared_headers(),
            compared_label=t("Rounds compared"),
            agreement_note=_agreement_note(),
        )
    )
