"""Markup rules every induction page keeps, with and without errors: no inline script or style
(the CSP forbids them), unique ids, one h1 and headings that never skip a level."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse


class PageChecker(HTMLParser):
    """Collects what the markup rules are about: ids, headings, scripts and style attributes."""

    def __init__(self):
        super().__init__()
        self.ids, self.headings, self.inline_scripts, self.styled = [], [], 0, []
        self.repeated_attributes = []
        # Depth of <div>s inside the trust's pack body, or None outside it. The body's own
        # heading levels come from the trust's Markdown and are checked with the renderer.
        self.body_depth = None

    def handle_endtag(self, tag):
        if tag == "div" and self.body_depth is not None:
            self.body_depth -= 1
            if self.body_depth == 0:
                self.body_depth = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if len(attributes) != len(attrs):
            self.repeated_attributes.append(tag)
        if tag == "div" and self.body_depth is not None:
            self.body_depth += 1
        elif tag == "div" and "app-pack-body" in (attributes.get("class") or "").split():
            self.body_depth = 1
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if "style" in attributes:
            self.styled.append(tag)
        if tag == "script" and "src" not in attributes:
            self.inline_scripts += 1
        if re.fullmatch(r"h[1-6]", tag) and self.body_depth is None:
            self.headings.append(int(tag[1]))


def check_markup(html):
    checker = PageChecker()
    checker.feed(html)
    duplicates = {i for i in checker.ids if checker.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert not checker.repeated_attributes, f"repeated attributes: {checker.repeated_attributes}"
    assert checker.inline_scripts == 0, "inline <script> breaks the CSP"
    assert not checker.styled, f"style= attributes break the CSP: {checker.styled}"
    assert checker.headings.count(1) == 1, "one h1 per page"
    first_h1 = checker.headings.index(1)
    # The only headings before the h1 are the visually hidden or summary ones NHS.UK puts there
    # (error summary, header), which are level 2.
    assert all(level == 2 for level in checker.headings[:first_h1])
    after_h1 = checker.headings[first_h1:]
    for previous, level in zip(after_h1, after_h1[1:], strict=False):
        assert level <= previous + 1, f"heading jumps from h{previous} to h{level}"


def _site_pages(pack):
    section_ids = {s.kind: s.pk for s in pack.sections.all()}
    slug = pack.trust.slug
    pages = [
        reverse("home"),
        reverse("accessibility"),
        reverse("login"),
        reverse("induction:trust_list"),
        reverse("induction:pack_read", kwargs={"slug": slug}),
        reverse("induction:version_read", kwargs={"slug": slug, "number": 1}),
        reverse("induction:pack_edit", kwargs={"slug": slug}),
        reverse("induction:draft_preview", kwargs={"slug": slug}),
        reverse("induction:pack_settings", kwargs={"slug": slug}),
        reverse("induction:section_add", kwargs={"slug": slug}),
        reverse("induction:publish", kwargs={"slug": slug}),
        reverse("induction:history", kwargs={"slug": slug}),
        reverse("induction:compare", kwargs={"slug": slug}) + "?from=1&to=2",
        reverse("induction:version_restore", kwargs={"slug": slug, "number": 1}),
        reverse("induction:audit", kwargs={"slug": slug}),
    ]
    for section_id in section_ids.values():
        pages.append(
            reverse("induction:section_edit", kwargs={"slug": slug, "section_id": section_id})
        )
        pages.append(
            reverse("induction:section_remove", kwargs={"slug": slug, "section_id": section_id})
        )
    return pages


@pytest.fixture
def site_with_history(pack, editor_approver):
    pack.publish(user=editor_approver, change_summary="First version")
    section = pack.sections.filter(kind="markdown").first()
    section.body += "\n\nA local addition."
    section.save()
    pack.publish(user=editor_approver, change_summary="A local addition")
    return pack


def test_every_page_keeps_the_markup_rules(client, site_with_history, editor_approver):
    client.force_login(editor_approver)
    for url in _site_pages(site_with_history):
        response = client.get(url)
        assert response.status_code == 200, url
        try:
            check_markup(response.content.decode())
        except AssertionError as problem:
            raise AssertionError(f"{url}: {problem}") from None


def test_pages_with_errors_keep_the_markup_rules(client, pack, editor_approver):
    client.force_login(editor_approver)
    slug = pack.trust.slug
    for name, data in [
        ("section_add", {"title": ""}),
        ("pack_settings", {"review_interval_months": "x"}),
        ("publish", {"change_summary": "x" * 1001}),
    ]:
        url = reverse(f"induction:{name}", kwargs={"slug": slug})
        html = client.post(url, data).content.decode()
        assert "nhsuk-error-summary" in html, url
        assert "<title>Error: " in html, url
        check_markup(html)
    client.logout()
    check_markup(client.post(reverse("login"), {"username": "x"}).content.decode())
