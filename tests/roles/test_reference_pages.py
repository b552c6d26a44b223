"""The explainer renders the real reference data (fixtures/roles.json) completely.

The other tests build their own small data; these check the shipped fixture reads well:
every statement of each kind appears on its page, and the query budgets still hold.
"""

import re

import pytest
from django.core.management import call_command

from roles.evidence import PARTS, finding_url
from roles.models import (
    BoardQuestion,
    Finding,
    GlossaryTerm,
    GoodPractice,
    Relationship,
    Responsibility,
    Role,
    Source,
)

from .conftest import page_structure
from .test_query_budgets import BUDGETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data(db):
    call_command("loaddata", "roles", verbosity=0)


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    structure = page_structure(response)
    assert len(structure.ids) == len(set(structure.ids)), f"duplicate ids on {url}"
    assert structure.style_attributes == 0 and structure.inline_scripts == 0
    return response.content.decode()


def test_every_role_and_source_page_renders(client, reference_data):
    for role in Role.objects.all():
        get_html(client, role.get_absolute_url())
    for source in Source.objects.all():
        get_html(client, source.get_absolute_url())


def test_md_page_shows_all_responsibilities_and_its_diagram(client, reference_data):
    html = get_html(client, "/roles/medical-director/")
    md_responsibilities = Responsibility.objects.filter(role__slug="medical-director")
    assert md_responsibilities.filter(kind="core").count() == 6
    assert md_responsibilities.filter(kind="delegated").count() == 5
    for responsibility in md_responsibilities:
        assert f'id="responsibility-{responsibility.slug}"' in html
    assert 'role="img"' in html and "<desc id=" in html


def test_md_relationships_page_shows_every_relationship_and_point(client, reference_data):
    html = get_html(client, "/roles/medical-director/working-with-others/")
    for relationship in Relationship.objects.filter(role__slug="medical-director"):
        assert f'id="relationship-{relationship.other_role.slug}"' in html
    assert GoodPractice.objects.filter(relationship__role__slug="medical-director").exists()


def test_every_finding_is_shown_on_a_page_of_the_guide(client, reference_data):
    pages = {
        url: get_html(client, url)
        for url in ["/roles/medical-director/evidence/"] + [p.get_absolute_url() for p in PARTS]
    }
    for finding in Finding.objects.all():
        page, anchor = finding_url(finding).split("#")
        assert f'id="{anchor}"' in pages[page], finding.slug


def test_ned_page_shows_misreadings_good_practice_and_every_question(client, reference_data):
    html = get_html(client, "/roles/for-non-executive-directors/")
    for slug in Finding.objects.filter(kind="ned_misreading").values_list("slug", flat=True):
        assert f'id="finding-{slug}"' in html
    assert '<ul class="nhsuk-list nhsuk-list--tick" role="list">' in html
    for question in BoardQuestion.objects.all():
        assert f'id="question-{question.pk}"' in html


def test_sources_and_glossary_pages_list_everything(client, reference_data):
    sources = get_html(client, "/roles/sources/")
    for key in Source.objects.values_list("key", flat=True):
        assert f'id="source-{key}"' in sources
    glossary = get_html(client, "/roles/glossary/")
    for term in GlossaryTerm.objects.all():
        assert f'id="{term.anchor}"' in glossary


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        *(
            (url, BUDGETS[url])
            for url in (
                "/roles/medical-director/",
                "/roles/medical-director/working-with-others/",
                "/roles/medical-director/evidence/",
                "/roles/for-non-executive-directors/",
                "/roles/sources/",
                "/roles/sources/ggi-2017/",
                "/roles/glossary/",
                "/roles/changes-since-2017/",
            )
        ),
        # Every part of the evidence is built the same way as the first.
        *((part.get_absolute_url(), BUDGETS[PARTS[0].get_absolute_url()]) for part in PARTS),
    ],
)
def test_query_budgets_hold_with_the_full_paper(
    client, reference_data, django_assert_max_num_queries, url, budget
):
    client.get(url)  # warm the content-type cache the generic relations use
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_in_page_links_between_guide_pages_land_on_an_anchor(client, reference_data):
    html = get_html(client, "/roles/medical-director/")
    targets = set(re.findall(r'href="(/roles/medical-director/[^"#]*)#([^"]+)"', html))
    assert targets
    for page, anchor in targets:
        assert f'id="{anchor}"' in get_html(client, page), f"{page}#{anchor}"
