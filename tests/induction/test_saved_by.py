"""A refused change names whoever saved first: "You … in another tab or window" when it was the
editor themself (two tabs, two form loads, two saves), else the colleague by name, with the
time in the portal's time zone."""

import datetime
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from induction.models import Section
from induction.saved_by import local_time_words, saved_by_words

from .ui_helpers import hidden_value, page, section_post_data


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def client_factory(db):
    """Another browser: a fresh test client."""
    return Client


@pytest.fixture
def colleague(second_editor):
    second_editor.first_name, second_editor.last_name = "Priya", "Shah"
    second_editor.save()
    return second_editor


def markdown_section(pack):
    return pack.sections.filter(kind=Section.Kind.MARKDOWN).first()


def saved_at(section):
    section.refresh_from_db()
    return local_time_words(section.updated_at)


def two_tabs_save(client, section, *, second_tab_client):
    """Two loads of the section's form, then a save from each; the second save's page."""
    url = page("section_edit", section.pack, section_id=section.pk)
    first = section_post_data(section, body="Saved from the first tab.")
    second = section_post_data(section, body="Typed in the second tab.")
    assert client.post(url, first).status_code == 302
    return unescape(second_tab_client.post(url, second).content.decode())


def test_a_section_saved_in_another_tab_by_the_same_editor_says_so(signed_in, pack):
    section = markdown_section(pack)

    html = two_tabs_save(signed_in, section, second_tab_client=signed_in)

    time = saved_at(section)
    assert f"You saved this section in another tab or window at {time}." in html
    assert "Typed in the second tab." in html
    assert section.body == "Saved from the first tab."


def test_a_section_saved_by_a_colleague_names_them(signed_in, client_factory, pack, colleague):
    section = markdown_section(pack)
    colleague_client = client_factory()
    colleague_client.force_login(colleague)

    html = two_tabs_save(colleague_client, section, second_tab_client=signed_in)

    assert f"Priya Shah saved it at {saved_at(section)}." in html
    assert "You saved" not in html


def settings_data(client, pack, **changes):
    form = client.get(page("pack_settings", pack)).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("requires_approval", None)
    return {**data, **changes}


@pytest.mark.parametrize("by_colleague", [False, True], ids=["same-editor", "colleague"])
def test_a_settings_conflict_names_who_saved_first(
    signed_in, client_factory, pack, editor, colleague, by_colleague
):
    first_tab = signed_in
    if by_colleague:
        first_tab = client_factory()
        first_tab.force_login(colleague)
    url = page("pack_settings", pack)
    first = settings_data(first_tab, pack, title="The first tab's title")
    second = settings_data(signed_in, pack, review_interval_months="6")
    assert first_tab.post(url, first).status_code == 302

    html = unescape(signed_in.post(url, second).content.decode())

    change = pack.last_settings_change()
    time = local_time_words(change.created_at)
    if by_colleague:
        assert f"Priya Shah saved them at {time}." in html
    else:
        assert f"You saved the settings in another tab or window at {time}." in html
    pack.refresh_from_db()
    assert (pack.title, pack.review_interval_months) == ("The first tab's title", 12)


@pytest.mark.parametrize("by_colleague", [False, True], ids=["same-editor", "colleague"])
def test_a_refused_removal_names_who_saved_the_section(
    signed_in, client_factory, pack, colleague, by_colleague
):
    section = markdown_section(pack)
    remove_url = page("section_remove", pack, section_id=section.pk)
    asked = hidden_value(signed_in.get(remove_url).content.decode(), "revision")
    saver = signed_in
    if by_colleague:
        saver = client_factory()
        saver.force_login(colleague)
    edit_url = page("section_edit", pack, section_id=section.pk)
    assert saver.post(edit_url, section_post_data(section, body="Newer.")).status_code == 302

    html = unescape(signed_in.post(remove_url, {"revision": asked}, follow=True).content.decode())

    time = saved_at(section)
    expected = (
        f"Priya Shah saved it at {time}."
        if by_colleague
        else f"You saved this section in another tab or window at {time}."
    )
    assert f"changed while you were deciding, so it was not removed. {expected}" in html
    assert pack.sections.filter(pk=section.pk).exists()


def test_a_save_on_another_day_gives_the_date_too(editor, colleague, settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime.datetime(2026, 7, 4, 13, 2, tzinfo=datetime.UTC)

    words = saved_by_words(viewer=editor, saved_by=colleague, saved_at=summer, what="it")

    # 13:02 UTC is 14:02 in London in summer.
    assert words == "Priya Shah saved it at 14:02 on 4 July 2026"


def test_a_save_today_gives_the_time_only(editor):
    now = timezone.now()

    words = saved_by_words(viewer=editor, saved_by=editor, saved_at=now, what="this section")

    expected = timezone.localtime(now).strftime("%H:%M")
    assert words == f"You saved this section in another tab or window at {expected}"


def test_a_removed_account_is_named_as_such(editor):
    words = saved_by_words(
        viewer=editor, saved_by=None, saved_at=timezone.now(), what="this section"
    )
    assert words.startswith("Someone whose account was removed saved it at ")
