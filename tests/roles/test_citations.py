"""Citation lines: "Source: GGI paper 4.1.2; NHS Confederation 2009, p2", each part a link."""

import pytest
from django.template import Context, Template

from roles.citing import citation_parts
from roles.models import Citation, Responsibility
from roles.queries import cited

from .conftest import cite, make_source


@pytest.fixture
def responsibility(explainer):
    return cited(Responsibility.objects.filter(pk=explainer.responsibilities[0].pk)).get()


def test_paper_paragraphs_come_first_then_each_source_with_its_page(explainer, responsibility):
    parts = citation_parts(responsibility.citations.all())
    assert [p.label for p in parts] == ["GGI paper 4.1.2", "NHS Confederation 2009, p2"]
    # Each part links to the paragraph or page it names on the source's page, not its top.
    assert parts[0].url == "/roles/sources/ggi-2017/#paragraph-4-1-2"
    assert parts[0].paragraphs == (("4.1.2", "/roles/sources/ggi-2017/#paragraph-4-1-2"),)
    assert parts[1].url == "/roles/sources/nhs-confederation-2009/#page-p2"


def test_repeated_paragraphs_and_sources_are_listed_once(explainer, responsibility):
    cite(responsibility, explainer.confed, "4.1.2", "p2")
    cite(responsibility, explainer.monitor, "4.1.1", "p4")
    statement = cited(Responsibility.objects.filter(pk=responsibility.pk)).get()
    parts = citation_parts(statement.citations.all())
    assert [p.label for p in parts] == [
        "GGI paper 4.1.2, 4.1.1",
        "NHS Confederation 2009, p2",
        "Monitor 2014, p4",
    ]
    assert [url for _, url in parts[0].paragraphs] == [
        "/roles/sources/ggi-2017/#paragraph-4-1-2",
        "/roles/sources/ggi-2017/#paragraph-4-1-1",
    ]


@pytest.mark.django_db
def test_paper_paragraphs_link_to_the_given_paper_when_not_cited_directly():
    paper = make_source("paper", authors="GGI", year=2017, is_primary=True)
    other = make_source("other", authors="Other", year=2001)
    citation = Citation(source=other, paragraph="5.1.0", locator="p11")
    parts = citation_parts([citation], primary=paper)
    assert parts[0].url == "/roles/sources/paper/#paragraph-5-1-0"
    assert parts[1].label == "Other 2001, p11"
    assert parts[1].url == "/roles/sources/other/#page-p11"
    # With no paper to link to, the paragraph links to the list of sources.
    without_paper = citation_parts([citation])
    assert without_paper[0].url == "/roles/sources/"


def test_the_citations_tag_renders_one_linked_line(explainer, responsibility):
    html = Template("{% load roles_explainer %}{% citations statement %}").render(
        Context({"statement": responsibility})
    )
    assert html.strip() == (
        '<p class="app-citations nhsuk-body-s nhsuk-u-secondary-text-colour">Sources: '
        'GGI paper <a href="/roles/sources/ggi-2017/#paragraph-4-1-2">4.1.2</a>; '
        '<a href="/roles/sources/nhs-confederation-2009/#page-p2">NHS Confederation 2009, p2</a>'
        "</p>"
    )


def test_the_citations_tag_runs_no_query_once_citations_are_prefetched(
    explainer, responsibility, django_assert_num_queries
):
    template = Template("{% load roles_explainer %}{% citations statement %}")
    with django_assert_num_queries(0):
        template.render(Context({"statement": responsibility}))


def test_a_statement_without_citations_renders_nothing(explainer):
    role = cited(type(explainer.ceo).objects.filter(pk=explainer.ceo.pk)).get()
    html = Template("{% load roles_explainer %}{% citations statement %}").render(
        Context({"statement": role})
    )
    assert html.strip() == ""


def test_source_names_are_escaped_in_the_citation_line(explainer, responsibility):
    explainer.confed.authors = "<script>Evil</script>"
    explainer.confed.save()
    statement = cited(Responsibility.objects.filter(pk=responsibility.pk)).get()
    html = Template("{% load roles_explainer %}{% citations statement %}").render(
        Context({"statement": statement})
    )
    assert "<script>" not in html
    assert "&lt;script&gt;Evil&lt;/script&gt; 2009, p2" in html


@pytest.mark.django_db
def test_a_citation_reads_the_same_in_the_admin_as_in_packs_and_the_explainer():
    """One format: "GGI paper 4.1.2", never "GGI 4.1.2" in one place and "GGI paper" in another."""
    paper = make_source("paper", authors="GGI", year=2017, is_primary=True)
    other = make_source("other", authors="Monitor", year=2014)
    underlying = Citation(source=other, paragraph="4.1.2", locator="p3")
    direct = Citation(source=paper, paragraph="6.2.3")
    assert str(underlying) == "; ".join(part.label for part in citation_parts([underlying]))
    assert str(underlying) == "GGI paper 4.1.2; Monitor 2014, p3"
    assert str(direct) == "GGI paper 6.2.3"
