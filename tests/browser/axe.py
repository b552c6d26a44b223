"""Run the vendored axe-core in a Playwright page and fail on any WCAG 2.2 A/AA violation.

The page's context must have been made with bypass_csp=True (the `page` fixture's is): axe is
injected as a script element, which the portal's Content-Security-Policy would block.
"""

from pathlib import Path

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what NHS services must meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],  // skip detailing the passes: faster on long pages
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target,
      html: node.html,
      summary: node.failureSummary,
    })),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """The WCAG 2.2 A/AA violations axe-core finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe_violations(url: str, violations: list[dict]) -> str:
    """A report a developer can act on: rule, what it asks, and where each offending node is."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' > '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node["summary"] or "").replace("\n", " / ")
            lines.append(f"       {summary[:400]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail with a readable report unless axe finds no WCAG 2.2 A/AA violation in the page."""
    violations = axe_violations(page)
    assert not violations, describe_violations(page.url, violations)
