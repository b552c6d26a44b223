"""Every table in the role explainer reads whole on a phone and on a desktop.

The page-wide reflow test (test_narrow_screen.py) cannot see a table squeezed inside its own
scrolling container: its cells split into side-by-side fragments and their words are cut off
("Medical Directo") while the page itself stays narrow. These tests look inside the tables:
each table fits its container, and every word in every cell is drawn whole, inside its cell
and inside whatever clips it.
"""

import pytest

from roles.evidence import PARTS
from roles.models import Role, Source

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

# Problems with the tables on the page, as sentences; an empty list when every table reads.
TABLE_PROBLEMS = """() => {
  const problems = [];
  const viewport = document.documentElement.clientWidth;
  const page = document.documentElement.scrollWidth;
  if (page > viewport) {
    problems.push(`the page is ${page}px wide on a ${viewport}px screen`);
  }
  // A cell's text without the labels that only show when the table is stacked.
  const words = (cell) => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach((label) => label.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  };
  const describe = (cell) => {
    const first = cell.closest('tr').querySelector('th, td');
    return `the cell "${words(cell).slice(0, 40)}" in the row "${words(first).slice(0, 30)}"`;
  };
  // Text that is visually hidden on purpose (NHS.UK's nhsuk-u-visually-hidden, a stacked
  // table's column headings) is clipped to nothing and read only by screen readers.
  const visuallyHidden = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.clipPath !== 'none' || (style.clip && style.clip !== 'auto')) return true;
    }
    return false;
  };
  // Elements that hide what sticks out of them (a scrolling table container among them).
  const clippers = (element) => {
    const found = [];
    for (let node = element.parentElement; node; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== 'visible') found.push(node);
    }
    return found;
  };
  // Words, and the parts of a hyphenated word, which may each start a new line.
  const WORD = /[^\\s\\-\\u2010-\\u2014\\/]+/g;
  for (const table of document.querySelectorAll('main table')) {
    const container = table.closest('.nhsuk-table-container') || table.parentElement;
    // NHS.UK tables have margins of -2px on each side, a bleed that is part of the design.
    const style = getComputedStyle(table);
    const bleed = -Math.min(0, parseFloat(style.marginLeft))
      - Math.min(0, parseFloat(style.marginRight));
    if (container.scrollWidth > container.clientWidth + bleed + 1) {
      problems.push(
        `a table ("${table.caption ? table.caption.innerText.trim() : 'no caption'}") is `
        + `${container.scrollWidth}px wide in a ${container.clientWidth}px container`
      );
    }
    for (const cell of table.querySelectorAll('th, td')) {
      if (!cell.getClientRects().length) continue;
      const box = cell.getBoundingClientRect();
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      let reported = false;
      for (let text = walker.nextNode(); text && !reported; text = walker.nextNode()) {
        const parent = text.parentElement;
        if (!parent.getClientRects().length || visuallyHidden(parent)) continue;
        const hiddenBy = clippers(parent);
        for (const match of text.data.matchAll(WORD)) {
          const range = document.createRange();
          range.setStart(text, match.index);
          range.setEnd(text, match.index + match[0].length);
          const pieces = [...range.getClientRects()].filter((rect) => rect.width > 0);
          if (!pieces.length) continue;
          const rect = range.getBoundingClientRect();
          let problem = null;
          if (pieces.length > 1) {
            problem = `breaks the word "${match[0]}" across lines`;
          } else if (rect.left < box.left - 1 || rect.right > box.right + 1) {
            problem = `is narrower than the word "${match[0]}"`;
          } else {
            const clipper = hiddenBy.find((node) => {
              const edge = node.getBoundingClientRect();
              return rect.left < edge.left - 1 || rect.right > edge.right + 1;
            });
            if (clipper) {
              const name = clipper.tagName.toLowerCase() + [...clipper.classList]
                .map((c) => '.' + c).join('');
              problem = `has the word "${match[0]}" cut off by ${name}`;
            }
          }
          if (problem) {
            problems.push(`${describe(cell)} ${problem}`);
            reported = true;
            break;
          }
        }
      }
    }
  }
  return problems;
}"""


def explainer_addresses():
    """Every page of the explainer: each role, the guide's pages, sources and the glossary."""
    addresses = [role.get_absolute_url() for role in Role.objects.order_by("slug")]
    addresses += [
        "/roles/medical-director/working-with-others/",
        "/roles/medical-director/evidence/",
        *(part.get_absolute_url() for part in PARTS),
        "/roles/for-non-executive-directors/",
        "/roles/sources/",
        "/roles/glossary/",
    ]
    addresses += [source.get_absolute_url() for source in Source.objects.order_by("key")[:3]]
    return addresses


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_every_explainer_table_fits_and_shows_each_word_whole(roles_site, new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    addresses = explainer_addresses()
    tables_seen = 0
    problems = []

    for address in addresses:
        response = page.goto(address)
        assert response.status == 200, address
        tables_seen += page.locator("main table").count()
        problems += [f"{address}: {problem}" for problem in page.evaluate(TABLE_PROBLEMS)]

    # The Medical Director's reporting lines and the management approaches, at least.
    assert tables_seen >= 2, "the explainer's tables were not found: is the page list stale?"
    report = "\n".join(problems[:20])
    assert not problems, f"Tables that do not read at {viewport['width']}px:\n{report}"
