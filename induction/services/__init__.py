"""Edits of a pack's draft and settings: what views, the admin and commands call to change it.

Every function is keyword-only, checks that the user may edit the pack (PermissionDenied if
not), validates its input (ValidationError naming the field), and records the change through
`InductionPack.record` (audit entry, draft revision, last editor). Every edit carries the
revision its form was loaded with: a conditional UPDATE … WHERE revision = expected makes the
check race-free, and a stale one raises a conflict with what is there now, so the second of
two editors is told rather than silently overwriting.

Callers use this package as one interface (`services.save_section(…)`); each module holds one
kind of edit:
- sections.py: a section's title, text and lists;
- outline.py: sections added, removed and reordered;
- national.py: a change of the national text adopted, or the trust's text kept;
- pack.py: the pack's settings, and a published version restored into the draft.

Publishing lives in induction/publishing.py, importing in induction/importing.py, comparing
in induction/comparison.py, and the national baseline in induction/baseline.py.
"""

from .national import NationalTextMovedOn, adopt_national_update, keep_local_text
from .outline import OrderConflict, add_section, move_section, remove_section, reorder_sections
from .pack import (
    SETTINGS_FIELDS,
    RuleRefused,
    SettingsConflict,
    restore_version,
    update_pack_settings,
)
from .sections import (
    EditConflict,
    checklist_rows,
    overlays_with_changes,
    post_holder_rows,
    save_section,
)

__all__ = [
    "SETTINGS_FIELDS",
    "EditConflict",
    "NationalTextMovedOn",
    "OrderConflict",
    "RuleRefused",
    "SettingsConflict",
    "add_section",
    "adopt_national_update",
    "keep_local_text",
    "checklist_rows",
    "move_section",
    "overlays_with_changes",
    "post_holder_rows",
    "remove_section",
    "reorder_sections",
    "restore_version",
    "save_section",
    "update_pack_settings",
]
