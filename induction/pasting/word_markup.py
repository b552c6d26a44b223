"""Word's and Google Docs' own ways of marking structure in pasted HTML, made into the plain
HTML they stand for, before it is converted to Markdown (induction/pasting/from_html.py): list
paragraphs into lists, styled spans into bold and italic, note links into footnotes.
"""

import re

from bs4 import BeautifulSoup, NavigableString, Tag

_WORD_LIST = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"^\(?(\d{1,4}|[a-z]|[ivxlc]{1,6})[.)]$", re.IGNORECASE)


def inline_style(tag: Tag) -> str:
    """A tag's style attribute as the checks here read it: lower case, without spaces."""
    return tag.get("style", "").replace(" ", "").lower()


def _list_marker(paragraph: Tag) -> str:
    """The bullet glyph or number Word put in front of a list paragraph, removed from it."""
    ignored = paragraph.find(lambda tag: "mso-list:ignore" in inline_style(tag))
    if ignored is None:
        return ""
    marker = ignored.get_text().replace("\xa0", " ").strip()
    # The span sits in a wrapper that sets the Symbol or Wingdings font: remove that too.
    wrapper = ignored
    while wrapper.parent is not paragraph and not wrapper.parent.get_text(strip=True).replace(
        marker, ""
    ):
        wrapper = wrapper.parent
    wrapper.decompose()
    return marker


def _word_list_level(tag) -> int | None:
    if not isinstance(tag, Tag) or tag.name != "p":
        return None
    match = _WORD_LIST.search(tag.get("style", ""))
    if match:
        return int(match.group(1))
    if any(name.startswith("MsoListParagraph") for name in tag.get("class", [])):
        return 1
    return None


def rebuild_word_lists(soup: BeautifulSoup) -> None:
    """Make Word's list paragraphs (`MsoListParagraph`, `mso-list:l0 level1`) into <ul>/<ol>."""
    for first in soup.find_all(lambda tag: _word_list_level(tag) is not None):
        if first.parent is None:
            continue  # already moved into a list made from an earlier run
        previous = first.find_previous_sibling(True)
        if previous is not None and _word_list_level(previous) is not None:
            continue
        run, node = [], first
        while node is not None:
            if isinstance(node, NavigableString):
                if node.strip():
                    break
            elif _word_list_level(node) is None:
                break
            else:
                run.append(node)
            node = node.next_sibling
        _replace_with_lists(soup, run)


def _replace_with_lists(soup: BeautifulSoup, paragraphs: list[Tag]) -> None:
    anchor = soup.new_string("")
    paragraphs[0].insert_before(anchor)
    stack: list[tuple[int, Tag]] = []
    for paragraph in paragraphs:
        level = _word_list_level(paragraph)
        marker = _list_marker(paragraph)
        ordered = bool(_ORDERED_MARKER.match(marker)) and marker.lower() != "o"
        while stack and stack[-1][0] > level:
            stack.pop()
        if not stack or stack[-1][0] < level:
            new_list = soup.new_tag("ol" if ordered else "ul")
            number = re.match(r"\(?(\d+)", marker)
            if ordered and number and int(number.group(1)) != 1:
                new_list["start"] = number.group(1)
            if stack:
                items = stack[-1][1].find_all("li", recursive=False)
                (items[-1] if items else stack[-1][1]).append(new_list)
            else:
                anchor.insert_before(new_list)
            stack.append((level, new_list))
        item = soup.new_tag("li")
        for child in list(paragraph.contents):
            item.append(child.extract())
        stack[-1][1].append(item)
        paragraph.decompose()
    anchor.extract()


def keep_emphasis(soup: BeautifulSoup) -> None:
    """Google Docs wraps everything in <b style="font-weight:normal"> and marks bold and
    italic with styles on spans: unwrap the first, and make the others <strong> and <em>."""
    # Whole declarations only: Word's own <b style='mso-bidi-font-weight:normal'> is bold.
    for tag in soup.find_all("b"):
        if re.search(r"(?:^|;)font-weight:(normal|400)", inline_style(tag)):
            tag.unwrap()
    for span in soup.find_all("span"):
        style = inline_style(span)
        if re.search(r"(?:^|;)font-weight:(bold|[6-9]00)", style):
            span.wrap(soup.new_tag("strong"))
        if re.search(r"(?:^|;)font-style:italic", style):
            span.wrap(soup.new_tag("em"))


# Word's footnote and endnote references and the links back from the notes (`#_ftn1`,
# `#_ftnref1`, `#_edn1`…), and Google Docs' (`#ftnt1`, `#ftnt_ref1`).
_NOTE_REFERENCE = re.compile(r"^#_?(ftn|edn|ftnt)(\d+)$")
_NOTE_BACKLINK = re.compile(r"^#_?(ftnref|ednref|ftnt_ref)(\d+)$")
_NOTE_KIND = {"ftnref": "ftn", "ednref": "edn", "ftnt_ref": "ftnt"}


def footnotes(soup: BeautifulSoup) -> int:
    """Make Word's and Google Docs' footnotes Markdown footnotes: each reference `[^n]`, each
    note a paragraph `[^n]: …`. A reference without its note, or the reverse, is left to the
    link rules (a link to a place in the copied page, which is dropped and reported)."""
    notes = {}
    for backlink in soup.find_all("a", href=_NOTE_BACKLINK):
        kind, number = _NOTE_BACKLINK.match(backlink["href"]).groups()
        paragraph = backlink.find_parent("p")
        if paragraph is not None:
            notes[(_NOTE_KIND[kind], number)] = (backlink, paragraph)
    references = [
        (link, _NOTE_REFERENCE.match(link["href"]).groups())
        for link in soup.find_all("a", href=_NOTE_REFERENCE)
    ]
    labels = {}
    for link, key in references:
        if key not in notes or key in labels:
            continue
        labels[key] = str(len(labels) + 1)
        link.replace_with(soup.new_string(f"[^{labels[key]}]"))
    for key, label in labels.items():
        backlink, paragraph = notes[key]
        backlink.decompose()
        first = next((child for child in paragraph.contents), None)
        if isinstance(first, NavigableString):
            first.replace_with(first.lstrip())
        paragraph.insert(0, soup.new_string(f"[^{label}]: "))
    if labels:
        # Word draws a short rule above its notes; the pack draws its own.
        for rule in soup.find_all("hr"):
            rule.decompose()
    return len(labels)

