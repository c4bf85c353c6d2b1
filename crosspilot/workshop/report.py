"""Exports of a workshop: results as CSV (safe to open in a spreadsheet) and a Markdown/HTML report."""

from __future__ import annotations

import csv
import html
import io

from crosspilot.i18n import t
from crosspilot.spreadsheet import safe_cell
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
                "rule_status": result.status,
                "status": decision.status if decision else "",
                "decided_by": decision.decided_by if decision else "",
                "reason": decision.reason if decision else result.reason,
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


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _md(text: str) -> str:
    # Participants' text must not become links, images or HTML in a Markdown viewer.
    escaped = html.escape(text.replace("\n", " "), quote=False)
    for ch in "\\`*_{}[]()#+-.!|<>":
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped


def to_markdown(title: str, summary: list[dict]) -> str:
    lines = [f"# {_md(title)}", "", t("Workshop results, one section per item and round."), ""]
    for entry in summary:
        result, decision = entry["results"], entry["decision"]
        status = decision.status if decision else result.status
        lines += [
            f"## {entry['position'] + 1}. {_md(entry['title'])} — {t('round')} {entry['round']}",
            "",
            f"- {t('Item')}: `{entry['ref']}`",
            f"- {t('Votes')}: {result.total}; {t('agreement')} {_percent(result.agreement)}; "
            f"{t('consensus')} {'–' if result.consensus is None else f'{result.consensus:.2f}'}",
            f"- {t('Outcome')}: **{status_label(status)}** ({t('rules say')}: {status_label(result.status)})",
        ]
        if decision:
            lines.append(f"- {t('Decided by')} {_md(decision.decided_by)}: {_md(decision.reason)}")
        lines += ["", "```text"]
        for stance in STANCES:
            count = result.counts[stance]
            share = count / result.total if result.total else 0
            lines.append(f"{stance_label(stance):<20} {_bar(share)} {count:>4}")
        lines += ["```", ""]
        comments = [c for c in entry["comments"] if not c["hidden"]]
        if comments:
            lines.append(f"{t('Comments')}:")
            lines += [f"- {_md(c['text'])}" for c in comments]
            lines.append("")
    return "\n".join(lines)


def to_html(title: str, summary: list[dict]) -> str:
    """A standalone page: bars drawn in CSS with their numbers written beside them, no scripts."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font:16px system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#111}"
        ".bar{display:inline-block;height:1em;background:#0072B2;vertical-align:middle}"
        "td,th{padding:.2rem .6rem;text-align:left}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    for entry in summary:
        result, decision = entry["results"], entry["decision"]
        status = decision.status if decision else result.status
        parts.append(
            f"<h2>{entry['position'] + 1}. {esc(entry['title'])} — {t('round')} {entry['round']}</h2>"
        )
        parts.append(
            f"<p>{t('Votes')}: {result.total}; {t('agreement')} {_percent(result.agreement)}; "
            f"{t('Outcome')}: <strong>{esc(status_label(status))}</strong> "
            f"({t('rules say')}: {esc(status_label(result.status))})</p>"
        )
        if decision:
            parts.append(f"<p>{t('Decided by')} {esc(decision.decided_by)}: {esc(decision.reason)}</p>")
        parts.append("<table><tr><th>" + t("Stance") + "</th><th>" + t("Votes") + "</th><th></th></tr>")
        for stance in STANCES:
            count = result.counts[stance]
            share = count / result.total if result.total else 0
            parts.append(
                f"<tr><td>{esc(stance_label(stance))}</td><td>{count}</td>"
                f'<td><span class="bar" style="width:{share * 20:.2f}rem"></span> {share:.0%}</td></tr>'
            )
        parts.append("</table>")
        comments = [c for c in entry["comments"] if not c["hidden"]]
        if comments:
            parts.append("<ul>" + "".join(f"<li>{esc(c['text'])}</li>" for c in comments) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
