"""The catalogue of mutants `mutation/run.py` measures, by group of rules.

Each mutant is a one-line change a real bug could make: the file, the exact original text
(which must occur exactly once in the file, so that the catalogue cannot silently go stale;
some originals include a neighbouring line only to be unique), the replacement, and a note
saying what would go wrong. Each group names the tests it runs: fast, but honest, because a
mutant counts as killed only when one of them fails.

EQUIVALENT lists mutants that change no behaviour anyone could observe, each with the reason:
they are checked against the code like the others, but never run or counted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    file: str
    original: str
    replacement: str
    note: str


@dataclass(frozen=True)
class Equivalent:
    group: str
    file: str
    original: str
    replacement: str
    reason: str


@dataclass(frozen=True)
class Group:
    name: str
    title: str
    tests: tuple[str, ...]
    mutants: tuple[Mutant, ...]


MODELS = "induction/models.py"
ACCESS = "induction/views/access.py"
READING = "induction/views/reading.py"
PUBLISHING = "induction/publishing.py"
SANITISER = "induction/safe_markdown.py"
FETCHER = "induction/pdf/url_fetcher.py"
PDF_RENDERING = "induction/pdf/rendering.py"
IMPORTING = "induction/importing.py"


ACCESS_CONTROL = Group(
    name="access",
    title="access control: views/access.py, the permission methods and querysets, trust_list",
    # The permission matrix (tests/induction/test_permission_matrix.py) is left out: its 400
    # page requests take most of a minute, and the tests below decide each rule directly.
    tests=(
        "tests/induction/test_access.py",
        "tests/induction/test_permissions_model.py",
        "tests/induction/test_views_reading.py",
        "tests/induction/test_cache_control.py",
        "tests/induction/test_member_roles_kept.py",
    ),
    mutants=(
        Mutant(
            MODELS,
            'like anyone\'s)."""\n        if user.is_authenticated and user.is_staff:',
            'like anyone\'s)."""\n        if user.is_authenticated and user.is_superuser:',
            "Trust.for_user: staff who are not superusers lose every trust",
        ),
        Mutant(
            MODELS,
            "            return self.none()\n"
            "        return self.filter(memberships__user=user).distinct()",
            "            return self\n"
            "        return self.filter(memberships__user=user).distinct()",
            "Trust.for_user: anonymous visitors get every trust",
        ),
        Mutant(
            MODELS,
            "return self.filter(memberships__user=user).distinct()",
            "return self.all()",
            "Trust.for_user: every signed-in user belongs to every trust",
        ),
        Mutant(
            MODELS,
            "return self.filter(memberships__user=user).distinct()",
            "return self.filter(memberships__user=user)",
            "Trust.for_user: a member with two roles gets the trust twice",
        ),
        Mutant(
            MODELS,
            '"""Packs the user may read: public ones, their own trusts\' ones, every one for '
            'staff."""\n        if user.is_authenticated and user.is_staff:',
            '"""Packs the user may read: public ones, their own trusts\' ones, every one for '
            'staff."""\n        if user.is_authenticated and user.is_superuser:',
            "InductionPack.for_user: staff who are not superusers lose members-only packs",
        ),
        Mutant(
            MODELS,
            "visible = models.Q(visibility=InductionPack.Visibility.PUBLIC)",
            "visible = models.Q(visibility=InductionPack.Visibility.MEMBERS)",
            "InductionPack.for_user: members-only packs are shown to everyone, public hidden",
        ),
        Mutant(
            MODELS,
            "visible |= models.Q(trust__memberships__user=user)",
            "visible &= models.Q(trust__memberships__user=user)",
            "InductionPack.for_user: members see only their public packs",
        ),
        Mutant(
            MODELS,
            "        if user.is_authenticated:\n            visible |=",
            "        if not user.is_authenticated:\n            visible |=",
            "InductionPack.for_user: the membership test is made for the wrong users",
        ),
        Mutant(
            MODELS,
            "return self.filter(visible).distinct()",
            "return self.filter(visible)",
            "InductionPack.for_user: a pack shows once per membership row",
        ),
        Mutant(
            MODELS,
            "            return self.none()\n        editable = models.Q(",
            "            return self\n        editable = models.Q(",
            "editable_by returns every pack to anonymous visitors ('Edit the pack' links)",
        ),
        Mutant(
            MODELS,
            'acting = StaffAccess.objects.active().filter(user=user).values("trust")',
            'acting = StaffAccess.objects.filter(user=user).values("trust")',
            "editable_by: staff whose access ended or expired still edit",
        ),
        Mutant(
            MODELS,
            "trust__memberships__user=user, trust__memberships__role=Membership.Role.EDITOR",
            "trust__memberships__user=user, trust__memberships__role=Membership.Role.APPROVER",
            "editable_by: approvers instead of editors",
        ),
        Mutant(
            MODELS,
            "trust__memberships__user=user, trust__memberships__role=Membership.Role.EDITOR",
            "trust__memberships__user=user",
            "editable_by: any member (readers too)",
        ),
        Mutant(
            MODELS,
            'return bool(getattr(user, "is_authenticated", False) and user.is_staff)',
            'return bool(getattr(user, "is_authenticated", False))',
            "_is_staff: every signed-in user counts as platform staff",
        ),
        Mutant(
            MODELS,
            "return bool(self._roles(user))",
            "return self._roles(user) is not None",
            "is_member: everyone is a member",
        ),
        Mutant(
            MODELS,
            "self.visibility == self.Visibility.PUBLIC\n",
            "self.visibility == self.Visibility.MEMBERS\n",
            "can_read: members-only packs are open to everyone",
        ),
        Mutant(
            MODELS,
            "            or self._is_staff(user)\n            or self.is_member(user)",
            "            or False\n            or self.is_member(user)",
            "can_read: staff cannot read members-only packs",
        ),
        Mutant(
            MODELS,
            "            or self.is_member(user)\n        )",
            "            or self.can_edit(user)\n        )",
            "can_read: readers cannot read their own members-only pack",
        ),
        Mutant(
            MODELS,
            "        return Membership.Role.EDITOR in self._roles(user)\n",
            "        return Membership.Role.APPROVER in self._roles(user)\n",
            "can_edit: approvers edit, editors do not",
        ),
        Mutant(
            MODELS,
            "        return Membership.Role.EDITOR in self._roles(user)\n",
            "        return bool(self._roles(user))\n",
            "can_edit: any member, readers too",
        ),
        Mutant(
            MODELS,
            "        return Membership.Role.EDITOR in self._roles(user)\n",
            "        return self._is_staff(user) or Membership.Role.EDITOR in self._roles(user)\n",
            "can_edit: platform staff edit by rank, without acting as an editor",
        ),
        Mutant(
            MODELS,
            "        if not self.can_edit(user):\n            raise PermissionDenied",
            "        if not self.can_view_draft(user):\n            raise PermissionDenied",
            "check_can_edit lets approvers through",
        ),
        Mutant(
            MODELS,
            "        return Membership.Role.APPROVER in self._roles(user)\n",
            "        return Membership.Role.EDITOR in self._roles(user)\n",
            "can_approve: editors approve, approvers do not",
        ),
        Mutant(
            MODELS,
            "        return Membership.Role.APPROVER in self._roles(user)\n",
            "        return self._is_staff(user) or "
            "Membership.Role.APPROVER in self._roles(user)\n",
            "can_approve: platform staff approve by rank (and publish their own edits)",
        ),
        Mutant(
            MODELS,
            "                    roles.add(Membership.Role.EDITOR)",
            "                    roles.update({Membership.Role.EDITOR, Membership.Role.APPROVER})",
            "staff acting as an editor also become approvers: four eyes become two",
        ),
        Mutant(
            MODELS,
            "                    .filter(trust=self, user=user)\n",
            "                    .filter(user=user)\n",
            "staff acting as an editor of one trust edit every trust",
        ),
        Mutant(
            MODELS,
            "return self.can_edit(user) or self.can_approve(user)",
            "return self.can_edit(user) and self.can_approve(user)",
            "can_view_draft: only people who are both editor and approver",
        ),
        Mutant(
            MODELS,
            "return self.can_edit(user) or self.can_approve(user)",
            "return self.can_edit(user)",
            "can_view_draft: approvers cannot read what they publish",
        ),
        Mutant(
            MODELS,
            "if user.pk not in cache:",
            "if not cache:",
            "role_names_for: the first user's roles are served to everyone after",
        ),
        Mutant(
            MODELS,
            "roles = set(Membership.objects.roles_by_trust(user).get(self.pk, ()))",
            "roles = set().union(*Membership.objects.roles_by_trust(user).values())",
            "role_names_for: a role in any trust counts in every trust",
        ),
        Mutant(
            "page_cache/generation.py",
            "        if transaction.get_connection().in_atomic_block:\n            return make()\n",
            "",
            "values made inside a transaction that rolls back are kept in the cache",
        ),
        Mutant(
            "induction/receivers.py",
            '    """Whatever roles were kept in the cache are read again after any membership '
            'changes."""\n    MEMBER_ROLES.advance()',
            '    """Whatever roles were kept in the cache are read again after any membership '
            'changes."""',
            "roles kept in the cache outlive a new or removed membership",
        ),
        Mutant(
            MODELS,
            "        MEMBER_ROLES.advance()  # bulk writes send no signal",
            "        pass",
            "roles kept in the cache outlive a bulk change of memberships",
        ),
        Mutant(
            MODELS,
            "        if transaction.get_connection().in_atomic_block:\n            return read()\n"
            "        # Once per request",
            "        # Once per request",
            "roles read inside a transaction are remembered on the user after it changes them",
        ),
        Mutant(
            MODELS,
            "return self.filter(pack__in=InductionPack.objects.for_user(user))",
            "return self.filter(pack__in=InductionPack.objects.all())",
            "PackVersion.for_user: every version to everyone",
        ),
        Mutant(
            ACCESS,
            "packs = InductionPack.objects.for_user(user)",
            "packs = InductionPack.objects.all()",
            "reading pages find members-only packs for anyone",
        ),
        Mutant(
            ACCESS,
            "packs = InductionPack.objects.filter(trust__in=Trust.objects.for_user(user))",
            "packs = InductionPack.objects.for_user(user)",
            "management pages of a public pack answer outsiders with 403, not 404",
        ),
        Mutant(
            ACCESS,
            'order_by("board_role__order", "pk")',
            'order_by("-board_role__order", "pk")',
            "a trust with two packs serves the last board role's pack, not the first",
        ),
        Mutant(
            ACCESS,
            'order_by("board_role__order", "pk")',
            'order_by("pk")',
            "a trust with two packs serves the older pack, whatever its board role",
        ),
        Mutant(
            ACCESS,
            "packs.filter(trust__slug=slug)",
            "packs",
            "the URL's trust is ignored: the first pack the user can see is served",
        ),
        Mutant(
            ACCESS,
            "    if access is Access.READ:\n        return True",
            "    if access is Access.AUDIT:\n        return True",
            "_allowed: the audit trail is open to everyone who finds the pack",
        ),
        Mutant(
            ACCESS,
            "return pack.can_view_draft(user)",
            "return pack.can_edit(user)",
            "_allowed: approvers cannot see the draft they are to publish",
        ),
        Mutant(
            ACCESS,
            "    return pack.can_edit(user)\n",
            "    return pack.can_view_draft(user)\n",
            "_allowed: approvers reach the editing pages",
        ),
        Mutant(
            ACCESS,
            "                if not user.is_authenticated:\n"
            "                    if members_only_notice:",
            "                if user is not None:\n                    if members_only_notice:",
            "signed-in outsiders are sent to sign in again instead of a 404",
        ),
        Mutant(
            ACCESS,
            "    if access is not Access.READ:\n        return NOT_STORED",
            "    if access is Access.EDIT:\n        return NOT_STORED",
            "the draft and audit pages may be stored by a browser or proxy",
        ),
        Mutant(
            ACCESS,
            "        return PRIVATE_REVALIDATED",
            "        return None",
            "a members-only pack's reading pages may be cached by a shared proxy",
        ),
        Mutant(
            ACCESS,
            "_refusal_context(pack, user, access),\n                    status=403,",
            "_refusal_context(pack, user, access),\n                    status=200,",
            "refused members get the refusal page with 200 OK",
        ),
        Mutant(
            READING,
            "        InductionPack.objects.editable_by(request.user)\n",
            "        InductionPack.objects.all()\n",
            "/trusts/ shows 'Edit the pack' links to everyone",
        ),
        Mutant(
            READING,
            'packs = InductionPack.objects.for_user(request.user).order_by("trust__name", "pk")',
            'packs = InductionPack.objects.order_by("trust__name", "pk")',
            "/trusts/ lists members-only packs to everyone",
        ),
        Mutant(
            READING,
            '            "can_edit": pack.can_edit(request.user),\n'
            '            "breadcrumbs": pack_crumbs(pack)[:-1],\n        },',
            '            "can_edit": pack.can_view_draft(request.user),\n'
            '            "breadcrumbs": pack_crumbs(pack)[:-1],\n        },',
            "an unpublished pack offers approvers the editor",
        ),
    ),
)


PUBLISHING_RULES = Group(
    name="publishing",
    title="publishing: publishing.py and the rules it calls in models.py",
    tests=(
        "tests/induction/test_publishing_rules.py",
        "tests/induction/test_permissions_model.py",
        "tests/induction/test_publishing.py",
    ),
    mutants=(
        Mutant(
            PUBLISHING,
            "day.year + month_index // 12",
            "day.year + month_index // 13",
            "add_months: the year rolls over a month late (a January publication is due today)",
        ),
        Mutant(
            PUBLISHING,
            "day.year + month_index // 12",
            "day.year + (day.month + months) // 12",
            "add_months: the December off-by-one, a review due in December is a year late",
        ),
        Mutant(
            PUBLISHING,
            "month_index % 12 + 1",
            "month_index % 12 or 12",
            "add_months: every month shifts by one",
        ),
        Mutant(
            PUBLISHING,
            "month_index = day.month - 1 + months",
            "month_index = day.month + months",
            "add_months: one month too many",
        ),
        Mutant(
            PUBLISHING,
            "calendar.monthrange(year, month)[1]",
            "calendar.monthrange(day.year, day.month)[1]",
            "add_months: the end of the starting month, not of the month reached",
        ),
        Mutant(
            PUBLISHING,
            "day=min(day.day, calendar",
            "day=min(28, calendar",
            "add_months: every review date moves to the 28th or earlier",
        ),
        Mutant(
            PUBLISHING,
            "    if refusal.is_second_person_rule:\n        raise SecondPersonRequired(refusal)",
            "    if pack.requires_approval:\n        raise SecondPersonRequired(refusal)",
            "an editor who is not an approver gets SecondPersonRequired, not PublishRefused",
        ),
        Mutant(
            PUBLISHING,
            "    raise PublishRefused(refusal)",
            "    raise SecondPersonRequired(refusal)",
            "a reader is told about the second-person rule",
        ),
        Mutant(
            PUBLISHING,
            "    if refusal is None:\n        return",
            "    if refusal is None or refusal is PublishRefusal.NOT_APPROVER:\n        return",
            "with approval on, an editor who is not an approver may publish",
        ),
        Mutant(
            PUBLISHING,
            "class PublishRefused(PublishError, PermissionDenied):",
            "class PublishRefused(PublishError):",
            "a refusal is no longer a PermissionDenied (views would answer 500)",
        ),
        Mutant(
            PUBLISHING,
            "        _check(locked, user)",
            "        _check(pack, user)",
            "the rules are re-checked on the caller's stale object, not the locked row",
        ),
        Mutant(
            PUBLISHING,
            "reviewed_revision != locked.draft_revision",
            "reviewed_revision != pack.draft_revision",
            "a draft edited during review is compared with the caller's stale revision",
        ),
        Mutant(
            PUBLISHING,
            "content = snapshot_draft(locked)",
            "content = snapshot_draft(pack)",
            "publishing freezes the caller's stale object instead of the locked row",
        ),
        Mutant(
            PUBLISHING,
            'latest = locked.versions.order_by("-number").first()',
            'latest = locked.versions.order_by("number").first()',
            "'nothing changed' is judged against the first version, not the newest",
        ),
        Mutant(
            PUBLISHING,
            '["highest"] or 0) + 1',
            '["highest"] or 1) + 1',
            "the first version is numbered 2",
        ),
        Mutant(
            PUBLISHING,
            "change_summary=change_summary.strip(),",
            "change_summary=change_summary,",
            "the change summary keeps stray spaces",
        ),
        Mutant(
            PUBLISHING,
            "published_by=user,",
            "published_by=locked.last_edited_by,",
            "the last editor is recorded as the publisher",
        ),
        Mutant(
            PUBLISHING,
            "approved_by=user if locked.requires_approval else None,",
            "approved_by=user if pack.requires_approval else None,",
            "the approver is recorded from the caller's stale settings",
        ),
        Mutant(
            PUBLISHING,
            "approved_by=user if locked.requires_approval else None,",
            "approved_by=user,",
            "every publisher is recorded as an approver",
        ),
        Mutant(
            PUBLISHING,
            "add_months(timezone.localdate(now), locked.review_interval_months)",
            "add_months(timezone.localdate(now), pack.review_interval_months)",
            "the review interval is read from the caller's stale object",
        ),
        Mutant(
            PUBLISHING,
            "add_months(timezone.localdate(now), locked.review_interval_months)",
            "add_months(timezone.localdate(now), 12)",
            "every pack is reviewed yearly, whatever its interval",
        ),
        Mutant(
            PUBLISHING,
            'summary = f": {version.change_summary}" if version.change_summary else ""',
            'summary = f": {version.change_summary}"',
            "the audit entry of a publication without a summary ends in ': '",
        ),
        Mutant(
            PUBLISHING,
            'user, AuditEvent.Action.PUBLISHED, f"Version {number}{summary}"',
            'user, AuditEvent.Action.SECTION_EDITED, f"Version {number}{summary}"',
            "a publication is recorded as a draft edit",
        ),
        Mutant(
            PUBLISHING,
            "version=version\n        )",
            "version=None\n        )",
            "the audit entry does not name the version",
        ),
        Mutant(
            PUBLISHING,
            'for cached in ("latest_version", "newest_versions", "draft_editor_ids"):',
            'for cached in ("latest_version", "newest_versions"):',
            "the caller keeps the draft editors from before the publication",
        ),
        Mutant(
            PUBLISHING,
            'for cached in ("latest_version", "newest_versions", "draft_editor_ids"):',
            'for cached in ("newest_versions", "draft_editor_ids"):',
            "the caller keeps the newest version from before the publication",
        ),
        Mutant(
            MODELS,
            "return self is PublishRefusal.EDITED_THE_DRAFT",
            "return self in (PublishRefusal.EDITED_THE_DRAFT, PublishRefusal.NOT_APPROVER)",
            "is_second_person_rule: an editor who is not an approver counts as the four-eyes case",
        ),
        Mutant(
            MODELS,
            "AuditEvent.objects.filter(pack=self, action=AuditEvent.Action.PUBLISHED)",
            "AuditEvent.objects.filter(action=AuditEvent.Action.PUBLISHED)",
            "draft_editor_ids: another pack's publication forgets this pack's draft editors",
        ),
        Mutant(
            MODELS,
            '.order_by("-pk")\n            .values_list("pk", flat=True)',
            '.order_by("pk")\n            .values_list("pk", flat=True)',
            "draft_editor_ids: counted from the first publication, not the newest",
        ),
        Mutant(
            MODELS,
            "AuditEvent.objects.filter(pack=self, changes_draft=True, pk__gt=since)",
            "AuditEvent.objects.filter(pack=self, pk__gt=since)",
            "draft_editor_ids: a settings change counts as editing the draft",
        ),
        Mutant(
            MODELS,
            "        if not self.can_approve(user):\n"
            "            return PublishRefusal.NOT_APPROVER",
            "        if not self.can_edit(user):\n            return PublishRefusal.NOT_APPROVER",
            "second_person_refusal: editors rather than approvers",
        ),
        Mutant(
            MODELS,
            "if user.pk in self.draft_editor_ids:",
            "if user == self.last_edited_by:",
            "second_person_refusal: only the last editor is stopped",
        ),
        Mutant(
            MODELS,
            "            return PublishRefusal.NOT_SIGNED_IN",
            "            return PublishRefusal.NOT_EDITOR_OR_APPROVER",
            "publish_refusal: anonymous visitors are not asked to sign in",
        ),
        Mutant(
            MODELS,
            "        if self.requires_approval:\n"
            "            return self.second_person_refusal(user)",
            "        if not self.requires_approval:\n"
            "            return self.second_person_refusal(user)",
            "publish_refusal: the four-eyes rule applies where it is off",
        ),
        Mutant(
            MODELS,
            "        if self.can_edit(user) or self.can_approve(user):\n            return None",
            "        if self.can_edit(user):\n            return None",
            "publish_refusal: approvers cannot publish without the approval rule",
        ),
        Mutant(
            MODELS,
            "memberships__trust=self.trust_id, memberships__role__in=roles",
            "memberships__role__in=roles",
            "eligible_publishers lists other trusts' approvers",
        ),
        Mutant(
            MODELS,
            "            people = people.exclude(pk__in=self.draft_editor_ids)",
            "            people = people",
            "eligible_publishers lists approvers who edited the draft",
        ),
    ),
)


IMMUTABILITY = Group(
    name="immutability",
    title="version immutability: PackVersion.save, _refuse_changes_to_frozen_fields, update",
    tests=("tests/induction/test_models.py",),
    mutants=(
        Mutant(
            MODELS,
            "            for name in kwargs\n"
            '            if name in FROZEN_VERSION_FIELDS or name.removesuffix("_id") in '
            "FROZEN_VERSION_FIELDS",
            "            for name in kwargs\n            if name in FROZEN_VERSION_FIELDS",
            "update(pack_id=…) rewrites a frozen field: the _id spelling passes the guard",
        ),
        Mutant(
            MODELS,
            '                name in FROZEN_VERSION_FIELDS or name.removesuffix("_id") in '
            "FROZEN_VERSION_FIELDS\n                for name in update_fields",
            "                name in FROZEN_VERSION_FIELDS\n"
            "                for name in update_fields",
            "save(update_fields=['published_by_id']) rewrites a frozen field",
        ),
        Mutant(
            MODELS,
            "            for name in kwargs\n",
            "            for name in list(kwargs)[:1]\n",
            "update checks only the first field it is given",
        ),
        Mutant(
            MODELS,
            "        if frozen:\n",
            "        if len(frozen) > 1:\n",
            "update refuses only when two frozen fields change at once",
        ),
        Mutant(
            MODELS,
            "        generation.advance()\n        return super().update(**kwargs)",
            "        generation.advance()\n        return 0",
            "update silently drops changes to the PDF fields",
        ),
        Mutant(
            MODELS,
            "        if not self._state.adding:\n            update_fields",
            "        if self._state.adding:\n            update_fields",
            "save checks only new rows: a published version can be saved over",
        ),
        Mutant(
            MODELS,
            "touches_frozen = update_fields is None or any(",
            "touches_frozen = update_fields is not None and any(",
            "a whole-row save is never checked",
        ),
        Mutant(
            MODELS,
            "touches_frozen = update_fields is None or any(",
            "touches_frozen = update_fields is None or all(",
            "a save of a PDF field and a frozen field together is not checked",
        ),
        Mutant(
            MODELS,
            'update_fields = kwargs.get("update_fields")',
            'update_fields = kwargs.get("fields")',
            "a save of the PDF fields alone is refused over unsaved changes it would not write",
        ),
        Mutant(
            MODELS,
            "            if touches_frozen:\n",
            "            if not touches_frozen:\n",
            "the check runs only when nothing frozen is saved",
        ),
        Mutant(
            MODELS,
            "        if stored is None:\n            return",
            "        if stored is not None:\n            return",
            "the comparison is skipped for every stored version",
        ),
        Mutant(
            MODELS,
            "if stored[attname] != getattr(self, attname)",
            "if stored[attname] != getattr(self, name)",
            "foreign keys compared as objects against ids: every whole-row save is refused",
        ),
        Mutant(
            MODELS,
            "attnames = [self._meta.get_field(name).attname for name in FROZEN_VERSION_FIELDS]",
            "attnames = list(FROZEN_VERSION_FIELDS)",
            "field names instead of column names: foreign keys never compare equal",
        ),
        Mutant(
            MODELS,
            "        if changed:\n            raise FrozenVersionError(",
            "        if len(changed) > 1:\n            raise FrozenVersionError(",
            "one changed frozen field at a time is allowed",
        ),
        Mutant(
            MODELS,
            '    "pack",\n    "number",\n',
            '    "number",\n',
            "a version can be moved to another pack",
        ),
        Mutant(
            MODELS,
            '    "number",\n    "content",\n',
            '    "content",\n',
            "a version can be renumbered",
        ),
        Mutant(
            MODELS,
            '    "content",\n    "rendered_html",\n',
            '    "rendered_html",\n',
            "the frozen content can be rewritten",
        ),
        Mutant(
            MODELS,
            '    "rendered_html",\n    "change_summary",\n',
            '    "change_summary",\n',
            "the rendered HTML can be rewritten",
        ),
        Mutant(
            MODELS,
            '    "change_summary",\n    "published_by",\n',
            '    "published_by",\n',
            "the change summary can be rewritten",
        ),
        Mutant(
            MODELS,
            '    "published_by",\n    "approved_by",\n',
            '    "approved_by",\n',
            "the publisher can be rewritten",
        ),
        Mutant(
            MODELS,
            '    "approved_by",\n    "published_at",\n',
            '    "published_at",\n',
            "the approver can be rewritten",
        ),
        Mutant(
            MODELS,
            '    "published_at",\n    "next_review_date",\n',
            '    "next_review_date",\n',
            "the publication time can be rewritten",
        ),
        Mutant(
            MODELS,
            '    "next_review_date",\n    "national_revision",\n)',
            '    "national_revision",\n)',
            "the review date can be rewritten",
        ),
        Mutant(
            MODELS,
            "            self._refuse_changes_to_frozen_fields()\n        super().save",
            "            pass\n        super().save",
            "save never compares the frozen fields",
        ),
    ),
)


SANITISER_RULES = Group(
    name="sanitiser",
    title="Markdown sanitiser: safe_markdown.py",
    tests=(
        "tests/induction/test_safe_markdown.py",
        "tests/induction/test_safe_markdown_limits.py",
        "tests/induction/test_safe_markdown_invisible.py",
        "tests/induction/test_safe_markdown_pictures.py",
    ),
    mutants=(
        Mutant(
            SANITISER,
            "        url = decoded\n    return None",
            "        url = decoded\n    return url",
            "the decode limit: a URL still changing after 5 rounds is used half-decoded",
        ),
        Mutant(
            SANITISER,
            "_MAX_DECODE_ROUNDS = 5",
            "_MAX_DECODE_ROUNDS = 1",
            "one round of decoding: every percent-encoded site path is refused",
        ),
        Mutant(
            SANITISER,
            'decoded = unquote(url, errors="replace")',
            "decoded = url",
            "no decoding: %2e%2e and %5C pass the checks",
        ),
        Mutant(
            SANITISER,
            'if decoded is None or not decoded.startswith("/") or decoded.startswith("//"):',
            'if decoded is None or not decoded.startswith("/"):',
            "an encoded // (another host) passes as a site path",
        ),
        Mutant(
            SANITISER,
            '    if "\\\\" in decoded:\n        return False\n    return not any',
            "    if False:\n        return False\n    return not any",
            "an encoded backslash passes as a site path",
        ),
        Mutant(
            SANITISER,
            'segment in {".", ".."} for segment in decoded.split("/")',
            'segment in {".."} for segment in decoded.split("/")',
            "a `.` segment passes as a site path",
        ),
        Mutant(
            SANITISER,
            'return not any(segment in {".", ".."} for segment in decoded.split("/"))',
            "return True",
            "`..` passes as a site path",
        ),
        Mutant(
            SANITISER,
            '    url = url.strip()\n    if "\\\\" in url or _URL_CONTROL_CHARACTERS.search(url):',
            "    url = url.strip()\n    if _URL_CONTROL_CHARACTERS.search(url):",
            "a backslash in an https link passes",
        ),
        Mutant(
            SANITISER,
            "    if any(character.isspace() for character in url):\n        return False",
            "    if False:\n        return False",
            "a link with a space in it passes",
        ),
        Mutant(
            SANITISER,
            "lowered = url.lower()",
            "lowered = url",
            "HTTPS:// and MAILTO: links are refused",
        ),
        Mutant(
            SANITISER,
            '    if url.startswith("#"):\n        return True',
            '    if url.startswith("#"):\n        return False',
            "in-page links (footnotes) lose their href",
        ),
        Mutant(
            SANITISER,
            'return url.startswith("/") and _is_clean_site_path(url)',
            "return _is_clean_site_path(url)",
            "a relative link that only decodes to /… passes",
        ),
        Mutant(
            SANITISER,
            'if tag == "img" and attribute == "src":',
            'if tag == "a" and attribute == "src":',
            "image sources are not checked at all",
        ),
        Mutant(
            SANITISER,
            "return value if value in ALIGNMENTS else None",
            "return value",
            "any align value passes the second layer",
        ),
        Mutant(
            SANITISER,
            "return value if value.isdigit() and len(value) < 6 else None",
            "return value",
            "any list start value passes",
        ),
        Mutant(
            SANITISER,
            '"a": {"href", "title"},',
            '"a": {"href", "title", "style"},',
            "style on <a> is allowed by the second layer",
        ),
        Mutant(
            SANITISER,
            '"img": {"src", "alt", "title"},',
            '"img": {"src", "alt", "title", "onerror"},',
            "onerror on <img> is allowed by the second layer",
        ),
        Mutant(
            SANITISER,
            '"ul", "ol", "li", "a", "img", "sup", "div",',
            '"ul", "ol", "li", "a", "img", "sup", "div", "iframe",',
            "iframes are allowed by the second layer",
        ),
        Mutant(
            SANITISER,
            '"div": {"footnote"},',
            '"div": {"footnote", "nhsuk-table-container"},',
            "authors can write NHS.UK's table container class themselves",
        ),
        Mutant(
            SANITISER,
            'clean_content_tags={"script", "style"},',
            'clean_content_tags={"script"},',
            "the text of a <style> element is shown on the page",
        ),
        Mutant(
            SANITISER,
            "strip_comments=True,",
            "strip_comments=False,",
            "HTML comments stay in the output",
        ),
        Mutant(
            SANITISER,
            "link_rel=None,",
            'link_rel="noopener",',
            "nh3 adds its own rel to every link, and external links get two",
        ),
        Mutant(
            SANITISER,
            '            or text.count("[") > MAX_SQUARE_BRACKETS\n            or _longest_block',
            "            or _longest_block",
            "render-time bracket limit removed: 20,000 copies of `[a` take a minute",
        ),
        Mutant(
            SANITISER,
            "            len(text) > MAX_MARKDOWN_LENGTH\n",
            "            False\n",
            "render-time length limit removed",
        ),
        Mutant(
            SANITISER,
            "            or _longest_block(text) > MAX_BLOCK_LINES\n",
            "",
            "render-time block limit removed: a long list takes seconds",
        ),
        Mutant(
            SANITISER,
            "    if block_lines > MAX_BLOCK_LINES:",
            "    if block_lines > MAX_BLOCK_LINES * 10:",
            "validate_markdown stores blocks the renderer will show as plain text",
        ),
        Mutant(
            SANITISER,
            "        current = current + 1 if line.strip() else 0",
            "        current = current + 1 if line else 0",
            "lines of spaces count as text: blocks separated by them are one block",
        ),
        Mutant(
            SANITISER,
            "    if decoded is None or _URL_CONTROL_CHARACTERS.search(decoded):",
            "    if decoded is None:",
            "a percent-encoded control, bidi or zero-width character keeps its link",
        ),
        Mutant(
            SANITISER,
            r'f"[\\x00-\\x1f\\x7f-\\x9f{INVISIBLE_CHARACTERS}]"',
            r'f"[\\x00-\\x1f\\x7f-\\x9f]"',
            "a bidi control or zero-width character in a link keeps its link",
        ),
        Mutant(
            SANITISER,
            '    text = _CONTROL_CHARACTERS.sub("", text or "")',
            '    text = text or ""',
            "control characters reach the rendered page",
        ),
        Mutant(
            SANITISER,
            "    except (RecursionError, ValueError, IndexError, KeyError):\n"
            "        # Pathological",
            "    except (ValueError, IndexError, KeyError):\n        # Pathological",
            "deeply nested quotes break the page instead of showing as text",
        ),
        Mutant(
            SANITISER,
            "        html = _markdown_to_html(text, base_level=3)\n    except",
            '        html = ""\n    except',
            "validate_markdown's nesting check removed: `- ` * 10000 is stored",
        ),
        Mutant(
            SANITISER,
            "    if len(text) > max_length:",
            "    if len(text) >= max_length:",
            "text exactly at the length limit is refused",
        ),
        Mutant(
            SANITISER,
            '    if text.count("[") > MAX_SQUARE_BRACKETS:\n        raise',
            '    if text.count("[") >= MAX_SQUARE_BRACKETS:\n        raise',
            "text with exactly the allowed number of brackets is refused",
        ),
        Mutant(
            SANITISER,
            '    if text.count("[") > MAX_SQUARE_BRACKETS:\n        raise',
            "    if False:\n        raise",
            "validate_markdown's bracket limit removed",
        ),
        Mutant(
            SANITISER,
            "    if asterisks > MAX_ASTERISKS_IN_A_BLOCK:",
            "    if False:",
            "a paragraph of thousands of emphases is stored, and takes seconds to render",
        ),
        Mutant(
            SANITISER,
            "    if headings > MAX_HEADINGS:",
            "    if False:",
            "a section of thousands of headings is stored, and takes seconds to render",
        ),
        Mutant(
            SANITISER,
            "            or _heading_count(text) > MAX_HEADINGS\n",
            "",
            "thousands of headings stored before the limit are parsed at every render",
        ),
        Mutant(
            SANITISER,
            "    headings = _heading_count(text)\n    if headings > MAX_HEADINGS:",
            "    headings = _heading_count(text)\n    if headings >= MAX_HEADINGS:",
            "a section with exactly the allowed number of headings is refused",
        ),
        Mutant(
            SANITISER,
            "        *found, end, handled = scan(data[index : index + limit], 0)",
            "        *found, end, handled = scan(data[index:], 0)",
            "link patterns read to the end of the paragraph: unclosed brackets take seconds",
        ),
        Mutant(
            SANITISER,
            "if not isinstance(text, str):",
            "if text is None:",
            "a number given as text crashes with a traceback instead of a message",
        ),
        Mutant(
            SANITISER,
            r'_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")',
            r'_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")',
            "DEL and the C1 control characters pass",
        ),
        Mutant(
            SANITISER,
            '        md.inlinePatterns.deregister("html")',
            "        pass",
            "inline raw HTML reaches the allow-list instead of showing as text",
        ),
        Mutant(
            SANITISER,
            '        md.preprocessors.deregister("html_block")',
            "        pass",
            "block raw HTML reaches the allow-list instead of showing as text",
        ),
        Mutant(
            SANITISER,
            "html = _contain_tables(_mark_external_links(_sanitise(html)))",
            "html = _contain_tables(_sanitise(html))",
            "external links lose rel=noopener noreferrer",
        ),
        Mutant(
            SANITISER,
            "return f' href=\"#{prefix}{target}\"' if target in own_ids else match.group(0)",
            "return f' href=\"#{prefix}{target}\"'",
            "links to other sections of the page get this section's prefix",
        ),
        Mutant(
            SANITISER,
            "[A-Za-z0-9_-]+/induction/pictures/",
            "[^/]+/induction/pictures/",
            "a picture address whose trust part is `..`, `%2e%2e` or has a dot passes",
        ),
        Mutant(
            SANITISER,
            "/induction/pictures/[0-9a-f]{32}",
            "/induction/pictures/[0-9a-f]+",
            "a picture key of any length passes",
        ),
        Mutant(
            SANITISER,
            "/induction/pictures/[0-9a-f]{32}",
            "/induction/pictures/[0-9a-zA-Z]{32}",
            "a picture key in capitals or letters past f passes (no view answers it)",
        ),
        Mutant(
            SANITISER,
            "\\.(?:png|jpg|svg)",
            "\\.\\w+",
            "a picture address ending in .html or .gif passes",
        ),
        Mutant(
            SANITISER,
            "return PICTURE_URL.fullmatch(url) is not None",
            "return PICTURE_URL.match(url) is not None",
            "a picture address with anything after it (/x, ?x, #x, a line break) passes",
        ),
        Mutant(
            SANITISER,
            "return value if is_picture_url(value) else None",
            "return value",
            "any image source is kept: remote images (trackers) and encoded paths",
        ),
        Mutant(
            SANITISER,
            "    _validate_links(found.links)\n",
            "",
            "a link address hiding a bidi or zero-width character is stored, then silently dropped",
        ),
        Mutant(
            SANITISER,
            '_INVISIBLE.search(href) or _INVISIBLE.search(_fully_decoded(href) or "")',
            "_INVISIBLE.search(href)",
            "a percent-encoded right-to-left override in a link address is stored",
        ),
        Mutant(
            SANITISER,
            "    _validate_images(found.images)\n",
            "",
            "a remote picture or one without a description is stored without a word",
        ),
        Mutant(
            SANITISER,
            '        if tag == "img":\n',
            '        if tag == "a":\n',
            "no picture is found in the text, so none is checked",
        ),
        Mutant(
            SANITISER,
            "        if not is_picture_url(src):\n",
            "        if False:\n",
            "a remote picture is stored (and silently shown as an empty image)",
        ),
        Mutant(
            SANITISER,
            "        if not alt.strip():\n",
            "        if not alt:\n",
            "a picture described only by spaces is stored",
        ),
        Mutant(
            SANITISER,
            "        if not alt.strip():\n",
            "        if False:\n",
            "a library picture without a description is stored",
        ),
        Mutant(
            SANITISER,
            "The picture “{alt or src}” ({src})",
            "The picture “{alt}” ({src})",
            "the refusal of an undescribed remote picture names nothing",
        ),
    ),
)


FETCHER_RULES = Group(
    name="fetcher",
    title="PDF URL fetcher: url_fetcher.py and its configuration's dict round trip",
    tests=(
        "tests/induction/pdf/test_url_fetcher.py",
        "tests/induction/pdf/test_worker.py",
        "tests/induction/pdf/test_hostile_content.py",
        "tests/induction/pdf/test_pictures_in_pdf.py",
    ),
    mutants=(
        Mutant(
            FETCHER,
            '            max_file_bytes=data["max_file_bytes"],\n',
            "",
            "from_dict loses the file size limit (the worker falls back to 20 MB)",
        ),
        Mutant(
            FETCHER,
            'static_roots=tuple(data["static_roots"]),',
            'static_roots=(*data["static_roots"], "/"),',
            "from_dict gains / as a static root: any local file into a PDF",
        ),
        Mutant(
            FETCHER,
            '"static_roots": list(self.static_roots),',
            '"static_roots": list(self.static_roots)[:1],',
            "to_dict keeps only the first static folder",
        ),
        Mutant(
            FETCHER,
            '"max_file_bytes": self.max_file_bytes,',
            '"max_file_bytes": 20 * 1024 * 1024,',
            "to_dict writes the default size limit, not the configured one",
        ),
        Mutant(
            FETCHER,
            'media_root=data["media_root"],',
            'media_root=data["static_roots"][0],',
            "from_dict serves media from the static folder",
        ),
        Mutant(
            FETCHER,
            'site_url=data["site_url"],',
            'site_url=data.get("site_url", "https://localhost/"),',
            "from_dict's site_url default hides a missing field",
        ),
        Mutant(
            FETCHER,
            "return parts.scheme.lower(), parts.netloc.lower()",
            'return parts.scheme.lower(), (parts.hostname or "")',
            "the origin check ignores the port",
        ),
        Mutant(
            FETCHER,
            "return parts.scheme.lower(), parts.netloc.lower()",
            'return "", parts.netloc.lower()',
            "the origin check ignores the scheme",
        ),
        Mutant(
            FETCHER,
            'if "\\x00" in relative:\n        return None',
            'if "\\x00" in relative:\n        pass',
            "a NUL byte in the path crashes the fetch instead of being refused",
        ),
        Mutant(
            FETCHER,
            "if not candidate.is_relative_to(base) or not candidate.is_file():",
            "if not candidate.is_file():",
            "`..` climbs out of the static folder",
        ),
        Mutant(
            FETCHER,
            "if not candidate.is_relative_to(base) or not candidate.is_file():",
            "if not str(candidate).startswith(str(base)) or not candidate.is_file():",
            "containment by string prefix: a sibling folder static-other/ passes",
        ),
        Mutant(
            FETCHER,
            "if not candidate.is_relative_to(base) or not candidate.is_file():",
            "if not candidate.is_relative_to(base) or not candidate.exists():",
            "a folder is served as a file",
        ),
        Mutant(
            FETCHER,
            "base = Path(root).resolve()",
            "base = Path(root)",
            "a static root reached through a symlink serves nothing",
        ),
        Mutant(
            FETCHER,
            'candidate = (base / relative.lstrip("/")).resolve()',
            "candidate = base / relative",
            "symlinks inside the folder are followed out of it",
        ),
        Mutant(
            FETCHER,
            "            self.refused.append(url)\n",
            "",
            "refused URLs are not reported to the editors",
        ),
        Mutant(
            FETCHER,
            "super().__init__(allow_redirects=False, fail_on_errors=False)",
            "super().__init__(allow_redirects=False, fail_on_errors=True)",
            "one refused image fails the whole PDF",
        ),
        Mutant(
            FETCHER,
            'if scheme == "data":',
            'if scheme in {"data", "file"}:',
            "file: URLs are handed to the data: handler",
        ),
        Mutant(
            FETCHER,
            "if _origin(url) != _origin(self.config.site_url):",
            "if _origin(url)[1] != _origin(self.config.site_url)[1]:",
            "http:// on the site's host is served",
        ),
        Mutant(
            FETCHER,
            "path = unquote(urlsplit(url).path)",
            "path = urlsplit(url).path",
            "a file whose name has a space (%20) is not served",
        ),
        Mutant(
            FETCHER,
            "                relative = path[len(prefix) :]",
            "                relative = path",
            "the URL prefix is not removed: no file is found",
        ),
        Mutant(
            FETCHER,
            "                for root in roots:",
            "                for root in roots[:1]:",
            "only the first static folder is searched",
        ),
        Mutant(
            FETCHER,
            "if path.stat().st_size > self.config.max_file_bytes:",
            "if path.stat().st_size >= self.config.max_file_bytes:",
            "a file exactly at the size limit is refused",
        ),
        Mutant(
            FETCHER,
            "if path.stat().st_size > self.config.max_file_bytes:",
            "if path.stat().st_size > 20 * 1024 * 1024:",
            "the configured size limit is ignored",
        ),
        Mutant(
            FETCHER,
            '            headers["Content-Type"] = f"{content_type}; charset=utf-8"',
            "            pass",
            "stylesheets are read without a charset",
        ),
        Mutant(
            PDF_RENDERING,
            "        max_file_bytes=settings.PDF_MAX_EMBEDDED_FILE_BYTES,\n",
            "",
            "the configured embedded-file limit never reaches the worker",
        ),
        Mutant(
            PDF_RENDERING,
            "    static_roots.append(str(settings.STATIC_ROOT))",
            "    static_roots.append(str(settings.BASE_DIR))",
            "the whole checkout is a static root",
        ),
        Mutant(
            FETCHER,
            '            pictures_url=data["pictures_url"],\n',
            "",
            "from_dict loses the pictures' address: the PDF shows no picture",
        ),
        Mutant(
            FETCHER,
            '            pictures_root=data["pictures_root"],\n',
            "",
            "from_dict loses the pictures' folder: the PDF shows no picture",
        ),
        Mutant(
            FETCHER,
            "if pictures_url and self.config.pictures_root and path.startswith(pictures_url):",
            "if pictures_url and path.startswith(pictures_url):",
            "without a pictures folder, picture addresses are looked up from the working folder",
        ),
        Mutant(
            FETCHER,
            "                if _PICTURE_FILENAME.fullmatch(name)\n",
            "                if True\n",
            "any file in the pictures folder (or below it) is served under a picture address",
        ),
        Mutant(
            FETCHER,
            '            if found is None:\n                raise RefusedURL(f"Not one of this',
            '            if False:\n                raise RefusedURL(f"Not one of this',
            "a picture that was not copied fails the render instead of being left out",
        ),
    ),
)


IMPORT_VALIDATION = Group(
    name="importing",
    title="import validation: importing.validate_import and its helpers",
    tests=("tests/induction/test_importing.py",),
    mutants=(
        Mutant(
            IMPORTING,
            '        errors += filter(None, [_title_error("title", data["title"])])',
            "        pass",
            "the pack's title is not checked (empty, too long, not text)",
        ),
        Mutant(
            IMPORTING,
            "    error = _text_error(where, value, max_length=200, required=True)",
            "    error = _text_error(where, value, max_length=2000, required=True)",
            "a title or name over 200 characters passes validation",
        ),
        Mutant(
            IMPORTING,
            "        no_invisible_characters(value)",
            "        pass",
            "an imported title or name keeps a bidi override or zero-width space",
        ),
        Mutant(
            IMPORTING,
            "    if required and not value.strip():",
            "    if required and not value:",
            "a whitespace-only title passes",
        ),
        Mutant(
            IMPORTING,
            "    if len(value) > max_length:",
            "    if len(value) >= max_length:",
            "text exactly at its length limit is refused",
        ),
        Mutant(
            IMPORTING,
            '    if not isinstance(value, str):\n        return f"{where}: must be text"',
            '    if value is None:\n        return f"{where}: must be text"',
            "a number where text belongs crashes with a traceback",
        ),
        Mutant(
            IMPORTING,
            "    if value is None and not required:",
            "    if value is None:",
            "a missing required title passes validation",
        ),
        Mutant(
            IMPORTING,
            "        validate_markdown(value)",
            "        validate_markdown(value, max_length=10**9)",
            "Markdown fields have no length limit",
        ),
        Mutant(
            IMPORTING,
            '        errors += filter(None, [_markdown_error(f"{at}.note", item.get("note"))])',
            "        pass",
            "responsibility notes are not validated as Markdown",
        ),
        Mutant(
            IMPORTING,
            'errors = _unknown_keys("(top level)", data, _TOP_KEYS)',
            "errors = []",
            "unknown top-level keys are ignored",
        ),
        Mutant(
            IMPORTING,
            '"format", "trust", "trust_name", "title", "board_role", "board_role_name", "sections"',
            '"format", "trust", "title", "board_role", "board_role_name", "sections"',
            "an exported file (with trust_name) is refused",
        ),
        Mutant(
            IMPORTING,
            '    if "format" in data and data["format"] != FORMAT:',
            "    if False:",
            "a file of another format is accepted",
        ),
        Mutant(
            IMPORTING,
            '    if not isinstance(value, list):\n        return [], [f"{where}: must be a list"]',
            '    if value is None:\n        return [], [f"{where}: must be a list"]',
            "a section's items given as text crash with a traceback",
        ),
        Mutant(
            IMPORTING,
            "    if len(value) > MAX_ITEMS:",
            "    if False:",
            "no limit on a section's items (200)",
        ),
        Mutant(
            IMPORTING,
            "    if len(value) > MAX_ITEMS:",
            "    if len(value) >= MAX_ITEMS:",
            "exactly 200 items are refused",
        ),
        Mutant(
            IMPORTING,
            '        f"{where}[{i}]: must be an object" for i, v in enumerate(value) if not '
            "isinstance(v, dict)",
            '        f"{where}[{i}]: must be an object" for i, v in enumerate(value) if v is None',
            "items that are not objects crash with a traceback",
        ),
        Mutant(
            IMPORTING,
            "    return (value if not errors else []), errors",
            "    return value, errors",
            "items are checked one by one even when some are not objects: a traceback",
        ),
        Mutant(
            IMPORTING,
            "        if not isinstance(slug, str) or slug not in national_slugs:",
            "        if slug not in national_slugs:",
            "a slug given as a list crashes with a traceback",
        ),
        Mutant(
            IMPORTING,
            "        elif slug in seen:",
            "        elif False:",
            "duplicate responsibility slugs pass (the last one wins)",
        ),
        Mutant(
            IMPORTING,
            "        if status not in Status.values:",
            "        if False:",
            "an unknown status passes",
        ),
        Mutant(
            IMPORTING,
            'f"{at}.delegated_to", delegated_to, max_length=200, required=False',
            'f"{at}.delegated_to", delegated_to, max_length=2000, required=False',
            "delegated_to over 200 characters passes validation",
        ),
        Mutant(
            IMPORTING,
            "        elif status in Status.values:\n            errors += [",
            "        elif False:\n            errors += [",
            "a delegated responsibility without a post passes and the import crashes on the "
            "database constraint",
        ),
        Mutant(
            IMPORTING,
            '                _title_error(f"{at}.name", item.get("name")),\n',
            "",
            "a post-holder without a name crashes the import",
        ),
        Mutant(
            IMPORTING,
            '_text_error(f"{at}.contact", item.get("contact"), max_length=200, required=False),',
            '_text_error(f"{at}.contact", item.get("contact"), max_length=2000, required=False),',
            "a contact over 200 characters passes validation",
        ),
        Mutant(
            IMPORTING,
            "        if relation not in PostHolder.Relation.values:",
            "        if False:",
            "an unknown relation passes",
        ),
        Mutant(
            IMPORTING,
            '_text_error(f"{at}.text", item.get("text"), max_length=300, required=True)',
            '_text_error(f"{at}.text", item.get("text"), max_length=3000, required=True)',
            "a checklist step over 300 characters passes validation",
        ),
        Mutant(
            IMPORTING,
            "        if category not in ChecklistItem.Category.values:",
            "        if False:",
            "an unknown checklist category passes",
        ),
        Mutant(
            IMPORTING,
            "    if not isinstance(section, dict):\n        return",
            "    if section is None:\n        return",
            "a section that is not an object crashes with a traceback",
        ),
        Mutant(
            IMPORTING,
            "        if other_key in section and other_kind != kind:",
            "        if False:",
            "another kind's items are reported only as an unknown field",
        ),
        Mutant(
            IMPORTING,
            '            _title_error(f"{where}.title", section.get("title")),\n',
            "",
            "a section without a title crashes the import",
        ),
        Mutant(
            IMPORTING,
            '_markdown_error(f"{where}.body", section.get("body", "")),',
            "None,",
            "section bodies are not validated as Markdown",
        ),
        Mutant(
            IMPORTING,
            '            errors += _validate_post_holders(f"{where}.{item_key}", items)',
            "            pass",
            "post-holders are not validated",
        ),
        Mutant(
            IMPORTING,
            '            errors += _validate_checklist(f"{where}.{item_key}", items)',
            "            pass",
            "checklist items are not validated",
        ),
        Mutant(
            IMPORTING,
            '        if pack is not None and "board_role" in data and data["board_role"] != '
            "role.slug:",
            "        if False:",
            "another board role's file is accepted into this pack",
        ),
        Mutant(
            IMPORTING,
            '    if pack is not None and "trust" in data and data["trust"] != pack.trust.slug:',
            "    if False:",
            "another trust's file is accepted into this pack",
        ),
        Mutant(
            IMPORTING,
            "MAX_DEPTH = 10\n",
            "MAX_DEPTH = 1_000\n",
            "data nested deeper than the format is walked (and can exhaust the stack)",
        ),
        Mutant(
            IMPORTING,
            "        problems += _unstorable_text(item, at, depth + 1)",
            "        problems += _unstorable_text(item, at, depth)",
            "nesting is never counted",
        ),
        Mutant(
            IMPORTING,
            '_UNSTORABLE = re.compile("[\\x00\\ud800-\\udfff]")',
            '_UNSTORABLE = re.compile("[\\ud800-\\udfff]")',
            "a NUL in a title passes (PostgreSQL then refuses it with a traceback)",
        ),
        Mutant(
            IMPORTING,
            "        if isinstance(key, str) and _UNSTORABLE.search(key):",
            "        if False:",
            "a key holding a NUL is not reported as unstorable",
        ),
        Mutant(
            IMPORTING,
            "    if isinstance(value, str) and _UNSTORABLE.search(value):",
            "    if False:",
            "text holding a NUL or a lone surrogate is not reported as unstorable",
        ),
        Mutant(
            IMPORTING,
            "    if unreadable:\n",
            "    if False:\n",
            "unstorable text is not reported (and later checks may not be able to print it)",
        ),
        Mutant(
            IMPORTING,
            "    if not isinstance(sections, list) or not sections:",
            "    if not sections:",
            "sections given as a number crash with a traceback",
        ),
        Mutant(
            IMPORTING,
            "    if len(sections) > MAX_SECTIONS:",
            "    if False:",
            "no limit on the number of sections (40)",
        ),
        Mutant(
            IMPORTING,
            "    if len(sections) > MAX_SECTIONS:",
            "    if len(sections) >= MAX_SECTIONS:",
            "exactly 40 sections are refused",
        ),
        Mutant(
            IMPORTING,
            '        title=data["title"].strip(),',
            '        title=data["title"],',
            "imported section titles keep stray spaces",
        ),
        Mutant(
            IMPORTING,
            'title = data["title"].strip() if "title" in data else locked.title',
            'title = data.get("title", locked.title)',
            "an imported pack title keeps stray spaces",
        ),
    ),
)


GROUPS = (
    ACCESS_CONTROL,
    PUBLISHING_RULES,
    IMMUTABILITY,
    SANITISER_RULES,
    FETCHER_RULES,
    IMPORT_VALIDATION,
)


EQUIVALENT = (
    Equivalent(
        "access",
        ACCESS,
        "if not user.is_authenticated and access is not Access.READ:",
        "if False:",
        "Defence in depth that cannot fire: an anonymous visitor finds no pack on a page "
        "other than reading (Trust.objects.for_user is empty for them), so the redirect "
        "above has already been returned.",
    ),
    Equivalent(
        "access",
        ACCESS,
        "    if access is Access.READ:\n        return True",
        "    if access is Access.READ:\n        return pack.can_read(user)",
        "Reading pages only find packs through InductionPack.objects.for_user, which is "
        "can_read as a query: every pack found is readable.",
    ),
    Equivalent(
        "publishing",
        PUBLISHING,
        "    _check(pack, user)\n    with transaction.atomic",
        "    with transaction.atomic",
        "The early check only spares a transaction: the same rules are checked again under "
        "the lock, on fresher data, before anything is written, and the refusal rolls back.",
    ),
    Equivalent(
        "publishing",
        MODELS,
        "AuditEvent.objects.filter(pack=self, changes_draft=True, pk__gt=since)",
        "AuditEvent.objects.filter(pack=self, changes_draft=True, pk__gte=since)",
        "The only row added by >= is the publication itself, which is not a draft edit "
        "(changes_draft is False), so the set is the same.",
    ),
    Equivalent(
        "publishing",
        MODELS,
        "            .exclude(actor=None)\n",
        "",
        "An unnamed import's None in the set is never a user's pk, and Django drops None "
        "from an `__in` list, so eligible_publishers excludes the same people.",
    ),
    Equivalent(
        "publishing",
        PUBLISHING,
        'number = (locked.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1',
        "number = locked.versions.count() + 1",
        "Versions are numbered from 1 without gaps and are never deleted on their own (only "
        "with their pack), so the count is the highest number.",
    ),
    Equivalent(
        "sanitiser",
        SANITISER,
        'return len(url) > len("https://")',
        "return True",
        "nh3 parses every URL it keeps and drops `https://` with no host itself, so the "
        "length check only repeats it (a test checks the rendered link has no href).",
    ),
    Equivalent(
        "sanitiser",
        SANITISER,
        'if tag == "a" and attribute == "href":',
        'if attribute == "href":',
        "Only <a> may carry href in ALLOWED_ATTRIBUTES, so nh3 never asks about another tag's.",
    ),
    Equivalent(
        "sanitiser",
        SANITISER,
        'url_schemes={"https", "mailto"},',
        'url_schemes={"https", "mailto", "http"},',
        "The attribute filter decides every href and src first and refuses http itself; the "
        "scheme list is a second copy of the same rule.",
    ),
    Equivalent(
        "fetcher",
        FETCHER,
        "super().__init__(allow_redirects=False, fail_on_errors=False)",
        "super().__init__(allow_redirects=True, fail_on_errors=False)",
        "fetch() is overridden and never calls the base class's handlers, the only code that "
        "reads allow_redirects.",
    ),
    Equivalent(
        "importing",
        IMPORTING,
        "if isinstance(due, bool) or due not in ChecklistItem.Timing.values:",
        "if due not in ChecklistItem.Timing.values:",
        "True and False equal 1 and 0, and neither is a timing (7, 30, 60, 100), so booleans "
        "are refused either way.",
    ),
)
