"""The national checklist: the steps every new pack's first 100 days start with.

A trust's HR admin edits them in the pack; a change here reaches existing drafts as a national
update (induction/baseline.py), to adopt or decline.
"""

# (category, step, due by day) for the first 100 days and the reviews at three and six months;
# an HR admin edits them in the pack.
CHECKLIST_SUGGESTIONS = [
    ("meet", "Meet the Chief Executive to agree your objectives for the first 100 days", 7),
    ("meet", "Meet the Chair of the trust", 7),
    (
        "read",
        "Read the standing orders, scheme of delegation and standing financial instructions",
        7,
    ),
    ("meet", "Meet the Director of Nursing to agree how you will share clinical leadership", 30),
    ("meet", "Visit each clinical division and meet its clinical director on their ground", 30),
    ("meet", "Meet the non-executive chair of the quality committee", 30),
    ("read", "Read the last six months of board and quality committee papers", 30),
    ("read", "Read the board assurance framework and the corporate risk register", 30),
    ("read", "Read the latest Care Quality Commission report and the action plan", 30),
    (
        "training",
        "Agree the handover of Responsible Officer duties with the regional "
        "higher-level Responsible Officer",
        30,
    ),
    ("meet", "Meet each non-executive director one to one", 60),
    (
        "meet",
        "Meet the chair of the local negotiating committee and the medical staff committee",
        60,
    ),
    ("meet", "Meet your counterparts in the integrated care board and neighbouring trusts", 60),
    ("training", "Agree a mentor or coach from outside the trust", 60),
    ("read", "Read the clinical strategy and the local system's plans", 60),
    (
        "training",
        "Agree a development plan, for example a national medical leadership "
        "programme, and the time for it",
        100,
    ),
    (
        "training",
        "Review your job plan, including any clinical sessions, with the Chief Executive",
        100,
    ),
    ("meet", "Join a regional peer network of medical directors", 100),
    # The reviews NHS guidance on board induction builds in: at three and at six months.
    (
        "meet",
        "Review your first three months with the Chief Executive and the Chair: what has "
        "worked, what to change, and your objectives for the next three",
        91,
    ),
    (
        "training",
        "Hold your six-month review with the Chief Executive: progress against your "
        "objectives, your development plan and your first appraisal as Medical Director",
        182,
    ),
]

# What every board member must do, whatever the trust: as checklist steps the inductee ticks.
# The portal records that a step was done and when, never the answers, declarations or
# assessments themselves, so each step says so. Sources (checked 30 November 2026) are in
# templates/induction/baseline/checklist_intro.md.
BOARD_MEMBER_OBLIGATIONS = [
    (
        "obligations",
        "Fit and proper person test: give the trust what it needs for your assessment and "
        "board reference, and complete your self-attestation (repeated every year). The "
        "portal records only that this is done, never your answers or documents.",
        7,
    ),
    (
        "obligations",
        "Declare your interests, or that you have none, for the register of board members' "
        "interests, and declare any that touches an item at the start of a meeting. The "
        "portal records only that this is done, not what you declared.",
        7,
    ),
    (
        "obligations",
        "Read and sign the trust's code of conduct for board members. The portal records "
        "only that this is done.",
        7,
    ),
    (
        "obligations",
        "Assess yourself against the six domains of the NHS leadership competency framework "
        "for board members, and use it to agree your objectives and development with the "
        "Chief Executive. The portal records only that this is done, never the assessment.",
        100,
    ),
    (
        "obligations",
        "Review your objectives with the Chief Executive at mid-year, towards your annual "
        "board member appraisal, which covers the six competency domains and feedback from "
        "colleagues. The portal records only that the review took place.",
        182,
    ),
]

# Every step the national baseline suggests, in order.
NATIONAL_CHECKLIST = CHECKLIST_SUGGESTIONS + BOARD_MEMBER_OBLIGATIONS
