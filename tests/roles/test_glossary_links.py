"""The glossary_links filter: escape plain text first, then link known acronyms once."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from roles.glossary import Glossary
from roles.models import GlossaryTerm
from roles.templatetags.roles_explainer import glossary_links

GLOSSARY = Glossary(
    {"NED": "Non-executive director", "MD": "Medical Director", "GMC": "General Medical Council"},
    "/roles/glossary/",
)
NED_LINK = (
    '<a href="/roles/glossary/#term-ned"><abbr title="Non-executive director">NED</abbr></a>'
)


def test_an_acronym_becomes_a_link_to_its_glossary_entry():
    assert glossary_links("Ask the NED.", GLOSSARY) == f"Ask the {NED_LINK}."


def test_only_the_first_use_of_each_acronym_in_a_block_is_linked():
    html = glossary_links("NED then NED again, and the MD", GLOSSARY)
    assert html.count("<abbr") == 2
    assert html.endswith('<abbr title="Medical Director">MD</abbr></a>')
    assert "NED again" in html


def test_acronyms_match_whole_words_only():
    html = glossary_links("NEDDY, MDX, xGMC and gmc are not acronyms", GLOSSARY)
    assert "<a" not in html


def test_a_plural_s_is_kept_inside_the_link():
    html = glossary_links("Most NEDs agree.", GLOSSARY)
    assert 'title="Non-executive director">NED</abbr>s</a> agree.' in html


def test_hostile_text_is_escaped_before_acronyms_are_linked():
    hostile = '<script>alert("NED")</script><img src=x onerror=alert(1)> & NED'
    html = glossary_links(hostile, GLOSSARY)
    assert "<script>" not in html
    assert "<img" not in html
    assert html.startswith("&lt;script&gt;alert(&quot;")
    assert "&amp; " in html
    assert html.count("<a ") == 1


def test_acronyms_are_never_found_inside_escaped_characters():
    glossary = Glossary({"amp": "Ampersand", "quot": "Quote"}, "/roles/glossary/")
    assert glossary_links('Fish & "chips"', glossary) == "Fish &amp; &quot;chips&quot;"


def test_markup_already_marked_safe_is_still_escaped():
    from django.utils.safestring import mark_safe

    assert glossary_links(mark_safe("<b>NED</b>"), GLOSSARY).startswith("&lt;b&gt;")


def test_without_a_glossary_the_text_is_only_escaped():
    assert glossary_links("<i>NED</i>", None) == "&lt;i&gt;NED&lt;/i&gt;"
    assert glossary_links(None, GLOSSARY) == ""


def test_expansions_are_escaped_in_the_title_attribute():
    glossary = Glossary({"XSS": '"><script>'}, "/roles/glossary/")
    html = glossary_links("XSS", glossary)
    assert 'title="&quot;&gt;&lt;script&gt;"' in html


def test_the_filter_works_in_a_template_with_the_glossary_from_the_context():
    template = Template("{% load roles_explainer %}{{ text|glossary_links:glossary }}")
    html = template.render(Context({"text": "The NED <asks>", "glossary": GLOSSARY}))
    assert html == f"The {NED_LINK} &lt;asks&gt;"


@pytest.mark.django_db
def test_the_glossary_is_loaded_once_per_request(django_assert_num_queries):
    GlossaryTerm.objects.create(abbreviation="NED", term="Non-executive director", definition=".")
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        first = Glossary.for_request(request)
        second = Glossary.for_request(request)
        for _ in range(20):
            glossary_links("NED", second)
    assert first is second
    assert first.expansions == {"NED": "Non-executive director"}
