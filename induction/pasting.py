"""Text pasted from Word, Google Docs or a web page, made into the Markdown a section stores.

Pasted HTML is full of what a pack cannot keep: Word's classes, styles and list markup, fonts
and colours, pictures, scripts. Published as it came, it showed as literal tags, because the
renderer escapes raw HTML (induction/safe_markdown.py). `convert_html` keeps the structure a
section can hold — headings at the levels a section uses, bulleted and numbered lists (Word's
list paragraphs included), tables, the links the sanitiser allows, bold and italic — as
Markdown, through markdownify, and says in plain words what it left out, so the editor can
check before saving. `convert_text` does the same for plain text with Word's bullet glyphs
or tab-separated rows (a table copied from a spreadsheet).

The edit page calls these from the paste endpoint (with JavaScript) and, without JavaScript,
when a submitted text `looks_pasted`. Every result passes `validate_markdown`, or the
conversion raises its ValidationError.
"""

import hashlib
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, Tag
from django.core.exceptions import ValidationError
from markdownify import MarkdownConverter

from .safe_markdown import MAX_BLOCK_LINES, is_allowed_link, validate_markdown

# Word's HTML for a page of text runs to tens of kilobytes; this is far beyond any section.
MAX_PASTE_LENGTH = 1_000_000
# Deeper than this is not a document but an attack on the converter's recursion.
MAX_NESTING = 100
# A section's own title is the page's <h2>, so its Markdown has four heading levels (# to
# ####, shown as <h3> to <h6>); deeper headings in a pasted document become the smallest.
DEEPEST_HEADING = 4

PICTURES_NOTE = "pictures must be uploaded to the trust's picture library"


@dataclass(frozen=True)
class Conversion:
    """Markdown made from pasted text, with what was kept and what was left out, in words."""

    markdown: str
    converted: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.converted or self.dropped)


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


# --- HTML -----------------------------------------------------------------------------------

# Removed with everything in them: they are not text a reader should see.
_REMOVED_WITH_CONTENT = {
    "script", "noscript", "style", "head", "title", "meta", "link", "template", "xml",
    "iframe", "frame", "object", "embed", "applet", "svg", "math", "canvas", "video",
    "audio", "picture", "img", "form", "input", "button", "select", "textarea",
}  # fmt: skip
_EMBEDDED = {"iframe", "frame", "object", "embed", "applet", "video", "audio", "canvas"}
_FORM_PARTS = {"form", "input", "button", "select", "textarea"}
_STYLING = re.compile(
    r"(?:^|;)(?:color|background|background-color|font|font-family|font-size|mso-highlight):"
)
_WORD_LIST = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"^\(?(\d{1,4}|[a-z]|[ivxlc]{1,6})[.)]$", re.IGNORECASE)
_KEPT_ATTRIBUTES = {"a": {"href"}, "td": {"colspan"}, "th": {"colspan"}, "ol": {"start"}}


def _link_kind(url: str) -> str:
    """How the dropped-links note describes a link the sanitiser would refuse."""
    lowered = url.strip().lower()
    if lowered.startswith("file:"):
        return "link to a file on your computer (file:///…)"
    if lowered.startswith("http://"):
        return "link to an address that is not secure (http://…)"
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", lowered)
    if scheme:
        return f"link of a kind that cannot be used here ({scheme.group(1)}:…)"
    return "link to a page address that is not complete"


class _Tally:
    """What the cleaning found, to be reported in words."""

    def __init__(self):
        self.pictures = 0
        self.scripts = 0
        self.embedded = 0
        self.forms = 0
        self.styling = False
        self.links: dict[str, int] = {}

    def removed(self, name: str, tag: Tag) -> None:
        """Count an element removed with its content, by what the editor would call it."""
        if name == "picture":
            self.pictures += max(1, len(tag.find_all("img")))
        elif name in {"img", "svg", "v:imagedata"} or (
            name.startswith("v:") and tag.find("v:imagedata")
        ):
            self.pictures += 1
        elif name == "script":
            self.scripts += 1
        elif name in _EMBEDDED:
            self.embedded += 1
        elif name in _FORM_PARTS:
            self.forms += 1
        elif name == "style":
            self.styling = True

    def dropped(self) -> tuple[str, ...]:
        notes = []
        if self.pictures:
            notes.append(f"{_count(self.pictures, 'picture')} ({PICTURES_NOTE})")
        if self.styling:
            notes.append("colours and fonts")
        if self.scripts:
            notes.append(_count(self.scripts, "script"))
        if self.embedded:
            notes.append(
                _count(self.embedded, "embedded video or frame", "embedded videos or frames")
            )
        if self.forms:
            notes.append(_count(self.forms, "form"))
        for kind, number in self.links.items():
            notes.append(f"{number} {kind.replace('link', 'links', 1) if number > 1 else kind}")
        return tuple(notes)


def _check_nesting(soup: BeautifulSoup) -> None:
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ValidationError(
                "The pasted text is nested too deeply to convert. Paste it as plain text "
                "instead, or copy a smaller part at a time.",
                code="too_nested",
            )
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))


def _remove_hidden_parts(soup: BeautifulSoup, tally: _Tally) -> None:
    # Comments hold Word's conditional blocks (VML pictures and the like) and its fragment
    # markers; <![if …]> declarations only wrap text that is shown, so that text stays.
    for node in soup.find_all(
        string=lambda text: isinstance(text, (Comment, Declaration, Doctype))
    ):
        node.extract()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        name = tag.name.lower()
        if name in _REMOVED_WITH_CONTENT or name.startswith("v:"):
            tally.removed(name, tag)
            tag.decompose()


def _list_marker(paragraph: Tag) -> str:
    """The bullet glyph or number Word put in front of a list paragraph, removed from it."""
    ignored = paragraph.find(
        lambda tag: "mso-list:ignore" in tag.get("style", "").replace(" ", "").lower()
    )
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


def _rebuild_word_lists(soup: BeautifulSoup) -> None:
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


def _style(tag: Tag) -> str:
    return tag.get("style", "").replace(" ", "").lower()


def _keep_emphasis(soup: BeautifulSoup) -> None:
    """Google Docs wraps everything in <b style="font-weight:normal"> and marks bold and
    italic with styles on spans: unwrap the first, and make the others <strong> and <em>."""
    # Whole declarations only: Word's own <b style='mso-bidi-font-weight:normal'> is bold.
    for tag in soup.find_all("b"):
        if re.search(r"(?:^|;)font-weight:(normal|400)", _style(tag)):
            tag.unwrap()
    for span in soup.find_all("span"):
        style = _style(span)
        if re.search(r"(?:^|;)font-weight:(bold|[6-9]00)", style):
            span.wrap(soup.new_tag("strong"))
        if re.search(r"(?:^|;)font-style:italic", style):
            span.wrap(soup.new_tag("em"))


def _headings(soup: BeautifulSoup) -> int:
    """Shift the pasted headings so the highest becomes a section's first level (`#`), keeping
    the steps between them, and any deeper than a section has become its smallest."""
    for paragraph in soup.find_all("p", class_="MsoTitle"):
        paragraph.name = "h1"
    headings = soup.find_all(re.compile(r"^h[1-6]$"))
    if headings:
        top = min(int(heading.name[1]) for heading in headings)
        for heading in headings:
            heading.name = f"h{min(int(heading.name[1]) - top + 1, DEEPEST_HEADING)}"
    return len(headings)


# Word's footnote and endnote references and the links back from the notes (`#_ftn1`,
# `#_ftnref1`, `#_edn1`…), and Google Docs' (`#ftnt1`, `#ftnt_ref1`).
_NOTE_REFERENCE = re.compile(r"^#_?(ftn|edn|ftnt)(\d+)$")
_NOTE_BACKLINK = re.compile(r"^#_?(ftnref|ednref|ftnt_ref)(\d+)$")
_NOTE_KIND = {"ftnref": "ftn", "ednref": "edn", "ftnt_ref": "ftnt"}


def _footnotes(soup: BeautifulSoup) -> int:
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


def _links(soup: BeautifulSoup, tally: _Tally) -> int:
    kept = 0
    for link in soup.find_all("a"):
        href = link.get("href", "").strip()
        if not href or not link.get_text(strip=True):
            link.unwrap()  # bookmarks (<a name=…>) and empty links
        elif href.startswith("#"):
            # Ids are not kept, so a link to a place in the copied page would lead nowhere.
            kind = "link to a place within the copied page"
            tally.links[kind] = tally.links.get(kind, 0) + 1
            link.unwrap()
        elif is_allowed_link(href):
            kept += 1
        else:
            kind = _link_kind(href)
            tally.links[kind] = tally.links.get(kind, 0) + 1
            link.unwrap()
    return kept


def _strip_attributes(soup: BeautifulSoup, tally: _Tally) -> None:
    for tag in soup.find_all(True):
        if tag.name == "font" or _STYLING.search(_style(tag)):
            tally.styling = True
        keep = _KEPT_ATTRIBUTES.get(tag.name, set())
        tag.attrs = {key: value for key, value in tag.attrs.items() if key in keep}


_SPACES = re.compile(r"\s+")


def _plain_header_rows(soup: BeautifulSoup) -> None:
    """The first row of a table becomes its header, which is bold already: Word's own bold
    in it would only add asterisks."""
    for table in soup.find_all("table"):
        first_row = table.find("tr")
        if first_row is not None:
            for bold in first_row.find_all(["b", "strong"]):
                bold.unwrap()


class _PackMarkdown(MarkdownConverter):
    """markdownify, writing the Markdown induction/safe_markdown.py reads: nested lists
    indented by four spaces (Python-Markdown's rule) and `|` escaped inside table cells."""

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = int(parent["start"]) if str(parent.get("start", "")).isdigit() else 1
            bullet = f"{start + len(el.find_previous_siblings('li'))}. "
        else:
            bullet = "- "
        lines = text.split("\n")
        rest = [("    " + line) if line.strip() else "" for line in lines[1:]]
        return "\n".join([bullet + lines[0], *rest]) + "\n"

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, text.replace("|", "\\|"), parent_tags)


def _to_markdown(soup: BeautifulSoup) -> str:
    converter = _PackMarkdown(
        heading_style="ATX",
        bullets="-",
        table_infer_header=True,
        strong_em_symbol="*",
        newline_style="spaces",
    )
    try:
        return converter.convert_soup(soup)
    except RecursionError:
        raise ValidationError(
            "The pasted text is nested too deeply to convert. Paste it as plain text instead.",
            code="too_nested",
        ) from None


def _check_length(text: str) -> None:
    if len(text) > MAX_PASTE_LENGTH:
        raise ValidationError(
            f"The pasted text is too large to convert ({len(text):,} characters with its "
            f"formatting; the most is {MAX_PASTE_LENGTH:,}). Copy a smaller part at a time.",
            code="too_long",
        )


def convert_html(html: str) -> Conversion:
    """Markdown for pasted HTML, what it kept and what it dropped; ValidationError for input
    too large or too deeply nested to convert, or whose result a section could not store."""
    _check_length(html)
    soup = BeautifulSoup(html.replace("\r\n", "\n").replace("\r", "\n"), "html.parser")
    _check_nesting(soup)
    tally = _Tally()
    _remove_hidden_parts(soup, tally)
    _rebuild_word_lists(soup)
    _keep_emphasis(soup)
    headings = _headings(soup)
    footnotes = _footnotes(soup)
    links = _links(soup, tally)
    _strip_attributes(soup, tally)
    lists = len([tag for tag in soup.find_all(["ul", "ol"]) if not tag.find_parent(["ul", "ol"])])
    tables = len([tag for tag in soup.find_all("table") if not tag.find_parent("table")])
    _plain_header_rows(soup)
    for text in soup.find_all(string=True):
        if not text.find_parent("pre"):
            # Word wraps its HTML source mid-sentence; a line break there is just a space.
            text.replace_with(_SPACES.sub(" ", text.replace("\xa0", " ")))
    markdown = _tidy(_to_markdown(soup))
    converted = [
        _count(number, one)
        for number, one in (
            (headings, "heading"),
            (lists, "list"),
            (tables, "table"),
            (links, "link"),
            (footnotes, "footnote"),
        )
        if number
    ]
    return _checked(Conversion(markdown, tuple(converted), tally.dropped()))


def _tidy(markdown: str) -> str:
    lines = [line if line.strip() else "" for line in markdown.split("\n")]
    lines = [
        line.rstrip() if not line.endswith("  ") or not line.strip() else line for line in lines
    ]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return _within_block_limit(text)


# --- plain text ----------------------------------------------------------------------------

# Word's bullet glyphs as they come in plain text; "o" (Word's second level) and "–" only
# before a tab, or after another bullet line, because in prose they start ordinary lines.
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<glyph>[•·▪◦§o–])(?P<gap>[ \t]+)(?P<text>\S.*)$")
_ALWAYS_BULLETS = "•·▪◦"
_NUMBERED = re.compile(r"^[ \t]*(?P<number>\d{1,3})[.)]\t+(?P<text>\S.*)$")


def _bullet_line(line: str, in_list: bool):
    match = _BULLET.match(line)
    if not match:
        return None
    glyph, gap = match.group("glyph"), match.group("gap")
    if glyph not in _ALWAYS_BULLETS and "\t" not in gap and not in_list:
        return None
    indent = match.group("indent")
    level = indent.count("\t") + (len(indent.replace("\t", "")) // 4)
    if glyph in "o◦" and level == 0 and in_list:
        level = 1
    return level, match.group("text").strip()


def _cells(line: str) -> list[str]:
    return [cell.strip().replace("|", "\\|") for cell in line.split("\t")]


def _table_run(lines: list[str], start: int) -> int:
    """How many lines from `start` form a tab-separated table (0 if they do not)."""

    def is_row(line):
        return (
            "\t" in line
            and not line.startswith(("\t", " "))
            and not _bullet_line(line, False)
            and not _NUMBERED.match(line)
        )

    first = lines[start]
    if not is_row(first) or not first.split("\t")[0].strip():
        return 0
    columns = first.count("\t")
    end = start
    while end < len(lines) and lines[end].count("\t") == columns and is_row(lines[end]):
        end += 1
    return end - start if end - start >= 2 else 0


def _table(rows: list[str]) -> list[str]:
    header, *body = (_cells(row) for row in rows)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] * len(header)) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return lines


def convert_text(text: str) -> Conversion:
    """Markdown for pasted plain text: Word bullet lines made `- ` items, numbered lines with
    a tab made `1. ` items, tab-separated rows made a table. Unchanged if there is none."""
    _check_length(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    lists = tables = 0
    index = 0
    in_list = False

    def open_block():
        if out and out[-1].strip():
            out.append("")

    while index < len(lines):
        line = lines[index]
        rows = _table_run(lines, index)
        if rows:
            open_block()
            out.extend(_table(lines[index : index + rows]))
            out.append("")
            tables += 1
            index += rows
            in_list = False
            continue
        bullet = _bullet_line(line, in_list)
        numbered = _NUMBERED.match(line)
        if bullet or numbered:
            if not in_list:
                open_block()
                lists += 1
            if bullet:
                level, item = bullet
                out.append("    " * level + "- " + item)
            else:
                out.append(f"{numbered.group('number')}. {numbered.group('text').strip()}")
            in_list = True
        else:
            if in_list and line.strip():
                out.append("")
            out.append(line)
            in_list = False
        index += 1
    if not (lists or tables):
        return Conversion(text)
    converted = [_count(n, one) for n, one in ((lists, "list"), (tables, "table")) if n]
    markdown = _within_block_limit(re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n"))
    return _checked(Conversion(markdown, tuple(converted)))


# --- limits --------------------------------------------------------------------------------


def _within_block_limit(markdown: str) -> str:
    """Split blocks longer than MAX_BLOCK_LINES: a long table into tables that repeat its
    header, any other block (a long list) by blank lines, which Markdown reads as one list."""
    blocks = markdown.split("\n\n")
    result = []
    for block in blocks:
        lines = block.split("\n")
        if len(lines) <= MAX_BLOCK_LINES:
            result.append(block)
        elif all(line.startswith("|") for line in lines) and len(lines) > 2:
            header, rows = lines[:2], lines[2:]
            size = MAX_BLOCK_LINES - 2
            result.extend(
                "\n".join(header + rows[start : start + size])
                for start in range(0, len(rows), size)
            )
        else:
            result.extend(
                "\n".join(lines[start : start + MAX_BLOCK_LINES])
                for start in range(0, len(lines), MAX_BLOCK_LINES)
            )
    return "\n\n".join(result)


def _checked(conversion: Conversion) -> Conversion:
    try:
        validate_markdown(conversion.markdown)
    except ValidationError as error:
        raise ValidationError(
            "The pasted text could not be converted into text a section can keep: "
            + " ".join(error.messages),
            code=error.error_list[0].code,
        ) from None
    return conversion


# --- noticing pasted text without JavaScript -----------------------------------------------

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
# Markers no one types in prose: Word's classes and conditional comments, its <o:p> tags,
# Google Docs' wrapper, and tags with attributes that only a copied page carries.
_HTML_MARKERS = re.compile(
    r"class=[\"']?Mso|<!--\[if|<!\[if|<o:p>|docs-internal-guid|<(?:html|body|meta|style)\b"
    r"|<[a-z][a-z0-9]*\s[^<>]*\b(?:style|class|align|width|lang)=",
    re.IGNORECASE,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|span|table|tbody|thead|tr|td|th|ul|ol|li|br|font|h[1-6]|b|i|strong|em|a|u)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_CLOSING_BLOCK = re.compile(r"</(?:p|div|span|td|li|tr|table)>", re.IGNORECASE)
# Tags a writer may mention in prose ("use <b> for bold"); a copied page has many more.
_TAGS_IN_PROSE = 3


def looks_like_html(text: str) -> bool:
    """Whether text holds copied HTML markup rather than prose that mentions a tag or uses
    "<": a Word or Google Docs marker, or more tags than prose has, closing ones included."""
    prose = _CODE.sub("", text)
    if _HTML_MARKERS.search(prose):
        return True
    return len(_BLOCK_TAG.findall(prose)) > _TAGS_IN_PROSE and bool(_CLOSING_BLOCK.search(prose))


def looks_pasted(text: str) -> bool:
    """Whether a submitted text needs converting before it is kept: copied HTML, Word bullet
    lines or tab-separated rows (what the paste handler converts when JavaScript runs)."""
    if not text:
        return False
    if looks_like_html(text):
        return True
    try:
        return convert_text(_CODE.sub("", text)).changed
    except ValidationError:
        return True  # converting it again says what is wrong


def convert_submitted(text: str) -> Conversion:
    """The conversion the edit page offers for a text that `looks_pasted`: the part from the
    first to the last paragraph holding markup is read as HTML, the rest as plain text, so
    Markdown typed before or after a pasted block keeps its own formatting."""
    if not looks_like_html(text):
        return convert_text(text)
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    marked = [index for index, block in enumerate(blocks) if _BLOCK_TAG.search(block)]
    first, last = (marked[0], marked[-1]) if marked else (0, len(blocks) - 1)
    before = convert_text("\n\n".join(blocks[:first])) if first else Conversion("")
    html = convert_html("\n\n".join(blocks[first : last + 1]))
    after = convert_text("\n\n".join(blocks[last + 1 :])) if last + 1 < len(blocks) else None
    parts = [before.markdown, html.markdown, after.markdown if after else ""]
    markdown = "\n\n".join(part for part in parts if part.strip())
    converted = before.converted + html.converted + (after.converted if after else ())
    return _checked(Conversion(markdown, converted, html.dropped))


@dataclass(frozen=True)
class PastedBody:
    """A submitted body that held pasted markup: the form data with the body converted (or
    as it was, with `error`, if it could not be), and what the conversion did."""

    data: object
    conversion: Conversion | None = None
    error: list[str] | None = None

    @property
    def check(self) -> str:
        """What the page sends back with the converted text (`pasted_check`), so that the
        same text, saved as shown, is not taken for pasted markup a second time."""
        return _digest(self.data.get("body", ""))


def _digest(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF.
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def pasted_body(data):
    """PastedBody if the `body` of submitted form data `looks_pasted`, else None: what the
    edit page uses without JavaScript to show the converted text instead of saving. Text the
    editor already saw converted (its `pasted_check`), or that conversion leaves as it is
    (prose that only mentions markup), is None: it must be possible to save it."""
    body = data.get("body", "")
    if not looks_pasted(body) or data.get("pasted_check") == _digest(body):
        return None
    try:
        conversion = convert_submitted(body)
    except ValidationError as error:
        return PastedBody(data=data, error=error.messages)
    if conversion.markdown == body.replace("\r\n", "\n"):
        return None
    converted = data.copy()
    converted["body"] = conversion.markdown
    return PastedBody(data=converted, conversion=conversion)
