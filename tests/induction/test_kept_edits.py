"""Changes kept over a sign-in: an editor signed out before saving (in another tab, or by the
session limits) presses Save, signs in again, and finds the page filled with what they typed,
not saved; nobody else is ever shown it, and nothing is saved without a fresh POST.

Every client here enforces CSRF, as a browser does: the CSRF cookie outlives a sign-out, so
the Save after it reaches the page with a valid token.
"""

import json
from html import unescape
from urllib.parse import quote

import pytest
from django.test import Client

from induction import kept_edits, services
from induction.models import InductionPack, Section, can_change_content
from mdportal.session_limits import LAST_ACTIVE_AT
from tests.second_factor import prove_with_recovery_code

from .conftest import PASSWORD
from .ui_helpers import hidden_value, page, section_post_data

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
NOTICE = "We kept the changes you had not saved"
SIGN_IN_NOTICE = "Sign in to save your changes. We have kept them."


@pytest.fixture
def browser(db):
    return Client(enforce_csrf_checks=True)


def token(client, url=LOGIN):
    return hidden_value(client.get(url).content.decode(), "csrfmiddlewaretoken")


def sign_in(client, user, *, next_page=""):
    """Sign in with the password, then pass the MFA step an editor is asked for; returns the
    sign-in's own response."""
    login_page = f"{LOGIN}?next={quote(next_page)}" if next_page else LOGIN
    data = {"username": user.username, "password": PASSWORD, "next": next_page}
    response = client.post(LOGIN, {**data, "csrfmiddlewaretoken": token(client, login_page)})
    assert response.status_code == 302, "the sign-in failed"
    if can_change_content(user):
        prove_with_recovery_code(client, user, next_page=next_page)
    return response


def sign_out(client):
    # Any page of the portal carries the token the header's Sign out form posts.
    client.post(LOGOUT, {"csrfmiddlewaretoken": token(client, "/trusts/")})
    assert "_auth_user_id" not in client.session


def markdown_section(pack):
    return pack.sections.filter(kind=Section.Kind.MARKDOWN).first()


def section_page(section):
    return page("section_edit", section.pack, section_id=section.pk)


def opened(client, url):
    """The CSRF token of the form at `url`, as the page served it to the signed-in editor."""
    response = client.get(url)
    assert response.status_code == 200
    return hidden_value(response.content.decode(), "csrfmiddlewaretoken")


def kept_in_session(client):
    return client.session.get(kept_edits.SESSION_KEY, {})


@pytest.fixture
def typed_then_signed_out(browser, pack, editor):
    """The editor opens the first Markdown section, types, is signed out in another tab, and
    presses Save: returns (section, the response to that Save, what they typed)."""
    section = markdown_section(pack)
    sign_in(browser, editor)
    form_token = opened(browser, section_page(section))
    sign_out(browser)
    typed = "A paragraph typed before the session ended."
    data = section_post_data(section, body=typed, csrfmiddlewaretoken=form_token)
    response = browser.post(section_page(section), data)
    return section, response, typed


def test_a_save_after_signing_out_keeps_the_changes_and_asks_to_sign_in(
    browser, typed_then_signed_out
):
    section, response, typed = typed_then_signed_out
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={section_page(section)}"
    kept = kept_in_session(browser)[section_page(section)]
    assert kept["body"] == [typed]
    assert "csrfmiddlewaretoken" not in kept
    section.refresh_from_db()
    assert section.body != typed
    login_page = browser.get(response["Location"]).content.decode()
    assert SIGN_IN_NOTICE in login_page


def test_signing_in_again_shows_the_kept_changes_once_and_saves_nothing(
    browser, typed_then_signed_out, editor
):
    section, _, typed = typed_then_signed_out
    before = (section.body, section.revision)

    response = sign_in(browser, editor, next_page=section_page(section))
    assert response["Location"] == section_page(section)
    html = unescape(browser.get(section_page(section)).content.decode())

    assert NOTICE in html
    assert typed in html
    assert 'data-unsaved-changes="unsaved"' in html
    section.refresh_from_db()
    assert (section.body, section.revision) == before
    assert kept_in_session(browser) == {}
    again = unescape(browser.get(section_page(section)).content.decode())
    assert NOTICE not in again and typed not in again


def test_the_kept_changes_are_saved_by_a_fresh_save(browser, typed_then_signed_out, editor):
    section, _, typed = typed_then_signed_out
    sign_in(browser, editor, next_page=section_page(section))
    response = browser.get(section_page(section))
    form = response.context["form"]
    data = {
        **section_post_data(section, body=form["body"].value(), title=form["title"].value()),
        "revision": form["revision"].value(),
        "csrfmiddlewaretoken": hidden_value(response.content.decode(), "csrfmiddlewaretoken"),
    }

    assert browser.post(section_page(section), data).status_code == 302

    section.refresh_from_db()
    assert section.body == typed


def test_a_kept_form_cannot_be_saved_with_the_token_from_before_the_sign_in(
    browser, typed_then_signed_out, editor
):
    section, _, typed = typed_then_signed_out
    old_token = browser.cookies["csrftoken"].value
    sign_in(browser, editor, next_page=section_page(section))
    browser.get(section_page(section))

    data = section_post_data(section, body=typed, csrfmiddlewaretoken=old_token)
    response = browser.post(section_page(section), data)

    assert response.status_code == 403
    section.refresh_from_db()
    assert section.body != typed


def test_a_colleague_s_save_in_between_gives_the_conflict_page(
    browser, typed_then_signed_out, editor, second_editor
):
    section, _, typed = typed_then_signed_out
    services.save_section(
        section=section,
        user=second_editor,
        expected_revision=section.revision,
        body="The colleague's text, saved while the editor signed in.",
    )
    sign_in(browser, editor, next_page=section_page(section))
    response = browser.get(section_page(section))
    form = response.context["form"]
    data = {
        **section_post_data(section, body=form["body"].value()),
        "revision": form["revision"].value(),
        "csrfmiddlewaretoken": hidden_value(response.content.decode(), "csrfmiddlewaretoken"),
    }

    html = unescape(browser.post(section_page(section), data).content.decode())

    assert "This section changed while you were editing it. second-editor saved it at" in html
    assert typed in html
    section.refresh_from_db()
    assert section.body == "The colleague's text, saved while the editor signed in."


def test_another_trust_s_editor_signing_in_on_that_browser_is_not_shown_them(
    browser, typed_then_signed_out, outsider, other_pack
):
    section, _, typed = typed_then_signed_out
    sign_in(browser, outsider, next_page=section_page(section))

    response = browser.get(section_page(section))

    assert response.status_code == 404
    assert typed not in unescape(response.content.decode())
    assert kept_in_session(browser) == {}


def test_a_reader_signing_in_on_that_browser_is_refused_and_not_shown_them(
    browser, typed_then_signed_out, reader
):
    section, _, typed = typed_then_signed_out
    sign_in(browser, reader, next_page=section_page(section))

    response = browser.get(section_page(section))

    assert response.status_code == 403
    assert typed not in unescape(response.content.decode())
    assert NOTICE not in response.content.decode()
    assert kept_in_session(browser) == {}


def test_kept_changes_to_a_section_removed_meanwhile_are_dropped_and_the_editor_told(
    browser, typed_then_signed_out, editor, second_editor
):
    section, _, _ = typed_then_signed_out
    services.remove_section(section=section, user=second_editor, expected_revision=1)
    sign_in(browser, editor, next_page=section_page(section))

    response = browser.get(section_page(section), follow=True)

    assert response.redirect_chain[-1][0] == page("pack_edit", section.pack)
    assert kept_edits.NO_LONGER_THERE in unescape(response.content.decode())
    assert kept_in_session(browser) == {}


def test_html_in_kept_changes_is_shown_as_text(browser, pack, editor):
    section = markdown_section(pack)
    sign_in(browser, editor)
    form_token = opened(browser, section_page(section))
    sign_out(browser)
    attack = '<script>alert("kept")</script><img src=x onerror=alert(1)>'
    data = section_post_data(section, title=attack, body=attack, csrfmiddlewaretoken=form_token)
    browser.post(section_page(section), data)
    sign_in(browser, editor, next_page=section_page(section))

    html = browser.get(section_page(section)).content.decode()

    assert NOTICE in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;kept&quot;)&lt;/script&gt;" in html


def test_a_save_after_the_idle_timeout_keeps_the_changes_too(browser, pack, editor):
    section = markdown_section(pack)
    sign_in(browser, editor)
    form_token = opened(browser, section_page(section))
    session = browser.session
    session[LAST_ACTIVE_AT] -= 31 * 60
    session.save()
    typed = "Typed slowly, over more than half an hour."

    response = browser.post(
        section_page(section),
        section_post_data(section, body=typed, csrfmiddlewaretoken=form_token),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={section_page(section)}"
    login_page = browser.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in login_page
    assert SIGN_IN_NOTICE in login_page
    sign_in(browser, editor, next_page=section_page(section))
    html = unescape(browser.get(section_page(section)).content.decode())
    assert NOTICE in html and typed in html
    section.refresh_from_db()
    assert section.body != typed


def test_a_post_after_the_idle_timeout_with_a_forged_token_keeps_nothing(browser, pack, editor):
    section = markdown_section(pack)
    sign_in(browser, editor)
    browser.get(section_page(section))
    session = browser.session
    session[LAST_ACTIVE_AT] -= 31 * 60
    session.save()

    data = section_post_data(section, body="Forged.", csrfmiddlewaretoken="x" * 64)
    response = browser.post(section_page(section), data)

    assert response.status_code == 403
    assert kept_in_session(browser) == {}


def test_the_settings_page_keeps_its_changes(browser, pack, editor):
    url = page("pack_settings", pack)
    sign_in(browser, editor)
    form = browser.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("requires_approval", None)
    form_token = opened(browser, url)
    sign_out(browser)
    data.update(title="A title typed before the session ended", csrfmiddlewaretoken=form_token)

    assert browser.post(url, data)["Location"] == f"{LOGIN}?next={url}"
    sign_in(browser, editor, next_page=url)
    html = unescape(browser.get(url).content.decode())

    assert NOTICE in html
    assert 'value="A title typed before the session ended"' in html
    pack.refresh_from_db()
    assert pack.title == "Medical Director induction pack"


def test_the_add_section_page_keeps_its_changes(browser, pack, editor):
    url = page("section_add", pack)
    sign_in(browser, editor)
    form_token = opened(browser, url)
    sign_out(browser)
    data = {"title": "Car parking", "kind": Section.Kind.CHECKLIST}

    browser.post(url, {**data, "csrfmiddlewaretoken": form_token})
    sign_in(browser, editor, next_page=url)
    html = browser.get(url).content.decode()

    assert NOTICE in html
    assert 'value="Car parking"' in html
    assert 'value="checklist" checked' in html
    assert not pack.sections.filter(title="Car parking").exists()


def test_an_anonymous_post_gets_the_same_answer_whether_or_not_the_trust_exists(browser, pack):
    form_token = token(browser)
    members_only = page("pack_settings", pack)
    nowhere = members_only.replace(pack.trust.slug, "no-such-trust")

    answers = [
        browser.post(url, {"title": "T", "csrfmiddlewaretoken": form_token})
        for url in (members_only, nowhere)
    ]

    assert [answer.status_code for answer in answers] == [302, 302]
    assert answers[0]["Location"] == f"{LOGIN}?next={members_only}"
    assert answers[1]["Location"] == f"{LOGIN}?next={nowhere}"
    assert pack.visibility == InductionPack.Visibility.MEMBERS


def test_a_page_too_large_to_keep_keeps_nothing_and_says_so(browser, pack):
    section = markdown_section(pack)
    form_token = token(browser)
    url = section_page(section)
    browser.post(url, {"body": "small", "csrfmiddlewaretoken": form_token})
    too_large = "x" * (kept_edits.MAX_BYTES + 1)

    response = browser.post(url, {"body": too_large, "csrfmiddlewaretoken": form_token})

    assert url not in kept_in_session(browser)
    login_page = unescape(browser.get(response["Location"]).content.decode())
    assert kept_edits.NOT_KEPT in login_page
    assert SIGN_IN_NOTICE not in login_page


def test_at_most_five_pages_are_kept(browser, pack):
    form_token = token(browser)
    sections = list(pack.sections.all()[: kept_edits.MAX_PAGES + 1])
    assert len(sections) == kept_edits.MAX_PAGES + 1
    for section in sections[: kept_edits.MAX_PAGES]:
        browser.post(section_page(section), {"body": "kept", "csrfmiddlewaretoken": form_token})
    sixth = section_page(sections[-1])

    response = browser.post(sixth, {"body": "one too many", "csrfmiddlewaretoken": form_token})

    kept = kept_in_session(browser)
    assert len(kept) == kept_edits.MAX_PAGES and sixth not in kept
    assert kept_edits.NOT_KEPT in unescape(browser.get(response["Location"]).content.decode())
    # A page kept already can still be kept again, with what was typed last.
    first = section_page(sections[0])
    browser.post(first, {"body": "typed again", "csrfmiddlewaretoken": form_token})
    assert kept_in_session(browser)[first] == {"body": ["typed again"]}
    assert len(json.dumps(kept_in_session(browser))) < kept_edits.MAX_BYTES


def test_showing_kept_changes_costs_no_more_queries_than_the_page(
    browser, typed_then_signed_out, editor, django_assert_max_num_queries
):
    section, _, _ = typed_then_signed_out
    sign_in(browser, editor, next_page=section_page(section))
    with django_assert_max_num_queries(10):
        assert NOTICE in browser.get(section_page(section)).content.decode()
