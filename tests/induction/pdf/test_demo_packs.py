"""Done when every published version of the demo packs downloads as a tagged, bookmarked PDF
with a correct contents page, made outside the request."""

import io
import re

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from induction.models import PackVersion


@pytest.fixture
def demo_versions(national, settings, django_capture_on_commit_callbacks):
    settings.DEMO_DATA_ALLOWED = True
    # Publishing renders each PDF after its transaction commits, as in `make run`.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    return list(PackVersion.objects.select_related("pack__trust").order_by("pk"))


def test_every_demo_version_downloads_as_a_tagged_bookmarked_pdf(
    client, staff, demo_versions, django_assert_max_num_queries
):
    assert {(v.pack.trust.slug, v.number) for v in demo_versions} >= {
        ("northshire", 1), ("northshire", 2), ("southmoor", 1)
    }
    client.force_login(staff)
    for version in demo_versions:
        url = reverse(
            "induction:version_pdf",
            kwargs={"slug": version.pack.trust.slug, "number": version.number},
        )
        with django_assert_max_num_queries(6):
            response = client.get(url)
            downloaded = b"".join(response.streaming_content)
        assert response.status_code == 200, (url, version.pdf_status, version.pdf_error)

        reader = pypdf.PdfReader(io.BytesIO(downloaded))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB"
        sections = version.content["sections"]
        assert [item["/Title"] for item in reader.outline] == [s["title"] for s in sections]
        contents = reader.pages[1].extract_text()
        for item, section in zip(reader.outline, sections, strict=True):
            first_page = reader.get_destination_page_number(item) + 1
            match = re.search(
                re.escape(section["title"]) + r"\s*(?:\.\s*){3,}(\d+)", contents
            )
            assert match and int(match.group(1)) == first_page, section["title"]
