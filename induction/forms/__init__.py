"""Forms of the induction pages, one module per page family, drawn by the NHS.UK crispy pack.

The forms only validate and shape input; saving goes through induction/services/ (and
`pack.publish`), which check permissions, guard against concurrent edits and write the audit
trail. Labels are questions or plain names; every error says what to do.

- `base`: what every form shares (crispy helpers, the Markdown check, service errors).
- `editing`: the draft editor's forms: add a section, edit one, the pack's settings.
- `section_lists`: the lists a section holds beside its text: responsibilities, people, steps.
- `publishing`: publishing a version, asking for approval and returning with comments.
- `history`, `pictures`, `staff_access`: the form of each of those pages.
- `reading`: the trust list's filter (name, region, kind).
"""
