"""The marks of a data slide that a participant may attach a vote or comment to: a pilot's value on a
Compare chart or its row of the governance matrix, an actor or a tie of a network.

A mark is written `<kind>:<key>` (`pilot:turku`, `actor:mmu`, `tie:council~mmu`), each key
percent-quoted so that any id of a programme's own data fits the form the API checks. The service asks
`slide_marks` which marks a slide has before it stores a vote on one of them: a mark the slide does not
draw is refused.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from crosspilot import views

PILOT, ACTOR, TIE = "pilot", "actor", "tie"
# A phone lists at most this many marks to choose from (the most connected actors of a large network
# first); any mark of the slide can still be chosen by tapping it.
LISTED = 120


def mark(kind: str, *keys: object) -> str:
    """`mark("tie", "b", "a")` -> "tie:a~b": a tie's ends in one order, whichever way it was drawn."""
    parts = [quote(str(k), safe="") for k in keys]
    if kind == TIE:
        parts.sort()
    return f"{kind}:" + "~".join(parts)


def keys_of(text: str) -> tuple[str, tuple[str, ...]]:
    """The kind and the keys of a mark: "tie:a~b" -> ("tie", ("a", "b"))."""
    kind, _, rest = text.partition(":")
    return kind, tuple(unquote(k) for k in rest.split("~"))


def slide_marks(derived, ref: str) -> dict[str, str]:
    """Every mark the slide `ref` draws, in the order a phone lists them: mark -> label in words.
    Empty for a slide with no marks to vote on (a link to a page that draws no data)."""
    try:
        link = views.parse_link(derived, ref)
    except ValueError:
        return {}
    if link.path == "/compare":
        from crosspilot.compare import compare

        comparison = compare(derived.compare_index, link.view)
        return {mark(PILOT, p): comparison.pilot_labels.get(p, p) for p in comparison.pilot_order}
    if link.path == "/networks" and link.view.pilot:
        return network_marks(derived.networks.ties(link.view.pilot, link.view.phase))
    if link.path == "/lessons/governance":
        from crosspilot.governance import governance_models

        s = derived.snapshot
        return {
            mark(PILOT, m.pilot_id): derived.pilots.short.get(m.pilot_id, m.pilot_id)
            for m in governance_models(s.governance, s.pilots)
            if m.stages
        }
    return {}


def network_marks(ties) -> dict[str, str]:
    """A network's actors (the most connected first) and then its ties."""

    def name(node) -> str:
        return str(ties.nodes[node].get("label", node))

    actors = sorted(ties.nodes, key=lambda n: (-ties.degree(n), name(n)))
    found = {mark(ACTOR, n): name(n) for n in actors}
    for u, v in ties.edges:
        found[mark(TIE, u, v)] = " – ".join(sorted((name(u), name(v))))
    return found


def listed(marks: dict[str, str], limit: int = LISTED) -> list[tuple[str, str]]:
    """The marks a phone offers in its list: pilots and actors before ties, at most `limit`."""
    ordered = sorted(marks.items(), key=lambda kv: kv[0].startswith(f"{TIE}:"))
    return ordered[:limit]
