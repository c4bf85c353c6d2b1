"""The vocabulary every page, figure and report names things with: one table per kind of term.

Terms are marked with `N_` for the translation catalogue and translated where they are shown
(`term(kind, key)`), so a stance, a status or a sector reads the same on the projector, in the
report and on the Lessons page.
"""

from __future__ import annotations

from crosspilot.i18n import N_, t

TERMS: dict[str, dict[str, str]] = {
    # The governance vocabulary (the Glossary page lists these in every language).
    # Co-creation stages (crosspilot.contract.STAGES) and citizens' levels of participation (LEVELS).
    "stage": {
        "co-initiation": N_("Co-initiation"),
        "co-design": N_("Co-design"),
        "co-decision": N_("Co-decision"),
        "co-implementation": N_("Co-implementation"),
        "co-evaluation": N_("Co-evaluation"),
    },
    "level": {
        "inform": N_("inform"),
        "consult": N_("consult"),
        "involve": N_("involve"),
        "collaborate": N_("collaborate"),
        "empower": N_("empower"),
    },
    # The governance aspects a lesson card may name besides the stages (lessons.model.GOVERNANCE_ASPECTS).
    "aspect": {
        "co-governance": N_("Co-governance"),
        "lead-sector": N_("Lead sector"),
        "citizens-role": N_("Citizens' role"),
        "network-structure": N_("Network structure"),
    },
    # The COSMOS roles and the relations the network drawing encodes (figures/networks/encoding.py);
    # a role or relation the data names otherwise is shown as written.
    "role": {
        "Initiator": N_("Initiator"),
        "Policy Definer": N_("Policy Definer"),
        "Specifier and Designer": N_("Specifier and Designer"),
        "Deployer": N_("Deployer"),
        "Deliverer": N_("Deliverer"),
        "User": N_("User"),
        "Beneficiary": N_("Beneficiary"),
        "Broker": N_("Broker"),
        "Evaluator": N_("Evaluator"),
        "External Organisations": N_("External Organisations"),
    },
    "relation": {
        "partnership": N_("partnership"),
        "co_design": N_("co-design"),
        "service_delivery": N_("service delivery"),
        "information": N_("information"),
        "peer_support": N_("peer support"),
        "representation": N_("representation"),
        "funding": N_("funding"),
    },
    # The middle mark that tells a relation's ties apart (never colour alone), in words.
    "mark_shape": {
        "diamond": N_("diamond"),
        "square": N_("square"),
        "circle": N_("circle"),
        "tee": N_("bar"),
        "triangle-backcurve": N_("arrowhead"),
        "chevron": N_("chevron"),
    },
    # What a lesson's source is (crosspilot.lessons.model.SOURCE_KINDS).
    "source_kind": {
        "project": N_("Project"),
        "report": N_("Report"),
        "evaluation": N_("Evaluation"),
        "publication": N_("Publication"),
        "story": N_("Story"),
        "news": N_("News"),
    },
    # Compare: how values are shown, and the chart forms.
    "mode": {
        "absolute": N_("Absolute values"),
        "change": N_("Change from baseline"),
        "change_pct": N_("Change from baseline (%)"),
        "indexed": N_("Indexed (baseline = 100)"),
        "per_participant": N_("Per participant"),
    },
    "form": {
        "dots": N_("Ranked dots (latest value)"),
        "bars": N_("Ranked bars (latest value)"),
        "lines": N_("Lines over time"),
        "slope": N_("Slope: baseline to latest"),
        "multiples": N_("Small multiples (one panel per pilot)"),
        "heatmap": N_("Heatmap: pilots × indicators"),
    },
    # What an outcome value counts (`crosspilot.contract.BASES`; "" when the data does not say).
    "basis": {
        "event": N_("one event"),
        "per_period": N_("counted within one period"),
        "cumulative": N_("cumulative total"),
        "point_in_time": N_("count at a date"),
        "area_statistic": N_("statistic of the area"),
        "national_statistic": N_("national statistic"),
        "planned": N_("planned, not a result"),
        "": N_("basis not stated"),
    },
    # Where a value comes from.
    "provenance": {
        "published": N_("Published"),
        "estimate": N_("Estimate"),
        "illustrative": N_("Illustrative"),
    },
    # What a value computed from rows is computed from ("16 illustrative of 20 ties"; one tie).
    "inputs": {
        "ties": N_("ties"),
        "stakeholders": N_("stakeholders"),
        "values": N_("values"),
        "classifications": N_("classifications"),
    },
    "input": {
        "ties": N_("tie"),
        "stakeholders": N_("stakeholder"),
        "values": N_("value"),
        "classifications": N_("classification"),
    },
    # Workshops: a participant's stance, and the outcome of an item.
    "stance": {
        "agree": N_("Agree"),
        "agree_with_changes": N_("Agree with changes"),
        "disagree": N_("Disagree"),
        "cant_judge": N_("Can't judge"),
    },
    # A lesson's (or governance model's) status. The workshop's outcomes are lesson statuses: a decision
    # sets the item's status to its outcome, word for word (see "status_meaning").
    "lesson_status": {
        "draft": N_("Draft"),
        "under_validation": N_("Under validation"),
        "validated": N_("Validated"),
        "context_specific": N_("Context-specific"),
        "contested": N_("Contested"),
        "needs_evidence": N_("Needs evidence"),
        "revised": N_("Revised"),
    },
    "status_meaning": {
        "draft": N_("written, not yet checked against its sources"),
        "under_validation": N_("drawn from its sources; the partners have not decided on it yet"),
        "validated": N_(
            "a workshop agreed: at least 70 % (of the judging votes) agree, with consensus of at least 0.45"
        ),
        "context_specific": N_(
            "a workshop found it holds for some pilots or stakeholder groups (one at 70 % agreement or more) "
            "and not for others (another below 50 %)"
        ),
        "contested": N_("a workshop neither agreed nor found it context-specific"),
        "needs_evidence": N_(
            "a workshop could not judge it: fewer than 3 judging votes, or 40 % and more said "
            "they can't judge"
        ),
        "revised": N_("rewritten after a decision; the card says why"),
    },
    # Strength of evidence, 0-4 (lessons/README.md): its name, and what the evidence must reach.
    "strength": {
        "0": N_("Not yet evidenced"),
        "1": N_("One pilot or one source"),
        "2": N_("Several pilots"),
        "3": N_("Several pilots, with published figures or an evaluation"),
        "4": N_("Tested across pilots"),
    },
    "strength_requires": {
        "0": N_("always allowed: a claim without a source"),
        "1": N_("at least one source"),
        "2": N_("at least two pilots evidence it"),
        "3": N_("at least two pilots, and a published indicator value or an evaluation source"),
        "4": N_("at least three pilots, published indicator values and an evaluation source"),
    },
    "stakeholder": {
        "public_sector": N_("Public sector"),
        "civil_society": N_("Civil society"),
        "citizen": N_("Citizen / service user"),
        "business": N_("Business"),
        "research": N_("Research"),
        "other": N_("Other"),
    },
    # Networks: how a network is drawn, and the steps of its analysis as the progress bar names them.
    "network_view": {
        "auto": N_("Automatic (grouped by sector above 1,500 elements)"),
        "graph": N_("Interactive graph"),
        "webgl": N_("WebGL points (large networks)"),
        "sector": N_("Grouped by sector"),
        "community": N_("Grouped by community"),
    },
    "analysis_step": {
        "ties": N_("Reading the ties"),
        "layout": N_("Placing the actors"),
        "paths": N_("Measuring shortest paths"),
        "eigenvector": N_("Measuring how central each actor's partners are"),
        "brokerage": N_("Counting brokerage between sectors"),
        "communities": N_("Finding communities"),
        "done": N_("Done"),
    },
    # Networks: an actor's sector, in running text.
    "sector": {
        "public": N_("public"),
        "civil_society": N_("civil society"),
        "commercial": N_("commercial"),
        "citizen": N_("citizen"),
        "informal": N_("informal"),
    },
    # The pages a snapshot can be published from (crosspilot/snapshots), as its heading names them.
    "snapshot_page": {
        "compare": N_("Compare"),
        "networks": N_("Networks"),
        "lesson": N_("Lesson"),
        "governance": N_("Governance models"),
        "roadmap": N_("Roadmap to co-creation"),
    },
}


# The statuses a card may give, in their order, and the subset a workshop decision can set.
LESSON_STATUSES = tuple(TERMS["lesson_status"])
WORKSHOP_OUTCOMES = ("validated", "context_specific", "contested", "needs_evidence")
TERMS["outcome"] = {status: TERMS["lesson_status"][status] for status in WORKSHOP_OUTCOMES}


def term(kind: str, key: str, default: str | None = None) -> str:
    """The word for `key` among the terms of `kind`, translated; `default` (else the key) for one the
    vocabulary does not know."""
    words = TERMS[kind]
    if key in words:
        return t(words[key])
    return key if default is None else default


def terms(kind: str) -> dict[str, str]:
    """Every term of `kind`, translated, in the vocabulary's order."""
    return {key: t(word) for key, word in TERMS[kind].items()}
