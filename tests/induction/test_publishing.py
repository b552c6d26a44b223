"""Publishing: one operation, numbered versions, the four-eyes rule, immutability."""

import pytest

from induction.models import AuditEvent, PackVersion


def test_publish_makes_version_one_with_frozen_content(pack, editor_approver):
    version = pack.publish(user=editor_approver, change_summary="First version")
    assert version.number == 1
    assert version.content["trust"] == "testshire"
    assert len(version.content["sections"]) == 10
    assert '<section class="app-pack-section"' in version.rendered_html
    assert AuditEvent.objects.filter(action="published", version=version).exists()
    assert PackVersion.objects.count() == 1


@pytest.mark.django_db
def test_smoke_render(pack):
    from induction.snapshot import render_snapshot_html, snapshot_draft
    html = render_snapshot_html(snapshot_draft(pack))
    open("/tmp/smoke/pack.html", "w").write(html)
