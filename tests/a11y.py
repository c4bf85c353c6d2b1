"""Run axe-core (vendored in tests/vendor, MPL-2.0) in the dash_duo browser for WCAG 2 A/AA checks."""

from __future__ import annotations

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG = ("wcag2a", "wcag2aa", "wcag21aa")
# axe's structural best practices: heading order, one main landmark, unique landmarks, content in
# landmarks, an h1 on every page.
STRUCTURE = ("best-practice",)
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def axe_violations(
    driver, context: str = "body", impacts=("serious", "critical"), tags: tuple[str, ...] = WCAG
) -> list[str]:
    """Violations of the rules tagged `tags`, of at least `impacts`, each as 'rule: target (summary)'."""
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(arguments[0], {runOnly: {type: 'tag', values: arguments[1]}})
           .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' ') + ' (' + (n.failureSummary || '') + ')')}))))
           .catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));
        """,
        context,
        list(tags),
    )
    return [f"{v['id']}: {node}" for v in result if v["impact"] in impacts for node in v["nodes"][:5]]
