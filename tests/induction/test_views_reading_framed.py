"""A pack's reading pages for signed-in readers: made once per version and page, kept, and
shown to each reader with their own account links, messages and status panel put in."""

import pytest
from django.test import Client
from django.urls import reverse

from induction.models import Membership
from tests.induction.conftest import edit_draft

NAMES = {"reader": ("Priya", "Raman"), "second": ("Tom", "Okafor")}


def first_page(pack):
    return reverse("induction:pack_read", kwargs={"slug": pack.trust.slug})


def section_page(pack, position=2):
    return reverse("induction:pack_section", kwargs={"slug": pack.trust.slug, "position": position})


def acknowledge(pack):
    return reverse("journey:acknowledge", kwargs={"slug": pack.trust.slug})


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def readers(make_user, trust):
    made = {}
    for name, (first, last) in NAMES.items():
        made[name] = make_user(
            f"{name}-md",
            trust=trust,
            roles=[Membership.Role.READER],
            first_name=first,
            last_name=last,
        )
    return made


def made_from_page_templates(response):
    return [t.name for t in response.templates if t.name and t.name.startswith("induction/")]


def page_without_frame(html):
    """The page outside the parts each reader gets their own of."""
    for name in ("account", "messages", "status"):
        opening, closing = f"<!--{name}-->", f"<!--/{name}-->"
        if opening in html:
            start, end = html.index(opening), html.index(closing)
            html = html[:start] + html[end:]
    return html


def test_the_second_reader_gets_the_kept_page_with_their_own_name_and_status(published, readers):
    first = signed_in(readers["reader"])
    first.post(acknowledge(published.pack), {"version": published.number})
    first_html = first.get(first_page(published.pack)).content.decode()
    assert "Priya Raman" in first_html
    assert "You said you have read version 1" in first_html

    second_response = signed_in(readers["second"]).get(first_page(published.pack))
    second_html = second_response.content.decode()
    # Put together from the kept page: only the frame's templates are rendered.
    assert not made_from_page_templates(second_response)
    assert "Tom Okafor" in second_html and "Priya Raman" not in second_html
    assert "You said you have read" not in second_html
    assert "I have read version 1" in second_html
    assert page_without_frame(second_html) == page_without_frame(first_html)


def test_a_kept_page_costs_no_version_text_and_no_templates(
    published, readers, django_assert_max_num_queries
):
    signed_in(readers["reader"]).get(section_page(published.pack))
    client = signed_in(readers["second"])
    # The user, the pack, its newest version (without its text) and the reader's roles.
    with django_assert_max_num_queries(4) as queries:
        response = client.get(section_page(published.pack))
    assert response.status_code == 200
    assert not made_from_page_templates(response)
    assert all('"rendered_html"' not in query["sql"] for query in queries.captured_queries)


def test_each_reader_s_form_carries_their_own_form_secret_and_works(published, readers):
    signed_in(readers["reader"]).get(first_page(published.pack))
    second = Client(enforce_csrf_checks=True)
    second.force_login(readers["second"])
    html = second.get(first_page(published.pack)).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 2)[2].split('"')[0]
    response = second.post(
        acknowledge(published.pack), {"version": published.number, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert (
        "You said you have read version 1"
        in second.get(first_page(published.pack)).content.decode()
    )


def test_an_editor_never_gets_the_page_kept_for_readers_nor_a_reader_the_editor_s(
    published, readers, editor_approver
):
    edit_link = reverse("induction:pack_edit", kwargs={"slug": published.pack.trust.slug})
    assert (
        edit_link
        not in signed_in(readers["reader"]).get(first_page(published.pack)).content.decode()
    )
    assert edit_link in signed_in(editor_approver).get(first_page(published.pack)).content.decode()
    assert (
        edit_link
        not in signed_in(readers["second"]).get(first_page(published.pack)).content.decode()
    )


def test_a_signed_in_reader_s_messages_appear_on_a_kept_page_once(published, readers):
    signed_in(readers["reader"]).get(first_page(published.pack))
    client = signed_in(readers["second"])
    response = client.post(acknowledge(published.pack), {"version": published.number})
    html = client.get(response["Location"]).content.decode()
    messages = html.split("<!--messages-->")[1].split("<!--/messages-->")[0]
    assert messages.strip()
    again = client.get(response["Location"]).content.decode()
    assert again.split("<!--messages-->")[1].split("<!--/messages-->")[0].strip() == ""


def test_a_publication_makes_the_kept_page_unreachable(published, readers, editor_approver):
    client = signed_in(readers["reader"])
    assert "version 1" in client.get(first_page(published.pack)).content.decode()
    edit_draft(published.pack, editor_approver, text="A paragraph new in version two.")
    published.pack.publish(user=editor_approver, change_summary="Second version")
    html = signed_in(readers["second"]).get(first_page(published.pack)).content.decode()
    assert "A paragraph new in version two." in html


def test_a_reader_removed_from_the_trust_no_longer_gets_the_kept_page(published, readers):
    signed_in(readers["reader"]).get(first_page(published.pack))
    Membership.objects.filter(user=readers["second"]).delete()
    response = signed_in(readers["second"]).get(first_page(published.pack))
    assert response.status_code == 404


# Outside the test's own transaction (committed, as in production), the reader's roles and the
# pack's newest version come from the cache (induction/models.py, induction/views/reading.py).


@pytest.mark.django_db(transaction=True)
def test_once_kept_a_member_s_next_page_costs_their_account_and_the_pack_only(
    published, readers, django_assert_num_queries
):
    signed_in(readers["reader"]).get(section_page(published.pack))
    client = signed_in(readers["second"])
    client.get(section_page(published.pack, 3))
    with django_assert_num_queries(2) as queries:
        response = client.get(section_page(published.pack))
    assert response.status_code == 200
    reads = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in queries.captured_queries]
    assert reads == ['"auth_user"', '"induction_inductionpack"']


@pytest.mark.django_db(transaction=True)
def test_a_member_whose_newest_version_was_kept_reads_the_next_publication_at_once(
    published, readers, editor_approver
):
    client = signed_in(readers["reader"])
    assert "version 1" in client.get(first_page(published.pack)).content.decode()
    edit_draft(published.pack, editor_approver, text="A paragraph new in version two.")
    published.pack.publish(user=editor_approver, change_summary="Second version")
    html = client.get(section_page(published.pack, 1), follow=True).content.decode()
    assert "A paragraph new in version two." in html
    assert "version 2" in html


@pytest.mark.django_db(transaction=True)
def test_once_kept_a_member_s_first_page_and_reading_panel_cost_two_queries(
    published, readers, django_assert_num_queries
):
    client = signed_in(readers["reader"])
    client.get(first_page(published.pack))
    with django_assert_num_queries(2):
        html = client.get(first_page(published.pack)).content.decode()
    assert "I have read version 1" in html


@pytest.mark.django_db(transaction=True)
def test_a_kept_reading_panel_changes_as_soon_as_the_member_acknowledges(published, readers):
    client = signed_in(readers["reader"])
    assert "I have read version 1" in client.get(first_page(published.pack)).content.decode()
    client.post(acknowledge(published.pack), {"version": published.number})
    html = client.get(first_page(published.pack)).content.decode()
    assert "You said you have read version 1" in html
    assert "I have read version 1" not in html


@pytest.mark.django_db(transaction=True)
def test_a_kept_reading_panel_changes_when_the_member_s_roles_do(published, readers, trust):
    dashboard = reverse("journey:dashboard", kwargs={"slug": trust.slug})
    client = signed_in(readers["reader"])
    assert dashboard not in client.get(first_page(published.pack)).content.decode()
    Membership.objects.create(user=readers["reader"], trust=trust, role=Membership.Role.APPROVER)
    client = signed_in(readers["reader"])  # approvers are asked for a second factor otherwise
    assert dashboard in client.get(first_page(published.pack)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_each_session_s_kept_panel_carries_its_own_working_form_secret(published, readers):
    sessions = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(readers["reader"])
        html = client.get(first_page(published.pack)).content.decode()
        panel = html.split("<!--status-->")[1].split("<!--/status-->")[0]
        token = panel.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        sessions.append((client, token))
    (first, first_token), (second, second_token) = sessions
    assert first_token != second_token
    assert "stand-in" not in first_token
    answer = second.post(
        acknowledge(published.pack),
        {"version": published.number, "csrfmiddlewaretoken": second_token},
    )
    assert answer.status_code == 302


def test_a_kept_page_in_a_reader_s_frame_has_its_own_etag_and_answers_304(published, readers):
    signed_in(readers["reader"]).get(section_page(published.pack))
    client = signed_in(readers["second"])
    first = client.get(section_page(published.pack))
    assert not made_from_page_templates(first)
    other = signed_in(readers["reader"]).get(section_page(published.pack))
    assert first["ETag"] != other["ETag"]  # each reader's own name is in their page
    again = client.get(section_page(published.pack), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    readers["second"].first_name = "Thomas"
    readers["second"].save()
    renamed = client.get(section_page(published.pack), headers={"If-None-Match": first["ETag"]})
    assert renamed.status_code == 200 and "Thomas Okafor" in renamed.content.decode()
