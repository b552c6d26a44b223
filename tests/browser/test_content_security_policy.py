"""With the browser enforcing the portal's Content-Security-Policy (no Playwright bypass), no
page trips it: no inline script, no `style=` attribute, nothing fetched from elsewhere."""

PAGES = [
    "/",
    "/roles/medical-director/",
    "/roles/medical-director/evidence/",
    "/roles/for-non-executive-directors/",
    "/roles/sources/",
    "/roles/sources/ggi-2017/",
    "/roles/glossary/",
    "/trusts/",
    "/trusts/northshire/induction/",
    "/trusts/northshire/induction/v1/",
    "/trusts/northshire/induction/history/",
    "/trusts/northshire/induction/compare/?from=1&to=2",
    "/trusts/northshire/induction/edit/",
    "/trusts/northshire/induction/edit/preview/",
    "/trusts/northshire/induction/publish/",
    "/trusts/northshire/induction/audit/",
]


def test_no_page_violates_the_content_security_policy(demo_site, new_context, sign_in):
    page = new_context().new_page()  # bypass_csp off: the browser enforces the policy
    sign_in(page, "northshire-hr")
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"{page.url}: {message.text}")
        ),
    )

    for address in PAGES:
        response = page.goto(address)
        assert response.status == 200, address
        page.wait_for_load_state("load")

    assert not violations, "\n".join(violations)
