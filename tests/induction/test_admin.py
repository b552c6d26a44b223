"""The admin: its own action on versions (making a PDF again, through the same task), and its
pack form, which saves through the same services and rules as the portal's editor."""

from django.urls import reverse

from induction import services
from induction.importing import MAX_SECTIONS
from induction.models import AuditEvent, InductionPack, PackVersion

from .conftest import act_as_editor
from .ui_helpers import admin_change_data


def admin_page(client, pack, user):
    """The pack's admin change page, opened by `user` acting as an editor of its trust: its
    address and what it posts if saved as loaded."""
    act_as_editor(user, pack.trust)
    client.force_login(user)
    url = reverse("admin:induction_inductionpack_change", args=[pack.pk])
    return url, admin_change_data(client.get(url))


def test_make_the_pdf_again_turns_a_failed_pdf_into_a_stored_one(
    client, published, staff_superuser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    PackVersion.objects.filter(pk=published.pk).update(
        pdf_status=PackVersion.PdfStatus.FAILED, pdf_error="The process was stopped."
    )
    client.force_login(staff_superuser)
    response = client.post(
        reverse("admin:induction_packversion_changelist"),
        {"action": "make_pdf_again", "_selected_action": [published.pk]},
        follow=True,
    )
    assert "Queued the PDF of 1 version." in response.content.decode()
    version = PackVersion.objects.get(pk=published.pk)
    assert version.pdf_status == PackVersion.PdfStatus.READY
    assert version.pdf_error == ""
    assert version.pdf.read().startswith(b"%PDF-")


def test_make_the_pdf_again_waits_as_being_prepared_while_queued(
    client, published, staff_superuser, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    PackVersion.objects.filter(pk=published.pk).update(
        pdf_status=PackVersion.PdfStatus.FAILED, pdf_error="The process was stopped."
    )
    client.force_login(staff_superuser)
    client.post(
        reverse("admin:induction_packversion_changelist"),
        {"action": "make_pdf_again", "_selected_action": [published.pk]},
    )
    version = PackVersion.objects.get(pk=published.pk)
    assert (version.pdf_status, version.pdf_error) == (PackVersion.PdfStatus.PENDING, "")


def test_an_admin_section_save_writes_only_the_fields_the_user_changed(
    client, pack, staff_superuser, monkeypatch
):
    url, data = admin_page(client, pack, staff_superuser)
    calls = []
    save_section = services.save_section
    monkeypatch.setattr(
        services, "save_section", lambda **kwargs: calls.append(kwargs) or save_section(**kwargs)
    )
    data["sections-0-body"] = "Only the text is changed in the admin."

    assert client.post(url, data).status_code == 302

    [call] = calls
    assert set(call) == {"section", "user", "expected_revision", "body"}
    assert pack.sections.get(order=1).body == "Only the text is changed in the admin."


def test_the_admin_refuses_a_review_interval_out_of_range_and_saves_nothing(
    client, pack, staff_superuser
):
    url, data = admin_page(client, pack, staff_superuser)
    data["review_interval_months"] = "37"
    data["title"] = "A title typed with it"

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["review_interval_months"] == [
        "Enter a review interval of 36 months or fewer"
    ]
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.review_interval_months, stored.title) == (12, "Medical Director induction pack")


def test_an_admin_form_saved_in_another_tab_after_the_user_s_own_change_says_so(
    client, pack, staff_superuser
):
    """The conflict names who saved: "you, in another tab", when it was the user themselves."""
    url, data = admin_page(client, pack, staff_superuser)
    services.update_pack_settings(
        pack=pack, user=staff_superuser, expected_revision=pack.settings_revision,
        visibility="public",
    )  # fmt: skip
    data["title"] = "A title typed in the first tab"

    response = client.post(url, data)

    [error] = response.context["adminform"].form.non_field_errors()
    assert "You saved the settings in another tab or window at " in error
    assert InductionPack.objects.get(pk=pack.pk).title == "Medical Director induction pack"


def test_saving_the_admin_page_as_a_browser_posts_it_leaves_untouched_sections_alone(
    client, pack, staff_superuser
):
    """Browsers post a textarea's line breaks as CRLF, and a text may end in a line break: a
    section the user did not touch is not rewritten, re-revisioned or recorded as edited."""
    url, data = admin_page(client, pack, staff_superuser)
    for name, value in data.items():
        if name.endswith("-body") and isinstance(value, str):
            data[name] = value.replace("\n", "\r\n")
    before = {section.pk: (section.body, section.revision) for section in pack.sections.all()}
    data["sections-0-title"] = "Welcome to Testshire"

    assert client.post(url, data).status_code == 302

    after = {section.pk: (section.body, section.revision) for section in pack.sections.all()}
    welcome = pack.sections.get(order=1)
    assert {pk: value for pk, value in after.items() if pk != welcome.pk} == {
        pk: value for pk, value in before.items() if pk != welcome.pk
    }
    assert (welcome.title, welcome.body) == ("Welcome to Testshire", before[welcome.pk][0])
    edits = pack.audit_events.filter(action="section_edited")
    assert list(edits.values_list("detail", flat=True)) == ["Edited “Welcome to Testshire”"]


def test_a_section_past_the_limit_added_in_the_admin_is_refused_with_the_reason(
    client, pack, editor, staff_superuser
):
    """The limit that keeps every draft importable and restorable holds in the admin too: the
    page comes back saying why, never a server error, and nothing is saved."""
    while pack.sections.count() < MAX_SECTIONS:
        services.add_section(pack=pack, user=editor, title=f"Extra {pack.sections.count()}")
    url, data = admin_page(client, pack, staff_superuser)
    new = int(data["sections-TOTAL_FORMS"])
    data.update(
        {
            "sections-TOTAL_FORMS": str(new + 1),
            f"sections-{new}-title": "One too many",
            f"sections-{new}-body": "Text.",
        }
    )
    events = AuditEvent.objects.count()

    response = client.post(url, data, follow=True)

    assert response.redirect_chain[-1] == (url, 302)
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == [
        f"Nothing was saved. A pack can have at most {MAX_SECTIONS} sections. "
        "Remove or merge one first."
    ]
    assert pack.sections.count() == MAX_SECTIONS
    assert AuditEvent.objects.count() == events
