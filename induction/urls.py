"""The induction app's addresses: reading, PDF downloads, editing, the picture library,
approval, publishing, history, and platform staff acting as an editor."""

from django.urls import path, re_path

from . import views

app_name = "induction"

urlpatterns = [
    path("", views.trust_list, name="trust_list"),
    # Reading: the newest version, then any version, each page by page or on one page
    path("<slug:slug>/induction/", views.pack_read, name="pack_read"),
    path(
        "<slug:slug>/induction/section-<int:position>/",
        views.pack_section,
        name="pack_section",
    ),
    path("<slug:slug>/induction/whole-pack/", views.pack_whole, name="pack_whole"),
    path("<slug:slug>/induction/v<int:number>/", views.version_read, name="version_read"),
    path(
        "<slug:slug>/induction/v<int:number>/section-<int:position>/",
        views.version_section,
        name="version_section",
    ),
    path(
        "<slug:slug>/induction/v<int:number>/whole-pack/",
        views.version_whole,
        name="version_whole",
    ),
    path("<slug:slug>/induction/v<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path("<slug:slug>/induction/latest.pdf", views.latest_pdf, name="latest_pdf"),
    # Editing the draft
    path("<slug:slug>/induction/edit/", views.pack_edit, name="pack_edit"),
    path("<slug:slug>/induction/edit/preview/", views.draft_preview, name="draft_preview"),
    path("<slug:slug>/induction/edit/settings/", views.pack_settings, name="pack_settings"),
    path("<slug:slug>/induction/edit/sections/add/", views.section_add, name="section_add"),
    path(
        "<slug:slug>/induction/edit/sections/order/",
        views.sections_order,
        name="sections_order",
    ),
    path(
        "<slug:slug>/induction/edit/sections/<int:section_id>/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "<slug:slug>/induction/edit/sections/<int:section_id>/preview/",
        views.section_live_preview,
        name="section_live_preview",
    ),
    path("<slug:slug>/induction/edit/paste/", views.paste_convert, name="paste_convert"),
    path(
        "<slug:slug>/induction/edit/sections/<int:section_id>/move/",
        views.section_move,
        name="section_move",
    ),
    path(
        "<slug:slug>/induction/edit/sections/<int:section_id>/national-update/",
        views.section_national_update,
        name="section_national_update",
    ),
    path(
        "<slug:slug>/induction/edit/sections/<int:section_id>/remove/",
        views.section_remove,
        name="section_remove",
    ),
    # The trust's picture library, and each picture's address (access checked by the view)
    path("<slug:slug>/induction/edit/pictures/", views.picture_library, name="picture_library"),
    path(
        "<slug:slug>/induction/edit/pictures/<str:key>/remove/",
        views.picture_remove,
        name="picture_remove",
    ),
    # The same shape as safe_markdown.PICTURE_URL, the only image address Markdown may show.
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/induction/pictures/"
        r"(?P<key>[0-9a-f]{32})\.(?P<extension>png|jpg|svg)$",
        views.picture,
        name="picture",
    ),
    # Publishing and history
    path("<slug:slug>/induction/publish/", views.publish, name="publish"),
    # Asking for approval, and answering a request (publishing answers it too)
    path("<slug:slug>/induction/approval/ask/", views.ask_for_approval, name="approval_ask"),
    path(
        "<slug:slug>/induction/approval/<int:approval_id>/return/",
        views.return_with_comments,
        name="approval_return",
    ),
    path(
        "<slug:slug>/induction/approval/<int:approval_id>/withdraw/",
        views.withdraw_approval,
        name="approval_withdraw",
    ),
    path("<slug:slug>/induction/history/", views.history, name="history"),
    path("<slug:slug>/induction/compare/", views.compare, name="compare"),
    path(
        "<slug:slug>/induction/v<int:number>/restore/",
        views.version_restore,
        name="version_restore",
    ),
    path("<slug:slug>/induction/audit/", views.audit, name="audit"),
    # Platform staff acting as an editor of the trust (audited, time-limited)
    path("<slug:slug>/induction/act-as-editor/", views.act_as_editor, name="act_as_editor"),
    path(
        "<slug:slug>/induction/act-as-editor/stop/",
        views.stop_acting_as_editor,
        name="stop_acting_as_editor",
    ),
]
