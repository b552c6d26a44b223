"""Reading a trust's pack: the newest version and older ones, page by page and on one page,
visibility and query budgets."""

import datetime
from html import unescape

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
    # The page shows the date where the trust is (Europe/London), not in UTC: a version published
    # at 23:00 UTC on a summer evening is dated the next day.
    assert timezone.localtime(newest.published_at).strftime("%-d %B %Y") in html
    assert newest.next_review_date.strftime("%-d %B %Y") in html
    assert "New chief executive" in html
    assert f'<a href="{page("version_pdf", public_pack, number=2)}">' in html
    assert "Download this pack as a PDF (version 2)" in html


def test_first_page_shows_the_first_section_and_lists_every_page(client, public_pack):
    make_version(public_pack, 1, sections=3)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert 'class="nhsuk-contents-list' in html
    assert (
        '<li class="nhsuk-contents-list__item" aria-current="page">\n'
        '          <span class="nhsuk-contents-list__current">Section 1 of version 1</span>'
    ) in html
    for index in (2, 3):
        url = page("pack_section", public_pack, position=index)
        assert f'href="{url}">Section {index} of version 1</a>' in html
    assert "Text of section 1 in version 1." in html
    assert "Text of section 2 in version 1." not in html
    assert f'href="{page("pack_section", public_pack, position=2)}" rel="next"' in html
    assert 'rel="prev"' not in html


def test_a_section_page_shows_that_section_with_previous_and_next(client, public_pack):
    make_version(public_pack, 1, sections=3)
    response = client.get(page("pack_section", public_pack, position=2))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Section 2 of version 1 – " in html
    assert "Text of section 2 in version 1." in html
    assert "Text of section 1 in version 1." not in html
    assert "Text of section 3 in version 1." not in html
    assert '<span class="nhsuk-contents-list__current">Section 2 of version 1</span>' in html
    assert f'href="{page("pack_read", public_pack)}">Section 1 of version 1</a>' in html
    assert f'href="{page("pack_read", public_pack)}" rel="prev"' in html
    assert f'href="{page("pack_section", public_pack, position=3)}" rel="next"' in html
    # The version's facts belong to its first page.
    assert "Next review" not in html


def test_the_last_section_has_no_next_page(client, public_pack):
    make_version(public_pack, 1, sections=3)
    html = client.get(page("pack_section", public_pack, position=3)).content.decode()
    assert 'rel="prev"' in html
    assert 'rel="next"' not in html


def test_the_first_section_s_own_address_leads_to_the_first_page(client, public_pack):
    make_version(public_pack, 1)
    make_version(public_pack, 2)
    response = client.get(page("pack_section", public_pack, position=1))
    assert response.status_code == 302
    assert response["Location"] == page("pack_read", public_pack)
    response = client.get(page("version_section", public_pack, number=1, position=1))
    assert response["Location"] == page("version_read", public_pack, number=1)


def test_a_section_the_version_does_not_have_is_a_404(client, public_pack):
    make_version(public_pack, 1, sections=3)
    assert client.get(page("pack_section", public_pack, position=4)).status_code == 404
    assert client.get(page("version_section", public_pack, number=1, position=9)).status_code == 404
    assert client.get(page("version_section", public_pack, number=2, position=2)).status_code == 404


def test_an_unpublished_pack_has_no_section_pages(client, public_pack):
    assert client.get(page("pack_section", public_pack, position=2)).status_code == 404
    html = client.get(page("pack_whole", public_pack)).content.decode()
    assert "has not published this induction pack yet" in html


def test_older_version_pages_stay_in_that_version(client, public_pack):
    make_version(public_pack, 1, sections=3)
    make_version(public_pack, 2, sections=3)
    html = client.get(page("version_section", public_pack, number=1, position=2)).content.decode()
    assert "Text of section 2 in version 1." in html
    assert "This is an earlier version of the pack: version 1." in html
    assert f'href="{page("version_read", public_pack, number=1)}" rel="prev"' in html
    assert f'href="{page("version_section", public_pack, number=1, position=3)}"' in html
    assert f'href="{page("version_whole", public_pack, number=1)}"' in html
    assert page("pack_section", public_pack, position=3) not in html


def test_the_whole_pack_page_has_every_section_and_contents_that_jump_within_it(
    client, public_pack
):
    make_version(public_pack, 1, sections=3, pdf_status=PackVersion.PdfStatus.READY)
    response = client.get(page("pack_whole", public_pack))
    html = response.content.decode()
    assert response.status_code == 200
    for index in (1, 2, 3):
        assert f"Text of section {index} in version 1." in html
        assert f'href="#section-{index}">Section {index} of version 1</a>' in html
    assert "Next review" in html
    assert 'rel="next"' not in html
    assert f'href="{page("pack_read", public_pack)}">Read the pack page by page</a>' in html
    assert f'href="{page("version_pdf", public_pack, number=1)}"' in html


def test_an_older_version_s_whole_pack_page_says_it_is_older(client, public_pack):
    make_version(public_pack, 1)
    make_version(public_pack, 2)
    html = client.get(page("version_whole", public_pack, number=1)).content.decode()
    assert "Text of section 3 in version 1." in html
    assert "Read the newest version (version 2)" in html


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
    assert '<div class="app-pack-layout__side app-no-print">' in html
    assert '<nav class="nhsuk-contents-list app-pack-contents"' in html
    assert '<p class="app-no-print"><a href="/trusts/' in html


def test_unpublished_pack_says_so_and_offers_editors_the_editor(client, public_pack, editor):
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert "has not published this induction pack yet" in html
    assert page("pack_edit", public_pack) not in html
    client.force_login(editor)
    html = client.get(page("pack_read", public_pack)).content.decode()
    assert f'href="{page("pack_edit", public_pack)}"' in html


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("pack_read", {}),
        ("pack_section", {"position": 2}),
        ("pack_whole", {}),
        ("version_read", {"number": 1}),
        ("version_section", {"number": 1, "position": 2}),
        ("version_whole", {"number": 1}),
    ],
)
def test_members_only_pack_tells_anonymous_readers_it_is_for_members_and_how_to_get_in(
    client, pack, name, kwargs
):
    make_version(pack, 1)
    url = page(name, pack, **kwargs)
    response = client.get(url)
    html = unescape(response.content.decode())
    assert response.status_code == 403
    assert "This induction pack is for the trust's members" in html
    assert f'href="/accounts/login/?next={url}"' in html
    assert "Ask the trust's company secretary" in html
    assert "Text of section" not in html and pack.trust.name not in html
    assert response["Cache-Control"] == "private, no-cache"


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
    members_only = client.get(page("pack_section", pack, position=2))
    unknown = client.get("/trusts/nowhere/induction/section-2/")
    assert members_only.status_code == unknown.status_code == 403
    # The same page, word for word, but for the address it signs in back to.
    assert members_only.content.replace(b"northshire", b"nowhere").replace(
        pack.trust.slug.encode(), b"nowhere"
    ) == unknown.content
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
    for name, kwargs in [
        ("pack_section", {"position": 2}),
        ("pack_whole", {}),
        ("version_section", {"number": 1, "position": 2}),
        ("version_whole", {"number": 1}),
    ]:
        assert client.post(page(name, public_pack, **kwargs)).status_code == 405


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


@pytest.mark.parametrize("who", ["anonymous", "reader"])
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("pack_section", {"position": 3}),
        ("pack_whole", {}),
        ("version_section", {"number": 1, "position": 3}),
        ("version_whole", {"number": 1}),
    ],
)
def test_section_and_whole_pack_pages_make_a_constant_number_of_queries(
    client, national, trust, other_trust, make_user, who, name, kwargs,
    django_assert_max_num_queries,
):  # fmt: skip
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
        small_count = _queries(client, page(name, small, **kwargs))
    assert _queries(client, page(name, large, **kwargs)) == small_count


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
