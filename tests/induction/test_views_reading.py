"""Reading a trust's pack: the newest version, older versions, visibility and query budgets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from induction.baseline import create_pack_from_baseline
from induction.models import InductionPack, PackVersion

from .ui_helpers import make_version, page


@pytest.fixture
def public_pack(pack):
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save()
    return pack


def test_newest_version_names_trust_version_dates_and_links_the_pdf(client, public_pack):
    make_version(public_pack, 1)
    newest = make_version(
        public_pack, 2, change_summary="New chief executive", pdf_status=PackVersion.PdfStatus.READY
    )
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert public_pack.trust.name in html
    assert "Version 2" in html
    assert newest.published_at.strftime("%-d %B %Y") in html
    assert newest.next_review_date.strftime("%-d %B %Y") in html
    assert "New chief executive" in html
    assert f'<a href="{page("version_pdf", public_pack, number=2)}">' in html
    assert "Download this pack as a PDF (version 2)" in html


def test_reading_page_has_contents_list_linking_each_section(client, public_pack):
    make_version(public_pack, 1, sections=3)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert 'class="nhsuk-contents-list' in html
    for index in (1, 2, 3):
        assert f'href="#section-{index}">Section {index} of version 1</a>' in html
        assert f'id="section-{index}"' in html


def test_reading_page_links_older_versions_and_history(client, public_pack):
    for number in (1, 2, 3):
        make_version(public_pack, number)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert f'href="{page("version_read", public_pack, number=1)}"' in html
    assert f'href="{page("version_read", public_pack, number=2)}"' in html
    assert f'href="{page("history", public_pack)}"' in html


def test_older_version_stays_readable_and_points_to_the_newest(client, public_pack):
    make_version(public_pack, 1)
    make_version(public_pack, 2)
    html = client.get(page("version_read", public_pack, number=1)).content.decode()
    assert "Text of section 1 in version 1." in html
    assert "This is an earlier version of the pack" in html
    assert "Read the newest version (version 2)" in html


def test_overdue_review_shows_a_warning_callout(client, public_pack):
    make_version(public_pack, 1, next_review_date=timezone.localdate() - datetime.timedelta(days=1))
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert "nhsuk-card--warning" in html
    assert "This pack is overdue for review" in html


def test_review_not_yet_due_shows_no_warning(client, public_pack):
    make_version(public_pack, 1, next_review_date=timezone.localdate() + datetime.timedelta(days=1))
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert "overdue for review" not in html


def test_page_chrome_is_marked_to_stay_off_the_printout(client, public_pack):
    make_version(public_pack, 1, pdf_status=PackVersion.PdfStatus.READY)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert "css/induction.css" in html
    assert 'class="nhsuk-contents-list app-no-print"' in html
    assert '<p class="app-no-print"><a href="/trusts/' in html


def test_unpublished_pack_says_so_and_offers_editors_the_editor(client, public_pack, editor):
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert "has not published this induction pack yet" in html
    assert page("pack_edit", public_pack) not in html
    client.force_login(editor)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert f'href="{page("pack_edit", public_pack)}"' in html


def test_members_only_pack_sends_anonymous_readers_to_sign_in(client, pack):
    make_version(pack, 1)
    url = page("pack_read", pack)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_members_only_pack_is_a_404_for_another_trust(client, pack, outsider):
    make_version(pack, 1)
    client.force_login(outsider)
    assert client.get(page("pack_read", pack)).status_code == 404
    assert client.get(page("version_read", pack, number=1)).status_code == 404


def test_members_only_pack_is_readable_by_its_readers(client, pack, reader):
    make_version(pack, 1)
    client.force_login(reader)
    assert client.get(page("pack_read", pack)).status_code == 200


def test_unknown_trust_and_unknown_version_are_404(client, public_pack, reader):
    make_version(public_pack, 1)
    assert client.get(page("version_read", public_pack, number=9)).status_code == 404
    client.force_login(reader)
    assert client.get("/trusts/nowhere/induction/").status_code == 404


def test_an_outsider_cannot_tell_a_members_only_trust_from_one_that_does_not_exist(
    client, pack, reader
):
    make_version(pack, 1)
    members_only = client.get(page("pack_read", pack))
    unknown = client.get("/trusts/nowhere/induction/")
    assert members_only.status_code == unknown.status_code == 302
    assert members_only["Location"].split("?")[0] == unknown["Location"].split("?")[0]
    client.force_login(reader.__class__.objects.create_user("someone-elsewhere"))
    assert client.get(page("pack_read", pack)).status_code == 404
    assert client.get("/trusts/nowhere/induction/").status_code == 404


def test_trust_list_shows_only_packs_the_user_can_read(client, pack, other_pack, reader):
    other_pack.visibility = InductionPack.Visibility.PUBLIC
    other_pack.save()
    html = client.get("/trusts/").content.decode()
    assert other_pack.trust.name in html
    assert pack.trust.name not in html
    client.force_login(reader)
    html = client.get("/trusts/").content.decode()
    assert pack.trust.name in html and other_pack.trust.name in html


def test_trust_list_offers_editors_the_editor(client, pack, editor):
    client.force_login(editor)
    html = client.get("/trusts/").content.decode()
    assert f'href="{page("pack_edit", pack)}"' in html


def test_reading_views_refuse_post(client, public_pack):
    make_version(public_pack, 1)
    assert client.post(page("pack_read", public_pack)).status_code == 405
    assert client.post(page("version_read", public_pack, number=1)).status_code == 405


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_reading_query_count_does_not_grow_with_sections_or_versions(
    client, national, trust, other_trust, make_user, who, django_assert_max_num_queries
):
    small = create_pack_from_baseline(trust=trust)
    large = create_pack_from_baseline(trust=other_trust)
    for target in (small, large):
        target.visibility = InductionPack.Visibility.PUBLIC
        target.save()
    make_version(small, 1, sections=3)
    for number in range(1, 11):
        make_version(large, number, sections=30)
    if who == "reader":
        user = make_user("member-of-both")
        for target in (small, large):
            target.trust.memberships.create(user=user, role="reader")
        client.force_login(user)
    with django_assert_max_num_queries(8):
        small_count = _queries(client, page("pack_read", small))
    large_count = _queries(client, page("pack_read", large))
    assert large_count == small_count
    assert _queries(client, page("version_read", large, number=3)) == small_count


def test_trust_list_query_count_does_not_grow_with_packs(
    client, national, trust, other_trust, django_assert_max_num_queries
):
    first = create_pack_from_baseline(trust=trust)
    first.visibility = InductionPack.Visibility.PUBLIC
    first.save()
    make_version(first, 1)
    one = _queries(client, "/trusts/")
    second = create_pack_from_baseline(trust=other_trust)
    second.visibility = InductionPack.Visibility.PUBLIC
    second.save()
    for number in (1, 2, 3):
        make_version(second, number)
    with django_assert_max_num_queries(6):
        assert _queries(client, "/trusts/") == one


def test_while_the_pdf_is_being_prepared_the_page_says_so_instead_of_linking(client, public_pack):
    make_version(public_pack, 1)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert "The PDF of version 1 is being prepared" in html
    assert page("version_pdf", public_pack, number=1) not in html


def test_a_failed_pdf_is_explained_to_editors_and_never_breaks_the_page(
    client, public_pack, editor, reader
):
    make_version(
        public_pack,
        1,
        pdf_status=PackVersion.PdfStatus.FAILED,
        pdf_error="The handbook would be longer than 400 pages.",
    )
    client.force_login(reader)
    response = client.get(page("pack_read", public_pack))
    html = response.content.decode()
    assert response.status_code == 200
    assert "could not be produced" in html
    assert "longer than 400 pages" not in html
    assert "Text of section 1 in version 1." in html
    client.force_login(editor)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert "longer than 400 pages" in html


def test_anonymous_visitors_see_no_edit_links_on_the_trust_list(client, public_pack, other_pack):
    other_pack.visibility = InductionPack.Visibility.PUBLIC
    other_pack.save()
    html = client.get("/trusts/").content.decode()
    assert public_pack.trust.name in html and other_pack.trust.name in html
    assert "Edit the pack" not in html
    assert "/induction/edit/" not in html


def test_the_trust_list_offers_the_editor_only_for_the_editor_s_own_pack(
    client, public_pack, other_pack, editor
):
    other_pack.visibility = InductionPack.Visibility.PUBLIC
    other_pack.save()
    client.force_login(editor)
    html = client.get("/trusts/").content.decode()
    assert f'href="{page("pack_edit", public_pack)}"' in html
    assert page("pack_edit", other_pack) not in html


def test_an_unpublished_pack_offers_the_editor_to_editors_not_approvers(
    client, public_pack, approver
):
    client.force_login(approver)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert "has not published this induction pack yet" in html
    assert page("pack_edit", public_pack) not in html
