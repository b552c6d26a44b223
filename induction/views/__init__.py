"""Views of trust induction packs: reading, PDF downloads, editing, approval,
publishing and history.

Every view here finds its pack through `access.pack_view`, which applies the `for_user()`
scoping and the role checks.
"""

from .approvals import ask_for_approval, return_with_comments
from .approvals import withdraw as withdraw_approval
from .downloads import latest_pdf, version_pdf
from .editing import (
    draft_preview,
    pack_edit,
    pack_settings,
    section_add,
    section_move,
    section_remove,
)
from .history import audit, compare, history, version_restore
from .national_updates import section_national_update
from .ordering import sections_order
from .pictures import picture, picture_library, picture_remove
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
from .section_editing import section_edit
from .staff_access import act_as_editor, stop_acting_as_editor
from .writing import paste_convert, section_live_preview

__all__ = [
    "act_as_editor",
    "ask_for_approval",
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
    "paste_convert",
    "return_with_comments",
    "picture",
    "picture_library",
    "picture_remove",
    "publish",
    "section_add",
    "section_edit",
    "section_live_preview",
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
    "withdraw_approval",
]
