"""The admin can list and edit every role model, with citations inline on cited ones."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from roles.models import (
    BoardQuestion,
    Citation,
    Finding,
    GlossaryTerm,
    GoodPractice,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)

pytestmark = pytest.mark.django_db

CITED_MODELS = [
    Role,
    Responsibility,
    ReportingLine,
    Relationship,
    GoodPractice,
    Finding,
    BoardQuestion,
    GlossaryTerm,
]
ALL_MODELS = [*CITED_MODELS, Source, Citation]


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("platform", "p@example.org", "pw-unused-1")
    client.force_login(user)
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:roles_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_every_role_model_has_a_working_list_and_search(staff_client, explainer, model):
    response = staff_client.get(admin_url(model, "changelist"), {"q": "a"})
    assert response.status_code == 200
    assert staff_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda m: m.__name__)
def test_every_cited_model_edits_its_citations_inline(staff_client, explainer, model):
    item = next(row for row in model.objects.all() if row.citations.exists())
    response = staff_client.get(admin_url(model, "change", item.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "roles-citation-content_type-object_id" in html  # the generic inline's formset
    for citation in item.citations.all():
        assert f'value="{citation.paragraph}"' in html


def test_relationship_edits_its_good_practice_points_inline(staff_client, explainer):
    relationship = Relationship.objects.get(role=explainer.md, other_role=explainer.ned)
    html = staff_client.get(admin_url(Relationship, "change", relationship.pk)).content.decode()
    assert 'name="good_practice-0-text"' in html
    assert "Constructive challenge" in html


def test_a_citation_can_be_added_inline_to_a_finding(staff_client, explainer):
    finding = explainer.findings[0]
    prefix = "roles-citation-content_type-object_id"
    existing = list(finding.citations.all())
    data = {
        "kind": finding.kind,
        "slug": finding.slug,
        "title": finding.title,
        "text": finding.text,
        "provenance": finding.provenance,
        "statistic": finding.statistic,
        "quote": finding.quote,
        "order": finding.order,
        f"{prefix}-TOTAL_FORMS": len(existing) + 1,
        f"{prefix}-INITIAL_FORMS": len(existing),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, citation in enumerate(existing):
        data.update(
            {
                f"{prefix}-{index}-id": citation.pk,
                f"{prefix}-{index}-source": citation.source_id,
                f"{prefix}-{index}-paragraph": citation.paragraph,
                f"{prefix}-{index}-locator": citation.locator,
            }
        )
    new = len(existing)
    data.update(
        {
            f"{prefix}-{new}-source": explainer.confed.pk,
            f"{prefix}-{new}-paragraph": "4.1.4",
            f"{prefix}-{new}-locator": "p4",
        }
    )
    response = staff_client.post(admin_url(Finding, "change", finding.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert finding.citations.filter(source=explainer.confed, paragraph="4.1.4").exists()
