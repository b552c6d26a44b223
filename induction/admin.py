"""Admin for platform staff: trusts and memberships, packs, and read-only versions and audit.

Staff create trusts and grant memberships here. A pack's draft is best edited in the portal's
editor; the admin offers its sections inline and a "Publish" action that calls the same
`InductionPack.publish` as the portal and the command line. Reaching the admin gives no role
in a trust: a pack is read-only here unless the staff member is one of its trust's editors,
through a membership or by acting as an editor (started in the portal, where it is audited;
the admin lists those accesses read-only). Versions and the audit trail are read-only: a
published version never changes.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import ngettext

from roles.models import MEDICAL_DIRECTOR_SLUG

from . import membership_audit, services
from .baseline import create_pack_from_baseline
from .models import (
    ApprovalRequest,
    AuditEvent,
    InductionPack,
    Membership,
    PackVersion,
    Section,
    StaffAccess,
    Trust,
)
from .pdf.tasks import render_version_pdf
from .publishing import PublishError
from .safe_markdown import validate_markdown
from .saved_by import saved_by_words
from .views.navigation import act_as_editor_url


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "board_role", "start_date"]


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ods_code", "kind", "region"]
    list_filter = ["region", "kind"]
    search_fields = ["name", "slug", "ods_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    actions = ["create_medical_director_pack"]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        for membership in formset.new_objects:
            membership_audit.added(request.user, membership)
        for membership, fields in formset.changed_objects:
            membership_audit.changed(request.user, membership, fields)
        for membership in formset.deleted_objects:
            membership_audit.removed(request.user, membership)

    @admin.action(description="Create a Medical Director pack from the national baseline")
    def create_medical_director_pack(self, request, queryset):
        created = 0
        for trust in queryset:
            if trust.packs.filter(board_role__slug=MEDICAL_DIRECTOR_SLUG).exists():
                continue
            create_pack_from_baseline(trust=trust)
            created += 1
        self.message_user(
            request,
            ngettext("Created %d pack.", "Created %d packs.", created) % created
            if created
            else "Every selected trust already has a Medical Director pack.",
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "trust", "role", "board_role", "start_date"]
    list_filter = ["role", "trust", "board_role"]
    search_fields = ["user__username", "user__email", "trust__name"]
    autocomplete_fields = ["user", "trust"]
    fields = ["user", "trust", "role", "board_role", "start_date"]

    def get_readonly_fields(self, request, obj=None):
        # Another person or trust is another membership: add that one, remove this one.
        return ["user", "trust"] if obj else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            membership_audit.added(request.user, obj)
        elif form.changed_data:
            membership_audit.changed(request.user, obj, form.changed_data)

    def delete_model(self, request, obj):
        membership_audit.removed(request.user, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "trust"):
            membership_audit.removed(request.user, membership)
        super().delete_queryset(request, queryset)


class ConflictCheckingForm(forms.ModelForm):
    """An admin form that carries the revision its object had when the page was loaded. Saved
    after someone else changed the object, it is a conflict: the page comes back with what
    the user typed in the form and, in the error, the object as it is now; nothing is saved.

    The services check the revision again as they save (a conditional update, race-free);
    checking here too is what lets the page show both sides. `viewer` is set per request by
    the admin (`get_form`, `get_formset`), so "who saved it" can say "you, in another tab".
    """

    viewer = None
    # The form's hidden field holding the loaded revision, and the object's revision field.
    revision_field = ""
    loaded_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[self.loaded_field].initial = getattr(self.instance, self.revision_field)

    def edited_fields(self) -> list[str]:
        """The fields the user changed that the revision guards."""
        return [name for name in self.changed_data if name != self.loaded_field]

    def clean(self):
        cleaned = super().clean()
        current = getattr(self.instance, self.revision_field, None)
        if self.instance.pk and self.edited_fields() and cleaned.get(self.loaded_field) != current:
            raise ValidationError(self.conflict_message())
        return cleaned

    def conflict_message(self) -> str:
        raise NotImplementedError


def _now_words(instance, fields) -> str:
    """The object's fields as they are now, by label: "Title: “…”; Visibility: …"."""
    words = []
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if field.choices:
            value = getattr(instance, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, str):
            value = f"“{value}”"
        words.append(f"{capfirst(field.verbose_name)}: {value}")
    return "; ".join(words)


class TextareaText(forms.CharField):
    """A textarea's text, kept as typed (no stripping, as in the portal's editor). Browsers
    post a textarea's line breaks as CRLF: a text the user left alone is unchanged whatever
    line breaks it was stored with, so saving the page never rewrites a section nobody edited."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, required=False, widget=forms.Textarea, **kwargs)

    def has_changed(self, initial, data):
        def lines(text):
            return (text or "").replace("\r\n", "\n")

        return lines(initial) != lines(self.to_python(data))


class SectionForm(ConflictCheckingForm):
    # The revision the section had when the page was loaded: saving over a newer one is a
    # conflict, as in the portal's editor.
    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = TextareaText(help_text="Markdown.")
    revision_field, loaded_field = "revision", "loaded_revision"

    class Meta:
        model = Section
        fields = ["title", "body"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        validate_markdown(body)
        return body

    def conflict_message(self) -> str:
        section = self.instance
        saved_by = saved_by_words(
            viewer=self.viewer,
            saved_by=section.updated_by,
            saved_at=section.updated_at,
            what="this section",
        )
        return (
            f"This section changed while you were editing it. {saved_by}. Your changes, "
            "below, have not been saved, nor has anything else on this page. Now it reads: "
            f"{_now_words(section, ['title', 'body'])}. Copy what you need, then reload the "
            "page and make your changes again."
        )


class PackForm(ConflictCheckingForm):
    # The settings revision the page was loaded with, for the same conflict check as the
    # portal's settings page.
    loaded_settings_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    revision_field, loaded_field = "settings_revision", "loaded_settings_revision"

    class Meta:
        model = InductionPack
        fields = ["trust", "board_role", "title", "visibility", "requires_approval",
                  "review_interval_months"]  # fmt: skip

    def edited_fields(self) -> list[str]:
        return [name for name in super().edited_fields() if name in services.SETTINGS_FIELDS]

    def conflict_message(self) -> str:
        change = self.instance.last_settings_change()
        saved_by = saved_by_words(
            viewer=self.viewer,
            saved_by=change.actor if change else None,
            saved_at=change.created_at if change else None,
            what="the settings",
            pronoun="them",
        )
        return (
            f"The settings changed while you were editing them. {saved_by}. Your changes, "
            "below, have not been saved, nor has anything else on this page. The settings "
            f"now: {_now_words(self.instance, services.SETTINGS_FIELDS)}. Reload the page to "
            "change them from there."
        )


def _may_edit(request, pack) -> bool:
    """Whether the admin may offer changes to `pack` (None: a pack being added)."""
    return pack is None or pack.can_edit(request.user)


class SectionInline(admin.StackedInline):
    """The draft's sections. Saved through induction.services like the portal's editor, so
    revisions, the last editor and the audit trail stay right; new ones are free Markdown.
    Read-only for staff who are not editors of the pack's trust."""

    model = Section
    form = SectionForm
    extra = 0
    fields = ["order", "kind", "title", "body", "loaded_revision"]
    readonly_fields = ["order", "kind"]
    show_change_link = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.viewer = request.user  # a class made for this request
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)


@admin.register(InductionPack)
class InductionPackAdmin(admin.ModelAdmin):
    list_display = ["title", "trust", "board_role", "visibility", "requires_approval", "status"]
    list_filter = ["visibility", "requires_approval"]
    search_fields = ["title", "trust__name"]
    form = PackForm
    readonly_fields = ["last_edited_by", "last_edited_at"]
    inlines = [SectionInline]
    actions = ["publish"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_versions()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.viewer = request.user  # a class made for this request
        return form

    def has_change_permission(self, request, obj=None):
        """Staff change a pack only as an editor of its trust; otherwise they may view it."""
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pack = self.get_object(request, object_id)
        if request.method == "GET" and pack is not None and not _may_edit(request, pack):
            url = act_as_editor_url(pack)
            self.message_user(
                request,
                format_html(
                    "You can read this pack but not change it: you are not an editor of {}. "
                    '<a href="{}">Act as an editor of the trust</a> (recorded in its audit '
                    "trail) or ask for a membership.",
                    pack.trust,
                    url,
                ),
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A stale form or a refused change undoes the whole save (the admin saves in one
        transaction) and comes back to the page, as it now is, with the reason."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.EditConflict, services.SettingsConflict, services.RuleRefused) as stop:
            self.message_user(request, f"Nothing was saved. {stop}", messages.ERROR)
            return redirect(request.get_full_path())
        except ValidationError as refused:
            # A rule the services check and the admin's forms cannot, such as the most
            # sections a pack may have.
            self.message_user(
                request, f"Nothing was saved. {' '.join(refused.messages)}", messages.ERROR
            )
            return redirect(request.get_full_path())

    @admin.display(description="Status")
    def status(self, pack):
        return pack.status_label

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Only what this form changed goes to the service, which checks the form is not stale,
        # applies the approval rule and records the change.
        settings_changes = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in services.SETTINGS_FIELDS
        }
        if settings_changes:
            fresh = InductionPack.objects.select_related("trust").get(pk=obj.pk)
            services.update_pack_settings(
                pack=fresh,
                user=request.user,
                expected_revision=form.cleaned_data["loaded_settings_revision"],
                **settings_changes,
            )
        other_fields = [
            f
            for f in form.changed_data
            if f not in services.SETTINGS_FIELDS and f != "loaded_settings_revision"
        ]
        if other_fields:
            obj.save(update_fields=other_fields)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Section:
            return super().save_formset(request, form, formset, change)
        pack = form.instance
        # The admin's change message reads these, as ModelFormSet.save() would set them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for section_form in formset.deleted_forms:
            if section_form.instance.pk:
                services.remove_section(
                    section=section_form.instance,
                    user=request.user,
                    expected_revision=section_form.cleaned_data["loaded_revision"],
                )
                formset.deleted_objects.append(section_form.instance)
        for section_form in formset.forms:
            if section_form in formset.deleted_forms or not section_form.has_changed():
                continue
            data = section_form.cleaned_data
            if section_form.instance.pk is None:
                section = services.add_section(
                    pack=pack, user=request.user, title=data["title"], body=data["body"]
                )
                formset.new_objects.append(section)
            else:
                # Only what the user changed: a field they left alone is never written back.
                changes = {
                    name: data[name] for name in section_form.changed_data if name in data
                    and name != "loaded_revision"
                }  # fmt: skip
                current = Section.objects.get(pk=section_form.instance.pk)
                services.save_section(
                    section=current,
                    user=request.user,
                    expected_revision=data["loaded_revision"],
                    **changes,
                )
                formset.changed_objects.append((current, section_form.changed_data))

    @admin.action(description="Publish the draft of the selected packs")
    def publish(self, request, queryset):
        for pack in queryset:
            try:
                version = pack.publish(user=request.user, change_summary="Published in the admin")
            except PublishError as refusal:
                self.message_user(request, f"{pack.trust}: {refusal}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{pack.trust}: published version {version.number}.", messages.SUCCESS
                )


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record that is never edited by hand: published versions, the audit trail, staff
    access. Listed and searchable, with no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PackVersion)
class PackVersionAdmin(ReadOnlyAdmin):
    list_display = ["pack", "number", "published_at", "published_by", "pdf_status"]
    list_filter = ["pdf_status"]
    search_fields = ["pack__title", "pack__trust__name", "change_summary"]
    actions = ["make_pdf_again"]

    @admin.action(description="Make the PDF again")
    def make_pdf_again(self, request, queryset):
        """Queue the PDF of each selected version again (one that failed or was interrupted
        waits as "being prepared" meanwhile); the same task as after publishing."""
        ids = list(queryset.values_list("pk", flat=True))
        queryset.exclude(pdf_status=PackVersion.PdfStatus.READY).update(
            pdf_status=PackVersion.PdfStatus.PENDING, pdf_error=""
        )
        for version_id in ids:
            render_version_pdf.enqueue(version_id=version_id)
        self.message_user(
            request,
            ngettext(
                "Queued the PDF of %d version.", "Queued the PDFs of %d versions.", len(ids)
            )
            % len(ids),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pack__trust", "published_by")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "trust", "actor", "action", "detail"]
    list_filter = ["action", "trust"]
    search_fields = ["detail", "actor__username"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("trust", "actor")


@admin.register(StaffAccess)
class StaffAccessAdmin(ReadOnlyAdmin):
    """Who acted as an editor of which trust, why and when: read-only, because starting one is
    the audited step in the portal (induction/staff_access.py), never an admin edit."""

    list_display = ["user", "trust", "reason", "started_at", "ends_at", "ended_at"]
    list_filter = ["trust"]
    search_fields = ["user__username", "trust__name", "reason"]
    date_hierarchy = "started_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "trust")


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(ReadOnlyAdmin):
    """Requests for approval and their answers: read-only, because asking and answering are
    steps in the portal with their own rules and audit entries (induction/approvals.py)."""

    list_display = ["pack", "status", "submitted_by", "submitted_at", "responded_by"]
    list_filter = ["status", "pack__trust"]
    search_fields = ["message", "comments", "submitted_by__username"]
    date_hierarchy = "submitted_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("pack__trust", "submitted_by", "responded_by")
        )
