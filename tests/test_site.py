"""Site-wide pages and promises: home, accessibility statement, error pages, security headers.

The markup rules every page keeps (no inline script or style, unique ids, headings in order)
are checked over all the induction pages in tests/induction/test_views_markup.py.
"""

from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from induction.models import InductionPack, Membership, Trust
from mdportal.views import permission_denied, server_error
from roles.models import Role


@pytest.fixture
def role(db):
    return Role.objects.get_or_create(
        slug="medical-director", defaults={"name": "Medical Director", "summary": "A role."}
    )[0]


def make_pack(role, slug, ods_code, visibility):
    trust = Trust.objects.create(
        name=f"{slug.title()} NHS Trust", slug=slug, ods_code=ods_code, kind="acute"
    )
    return InductionPack.objects.create(
        trust=trust, board_role=role, title="Medical Director induction pack", visibility=visibility
    )


@pytest.fixture
def pack(role):
    return make_pack(role, "membershire", "RM1", InductionPack.Visibility.MEMBERS)


@pytest.fixture
def other_pack(role):
    return make_pack(role, "publicshire", "RP1", InductionPack.Visibility.PUBLIC)


@pytest.fixture
def reader(pack, django_user_model):
    user = django_user_model.objects.create_user("reader", password="password")
    Membership.objects.create(user=user, trust=pack.trust, role=Membership.Role.READER)
    return user


def test_home_page_lists_packs_the_visitor_can_read(client, pack, other_pack, reader):
    html = client.get(reverse("home")).content.decode()
    assert other_pack.trust.name in html
    assert pack.trust.name not in html
    client.force_login(reader)
    html = client.get(reverse("home")).content.decode()
    assert pack.trust.name in html


def test_home_page_keeps_to_a_query_budget(client, pack, reader, django_assert_max_num_queries):
    client.force_login(reader)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("home")).status_code == 200


def test_accessibility_statement(client, db):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "WCAG" in response.content.decode()


def test_unknown_address_gets_the_nhs_styled_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_the_database(db):
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert b"<html" in response.content


def test_security_headers_are_sent(client, db):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_a_form_too_large_to_read_gets_an_nhs_page_saying_nothing_was_saved(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.post("/accounts/login/", {"username": "x" * 5_000, "password": "y"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "What you sent was too large" in html
    assert "Nothing has been saved" in html
    assert "nhsuk-header" in html


def test_a_form_without_a_valid_security_token_gets_an_nhs_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "someone", "password": "secret"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your page had expired" in html
    assert "Nothing has been saved" in html
    assert "nhsuk-header" in html


def test_a_refusal_outside_the_trust_pages_gets_an_nhs_page(rf, django_user_model):
    request = rf.get("/somewhere/")
    request.user = django_user_model(username="someone")
    response = permission_denied(request, exception=None)
    html = response.content.decode()
    assert response.status_code == 403
    assert "You cannot do this" in html


def test_the_nhs_pagination_component_is_written_once_and_included_everywhere():
    root = Path(__file__).resolve().parent.parent
    written = [
        path.relative_to(root).as_posix()
        for path in (root / "templates").rglob("*.html")
        if "nhsuk-pagination__list" in path.read_text(encoding="utf-8")
    ]
    assert written == ["templates/includes/pagination.html"]
