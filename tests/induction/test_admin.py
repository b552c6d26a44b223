"""The admin's own actions on versions: making a PDF again, through the same task."""

from django.urls import reverse

from induction.models import PackVersion


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
