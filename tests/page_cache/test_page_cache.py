"""Anonymous reads of public pages come from the cache, and never a stale one.

Each test reads a page as an anonymous visitor, changes what it shows through the path the
portal really uses (a publication, a change of visibility, `loaddata`, a deployment), and reads
it again.
"""

import gzip
import json

import pytest
from django.core import serializers
from django.core.management import call_command
from django.urls import reverse

from induction.models import InductionPack
from page_cache import store
from page_cache.policy import PRIVATE_REVALIDATED, PUBLIC, PUBLIC_IMMUTABLE
from tests.induction.conftest import edit_draft


@pytest.fixture
def public(pack):
    """`pack`, readable by anyone."""
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save(update_fields=["visibility"])
    return pack


def explainer_url(role):
    return reverse("roles:role_detail", kwargs={"slug": role.slug})


def pack_url(pack, name="pack_whole", **kwargs):
    return reverse(f"induction:{name}", kwargs={"slug": pack.trust.slug, **kwargs})


def test_a_second_anonymous_read_comes_from_the_cache_with_no_queries(
    client, national, django_assert_num_queries
):
    first = client.get(explainer_url(national))
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(explainer_url(national))
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == PUBLIC
    # The headers every page gets are added to a cached page too.
    assert second["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_cached_page_answers_with_every_header_the_page_was_first_given(client, national):
    # A hit skips the middlewares inside the page cache (the policy headers, static files):
    # what they added is kept with the page.
    first = client.get(explainer_url(national))
    second = client.get(explainer_url(national))
    assert second["X-Page-Cache"] == "hit"
    for name, value in first.items():
        if name != "X-Page-Cache":
            assert second[name] == value, name
    assert set(second.headers) == set(first.headers)
    assert "Permissions-Policy" in second and "X-Frame-Options" in second


def test_static_files_are_left_to_whitenoise_and_never_kept(client, settings):
    settings.STATIC_URL = "/static/"
    response = client.get("/static/does-not-exist.css")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response


def test_a_matching_etag_gets_an_empty_304_with_no_queries_and_no_templates(
    client, national, django_assert_num_queries
):
    etag = client.get(explainer_url(national))["ETag"]
    with django_assert_num_queries(0):
        response = client.get(explainer_url(national), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.templates == []
    assert response["ETag"] == etag


def test_a_stale_etag_gets_the_page(client, national):
    response = client.get(explainer_url(national), headers={"If-None-Match": '"not-this-one"'})
    assert response.status_code == 200
    assert response.content


def test_a_publication_shows_on_the_next_anonymous_read(
    client, public, published, editor, editor_approver
):
    pack = public
    before = client.get(pack_url(pack))
    assert b"A change published today." not in before.content
    assert client.get(pack_url(pack))["X-Page-Cache"] == "hit"

    edit_draft(pack, editor, text="A change published today.")
    pack.publish(user=editor_approver, change_summary="Second version")

    after = client.get(pack_url(pack))
    assert after["X-Page-Cache"] == "miss"
    assert b"A change published today." in after.content


def test_making_a_pack_members_only_hides_its_kept_pages_at_once(client, public, published):
    pack = public
    assert client.get(pack_url(pack)).status_code == 200
    assert client.get(pack_url(pack))["X-Page-Cache"] == "hit"
    pack.visibility = InductionPack.Visibility.MEMBERS
    pack.save(update_fields=["visibility"])
    response = client.get(pack_url(pack))
    assert response.status_code != 200
    assert "X-Page-Cache" not in response


def test_reloading_the_reference_data_shows_on_the_explainer(client, national, tmp_path):
    assert client.get(explainer_url(national))["X-Page-Cache"] == "miss"
    [record] = json.loads(serializers.serialize("json", [national]))
    record["fields"]["summary"] = "A summary loaded from a corrected fixture."
    fixture = tmp_path / "corrected.json"
    fixture.write_text(json.dumps([record]))

    call_command("loaddata", str(fixture), verbosity=0)

    response = client.get(explainer_url(national))
    assert response["X-Page-Cache"] == "miss"
    assert b"A summary loaded from a corrected fixture." in response.content


def test_a_deployment_never_serves_a_page_the_old_code_made(client, national, monkeypatch):
    client.get(explainer_url(national))
    monkeypatch.setattr(store, "code_version", lambda: "the-next-release")
    assert client.get(explainer_url(national))["X-Page-Cache"] == "miss"


def test_the_code_version_follows_every_template_and_module(settings, tmp_path):
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text("<p>Before</p>")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "ignored.py").write_text("x = 1")
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    try:
        store.code_version.cache_clear()
        before = store.code_version()
        (tmp_path / ".venv" / "ignored.py").write_text("x = 2")
        store.code_version.cache_clear()
        assert store.code_version() == before
        template.write_text("<p>After</p>")
        store.code_version.cache_clear()
        assert store.code_version() != before
    finally:
        store.code_version.cache_clear()


def test_signed_in_readers_get_their_own_private_page(client, national, public, published, reader):
    pack = public
    client.get(explainer_url(national))
    client.get(pack_url(pack))
    client.force_login(reader)
    for url in (explainer_url(national), pack_url(pack)):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == PRIVATE_REVALIDATED
        assert b"Sign out" in response.content


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_messages_is_never_served_a_kept_page(client, national, cookie):
    client.get(explainer_url(national))
    client.cookies[cookie] = "something"
    assert "X-Page-Cache" not in client.get(explainer_url(national))


def test_members_only_pages_are_never_kept(client, pack, published, reader):
    pack.visibility = InductionPack.Visibility.MEMBERS
    pack.save(update_fields=["visibility"])
    client.force_login(reader)
    response = client.get(pack_url(pack))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_REVALIDATED
    client.logout()
    assert client.get(pack_url(pack)).status_code != 200


def test_a_numbered_version_says_it_never_changes(client, public, published):
    pack = public
    response = client.get(pack_url(pack, "version_read", number=1))
    assert response.status_code == 200
    assert response["Cache-Control"] == PUBLIC_IMMUTABLE
    assert client.get(pack_url(pack, "pack_read"))["Cache-Control"] == PUBLIC


def test_a_trust_list_search_is_not_kept_but_the_plain_list_is(client, public, published):
    assert client.get(reverse("induction:trust_list"))["X-Page-Cache"] == "miss"
    assert client.get(reverse("induction:trust_list"))["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.get(reverse("induction:trust_list"), {"q": "trust"})


def test_other_query_strings_are_other_pages(client, public, published):
    url = reverse("induction:trust_list")
    client.get(url, {"page": "1"})
    assert client.get(url, {"page": "2"})["X-Page-Cache"] == "miss"


def test_only_html_pages_are_kept(client, public, published, settings, tmp_path):
    """A view marked public that answers with something other than a page (a file, or an empty
    hand-over to the front server) is never kept: replayed, it would lose what made it work."""
    from django.http import HttpResponse

    from page_cache import middleware
    from page_cache.policy import mark_public

    request = client.get(explainer_url(public.board_role)).wsgi_request
    for response in (
        HttpResponse(b"%PDF-1.7", content_type="application/pdf"),
        HttpResponse(b"", headers={"X-Accel-Redirect": "/internal-media/a.pdf"}),
    ):
        assert not middleware._keepable(request, mark_public(request, response))
    page = mark_public(request, HttpResponse(b"<p>A page</p>"))
    assert middleware._keepable(request, page)


def test_a_browser_accepting_gzip_gets_the_kept_page_compressed_once_when_it_was_kept(
    client, national
):
    first = client.get(explainer_url(national), headers={"Accept-Encoding": "gzip, br"})
    assert first["X-Page-Cache"] == "miss" and "Content-Encoding" not in first
    compressed = client.get(explainer_url(national), headers={"Accept-Encoding": "gzip, br"})
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == first.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(first.content) / 3
    assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in first["Vary"]
    # Another representation of the same page: the weak form of its ETag, which still matches.
    assert compressed["ETag"] == f"W/{first['ETag']}"
    again = client.get(
        explainer_url(national),
        headers={"Accept-Encoding": "gzip", "If-None-Match": compressed["ETag"]},
    )
    assert again.status_code == 304


def test_a_browser_not_accepting_gzip_gets_the_kept_page_plain(client, national):
    first = client.get(explainer_url(national))
    for accepted in ("", "identity", "br"):
        plain = client.get(explainer_url(national), headers={"Accept-Encoding": accepted})
        assert plain["X-Page-Cache"] == "hit" and "Content-Encoding" not in plain
        assert plain.content == first.content


def test_a_signed_in_reader_s_page_with_its_form_secret_is_never_compressed(
    client, national, reader
):
    client.get(explainer_url(national))
    client.force_login(reader)
    framed = client.get(explainer_url(national), headers={"Accept-Encoding": "gzip"})
    assert framed.status_code == 200 and "Content-Encoding" not in framed
    assert 'name="csrfmiddlewaretoken"' in framed.content.decode()
