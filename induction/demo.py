"""Demo data: two fictional trusts whose packs read as real ones would (`manage.py load_demo`).

- Northshire Hospitals NHS Foundation Trust (`northshire`): an acute trust in the North East
  and Yorkshire region; pack public, no approval rule; two published versions, the second
  with a change summary. Its note on doctors' disciplinary issues departs from national
  guidance (MHPS) and says so: the demo shows how a local note that differs from the national
  text should read.
- Southmoor Community Health NHS Trust (`southmoor`): a community trust in the South West
  region; pack for members only, approval by a second person required; version 1 written by
  one governance officer and published by another, and a later edit by its Head of Corporate
  Governance waiting for the second approver (so the four-eyes rule can be seen at work, and
  southmoor-hr can ask southmoor-cs for approval: induction/approvals.py).

The packs' content is data, not code: `fixtures/demo/*.json` in the `export_pack` format,
loaded through the same import path as `manage.py import_pack` and published through the same
`publish` as the portal. Every person, address and document in them is invented; e-mail
addresses use example.nhs.uk.

Accounts (password from DEMO_PASSWORD, default below): northshire-hr (editor and approver),
northshire-md and northshire-ned (readers) of Northshire; southmoor-hr and southmoor-cs
(editors and approvers) of Southmoor. They have a published password, so nothing is loaded
unless the deployment opts in with DJANGO_DEMO_DATA=1 (`make run` does).

northshire-md is being inducted as Medical Director: started six weeks before the demo was
loaded, some steps done, one overdue, version 1 read and version 2 not
(`fixtures/demo/northshire-journey.json`, loaded by journey/demo.py).

Loading is idempotent: a trust, account or membership that exists is reused, and each pack is
only filled in and published up to where it should be, so running it twice adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from journey.demo import load_journey_demo
from roles.models import MEDICAL_DIRECTOR_SLUG, Role

from . import services
from .baseline import create_pack_from_baseline
from .importing import import_draft
from .models import InductionPack, Membership, Trust

DEFAULT_DEMO_PASSWORD = "induction-demo-2026"
DEMO_FOLDER = Path(settings.BASE_DIR) / "fixtures" / "demo"

EDITOR, APPROVER, READER = (
    Membership.Role.EDITOR,
    Membership.Role.APPROVER,
    Membership.Role.READER,
)

ACCOUNTS = {
    "northshire-hr": ("northshire", [EDITOR, APPROVER], "Linda", "Carr"),
    "northshire-md": ("northshire", [READER], "Anil", "Kapoor"),
    "northshire-ned": ("northshire", [READER], "Jonathan", "Reeve"),
    "southmoor-hr": ("southmoor", [EDITOR, APPROVER], "Paul", "Dennison"),
    "southmoor-cs": ("southmoor", [EDITOR, APPROVER], "Grace", "Adeyemi"),
}


@dataclass(frozen=True)
class DemoTrust:
    slug: str
    name: str
    ods_code: str
    kind: str
    region: str
    visibility: str
    requires_approval: bool


NORTHSHIRE = DemoTrust(
    "northshire",
    "Northshire Hospitals NHS Foundation Trust",
    "RZ1",
    Trust.Kind.ACUTE,
    Trust.Region.NORTH_EAST_AND_YORKSHIRE,
    InductionPack.Visibility.PUBLIC,
    False,
)
SOUTHMOOR = DemoTrust(
    "southmoor",
    "Southmoor Community Health NHS Trust",
    "RZ2",
    Trust.Kind.COMMUNITY,
    Trust.Region.SOUTH_WEST,
    InductionPack.Visibility.MEMBERS,
    True,
)

NORTHSHIRE_V2_SUMMARY = (
    "Dr Helen Price joined as Chief Executive; the board appointed the Deputy Medical Director "
    "as Responsible Officer, with an alternative Responsible Officer for the Medical Director; "
    "the sepsis improvement plan added to the reading list."
)


def demo_pack_data(name: str) -> dict:
    """One of the demo packs in `fixtures/demo/`, for example "northshire-v1"."""
    with open(DEMO_FOLDER / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def _trust(spec: DemoTrust) -> Trust:
    trust, _ = Trust.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "ods_code": spec.ods_code,
            "kind": spec.kind,
            "region": spec.region,
        },
    )
    return trust


def _pack(trust: Trust, spec: DemoTrust) -> InductionPack:
    pack = trust.packs.filter(board_role__slug=MEDICAL_DIRECTOR_SLUG).first()
    if pack is None:
        pack = create_pack_from_baseline(trust=trust)
    if (pack.visibility, pack.requires_approval) != (spec.visibility, spec.requires_approval):
        pack.visibility, pack.requires_approval = spec.visibility, spec.requires_approval
        pack.save(update_fields=["visibility", "requires_approval"])
    return pack


def _accounts(password: str, trusts: dict[str, Trust]) -> dict:
    users = {}
    User = get_user_model()  # noqa: N806 - Django's convention for the user model
    for username, (slug, roles, first_name, last_name) in ACCOUNTS.items():
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.nhs.uk",
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        for role in roles:
            Membership.objects.get_or_create(user=user, trust=trusts[slug], role=role)
        users[username] = user
    return users


def _southmoor_pending_edit(pack: InductionPack, editor) -> None:
    """The Head of Corporate Governance adds a step to the checklist, as in the draft file."""
    draft = demo_pack_data("southmoor-draft")
    rows = next(s["checklist"] for s in draft["sections"] if s.get("kind") == "checklist")
    checklist = pack.sections.get(kind="checklist")
    services.save_section(
        section=checklist, user=editor, expected_revision=checklist.revision, checklist=rows
    )


NOT_ALLOWED = (
    "Demo data not loaded: demo accounts have a published password, so they are only created "
    "where DJANGO_DEMO_DATA=1 says this is a demonstration or development machine (make run "
    "sets it). Never set it on a live portal."
)


def load_demo(*, password: str, log: Callable[[str], None] = print) -> bool:
    """Load (or complete) the demo trusts, accounts and packs. Idempotent.

    Loads nothing, and returns False, unless settings.DEMO_DATA_ALLOWED: the accounts have a
    published password. Needs the national role model (`manage.py loaddata roles`).
    Publishing happens outside any transaction of ours: each publication is its own durable
    transaction, and its PDF is queued when it commits.
    """
    if not settings.DEMO_DATA_ALLOWED:
        log(NOT_ALLOWED)
        return False
    if not Role.objects.filter(slug=MEDICAL_DIRECTOR_SLUG).exists():
        raise LookupError(
            "The national role model is not loaded: run `manage.py loaddata roles` first."
        )
    with transaction.atomic():
        trusts = {spec.slug: _trust(spec) for spec in (NORTHSHIRE, SOUTHMOOR)}
        users = _accounts(password, trusts)
        northshire = _pack(trusts["northshire"], NORTHSHIRE)
        southmoor = _pack(trusts["southmoor"], SOUTHMOOR)

    hr = users["northshire-hr"]
    published = northshire.versions.count()
    if published == 0:
        import_draft(northshire, demo_pack_data("northshire-v1"), user=hr)
        northshire.publish(user=hr, change_summary="First version of the Northshire pack.")
        published = 1
        log("Northshire: published version 1.")
    if published == 1:
        import_draft(northshire, demo_pack_data("northshire-v2"), user=hr)
        northshire.publish(user=hr, change_summary=NORTHSHIRE_V2_SUMMARY)
        log("Northshire: published version 2.")

    if not southmoor.versions.exists():
        # Written by one governance officer and published by the other: the four-eyes rule.
        import_draft(southmoor, demo_pack_data("southmoor-v1"), user=users["southmoor-cs"])
        southmoor.publish(user=users["southmoor-hr"], change_summary="First version, approved.")
        _southmoor_pending_edit(southmoor, users["southmoor-hr"])
        log(
            "Southmoor: published version 1; a later edit by southmoor-hr waits for "
            "southmoor-cs to approve and publish it."
        )
    load_journey_demo(log=log)
    log("Northshire: northshire-md is six weeks into their induction.")
    log("Demo data is loaded.")
    return True
