"""The Markdown sanitiser: useful Markdown works; hostile input never runs or breaks the page."""

import re
import time
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError

from induction.safe_markdown import (
    MAX_BLOCK_LINES,
    MAX_MARKDOWN_LENGTH,
    MAX_SQUARE_BRACKETS,
    is_picture_url,
    render_markdown,
    validate_markdown,
)


def encoded_times(text, times):
    """`text` percent-encoded `times` times over: `..` once is `%2e%2e`, twice `%252e%252e`."""
    encoded = "".join(f"%{ord(character):02x}" for character in text)
    for _ in range(times - 1):
        encoded = encoded.replace("%", "%25")
    return encoded


HOSTILE = {
    "script tag": "<script>alert(1)</script>",
    "img onerror": '<img src="x" onerror="alert(1)">',
    "javascript link": "[click](javascript:alert(1))",
    "javascript reference link": "[click][evil]\n\n[evil]: javascript:alert(1)",
    "mixed-case javascript": "[click](JaVaScRiPt:alert(1))",
    "entity-encoded javascript": "[click](jav&#x61;script:alert(1))",
    "javascript with a tab": "[click](java\tscript:alert(1))",
    "data link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data image": "![pixel](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "vbscript link": "[click](vbscript:msgbox)",
    "iframe": '<iframe src="https://evil.example.com"></iframe>',
    "form": '<form action="https://evil.example.com"><input name="password"></form>',
    "style element": "<style>body { display: none }</style>",
    "style attribute": '<p style="position:fixed;top:0">cover</p>',
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "svg onload": '<svg onload="alert(1)"></svg>',
    "protocol-relative link": "[click](//evil.example.com/path)",
    "backslash link": "[click](/\\evil.example.com)",
    "http link": "[click](http://insecure.example.com)",
    "external image": "![tracker](https://evil.example.com/pixel.gif)",
    "image path outside media": "![x](/static/../media/x.png)",
    "html comment": "<!-- <script>alert(1)</script> -->",
    "unclosed tags": "<div><b><i>never closed",
    "object and embed": '<object data="x.swf"></object><embed src="x.swf">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example.com">',
    "base tag": '<base href="https://evil.example.com/">',
    "link title quote breakout": '[x](https://example.com "a\\" onmouseover=\\"alert(1))',
    "autolink javascript": "<javascript:alert(1)>",
    "encoded dot-dot image": "![x](/media/%2e%2e/admin/)",
    "mixed-encoding dot-dot image": "![x](/media/.%2E/admin/)",
    "double-encoded dot-dot image": "![x](/media/%252e%252e/admin/)",
    "encoded slash dot-dot image": "![x](/media/..%2fadmin/)",
    "dot-dot site link": "[x](/roles/../admin/)",
    "encoded dot-dot link": "[x](/%2e%2e/admin/)",
    "encoded backslash link": "[x](/%5Cevil.example)",
    "double-encoded backslash link": "[x](/%255Cevil.example)",
    "bare backslash link": "[x](/\\evil.example)",
    "encoded double slash link": "[x](/%2Fevil.example)",
    "encoded tab link": "[x](/%09/evil.example)",
    "encoded null link": "[x](/%00evil)",
    "thrice-encoded dot-dot link": "[x](/" + "%25" * 3 + "252e%252e/admin/)",
    "dot-dot encoded six times over": f"[x](/{encoded_times('..', 6)}/admin/)",
    "dot-dot image encoded six times over": f"![x](/media/{encoded_times('..', 6)}/admin/)",
    "dot segment link": "[x](/roles/./admin/)",
    "encoded dot segment link": "[x](/roles/%2e/admin/)",
    "backslash in an https link": "[x](https://www.nhs.uk\\@evil.example)",
    "relative link that decodes to another host": "[x](%2F%2Fevil.example)",
}

# A site path or image that got through, fully decoded, must not climb directories or name a
# host: no `..` or `.` segment, no backslash, no control character, no leading `//`.
UNSAFE_ONCE_DECODED = re.compile(r"(^|/)\.\.?(/|$)|\\|[\x00-\x1f\x7f]|^//")


def fully_decoded(url):
    previous = None
    while previous != url:
        previous, url = url, unquote(url)
    return url


SAFE_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "sup", "div", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class ElementCollector(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html):
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


def is_safe_url(url):
    return url.startswith(("https://", "mailto:", "#")) or (
        url.startswith("/") and not url.startswith("//") and "\\" not in url
    )


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_never_produces_active_content(text):
    html = render_markdown(text)
    for tag, attributes in elements(html):
        assert tag in SAFE_TAGS, html
        assert not any(name.startswith("on") or name == "style" for name in attributes), html
        if "href" in attributes:
            assert is_safe_url(attributes["href"]), html
            if attributes["href"].startswith("/"):
                assert not UNSAFE_ONCE_DECODED.search(fully_decoded(attributes["href"])), html
        if "src" in attributes:
            assert is_picture_url(attributes["src"]), html


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_renders_balanced_markup(text):
    html = render_markdown(text)
    for tag in ("div", "p", "a", "table", "ul", "ol", "blockquote"):
        opened = len(re.findall(rf"<{tag}[\s>]", html))
        assert opened == html.count(f"</{tag}>"), (tag, html)


def test_raw_html_is_shown_as_text_not_dropped():
    assert render_markdown("Use <b>bold</b> here") == "<p>Use &lt;b&gt;bold&lt;/b&gt; here</p>"


def test_refused_link_keeps_its_text():
    assert render_markdown("[read this](javascript:alert(1))") == "<p><a>read this</a></p>"


def test_https_links_are_marked_external_and_site_paths_are_not():
    html = render_markdown(
        "[NHS](https://www.nhs.uk) [explainer](/roles/medical-director/) "
        "[e-mail](mailto:company.secretary@example.nhs.uk)"
    )
    assert '<a href="https://www.nhs.uk" rel="noopener noreferrer">NHS</a>' in html
    assert '<a href="/roles/medical-director/">explainer</a>' in html
    assert '<a href="mailto:company.secretary@example.nhs.uk">e-mail</a>' in html


def test_images_are_allowed_only_from_a_trust_s_picture_library():
    picture = "/trusts/testshire/induction/pictures/" + "a" * 32 + ".png"
    assert f'src="{picture}"' in render_markdown(f"![Site map]({picture})")
    assert "src=" not in render_markdown("![Site map](/media/packs/map.png)")
    assert "src=" not in render_markdown("![Logo](/static/logo.png)")


def test_tables_use_align_attributes_not_styles():
    html = render_markdown("| Meeting | When |\n|:--|--:|\n| Board | Monthly |")
    assert '<th align="left">Meeting</th>' in html
    assert '<td align="right">Monthly</td>' in html
    assert "style" not in html


def test_headings_start_below_the_section_title():
    html = render_markdown("# Sites\n\n## Main hospital")
    assert html.startswith('<h3 id="sites">Sites</h3>')
    assert '<h4 id="main-hospital">' in html


def test_id_prefix_namespaces_footnotes_and_headings_so_sections_do_not_collide():
    html = render_markdown("## Overview\n\nText.[^1]\n\n[^1]: A source.", id_prefix="section-2-")
    assert 'id="section-2-overview"' in html
    assert 'href="#section-2-fn:1"' in html
    assert 'id="section-2-fn:1"' in html
    assert 'href="#section-2-fnref:1"' in html


def test_id_prefix_leaves_links_to_other_parts_of_the_page_alone():
    html = render_markdown("[see the glossary](#section-10)", id_prefix="section-2-")
    assert 'href="#section-10"' in html


@pytest.mark.parametrize(
    "text, shown",
    [
        ("> " * 5000 + "deep", "deep"),
        # 18,000 asterisks in one paragraph, over MAX_ASTERISKS_IN_A_BLOCK: shown as typed.
        ("**a *b **c *d" * 3000, "<p>**a *b **c *d**a *b"),
        ("- " * 10000 + "x", "- - x</p>"),
        ("`" * 40000, "````"),
    ],
    ids=["nested quotes", "emphasis bomb", "nested lists", "backticks"],
)
def test_input_that_beats_the_parser_still_shows_its_text(text, shown):
    assert shown in render_markdown(text)


@pytest.mark.parametrize(
    "text",
    ["[a" * 2500, "[" * 2500, "[^" * 2500],
    ids=["unclosed links", "brackets", "footnotes"],
)
def test_input_with_too_many_brackets_renders_in_well_under_a_second(text):
    """Python-Markdown takes seconds over each of these (a minute for 20,000 `[a`); over
    the limit they are shown as plain text at once."""
    started = time.perf_counter()
    html = render_markdown(text)
    assert time.perf_counter() - started < 1
    assert html == f"<p>{text}</p>"


@pytest.mark.parametrize(
    "text",
    ["[" * (MAX_SQUARE_BRACKETS + 1), "a" * (MAX_MARKDOWN_LENGTH + 1)],
    ids=["one bracket too many", "one character too many"],
)
def test_input_over_a_render_limit_never_reaches_the_parser(monkeypatch, text):
    def parser(*args, **kwargs):
        raise AssertionError("the Markdown parser was given input over a render limit")

    monkeypatch.setattr("induction.safe_markdown._markdown_to_html", parser)
    assert render_markdown(text) == f"<p>{text}</p>"


def test_oversized_input_is_refused_with_its_size():
    with pytest.raises(ValidationError) as error:
        validate_markdown("a" * (MAX_MARKDOWN_LENGTH + 1))
    assert "50,001 characters" in error.value.messages[0]
    assert "50,000" in error.value.messages[0]


def test_input_at_the_limit_is_accepted():
    validate_markdown("a" * MAX_MARKDOWN_LENGTH)


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_with_their_position(character):
    with pytest.raises(ValidationError) as error:
        validate_markdown(f"Hello{character}world")
    assert "position 6" in error.value.messages[0]


def test_invalid_unicode_is_refused():
    with pytest.raises(ValidationError, match="not valid Unicode"):
        validate_markdown("broken \ud800 surrogate")


def test_too_many_brackets_is_refused_with_a_way_forward():
    with pytest.raises(ValidationError, match="split it into more than one section"):
        validate_markdown("[" * 1001)


def test_tabs_newlines_and_ordinary_prose_are_accepted():
    validate_markdown("A table:\r\n\n| a | b |\n|---|---|\n| 1\t| 2 |\n\nThe trust’s café – “ok”.")


RAW_HOSTILE_HTML = (
    '<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:alert(1)">j</a>'
    '<a href="//evil.example.com">p</a><img src="https://evil.example.com/x.gif">'
    '<iframe src="https://evil.example.com"></iframe><form><input></form>'
    '<style>*{}</style><div class="nhsuk-header" style="x">d</div><!-- c -->'
    '<a href="jav&#x61;script:alert(1)">e</a><svg><use href="#x"/></svg>'
)


def test_the_allow_list_alone_stops_hostile_html():
    """Defence in depth: even if the Markdown layer let HTML through, nh3 would stop it."""
    from induction.safe_markdown import _sanitise

    html = _sanitise(RAW_HOSTILE_HTML)
    for tag, attributes in elements(html):
        assert tag in SAFE_TAGS, html
        assert set(attributes) <= {"href", "src", "alt", "title", "id", "align", "class"}, html
        assert attributes.get("class", "") in {"", "footnote", "footnote-ref", "footnote-backref"}
        if "href" in attributes:
            assert is_safe_url(attributes["href"]), html
        assert "src" not in attributes, html
    assert "alert" not in html


def test_tables_scroll_in_their_own_container_on_small_screens():
    html = render_markdown("| Site | Services |\n|---|---|\n| Royal Infirmary | Emergency care |")
    assert html.startswith('<div class="nhsuk-table-container" role="region" tabindex="0"')
    assert html.rstrip().endswith("</table></div>")


def test_authors_still_cannot_write_the_container_themselves():
    html = render_markdown('<div class="nhsuk-table-container" tabindex="0">x</div>')
    assert "<div" not in html


@pytest.mark.parametrize(
    "text",
    ["![x](/media/%2e%2e/admin/)", "[x](/%5Cevil.example)", "[x](/\\evil.example)"],
    ids=["encoded dot-dot image", "encoded backslash", "backslash"],
)
def test_smuggled_paths_keep_their_text_but_lose_the_url(text):
    html = render_markdown(text)
    assert "href=" not in html and "src=" not in html
    assert ">x</a>" in html or 'alt="x"' in html


def test_ordinary_site_paths_and_media_links_still_work(settings):
    settings.MEDIA_URL = "/media/"
    html = render_markdown(
        "[roles](/roles/medical-director/?tab=duties#board) "
        "[papers](/media/packs/Board%20papers%202024.pdf) "
        "[NHS](https://www.nhs.uk/conditions/a%2Fb/../c) "
        "[mail](mailto:md.office@example.nhs.uk?subject=Induction%20pack)"
    )
    assert 'href="/roles/medical-director/?tab=duties#board"' in html
    assert 'href="/media/packs/Board%20papers%202024.pdf"' in html
    assert 'href="https://www.nhs.uk/conditions/a%2Fb/../c"' in html
    assert 'href="mailto:md.office@example.nhs.uk?subject=Induction%20pack"' in html


def test_a_picture_address_written_with_percent_encoding_is_refused():
    key = "a" * 32
    assert "src=" not in render_markdown(f"![x](/trusts/testshire/induction/pictures/{key}%2Epng)")
    assert "src=" not in render_markdown(f"![x](/%74rusts/testshire/induction/pictures/{key}.png)")


FOOTNOTE_LABELS = (
    "Budget set[^board note], signed off[^1] and minuted[^Board-Note] twice[^board note]; "
    "see also[^café & “risk”] and[^!!!].\n\n"
    "[^board note]: Agreed at the March board.\n"
    "[^1]: Finance committee.\n"
    "[^Board-Note]: A different note whose label slugs the same way.\n"
    "[^café & “risk”]: Risk register.\n"
    "[^!!!]: A label with nothing id-safe in it.\n"
)


@pytest.mark.parametrize("prefix", ["", "section-2-"])
def test_footnote_links_all_reach_an_id_whatever_the_label(prefix):
    html = render_markdown(FOOTNOTE_LABELS, id_prefix=prefix)
    found = elements(html)
    ids = [attributes["id"] for _, attributes in found if "id" in attributes]
    fragment_links = [
        attributes["href"][1:]
        for tag, attributes in found
        if tag == "a" and attributes.get("href", "").startswith("#")
    ]
    assert len(ids) == len(set(ids)), ids
    assert all(re.fullmatch(r"[A-Za-z0-9:_-]+", id_) for id_ in ids), ids
    # Six references and five notes (one with two back-links): every one is a working link.
    refs = [a for tag, a in found if tag == "a" and a.get("class") == "footnote-ref"]
    backrefs = [a for tag, a in found if tag == "a" and a.get("class") == "footnote-backref"]
    assert len(refs) == 6 and len(backrefs) == 6, html
    assert all("href" in attributes for attributes in refs + backrefs), html
    assert fragment_links and set(fragment_links) <= set(ids), (fragment_links, ids)


def test_footnote_labels_become_readable_slugs_and_distinct_labels_stay_distinct():
    html = render_markdown(FOOTNOTE_LABELS)
    assert 'href="#fn:board-note"' in html
    assert 'id="fn:board-note"' in html
    assert 'href="#fn:board-note-2"' in html
    assert 'href="#fnref2:board-note"' in html
    assert 'id="fn:cafe-risk"' in html
    assert 'id="fn:note"' in html
    assert 'id="fn:1"' in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](https://www.nhs.uk\\@evil.example)",
        "[x](<https://www.nhs.uk/a b>)",
        "[x](https://)",
        "[x](%2Fadmin/)",
        "[x](/roles/./admin/)",
        "[x](/roles/%2e/admin/)",
        f"[x](/{encoded_times('..', 6)}/admin/)",
        f"![x](/media/{encoded_times('..', 6)}/admin/)",
        "![x](/media/%09logo.png)",
        "![x](/media/%E2%80%AElogo.png)",
    ],
    ids=[
        "backslash in https",
        "space",
        "https with no host",
        "relative path that decodes to a site path",
        "dot segment",
        "encoded dot segment",
        "dot-dot encoded six times",
        "image dot-dot encoded six times",
        "image with an encoded tab",
        "image with an encoded right-to-left override",
    ],
)
def test_refused_urls_keep_their_text_but_lose_the_url(settings, text):
    settings.MEDIA_URL = "/media/"
    html = render_markdown(text)
    assert "href=" not in html and "src=" not in html, html
    assert ">x</a>" in html or 'alt="x"' in html


def test_the_scheme_of_a_link_may_be_written_in_capitals():
    html = render_markdown("[NHS](HTTPS://www.nhs.uk) [mail](MAILTO:md.office@example.nhs.uk)")
    assert 'href="HTTPS://www.nhs.uk"' in html
    assert 'href="MAILTO:md.office@example.nhs.uk"' in html


def test_a_list_may_start_at_a_sensible_number_only():
    assert '<ol start="3">' in render_markdown("3. Third step\n4. Fourth step")
    assert "start=" not in render_markdown("1234567. An absurd start")


def test_control_characters_are_left_out_of_the_page():
    assert render_markdown("a\x00b\x07c\x85d") == "<p>abcd</p>"


def test_block_html_is_shown_as_text_not_parsed():
    html = render_markdown("<div>\nhello\n</div>")
    assert "&lt;div&gt;" in html and "<div" not in html


@pytest.mark.parametrize(
    "raw",
    [
        '<a href="https://www.nhs.uk" style="position:fixed;top:0">x</a>',
        '<img src="/media/x.png" onerror="alert(1)">',
        '<table><tr><td align="javascript:alert(1)">x</td></tr></table>',
        '<ol start="javascript"><li>x</li></ol>',
        '<div class="nhsuk-table-container">x</div>',
    ],
    ids=["style on a link", "onerror on an image", "align", "list start", "container class"],
)
def test_the_allow_list_alone_drops_attributes_it_does_not_know(settings, raw):
    """Defence in depth: the second layer, given HTML the Markdown layer would never make."""
    from induction.safe_markdown import _sanitise

    settings.MEDIA_URL = "/media/"
    html = _sanitise(raw)
    for banned in ("style=", "onerror", "align=", "start=", "nhsuk-table-container"):
        assert banned not in html, html


def test_the_allow_list_alone_drops_style_text_and_comments():
    from induction.safe_markdown import _sanitise

    assert _sanitise("<style>body { display: none }</style><p>a<!-- secret --></p>") == "<p>a</p>"


def test_input_nested_too_deeply_to_render_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_markdown("- " * 10000 + "x")
    assert error.value.code == "too_nested"
    assert "nested too deeply" in error.value.messages[0]


def test_input_with_exactly_the_allowed_brackets_is_accepted():
    validate_markdown("[" * MAX_SQUARE_BRACKETS)


@pytest.mark.parametrize("value", [None, 42, b"bytes", ["a list"]])
def test_anything_but_text_is_refused_with_a_message(value):
    with pytest.raises(ValidationError) as error:
        validate_markdown(value)
    assert error.value.code == "invalid"


def test_a_block_of_more_lines_than_the_limit_is_refused_with_what_to_do():
    validate_markdown("\n".join(["- a step"] * MAX_BLOCK_LINES))
    with pytest.raises(ValidationError) as error:
        validate_markdown("\n".join(["- a step"] * (MAX_BLOCK_LINES + 1)))
    assert error.value.code == "too_complex"
    assert f"runs to {MAX_BLOCK_LINES + 1} lines" in error.value.messages[0]


def test_a_line_of_spaces_ends_a_block():
    half = "\n".join(["- a step"] * (MAX_BLOCK_LINES // 2 + 10))
    validate_markdown(f"{half}\n   \n{half}")


@pytest.mark.parametrize("encoded", ["%0a", "%0d", "%09", "%00", "%7f", "%c2%85", "%250a"])
def test_a_site_path_hiding_an_encoded_control_character_is_not_a_link(encoded):
    """Decoded by a browser or a server, a control character can split a header or hide where
    a path leads: a site path with one encoded in it, once or twice, is shown as text."""
    html = render_markdown(f"[Our policies](/trusts/{encoded}northshire/)")
    assert "<a " not in html
    assert "Our policies" in html
