"""Pages reflow on a 320 CSS pixel wide screen (WCAG 2.2 1.4.10, Reflow): nothing makes the
whole page scroll sideways. A wide table may scroll inside its own container (NHS.UK's
`nhsuk-table-container`), or stack its cells (`nhsuk-table--responsive`)."""

import pytest

NARROW = {"width": 320, "height": 640}

# The outermost elements that stick out beyond the right edge of the screen, for the report.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const sticksOut = (element) => element.getBoundingClientRect().right > width + 1;
  return [...document.querySelectorAll('body *')]
    .filter((element) => sticksOut(element) && !sticksOut(element.parentElement))
    .slice(0, 4)
    .map((element) => {
      const classes = [...element.classList].map((name) => '.' + name).join('');
      const right = Math.round(element.getBoundingClientRect().right);
      return `${element.tagName.toLowerCase()}${classes} (right edge at ${right}px)`;
    });
}"""


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/roles/medical-director/",
        "/roles/for-non-executive-directors/",
        "/roles/glossary/",
        "/trusts/",
        "/trusts/northshire/induction/",
        "/trusts/northshire/induction/history/",
        "/trusts/northshire/induction/edit/",
        "/trusts/northshire/induction/audit/",
    ],
)
def test_page_reflows_without_sideways_scrolling_at_320_pixels(
    demo_site, new_context, sign_in, address
):
    page = new_context(viewport=NARROW).new_page()
    sign_in(page, "northshire-hr")  # an editor, so the editor pages open too

    response = page.goto(address)

    assert response.status == 200
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= NARROW["width"], (
        f"{address} is {page_width}px wide on a {NARROW['width']}px screen, so the whole page "
        f"scrolls sideways. Too wide: {page.evaluate(OVERFLOWING)}. Wrap a wide table in "
        '<div class="nhsuk-table-container"> or make it nhsuk-table--responsive.'
    )
