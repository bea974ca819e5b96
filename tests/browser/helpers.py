"""Helpers for browser tests: log in through the form, run axe-core on a page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.fixtures.users import PASSWORD

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()


def browser_login(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/inloggen")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def serious_violations(page) -> list[str]:
    """axe-core violations with impact serious or critical, as readable lines."""
    results = _axe.run(page, options=AXE_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines
