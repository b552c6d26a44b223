"""Views of trust induction packs: reading, PDF downloads, editing, publishing and history.

Every view here finds its pack through `access.pack_view`, which applies the `for_user()`
scoping and the role checks.
"""

from .downloads import latest_pdf, version_pdf
from .editing import (
    draft_preview,
    pack_edit,
    pack_settings,
    section_add,
    section_edit,
    section_move,
    section_national_update,
    section_remove,
)
from .history import audit, compare, history, version_restore
from .ordering import sections_order
from .publishing import publish
from .reading import (
    pack_read,
    pack_section,
    pack_whole,
    trust_list,
    version_read,
    version_section,
    version_whole,
)
from .staff_access import act_as_editor, stop_acting_as_editor

__all__ = [
    "act_as_editor",
    "audit",
    "compare",
    "draft_preview",
    "history",
    "latest_pdf",
    "pack_edit",
    "pack_read",
    "pack_section",
    "pack_settings",
    "pack_whole",
    "publish",
    "section_add",
    "section_edit",
    "section_move",
    "section_national_update",
    "section_remove",
    "sections_order",
    "stop_acting_as_editor",
    "trust_list",
    "version_pdf",
    "version_read",
    "version_restore",
    "version_section",
    "version_whole",
]
