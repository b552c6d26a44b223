"""Demo data: two fictional trusts whose packs read as real ones would (`manage.py load_demo`).

- Northshire Hospitals NHS Foundation Trust (`northshire`): an acute trust; pack public, no
  approval rule; two published versions, the second with a change summary.
- Southmoor Community Health NHS Trust (`southmoor`): a community trust; pack for members only,
  approval by a second person required; version 1 published, and a later edit by its HR admin
  waiting for a second approver (so the four-eyes rule can be seen at work).

Accounts (password from DEMO_PASSWORD, default below): northshire-hr (editor and approver),
northshire-md and northshire-ned (readers) of Northshire; southmoor-hr (editor and approver)
of Southmoor.

Loading is idempotent: a trust, account or membership that exists is reused, and each pack is
only filled in and published up to where it should be, so running it twice adds nothing.
Every person, address and document here is invented; e-mail addresses use example.nhs.uk.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from roles.models import Role

from . import services
from .baseline import create_pack_from_baseline
from .models import InductionPack, Membership, Trust
from .snapshot import apply_import, snapshot_draft

DEFAULT_DEMO_PASSWORD = "induction-demo-2026"

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
}


@dataclass(frozen=True)
class DemoTrust:
    slug: str
    name: str
    ods_code: str
    kind: str
    visibility: str
    requires_approval: bool


NORTHSHIRE = DemoTrust(
    "northshire",
    "Northshire Hospitals NHS Foundation Trust",
    "RZ1",
    Trust.Kind.ACUTE,
    InductionPack.Visibility.PUBLIC,
    False,
)
SOUTHMOOR = DemoTrust(
    "southmoor",
    "Southmoor Community Health NHS Trust",
    "RZ2",
    Trust.Kind.COMMUNITY,
    InductionPack.Visibility.MEMBERS,
    True,
)


# --- Northshire -----------------------------------------------------------------------------

NORTHSHIRE_WELCOME = """\
Welcome to Northshire Hospitals NHS Foundation Trust. We are glad you have joined us.

This pack is for you as our new Medical Director. It sets out how the role works here: what \
you hold and what is delegated, who you report to and who reports to you, how the board and \
its committees work, and a plan for your first 100 days. It starts from the national picture \
of the role and says, section by section, how things are done at Northshire.[^1]

Your first week is planned with the Chief Executive's office: an induction day at the \
Northshire Royal Infirmary, a tour of Harfield General Hospital and Elmsford Community \
Hospital, and meetings with the executive team. Joanne Fielding, your executive assistant, \
will send you the timetable before you start.

If anything here is unclear or out of date, tell Linda Carr, Company Secretary, who keeps \
this pack up to date for the next person.

*Margaret Ellison, Chair, and the executive team*

[^1]: GGI 3.1.4, 9.1.1
"""

NORTHSHIRE_ABOUT = """\
Northshire Hospitals NHS Foundation Trust provides acute hospital services to about 620,000 \
people across Northshire and the eastern part of the Vale district. We employ around 7,800 \
staff, of whom about 950 are doctors, and our income is £690 million a year.

# Our sites

| Site | What happens there |
|---|---|
| Northshire Royal Infirmary, Kingsbridge \
| Emergency department, major trauma unit, critical care, cardiology, most inpatient \
surgery, maternity |
| Harfield General Hospital \
| Urgent treatment centre, planned surgery hub, day cases, outpatients, the regional eye unit |
| Elmsford Community Hospital | Rehabilitation beds, midwife-led birth centre, outpatient clinics |

The trust's headquarters and the board room are at the Northshire Royal Infirmary (Trust \
Headquarters, Level 2, Kingsbridge Road, Kingsbridge).

# How we are organised

Clinical services are run by four divisions, each led by a triumvirate of a divisional \
clinical director, a divisional director of operations and a divisional head of nursing:

- Medicine and Emergency Care
- Surgery, Anaesthetics and Critical Care
- Women's and Children's Services
- Clinical Support Services (radiology, pathology, pharmacy and therapies)

The divisional clinical directors report professionally to the Medical Director.

# How the trust is governed

As a foundation trust we have a Council of Governors, elected by our members and appointed \
by partner organisations, which appoints the Chair and non-executive directors and holds \
them to account. The board of directors meets in public six times a year. Its committees are:

- Quality and Safety Committee (chaired by Jonathan Reeve, non-executive director; the \
Medical Director and Chief Nurse are the executive leads)
- Finance and Performance Committee
- Audit and Risk Committee
- People and Culture Committee
- Charitable Funds Committee

# Where we are now

Our last Care Quality Commission inspection (2024) rated the trust *requires improvement* \
overall and *good* for caring. The two main actions outstanding are the timeliness of \
sepsis treatment in the emergency department and consultant job planning. Both are on the \
board assurance framework, and both have the Medical Director as executive lead.

Our priorities this year are: reducing the time patients wait in the emergency department; \
recovering planned surgery at the Harfield hub; and a new clinical strategy with our \
partners in the Northshire and Vale integrated care system.
"""

NORTHSHIRE_BOARD_HERE = """\
# How the board works here

The board of directors meets in public on the first Thursday of February, April, June, \
August, October and December, in the board room at Trust Headquarters, followed by a \
private session. Papers go out a week before; the Medical Director's report is due to the \
Company Secretary ten days before each meeting.

- **Committees you attend.** You are joint executive lead, with the Chief Nurse, for the \
Quality and Safety Committee, which meets monthly. You attend the Audit and Risk Committee \
for the clinical audit programme, and the People and Culture Committee twice a year for the \
revalidation and medical education reports.
- **Your non-executive counterpart.** Jonathan Reeve, who chairs the Quality and Safety \
Committee, is your board buddy. You meet him monthly, and he joins you on a quarterly \
quality walkaround.
- **Board development.** The board holds a development day each quarter. One each year is \
given to the clinical strategy, which you lead.
- **Council of Governors.** You present to the council once a year on quality and patient \
safety, and governors may ask to observe the Quality and Safety Committee.

# The national picture
"""

NORTHSHIRE_CLINICAL_PRACTICE = """\
# Here

The Medical Director's job plan at Northshire has ten programmed activities (PAs): eight \
for the role and two for clinical work in your own specialty at the Northshire Royal \
Infirmary. The two clinical sessions are protected: board and committee dates are set \
around them a year ahead, and when urgent business clashes, your clinical director arranges \
cover through the department's rota.

Your own appraisal and revalidation are arranged with the Responsible Officer of a \
neighbouring trust, so that you are not appraised by anyone you manage. Job plan and \
sessions are reviewed with the Chief Executive each spring.
"""

NORTHSHIRE_SUPPORT_HERE = """\
# What the trust offers

- **A mentor.** The trust pays for a mentor from outside the region through the Faculty of \
Medical Leadership and Management's mentoring scheme. Tell the Director of People which \
areas you want help with and they will arrange an introduction in your first month.
- **Executive coaching.** Up to twelve sessions in your first two years, from the regional \
leadership academy's coaching register.
- **A development programme.** The trust will fund a national programme for medical \
directors in your first eighteen months, with the study leave for it.
- **Peers.** The medical directors of the integrated care system meet every month, and the \
regional medical directors' network every quarter.

# The national picture
"""

NORTHSHIRE_CONTACTS = """\
# Contacts

| Who | For | Contact |
|---|---|---|
| Linda Carr, Company Secretary | Board and committee business, this pack \
| linda.carr@example.nhs.uk, 01632 960 101 |
| Joanne Fielding, Executive Assistant to the Medical Director | Your diary and correspondence \
| joanne.fielding@example.nhs.uk, 01632 960 114 |
| Medical staffing team | Consultant recruitment, job planning, rotas \
| medical.staffing@example.nhs.uk |
| Revalidation and appraisal office | Appraisals, revalidation recommendations \
| revalidation@example.nhs.uk |
| Clinical governance team | Incidents, patient safety investigations, clinical audit \
| clinical.governance@example.nhs.uk |

The governance documents above are on the intranet under *Corporate governance*, and the \
latest board papers are on the trust's public website.
"""

NORTHSHIRE_GLOSSARY_LOCAL = """\
The abbreviations and terms used in this pack and at board meetings. Local ones first:

- **NRI**: Northshire Royal Infirmary, Kingsbridge
- **HGH**: Harfield General Hospital
- **QSC**: the Quality and Safety Committee of the board
- **PA**: programmed activity, a unit of a consultant's job plan (usually four hours)
- **MHPS**: Maintaining High Professional Standards, the national framework for handling \
concerns about doctors

The national terms:
"""

NORTHSHIRE_PEOPLE_V1 = [
    ("Andrew Kent", "Interim Chief Executive", "reports_to", "andrew.kent@example.nhs.uk"),
    ("Margaret Ellison", "Chair", "works_with", "margaret.ellison@example.nhs.uk"),
    ("Catherine Doyle", "Chief Nurse", "works_with", "catherine.doyle@example.nhs.uk"),
    ("Jonathan Reeve", "Non-executive director, chair of the Quality and Safety Committee",
     "works_with", "jonathan.reeve@example.nhs.uk"),
    ("Dr Rachel Osei", "Deputy Medical Director", "reports_to_md",
     "rachel.osei@example.nhs.uk"),
    ("Dr Sanjay Mehta", "Divisional Clinical Director, Medicine and Emergency Care",
     "reports_to_md", "sanjay.mehta@example.nhs.uk"),
    ("Miss Eleanor Hart", "Divisional Clinical Director, Surgery, Anaesthetics and Critical "
     "Care", "reports_to_md", "eleanor.hart@example.nhs.uk"),
    ("Dr Priya Nair", "Divisional Clinical Director, Women's and Children's Services",
     "reports_to_md", "priya.nair@example.nhs.uk"),
]  # fmt: skip

NORTHSHIRE_OVERLAYS = {
    "clinical-strategy": ("held", "", "You chair the Clinical Strategy Board, which meets "
                          "monthly and reports to the Quality and Safety Committee. The new "
                          "clinical strategy is due to the board next October."),
    "clinical-standards": ("held", "", "Shared with the Chief Nurse for standards of care "
                           "that are not only medical, such as sepsis and deteriorating "
                           "patients."),
    "clinical-advice-to-board": ("held", "", "You give a written Medical Director's report "
                                 "at every public board meeting."),
    "professional-leadership": ("held", "", "The Medical Staff Committee meets quarterly. "
                                "You attend the first half of each meeting; its chair, Dr "
                                "Mark Ellis, meets you the week before."),
    "translation-and-alignment": ("held", "", ""),
    "external-work": ("held", "", "You represent the trust on the integrated care board's "
                      "Clinical and Professional Leadership Group, and chair the system's "
                      "acute provider collaborative clinical board in alternate years."),
    "clinical-governance": ("held", "", "Supported day to day by the Associate Director of "
                            "Clinical Governance, who reports to you."),
    "responsible-officer": ("held", "", "You are the trust's Responsible Officer for about "
                            "900 doctors with a prescribed connection."),
    "education": ("delegated", "Director of Medical Education", "Dr Fiona Grant leads "
                  "postgraduate and undergraduate medical education and reports to you."),
    "medical-staffing-planning": ("delegated", "Director of People",
                                  "Workforce plans for doctors are agreed jointly with you "
                                  "through the Medical Workforce Group."),
    "doctors-disciplinary-issues": ("held", "", "Under the MHPS framework you decide whether "
                                    "a formal investigation is needed; a Deputy Medical "
                                    "Director acts as case manager."),
}  # fmt: skip

NORTHSHIRE_CHECKLIST = [
    ("meet", "Meet Andrew Kent, Interim Chief Executive, to agree your objectives for the "
     "first 100 days", 7),
    ("meet", "Meet Margaret Ellison, Chair", 7),
    ("meet", "Meet Catherine Doyle, Chief Nurse, to agree how you will share the quality "
     "and safety agenda", 7),
    ("read", "Read the standing orders, scheme of delegation and standing financial "
     "instructions", 7),
    ("meet", "Spend a day with each of the four divisions, starting with Medicine and "
     "Emergency Care", 30),
    ("meet", "Meet Jonathan Reeve, your board buddy, before your first Quality and Safety "
     "Committee", 30),
    ("read", "Read the last six months of board and Quality and Safety Committee papers", 30),
    ("read", "Read the 2024 CQC inspection report and the improvement plan", 30),
    ("read", "Read the board assurance framework and the corporate risk register", 30),
    ("training", "Agree the handover of Responsible Officer duties with NHS England's "
     "regional team", 30),
    ("meet", "Meet each non-executive director one to one", 60),
    ("meet", "Meet the chair of the Medical Staff Committee and the chair of the local "
     "negotiating committee", 60),
    ("meet", "Meet the medical directors of the integrated care board and of Vale "
     "University Hospitals", 60),
    ("training", "Agree a mentor through the FMLM mentoring scheme", 60),
    ("read", "Read the draft clinical strategy and the integrated care system's joint "
     "forward plan", 60),
    ("training", "Agree your development programme and study leave with the Chief "
     "Executive", 100),
    ("training", "Review your job plan and clinical sessions with the Chief Executive", 100),
    ("meet", "Join the regional medical directors' network", 100),
]  # fmt: skip


# --- Southmoor ------------------------------------------------------------------------------

SOUTHMOOR_WELCOME = """\
Welcome to Southmoor Community Health NHS Trust.

Most of our care happens in people's homes, in clinics and in our six community hospitals, \
and most of it is given by nurses and therapists. That makes the Medical Director's role \
here different from an acute trust's: you lead a small but varied medical workforce, and \
much of your influence comes through partnership with general practice, the local \
hospitals and social care.

This pack sets out how the role works at Southmoor, starting from the national picture and \
saying what is local. It is for members of the trust only, because it names staff and \
internal arrangements.

Paul Dennison, Head of Corporate Governance, keeps the pack up to date. A new version is \
published only after a second person has checked it.
"""

SOUTHMOOR_ABOUT = """\
Southmoor Community Health NHS Trust provides community health services to about 480,000 \
people across Southmoor and the coastal towns of the Wenn valley. We employ around 3,900 \
staff, including about 120 doctors: community paediatricians, geriatricians, specialty \
doctors in our community hospitals, and GPs with extended roles in urgent care.

# Our services

- Adult community nursing and therapy teams, organised in eight neighbourhood teams that \
match the primary care networks
- Six community hospitals, with 190 rehabilitation and step-down beds; the largest are \
Wenmouth Community Hospital and St Aldhelm's Hospital, Brackley
- Children's community services: community paediatrics, health visiting and school nursing
- Two urgent treatment centres, at Wenmouth and Brackley
- Sexual health services and the health care service at HMP Southmoor

# How the trust is governed

The board meets in public every other month, at Trust Headquarters, Moorside House, \
Brackley. Its committees are Quality and Safety; Finance, Performance and Digital; Audit \
and Risk; and People. The Medical Director is executive lead for the Quality and Safety \
Committee jointly with the Director of Nursing and Quality.

# Where we are now

The Care Quality Commission rated us *good* overall in 2023, and *outstanding* for caring \
in our community hospitals. Our main risks are vacancies among community nurses and \
specialty doctors, and the number of people waiting for a community paediatric \
assessment.
"""

SOUTHMOOR_PEOPLE = [
    ("Fiona Barrett", "Chief Executive", "reports_to", "fiona.barrett@example.nhs.uk"),
    ("Richard Okonjo", "Chair", "works_with", "richard.okonjo@example.nhs.uk"),
    ("Helen Marsh", "Director of Nursing and Quality", "works_with",
     "helen.marsh@example.nhs.uk"),
    ("Dr Ian Forsyth", "Deputy Medical Director", "reports_to_md", "ian.forsyth@example.nhs.uk"),
    ("Dr Aisha Rahman", "Clinical Lead, Community Paediatrics", "reports_to_md",
     "aisha.rahman@example.nhs.uk"),
    ("Dr Gareth Lloyd", "Clinical Lead, Community Hospitals and Older People", "reports_to_md",
     "gareth.lloyd@example.nhs.uk"),
]  # fmt: skip

SOUTHMOOR_OVERLAYS = {
    "clinical-strategy": ("held", "", "Written with the integrated care board and the two "
                          "acute trusts: most of our pathways start or end in theirs."),
    "clinical-governance": ("delegated", "Director of Nursing and Quality",
                            "Most of our clinical staff are nurses and therapists, so the "
                            "Director of Nursing and Quality leads clinical governance. You "
                            "lead on medical aspects, mortality review and medicines "
                            "safety."),
    "responsible-officer": ("held", "", "About 110 doctors have their prescribed connection "
                            "to the trust."),
    "education": ("delegated", "Deputy Medical Director", "Including the GP training "
                  "placements in our urgent treatment centres."),
    "medical-staffing-planning": ("delegated", "Head of Medical Workforce", ""),
    "external-work": ("held", "", "You sit on the integrated care board's Clinical and "
                      "Professional Leadership Group, and meet the clinical directors of "
                      "the primary care networks each quarter."),
}  # fmt: skip

SOUTHMOOR_CLINICAL_PRACTICE = """\
# Here

The Medical Director keeps one clinical session a week in their own specialty, at a \
Southmoor clinic or at one of the local acute trusts under an honorary contract, as agreed \
at appointment. The session is in the job plan and reviewed with the Chief Executive every \
year.
"""

SOUTHMOOR_BOARD_HERE = """\
# How the board works here

The board meets in public in January, March, May, July, September and November, usually at \
Moorside House and once a year at a community hospital, with a patient story at the start of \
each meeting. A private session follows.

- **Committees you attend.** You are joint executive lead for the Quality and Safety \
Committee, with the Director of Nursing and Quality. You present the annual revalidation \
report and the learning from deaths report to the board.
- **Your non-executive counterpart.** Dr Jane Whitlock, a retired GP and chair of the \
Quality and Safety Committee, is the non-executive director you will work with most. Meet \
her in your first month.
- **Board development.** Four development sessions a year, one of them with the boards of \
the two local acute trusts.

# The national picture
"""

SOUTHMOOR_SUPPORT_HERE = """\
# What the trust offers

- **A mentor.** A medical director from another community trust, arranged through the \
regional medical directors' network.
- **Coaching.** Up to eight sessions of executive coaching in your first year.
- **Development.** Protected time and funding for a national medical leadership programme \
in your first two years; agree which with the Chief Executive.
- **Peers.** Community trust medical directors meet nationally twice a year, and the \
integrated care system's medical directors monthly.

# The national picture
"""

SOUTHMOOR_CONTACTS = """\
# Contacts

| Who | For | Contact |
|---|---|---|
| Paul Dennison, Head of Corporate Governance | Board business, this pack \
| paul.dennison@example.nhs.uk, 01632 960 401 |
| Medical workforce team | Job planning, recruitment, appraisal | medical.workforce@example.nhs.uk |
| Patient safety team | Incidents and learning from deaths | patient.safety@example.nhs.uk |
"""

SOUTHMOOR_CHECKLIST_EXTRA = [
    ("meet", "Spend a day with a neighbourhood nursing team, and a day at Wenmouth Community "
     "Hospital", 30),
    ("meet", "Meet the clinical directors of the primary care networks", 60),
]  # fmt: skip

SOUTHMOOR_PENDING_ITEM = (
    "read",
    "Read the community paediatrics waiting list recovery plan",
    30,
)


# --- building the packs ---------------------------------------------------------------------


def _replace_here(body: str, local: str) -> str:
    """Put local text in place of the baseline's "# Here" prompt, keeping the footnotes."""
    start = body.find("# Here")
    if start == -1:
        return f"{local}\n{body}"
    end = body.find("\n[^", start)
    return body[:start] + local + (body[end:] if end != -1 else "")


def _section(data: dict, kind: str, title_start: str = "") -> dict:
    return next(
        s for s in data["sections"] if s["kind"] == kind and s["title"].startswith(title_start)
    )


def _people(rows) -> list[dict]:
    return [
        {"name": name, "title": title, "relation": relation, "contact": contact}
        for name, title, relation, contact in rows
    ]


def _overlays(section: dict, choices: dict) -> None:
    for item in section["responsibilities"]:
        status, delegated_to, note = choices.get(item["slug"], (item["status"], "", ""))
        item.update(status=status, delegated_to=delegated_to, note=note)


def _checklist(rows) -> list[dict]:
    return [{"category": c, "text": t, "due_by_day": d} for c, t, d in rows]


def _local_draft(
    pack: InductionPack, *, welcome, about, overlays, people, board, practice, support, contacts
) -> dict:
    """The baseline draft with a trust's own text put in: the part both demo trusts share."""
    data = copy.deepcopy(snapshot_draft(pack))
    _section(data, "markdown", "Welcome")["body"] = welcome
    _section(data, "markdown", "About")["body"] = about
    _overlays(_section(data, "responsibilities"), overlays)
    _section(data, "people")["post_holders"] = _people(people)
    board_section = _section(data, "markdown", "Working with the board")
    board_section["body"] = board + "\n" + board_section["body"].split("\n\n", 1)[-1]
    practice_section = _section(data, "markdown", "Clinical practice")
    practice_section["body"] = _replace_here(practice_section["body"], practice)
    support_section = _section(data, "markdown", "Support and development")
    support_section["body"] = support + "\n" + support_section["body"].split("\n\n", 1)[-1]
    documents = _section(data, "markdown", "Key documents")
    documents["body"] = documents["body"].split("# Contacts")[0] + contacts
    return data


def northshire_content(pack: InductionPack) -> dict:
    """Northshire's draft for version 1: the baseline with everything local filled in."""
    data = _local_draft(
        pack,
        welcome=NORTHSHIRE_WELCOME,
        about=NORTHSHIRE_ABOUT,
        overlays=NORTHSHIRE_OVERLAYS,
        people=NORTHSHIRE_PEOPLE_V1,
        board=NORTHSHIRE_BOARD_HERE,
        practice=NORTHSHIRE_CLINICAL_PRACTICE,
        support=NORTHSHIRE_SUPPORT_HERE,
        contacts=NORTHSHIRE_CONTACTS,
    )
    _section(data, "checklist")["checklist"] = _checklist(NORTHSHIRE_CHECKLIST)
    _section(data, "glossary")["body"] = NORTHSHIRE_GLOSSARY_LOCAL
    return data


def southmoor_content(pack: InductionPack) -> dict:
    """Southmoor's draft for version 1: the baseline checklist, with local steps added."""
    data = _local_draft(
        pack,
        welcome=SOUTHMOOR_WELCOME,
        about=SOUTHMOOR_ABOUT,
        overlays=SOUTHMOOR_OVERLAYS,
        people=SOUTHMOOR_PEOPLE,
        board=SOUTHMOOR_BOARD_HERE,
        practice=SOUTHMOOR_CLINICAL_PRACTICE,
        support=SOUTHMOOR_SUPPORT_HERE,
        contacts=SOUTHMOOR_CONTACTS,
    )
    checklist = _section(data, "checklist")
    checklist["checklist"] = checklist["checklist"] + _checklist(SOUTHMOOR_CHECKLIST_EXTRA)
    return data


def _northshire_second_version(pack: InductionPack, hr) -> None:
    """The edits behind Northshire's version 2: a new Chief Executive and a delegation."""
    people = pack.sections.get(kind="people")
    rows = _people(NORTHSHIRE_PEOPLE_V1)
    rows[0] = {
        "name": "Dr Helen Price",
        "title": "Chief Executive",
        "relation": "reports_to",
        "contact": "helen.price@example.nhs.uk",
    }
    services.save_section(
        section=people, user=hr, expected_revision=people.revision, post_holders=rows
    )
    checklist = pack.sections.get(kind="checklist")
    first = checklist.checklist.order_by("order").first()
    services.save_checklist_item(
        item=first,
        user=hr,
        text="Meet Dr Helen Price, Chief Executive, to agree your objectives for the first "
        "100 days",
    )
    services.add_checklist_item(
        section=checklist,
        user=hr,
        category="read",
        text="Read the sepsis improvement plan agreed with the CQC",
        due_by_day=30,
    )
    overlay = (
        pack.sections.get(kind="responsibilities")
        .overlays.filter(responsibility__slug="responsible-officer")
        .first()
    )
    if overlay is not None:
        services.save_overlay(
            overlay=overlay,
            user=hr,
            status="delegated",
            delegated_to="Deputy Medical Director",
            note="Dr Rachel Osei has been the trust's Responsible Officer since 1 October, "
            "with the Medical Director as her line manager for the role.",
        )


# --- loading --------------------------------------------------------------------------------


def _trust(spec: DemoTrust) -> Trust:
    trust, _ = Trust.objects.update_or_create(
        slug=spec.slug,
        defaults={"name": spec.name, "ods_code": spec.ods_code, "kind": spec.kind},
    )
    return trust


def _pack(trust: Trust, spec: DemoTrust) -> InductionPack:
    pack = trust.packs.filter(board_role__slug="medical-director").first()
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


NOT_IN_PRODUCTION = (
    "Demo data not loaded: DJANGO_DEBUG is off, and demo accounts, whose password is "
    "published, must never exist on a live portal. Set DJANGO_DEBUG=1 to load the demo on "
    "your own machine."
)


def load_demo(*, password: str, log: Callable[[str], None] = print) -> bool:
    """Load (or complete) the demo trusts, accounts and packs. Idempotent.

    Loads nothing, and returns False, unless settings.DEBUG is on: the accounts have a
    published password. Needs the national role model (`manage.py loaddata roles`).
    Publishing happens outside any transaction of ours: each publication is its own durable
    transaction, and its PDF is queued when it commits.
    """
    if not settings.DEBUG:
        log(NOT_IN_PRODUCTION)
        return False
    if not Role.objects.filter(slug="medical-director").exists():
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
        apply_import(northshire, northshire_content(northshire), user=hr)
        northshire.publish(user=hr, change_summary="First version of the Northshire pack.")
        published = 1
        log("Northshire: published version 1.")
    if published == 1:
        _northshire_second_version(northshire, hr)
        northshire.publish(
            user=hr,
            change_summary="Dr Helen Price joined as Chief Executive; Responsible Officer "
            "duties are now delegated to the Deputy Medical Director; the sepsis improvement "
            "plan added to the reading list.",
        )
        log("Northshire: published version 2.")

    southmoor_hr = users["southmoor-hr"]
    if not southmoor.versions.exists():
        # The content is loaded by the platform (no user), so southmoor-hr, an approver who
        # did not write it, may publish it under the four-eyes rule.
        apply_import(southmoor, southmoor_content(southmoor), user=None)
        southmoor.publish(user=southmoor_hr, change_summary="First version, approved.")
        checklist = southmoor.sections.get(kind="checklist")
        category, text, day = SOUTHMOOR_PENDING_ITEM
        services.add_checklist_item(
            section=checklist, user=southmoor_hr, category=category, text=text, due_by_day=day
        )
        log(
            "Southmoor: published version 1; a later edit by southmoor-hr waits for a second "
            "approver."
        )
    log("Demo data is loaded.")
    return True
