"""Trusts, their people, and each trust's induction pack with its immutable published versions.

The draft is the pack's sections, edited in place. Publishing (induction/publishing.py) freezes
the draft into a PackVersion: a new row that never changes afterwards, apart from the PDF that
is attached to it once rendered.
"""

import datetime
import enum
import secrets
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from page_cache import generation
from roles.models import Responsibility, Role

from .safe_markdown import INVISIBLE_CHARACTERS

ods_code_validator = RegexValidator(
    r"^[RT][A-Z0-9]{2}$",
    "Enter the trust's ODS code: 3 capital letters or digits starting with R or T, for example RX1",
)

# Titles and names refuse the invisible characters that make text read other than it is.
no_invisible_characters = RegexValidator(
    f"[{INVISIBLE_CHARACTERS}]",
    "Remove the invisible formatting characters (such as right-to-left marks or zero-width "
    "spaces), which can make text read differently from how it is stored. They often come "
    "with text pasted from another document.",
    inverse_match=True,
)


class TrustQuerySet(models.QuerySet):
    def for_user(self, user):
        """Trusts the user belongs to; every trust for platform staff, who may read every pack
        (what they may change is decided by `Trust.role_names_for`, like anyone's)."""
        if user.is_authenticated and user.is_staff:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Trust(models.Model):
    """An NHS trust that publishes its own induction packs."""

    class Kind(models.TextChoices):
        ACUTE = "acute", "Acute"
        MENTAL_HEALTH = "mental_health", "Mental health"
        COMMUNITY = "community", "Community"
        AMBULANCE = "ambulance", "Ambulance"
        SPECIALIST = "specialist", "Specialist"
        INTEGRATED = "integrated", "Integrated care"

    class Region(models.TextChoices):
        """NHS England's seven regions."""

        EAST_OF_ENGLAND = "east_of_england", "East of England"
        LONDON = "london", "London"
        MIDLANDS = "midlands", "Midlands"
        NORTH_EAST_AND_YORKSHIRE = "north_east_and_yorkshire", "North East and Yorkshire"
        NORTH_WEST = "north_west", "North West"
        SOUTH_EAST = "south_east", "South East"
        SOUTH_WEST = "south_west", "South West"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    ods_code = models.CharField(
        "ODS code", max_length=3, unique=True, validators=[ods_code_validator]
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Blank only for trusts made before regions were recorded.
    region = models.CharField(max_length=30, choices=Region.choices, blank=True)

    objects = TrustQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("induction:pack_read", kwargs={"slug": self.slug})

    def role_names_for(self, user) -> frozenset[str]:
        """The user's roles in this trust ("editor", "approver", "reader"): those of their
        memberships, plus "editor" while a platform staff member acts as an editor of this
        trust (an active `StaffAccess`). The one place roles are read: every permission rule
        follows from it, and `is_staff` alone gives no role.

        Cached per user on this instance, so the permission checks of one request cost at
        most one query however many of them a page makes (two for platform staff), and none
        when the user's roles are kept in the cache (`MembershipQuerySet.roles_by_trust`).
        """
        return self._access_for(user)[0]

    def staff_access_for(self, user) -> "StaffAccess | None":
        """The user's active `StaffAccess` to this trust (None for anyone not acting as an
        editor here), read and cached together with their roles."""
        return self._access_for(user)[1]

    def _access_for(self, user) -> tuple[frozenset[str], "StaffAccess | None"]:
        if not getattr(user, "is_authenticated", False):
            return frozenset(), None
        cache = self.__dict__.setdefault("_role_cache", {})
        if user.pk not in cache:
            roles = set(Membership.objects.roles_by_trust(user).get(self.pk, ()))
            access = None
            if user.is_staff:
                access = (
                    StaffAccess.objects.active()
                    .filter(trust=self, user=user)
                    .order_by("-ends_at")
                    .first()
                )
                if access is not None:
                    roles.add(Membership.Role.EDITOR)
            cache[user.pk] = (frozenset(roles), access)
        return cache[user.pk]

    def forget_roles(self, user) -> None:
        """Drop the cached roles of `user`, after their access to this trust changed."""
        self.__dict__.get("_role_cache", {}).pop(user.pk, None)
        user.__dict__.pop(ROLES_ON_USER, None)

    def record(self, actor, action: str, detail: str = "") -> "AuditEvent":
        """Write an audit entry about the trust's people rather than one of its packs (an
        invitation, a member's roles or induction): the trust's editors read it in the same
        audit trail as the packs' entries. Entries about a pack go through
        `InductionPack.record`, which also keeps the draft's revision."""
        return AuditEvent.objects.create(
            trust=self, actor=actor, action=action, detail=detail[: AuditEvent.DETAIL_LENGTH]
        )


# Each user's roles in every trust, kept between requests under this token, which every change
# to a membership advances (induction/receivers.py, and `MembershipQuerySet` for bulk writes).
MEMBER_ROLES = generation.Token("induction:member-roles")
MEMBER_ROLES_SECONDS = 60 * 60
ROLES_ON_USER = "_roles_by_trust"


class MembershipQuerySet(models.QuerySet):
    def that_change_content(self):
        """Editor and approver memberships: the roles that change what a trust's members read."""
        return self.filter(role__in=[Membership.Role.EDITOR, Membership.Role.APPROVER])

    def roles_by_trust(self, user) -> dict[int, frozenset[str]]:
        """The user's roles by trust id, from their memberships: one cache round trip when
        kept, else one query (see `Token.kept`: inside a transaction, read afresh each time).
        Staff access is not here: it ends by the clock and is read where it counts
        (`Trust.role_names_for`)."""

        def read():
            found = {}
            for trust_id, role in self.filter(user=user).values_list("trust_id", "role"):
                found.setdefault(trust_id, set()).add(role)
            return {trust_id: frozenset(roles) for trust_id, roles in found.items()}

        # Nor remembered on the user inside a transaction, where a membership may change.
        if transaction.get_connection().in_atomic_block:
            return read()
        # Once per request: the request's user is a new instance each time.
        if ROLES_ON_USER not in user.__dict__:
            kept = MEMBER_ROLES.kept(f"member-roles:{user.pk}", read, MEMBER_ROLES_SECONDS)
            user.__dict__[ROLES_ON_USER] = kept
        return user.__dict__[ROLES_ON_USER]

    def update(self, **kwargs):
        MEMBER_ROLES.advance()  # bulk writes send no signal
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        MEMBER_ROLES.advance()
        return super().bulk_create(objs, *args, **kwargs)


class Membership(models.Model):
    """A user's role in a trust. One row per role: an HR admin is often editor and approver."""

    class Role(models.TextChoices):
        EDITOR = "editor", "Editor (HR admin or company secretary)"
        APPROVER = "approver", "Approver"
        READER = "reader", "Reader (the Medical Director, the trust's NEDs)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    board_role = models.ForeignKey(
        "roles.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The board role this member is being inducted into, if any (for example "
        "Medical Director). Their induction record follows the pack for this role.",
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="When they start in the board role. Checklist due dates count from it.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["trust", "user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "trust", "role"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.trust}"


def can_change_content(user) -> bool:
    """Whether the user is platform staff or an editor or approver of any trust: the people
    whose idle sessions end early (mdportal/session_limits.py) and who prove a second factor
    after signing in with a password (mfa/). No query for staff, and none when the user's roles
    are kept in the cache (`MembershipQuerySet.roles_by_trust`); else one."""
    if user.is_staff or user.is_superuser:
        return True
    changing = {Membership.Role.EDITOR, Membership.Role.APPROVER}
    return any(roles & changing for roles in Membership.objects.roles_by_trust(user).values())


def default_staff_access_end() -> datetime.datetime:
    """When a platform staff member's access to a trust ends unless they stop it earlier."""
    return timezone.now() + datetime.timedelta(hours=settings.STAFF_ACCESS_HOURS)


class StaffAccessQuerySet(models.QuerySet):
    def active(self):
        """Accesses in force now: started, not yet at their end time, not stopped early."""
        now = timezone.now()
        return self.filter(started_at__lte=now, ends_at__gt=now, ended_at__isnull=True)


class StaffAccess(models.Model):
    """A platform staff member acting as an editor of one trust, for a stated reason and a
    limited time. While active, `Trust.role_names_for` gives them the editor role there, and
    only that: the approver role, and so the four-eyes rule, stays with the trust's people.

    Started and stopped only through induction/staff_access.py, which writes both to the
    trust's audit trail; the admin lists these rows read-only.
    """

    REASON_LENGTH = 300

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_accesses"
    )
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="staff_accesses")
    reason = models.CharField(max_length=REASON_LENGTH, validators=[no_invisible_characters])
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(default=default_staff_access_end)
    # Set when the staff member stops acting before `ends_at`.
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = StaffAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "staff access"
        verbose_name_plural = "staff access"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="staff_access_has_a_reason"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=F("started_at")),
                name="staff_access_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.user} acting as an editor of {self.trust}"

    @property
    def is_active(self) -> bool:
        """Whether the access is in force now (see `StaffAccessQuerySet.active`)."""
        now = timezone.now()
        return self.ended_at is None and self.started_at <= now < self.ends_at


class InductionPackQuerySet(models.QuerySet):
    def for_user(self, user):
        """Packs the user may read: public ones, their own trusts' ones, every one for staff."""
        if user.is_authenticated and user.is_staff:
            return self
        visible = models.Q(visibility=InductionPack.Visibility.PUBLIC)
        if user.is_authenticated:
            visible |= models.Q(trust__memberships__user=user)
        return self.filter(visible).distinct()

    def editable_by(self, user):
        """Packs whose draft the user may edit: their trusts' as an editor, and for platform
        staff also those of the trusts they are acting as an editor of (`StaffAccess`)."""
        if not user.is_authenticated:
            return self.none()
        editable = models.Q(
            trust__memberships__user=user, trust__memberships__role=Membership.Role.EDITOR
        )
        if user.is_staff:
            acting = StaffAccess.objects.active().filter(user=user).values("trust")
            editable |= models.Q(trust__in=acting)
        return self.filter(editable).distinct()

    def of_trusts_matching(self, *, name: str = "", region: str = "", kind: str = ""):
        """Packs of the trusts whose name holds every word of `name` (in any case), in
        `region` and of `kind`; an empty criterion matches every trust."""
        packs = self
        for word in name.split():
            packs = packs.filter(trust__name__icontains=word)
        if region:
            packs = packs.filter(trust__region=region)
        if kind:
            packs = packs.filter(trust__kind=kind)
        return packs

    def with_versions(self):
        """Prefetch each pack's newest version (without its heavy frozen content) in one query,
        so `latest_version` and `status` cost nothing per pack on a list page, however many
        versions each pack has."""
        newer = PackVersion.objects.filter(
            pack=models.OuterRef("pack"), number__gt=models.OuterRef("number")
        )
        newest = PackVersion.objects.filter(~models.Exists(newer)).defer("content", "rendered_html")
        return self.select_related("trust", "board_role").prefetch_related(
            models.Prefetch("versions", queryset=newest, to_attr="newest_versions")
        )


# The shortest and longest review interval a pack may have, in months.
REVIEW_INTERVAL_MONTHS = (1, 36)


class PublishRefusal(enum.Enum):
    """Why a user may not publish a pack's draft: a value that every path (web, admin, command
    line) acts on, with `message` saying it in words for the user."""

    NOT_SIGNED_IN = "Sign in to publish this pack."
    NOT_EDITOR_OR_APPROVER = "Only an editor or approver of this trust can publish this pack."
    NOT_APPROVER = (
        "Only an approver of this trust can publish this pack, because it needs approval by "
        "a second person."
    )
    EDITED_THE_DRAFT = (
        "You have edited this draft since the last version was published, so a different "
        "approver must publish it: this trust requires approval by a second person."
    )

    @property
    def message(self) -> str:
        return self.value

    @property
    def is_second_person_rule(self) -> bool:
        """Whether the user is an approver stopped only by the four-eyes rule."""
        return self is PublishRefusal.EDITED_THE_DRAFT


class InductionPack(models.Model):
    """A trust's induction pack for one board role. Its sections are the draft."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone can read published versions"
        MEMBERS = "members", "Members only: signed-in members of the trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="packs")
    board_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200, validators=[no_invisible_characters])
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    requires_approval = models.BooleanField(
        default=False,
        help_text="Four-eyes rule: a version must be published by an approver who edited "
        "nothing in the draft since the last publication.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[
            MinValueValidator(
                REVIEW_INTERVAL_MONTHS[0], "Enter a review interval of at least 1 month"
            ),
            MaxValueValidator(
                REVIEW_INTERVAL_MONTHS[1], "Enter a review interval of 36 months or fewer"
            ),
        ],
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_edited_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change to what a version freezes (sections, title): the publish form
    # carries the one the approver reviewed, so a later edit is never published under it.
    draft_revision = models.PositiveIntegerField(default=1, editable=False)
    # Bumped by every change to the settings: a settings form opened before a colleague's
    # change is a conflict rather than a silent undoing of it.
    settings_revision = models.PositiveIntegerField(default=1, editable=False)

    objects = InductionPackQuerySet.as_manager()

    class Meta:
        ordering = ["trust", "board_role"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "board_role"], name="one_pack_per_role"),
            models.CheckConstraint(
                condition=models.Q(
                    review_interval_months__gte=REVIEW_INTERVAL_MONTHS[0],
                    review_interval_months__lte=REVIEW_INTERVAL_MONTHS[1],
                ),
                name="review_interval_in_range",
                violation_error_message="Enter a review interval from 1 to 36 months.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("induction:pack_read", kwargs={"slug": self.trust.slug})

    # --- Permissions: from the roles `Trust.role_names_for` gives (memberships and staff
    # acting as editors). Platform staff may read every pack; nothing else comes from rank. ---

    def _roles(self, user) -> frozenset[str]:
        return self.trust.role_names_for(user)

    @staticmethod
    def _is_staff(user) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.is_staff)

    def is_member(self, user) -> bool:
        """Whether the user holds any role in the pack's trust."""
        return bool(self._roles(user))

    def can_read(self, user) -> bool:
        """Whether the user may read the published versions."""
        return (
            self.visibility == self.Visibility.PUBLIC
            or self._is_staff(user)
            or self.is_member(user)
        )

    def can_edit(self, user) -> bool:
        """Whether the user may edit the draft, see its preview, history and audit trail."""
        return Membership.Role.EDITOR in self._roles(user)

    def check_can_edit(self, user) -> None:
        """PermissionDenied, with words for the user, unless they may edit the draft."""
        if not self.can_edit(user):
            raise PermissionDenied("Only an editor of this trust can change its induction pack.")

    def can_approve(self, user) -> bool:
        """Whether the user holds the approver role (staff acting as editors never do)."""
        return Membership.Role.APPROVER in self._roles(user)

    def can_view_draft(self, user) -> bool:
        """Editors and approvers see the draft: an approver must read what they publish."""
        return self.can_edit(user) or self.can_approve(user)

    @cached_property
    def draft_editor_ids(self) -> frozenset[int]:
        """Everyone who changed the draft since the newest version was published (since the
        pack was made, before the first), read from the audit trail's draft edits."""
        since = (
            AuditEvent.objects.filter(pack=self, action=AuditEvent.Action.PUBLISHED)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        ) or 0
        return frozenset(
            AuditEvent.objects.filter(pack=self, changes_draft=True, pk__gt=since)
            .exclude(actor=None)
            .values_list("actor_id", flat=True)
        )

    def second_person_refusal(self, user) -> PublishRefusal | None:
        """The four-eyes rule, for publishing and for turning the rule off: the user must be
        an approver who edited nothing in the draft since the last publication. It binds
        platform staff too: the rule is about two people, not about rank (and staff acting as
        editors are never approvers)."""
        if not self.can_approve(user):
            return PublishRefusal.NOT_APPROVER
        if user.pk in self.draft_editor_ids:
            return PublishRefusal.EDITED_THE_DRAFT
        return None

    def publish_refusal(self, user) -> PublishRefusal | None:
        """Why the user may not publish the draft now; None if they may.

        Without the approval rule an editor or approver may publish; with it, see
        `second_person_refusal`.
        """
        if not getattr(user, "is_authenticated", False):
            return PublishRefusal.NOT_SIGNED_IN
        if self.requires_approval:
            return self.second_person_refusal(user)
        if self.can_edit(user) or self.can_approve(user):
            return None
        return PublishRefusal.NOT_EDITOR_OR_APPROVER

    def can_publish(self, user) -> bool:
        """Whether the user may publish the draft now (see `publish_refusal`)."""
        return self.publish_refusal(user) is None

    def eligible_publishers(self):
        """The trust's members who may publish the draft now, by name (platform staff acting
        as editors, who are not members, are not listed)."""
        roles = [Membership.Role.APPROVER]
        if not self.requires_approval:
            roles.append(Membership.Role.EDITOR)
        people = (
            get_user_model()
            .objects.filter(memberships__trust=self.trust_id, memberships__role__in=roles)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        if self.requires_approval:
            people = people.exclude(pk__in=self.draft_editor_ids)
        return list(people)

    # --- The audit trail, and the draft's revision and last-edited stamp, in one place. ---

    def last_settings_change(self) -> "AuditEvent | None":
        """The audit entry of the latest change to the settings (title included), which says
        who made it and when; None if they were never changed."""
        actions = [AuditEvent.Action.TITLE_CHANGED, AuditEvent.Action.SETTINGS_CHANGED]
        return (
            self.audit_events.filter(action__in=actions)
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )

    def record(self, actor, action: str, detail: str = "", *, version=None) -> "AuditEvent":
        """Write an audit entry about this pack. A draft edit (see `AuditEvent.DRAFT_EDITS`)
        also bumps the draft revision and stamps who edited it last and when."""
        changes_draft = action in AuditEvent.DRAFT_EDITS
        if changes_draft:
            now = timezone.now()
            InductionPack.objects.filter(pk=self.pk).update(
                draft_revision=F("draft_revision") + 1, last_edited_by=actor, last_edited_at=now
            )
            self.refresh_from_db(fields=["draft_revision"])
            self.last_edited_by, self.last_edited_at = actor, now
            self.__dict__.pop("draft_editor_ids", None)
        return AuditEvent.objects.create(
            trust_id=self.trust_id,
            pack=self,
            actor=actor,
            action=action,
            detail=detail[: AuditEvent.DETAIL_LENGTH],
            version=version,
            changes_draft=changes_draft,
        )

    # --- Versions and status, derived from fields rather than stored twice. ---

    @cached_property
    def latest_version(self) -> "PackVersion | None":
        """The newest published version, or None. A cached property: it uses the version
        prefetched by `InductionPack.objects.with_versions()` when present, else one query.
        Publishing clears the cache on the instance it was called on."""
        prefetched = getattr(self, "newest_versions", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return self.versions.order_by("-number").first()

    STATUS_LABELS = {
        "draft": "Draft: not published yet",
        "live": "Published",
        "live_with_changes": "Published, with unpublished changes",
    }

    @property
    def status(self) -> str:
        """ "draft" (never published), "live", or "live_with_changes" (edited after the
        newest version was published)."""
        latest = self.latest_version
        if latest is None:
            return "draft"
        if self.last_edited_at is not None and self.last_edited_at > latest.published_at:
            return "live_with_changes"
        return "live"

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[self.status]

    def publish(
        self, *, user, change_summary: str = "", reviewed_revision: int | None = None
    ) -> "PackVersion":
        """Freeze the draft into a new immutable version. See induction/publishing.py."""
        from .publishing import publish

        return publish(
            self, user=user, change_summary=change_summary, reviewed_revision=reviewed_revision
        )


class Section(models.Model):
    """One section of a pack's draft: free Markdown, or national baseline with a trust overlay."""

    class Kind(models.TextChoices):
        MARKDOWN = "markdown", "Free text (Markdown)"
        RESPONSIBILITIES = "responsibilities", "Responsibilities: the national list, held here"
        PEOPLE = "people", "Reporting lines and who is who"
        CHECKLIST = "checklist", "First 100 days checklist"
        GLOSSARY = "glossary", "Glossary"

    pack = models.ForeignKey(InductionPack, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MARKDOWN)
    title = models.CharField(max_length=200, validators=[no_invisible_characters])
    body = models.TextField(blank=True, help_text="Markdown.")
    order = models.PositiveIntegerField(default=0)
    # Bumped on every save; a form carries the revision it started from, so a second editor
    # saving over a newer revision is told instead of silently overwriting (induction/services).
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Which section of the national baseline this one was made from ("" for a section the
    # trust added), the revision of the national text it was made from or last brought up to
    # date with, and that national text itself, so that editors can be shown what changed
    # nationally since (induction/baseline.py owns all three).
    baseline_key = models.CharField(max_length=30, blank=True, editable=False)
    national_revision = models.CharField(max_length=64, blank=True, editable=False)
    national_basis = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title

    @property
    def anchor(self) -> str:
        """The fragment id the section gets in the reading view, from its position."""
        return f"section-{self.order}"

    def add_national_overlays(self) -> None:
        """Give a new responsibilities section one overlay per national responsibility of
        the pack's board role, each held by the role-holder until the trust says otherwise."""
        ResponsibilityOverlay.objects.bulk_create(
            ResponsibilityOverlay(section=self, responsibility=responsibility)
            for responsibility in Responsibility.objects.filter(role=self.pack.board_role_id)
        )


DELEGATED_NEEDS_A_POST = (
    "Enter the post this responsibility is delegated to, for example Director of Nursing"
)


def holding_label(status: str, board_role_name: str) -> str:
    """How a responsibility is held, in the words every page and the PDF use."""
    return {
        ResponsibilityOverlay.Status.HELD: f"Held by the {board_role_name}",
        ResponsibilityOverlay.Status.DELEGATED: "Delegated",
        ResponsibilityOverlay.Status.NOT_APPLICABLE: "Does not apply here",
    }.get(status, status)


def holding_choices(board_role_name: str) -> list[tuple[str, str]]:
    """The choices of how a responsibility is held, worded for the pack's board role."""
    return [
        (status, holding_label(status, board_role_name))
        for status in ResponsibilityOverlay.Status.values
    ]


def relation_label(relation: str, board_role_name: str) -> str:
    """How a local post-holder works with the board role, in words."""
    return {
        PostHolder.Relation.REPORTS_TO: f"The {board_role_name} reports to them",
        PostHolder.Relation.REPORTS_TO_MD: f"Reports to the {board_role_name}",
        PostHolder.Relation.WORKS_WITH: f"Works closely with the {board_role_name}",
    }.get(relation, relation)


def relation_choices(board_role_name: str) -> list[tuple[str, str]]:
    return [
        (relation, relation_label(relation, board_role_name))
        for relation in PostHolder.Relation.values
    ]


class ResponsibilityOverlay(models.Model):
    """How one national responsibility is held in this trust."""

    class Status(models.TextChoices):
        # Pages word these for the pack's board role: see `holding_label`.
        HELD = "held", "Held by the board role-holder"
        DELEGATED = "delegated", "Delegated"
        NOT_APPLICABLE = "not_applicable", "Does not apply here"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="overlays")
    responsibility = models.ForeignKey(Responsibility, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HELD)
    delegated_to = models.CharField(
        max_length=200, blank=True, help_text="The post it is delegated to."
    )
    note = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["responsibility__kind", "responsibility__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "responsibility"], name="one_overlay_per_responsibility"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="delegated") | ~models.Q(delegated_to=""),
                name="delegated_names_a_post",
                violation_error_message=DELEGATED_NEEDS_A_POST,
            ),
        ]

    def __str__(self):
        return f"{self.responsibility}: {self.get_status_display()}"

    def clean(self):
        """A delegated responsibility names its post; any other keeps no post."""
        self.delegated_to = (self.delegated_to or "").strip()
        if self.status != self.Status.DELEGATED:
            self.delegated_to = ""
        elif not self.delegated_to:
            raise ValidationError({"delegated_to": DELEGATED_NEEDS_A_POST})


class PostHolder(models.Model):
    """A local post-holder: feeds 'who is who' and the local reporting-lines diagram."""

    class Relation(models.TextChoices):
        # Pages word these for the pack's board role: see `relation_label`.
        REPORTS_TO = "reports_to", "The board role-holder reports to them"
        REPORTS_TO_MD = "reports_to_md", "Reports to the board role-holder"
        WORKS_WITH = "works_with", "Works closely with the board role-holder"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="post_holders")
    name = models.CharField(max_length=200, validators=[no_invisible_characters])
    title = models.CharField(
        max_length=200,
        help_text="Job title, for example Chief Executive.",
        validators=[no_invisible_characters],
    )
    relation = models.CharField(max_length=20, choices=Relation.choices)
    contact = models.CharField(max_length=200, blank=True, help_text="E-mail or telephone.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name}, {self.title}"


def new_checklist_key() -> str:
    return uuid.uuid4().hex


class ChecklistItem(models.Model):
    """One step in the first-100-days checklist, with a suggested timing. Its `key` stays the
    same through edits and published versions, so an inductee's tick follows the step."""

    class Category(models.TextChoices):
        MEET = "meet", "People to meet"
        READ = "read", "Papers to read"
        TRAINING = "training", "Training and development"
        OBLIGATIONS = "obligations", "Your obligations as a board member"

    class Timing(models.IntegerChoices):
        WEEK_1 = 7, "In the first week"
        DAY_30 = 30, "By day 30"
        DAY_60 = 60, "By day 60"
        MONTH_3 = 91, "At three months (review)"
        DAY_100 = 100, "By day 100"
        MONTH_6 = 182, "At six months (review)"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="checklist")
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.CharField(max_length=300)
    due_by_day = models.PositiveSmallIntegerField(choices=Timing.choices, default=Timing.DAY_30)
    order = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(max_length=32, default=new_checklist_key, editable=False)

    class Meta:
        ordering = ["due_by_day", "order", "id"]

    def __str__(self):
        return self.text


class FrozenVersionError(Exception):
    """Raised on an attempt to change a published version's frozen fields."""


# What publishing froze. Only the PDF fields may change after a version is created.
FROZEN_VERSION_FIELDS = (
    "pack",
    "number",
    "content",
    "rendered_html",
    "change_summary",
    "published_by",
    "approved_by",
    "published_at",
    "next_review_date",
    "national_revision",
)


class PackVersionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(pack__in=InductionPack.objects.for_user(user))

    def update(self, **kwargs):
        """Bulk updates may only touch the PDF fields: a published version never changes."""
        frozen = sorted(
            name
            for name in kwargs
            if name in FROZEN_VERSION_FIELDS or name.removesuffix("_id") in FROZEN_VERSION_FIELDS
        )
        if frozen:
            raise FrozenVersionError(
                f"A published version cannot be changed (tried to update {', '.join(frozen)})."
            )
        # A version's pages show whether its PDF is ready; bulk updates send no signal.
        generation.advance()
        return super().update(**kwargs)


class PackVersion(models.Model):
    """An immutable snapshot of a pack, made by publishing. Only its PDF fields fill in later."""

    class PdfStatus(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    pack = models.ForeignKey(InductionPack, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(help_text="The frozen draft, including the national text then.")
    rendered_html = models.TextField(help_text="Sanitised HTML of the frozen content.")
    change_summary = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()
    next_review_date = models.DateField()
    # The revision of the national text the version was built from (see
    # induction/baseline.py `draft_national_revision`); blank before revisions were recorded.
    national_revision = models.CharField(max_length=64, blank=True, editable=False)
    pdf = models.FileField(upload_to="packs/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_status = models.CharField(
        max_length=20, choices=PdfStatus.choices, default=PdfStatus.PENDING
    )
    pdf_error = models.TextField(blank=True)
    # The trust's pictures the frozen content shows, recorded by publishing in the same
    # transaction: they decide who may see a picture, and the PDF copies them.
    pictures = models.ManyToManyField(
        "TrustPicture", through="VersionPicture", related_name="versions", blank=True
    )

    objects = PackVersionQuerySet.as_manager()

    class Meta:
        ordering = ["pack", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["pack", "number"], name="unique_version_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="version_from_one"),
        ]

    def __str__(self):
        return f"{self.pack} – version {self.number}"

    def save(self, *args, **kwargs):
        """Create a version, or update its PDF fields; refuse any change to what was frozen.

        The guard lives here (and in `PackVersionQuerySet.update`) rather than in the database
        so that the PDF task may still call `version.pdf.save(...)`, which saves the whole row:
        an update re-reads the frozen fields and refuses to go on if any differ.
        """
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            touches_frozen = update_fields is None or any(
                name in FROZEN_VERSION_FIELDS or name.removesuffix("_id") in FROZEN_VERSION_FIELDS
                for name in update_fields
            )
            if touches_frozen:
                self._refuse_changes_to_frozen_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "induction:version_read", kwargs={"slug": self.pack.trust.slug, "number": self.number}
        )

    def _refuse_changes_to_frozen_fields(self):
        attnames = [self._meta.get_field(name).attname for name in FROZEN_VERSION_FIELDS]
        stored = type(self)._base_manager.filter(pk=self.pk).values(*attnames).first()
        if stored is None:
            return
        changed = [
            name
            for name, attname in zip(FROZEN_VERSION_FIELDS, attnames, strict=True)
            if stored[attname] != getattr(self, attname)
        ]
        if changed:
            raise FrozenVersionError(
                f"Version {stored['number']} is published and cannot be changed "
                f"(tried to change {', '.join(changed)}). Publish a new version instead."
            )

    @property
    def is_due_for_review(self) -> bool:
        """Whether the next review date has passed."""
        return self.next_review_date < timezone.localdate()

    @property
    def pdf_ready(self) -> bool:
        """Whether the stored PDF can be downloaded (set by induction/pdf/storing.py)."""
        return self.pdf_status == self.PdfStatus.READY

    @property
    def pdf_failed(self) -> bool:
        """Whether the PDF could not be made; `pdf_error` says why, for the trust's editors."""
        return self.pdf_status == self.PdfStatus.FAILED


class AuditEvent(models.Model):
    """A record of an edit or publication, or of a change to who belongs to the trust,
    readable by the trust's editors. Entries about the trust's people have no pack."""

    class Action(models.TextChoices):
        CREATED = "created", "Created the pack"
        SECTION_ADDED = "section_added", "Added a section"
        SECTION_EDITED = "section_edited", "Edited a section"
        SECTION_REMOVED = "section_removed", "Removed a section"
        SECTIONS_REORDERED = "sections_reordered", "Reordered sections"
        SETTINGS_CHANGED = "settings_changed", "Changed the pack's settings"
        TITLE_CHANGED = "title_changed", "Changed the pack's title"
        IMPORTED = "imported", "Imported the draft"
        RESTORED = "restored", "Restored an earlier version into the draft"
        PUBLISHED = "published", "Published a version"
        PDF_FAILED = "pdf_failed", "PDF could not be produced"
        STAFF_ACCESS_STARTED = "staff_access_started", "Platform staff started acting as an editor"
        STAFF_ACCESS_ENDED = "staff_access_ended", "Platform staff stopped acting as an editor"
        APPROVAL_REQUESTED = "approval_requested", "Asked for approval"
        APPROVAL_RETURNED = "approval_returned", "Returned the draft with comments"
        APPROVAL_WITHDRAWN = "approval_withdrawn", "Withdrew the request for approval"
        APPROVAL_PUBLISHED = "approval_published", "Approved and published the draft asked for"
        PICTURE_ADDED = "picture_added", "Added a picture to the picture library"
        PICTURE_REMOVED = "picture_removed", "Removed a picture from the picture library"
        # About the trust's people rather than a pack: written by `Trust.record`.
        INVITATION_SENT = "invitation_sent", "Invited someone to join the trust"
        INVITATION_REVOKED = "invitation_revoked", "Revoked an invitation"
        INVITATION_ACCEPTED = "invitation_accepted", "Accepted an invitation and joined the trust"
        MEMBER_ROLES_CHANGED = "member_roles_changed", "Changed a member's roles"
        MEMBER_INDUCTION_CHANGED = (
            "member_induction_changed",
            "Changed a member's board role or start date",
        )
        MEMBER_REMOVED = "member_removed", "Removed a member from the trust"

    # The actions that change what a version would freeze: `InductionPack.record` bumps the
    # draft revision for them, and the four-eyes rule reads who made them.
    DRAFT_EDITS = frozenset(
        {
            Action.SECTION_ADDED,
            Action.SECTION_EDITED,
            Action.SECTION_REMOVED,
            Action.SECTIONS_REORDERED,
            Action.TITLE_CHANGED,
            Action.IMPORTED,
            Action.RESTORED,
        }
    )
    DETAIL_LENGTH = 500

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="audit_events")
    pack = models.ForeignKey(
        InductionPack, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.CharField(max_length=DETAIL_LENGTH, blank=True)
    version = models.ForeignKey(
        PackVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set from `action` by `InductionPack.record`, so the four-eyes rule is one query.
    changes_draft = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.get_action_display()}"


class ApprovalRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=ApprovalRequest.Status.WAITING)

    def waiting_for(self, user):
        """Requests waiting for `user` to answer: those of the trusts where they are an
        approver, other than their own. One query (with the pack, trust and submitter)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return (
            self.waiting()
            .filter(
                pack__trust__memberships__user=user,
                pack__trust__memberships__role=Membership.Role.APPROVER,
            )
            .exclude(submitted_by=user)
            .select_related("pack__trust", "submitted_by")
            .order_by("submitted_at", "pk")
            .distinct()
        )


class ApprovalRequest(models.Model):
    """An editor asking the trust's approvers to publish the draft as it stood at
    `draft_revision`, and how that request ended. Made and answered only through
    induction/approvals.py (publishing answers it too: induction/publishing.py); at most one
    per pack is waiting at a time, which the database enforces."""

    MESSAGE_LENGTH = 1000
    COMMENTS_LENGTH = 4000

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for approval"
        RETURNED = "returned", "Returned with comments"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SUPERSEDED = "superseded", "Replaced by a later request"

    pack = models.ForeignKey(
        InductionPack, on_delete=models.CASCADE, related_name="approval_requests"
    )
    # The draft revision (`InductionPack.draft_revision`) the editor asked about: the same
    # number the publish form carries, so "the draft changed since" is one comparison.
    draft_revision = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True, max_length=MESSAGE_LENGTH)
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comments = models.TextField(blank=True, max_length=COMMENTS_LENGTH)
    responded_at = models.DateTimeField(null=True, blank=True)
    # The version that answered the request, when it ended in a publication.
    version = models.ForeignKey(
        PackVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ApprovalRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pack"],
                condition=models.Q(status="waiting"),
                name="one_waiting_approval_request_per_pack",
                violation_error_message="This pack already has a request waiting for approval.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(comments=""),
                name="returned_approval_request_has_comments",
            ),
        ]

    def __str__(self):
        return f"{self.pack}: {self.get_status_display()} (revision {self.draft_revision})"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING

    def return_refusal(self, user) -> str | None:
        """Why `user` may not return this request with comments; None if they may. Only an
        approver of the trust, and never the person who asked: approval takes two people."""
        if not self.pack.can_approve(user):
            return "Only an approver of this trust can return a draft with comments."
        if user.pk == self.submitted_by_id:
            return (
                "You asked for this approval yourself, so another approver must answer it. "
                "You can withdraw the request instead."
            )
        return None

    def can_return(self, user) -> bool:
        return self.return_refusal(user) is None

    def draft_changed(self, pack: InductionPack | None = None) -> bool:
        """Whether the draft was edited after the request was made (pass the pack when it is
        loaded already, to read its current revision without a query)."""
        return (pack or self.pack).draft_revision != self.draft_revision


def new_picture_key() -> str:
    """A picture's key: random and unguessable (128 bits), so its address says nothing."""
    return secrets.token_hex(16)


def picture_upload_to(picture: "TrustPicture", filename: str) -> str:
    # Named by trust and key only: the uploaded file's own name is never used.
    return f"pictures/{picture.trust_id}/{picture.key}.{picture.extension}"


class FrozenPictureError(Exception):
    """Raised on an attempt to change a stored picture: upload a new one instead."""


class TrustPicture(models.Model):
    """A picture in a trust's picture library (a logo, a site map, an organisation chart).

    Made only by induction/pictures.py from bytes it has checked and re-encoded; never changed
    afterwards (a version that shows it must keep showing the same picture), and never removed
    while a published version shows it (`VersionPicture` protects it).
    """

    class Format(models.TextChoices):
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"
        SVG = "image/svg+xml", "SVG"

    EXTENSIONS = {Format.PNG: "png", Format.JPEG: "jpg", Format.SVG: "svg"}
    ALT_TEXT_LENGTH = 250

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="pictures")
    key = models.CharField(max_length=32, unique=True, default=new_picture_key, editable=False)
    file = models.FileField(upload_to=picture_upload_to, max_length=200)
    content_type = models.CharField(max_length=20, choices=Format.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    alt_text = models.CharField(
        "description",
        max_length=ALT_TEXT_LENGTH,
        validators=[no_invisible_characters],
        help_text="What the picture shows, for people who cannot see it.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_text=""), name="picture_has_a_description"
            ),
            models.CheckConstraint(
                condition=models.Q(content_type__in=["image/png", "image/jpeg", "image/svg+xml"]),
                name="picture_is_png_jpeg_or_svg",
            ),
        ]

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        """Store a new picture; refuse to change one (see the class docstring)."""
        if not self._state.adding:
            raise FrozenPictureError("A stored picture cannot be changed: upload a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "induction:picture",
            kwargs={"slug": self.trust.slug, "key": self.key, "extension": self.extension},
        )

    @property
    def extension(self) -> str:
        return self.EXTENSIONS[self.content_type]

    @property
    def filename(self) -> str:
        """The last part of its address, `<key>.<extension>`."""
        return f"{self.key}.{self.extension}"

    def can_be_seen_by(self, user) -> bool:
        """The trust's editors and approvers see every picture of their trust; anyone else
        only one that a published version they may read shows."""
        if self.trust.role_names_for(user) & {Membership.Role.EDITOR, Membership.Role.APPROVER}:
            return True
        return PackVersion.objects.for_user(user).filter(pictures=self).exists()

    def is_in_a_public_version(self) -> bool:
        """Whether a published version of a public pack shows it (anyone may then see it)."""
        return self.versions.filter(pack__visibility=InductionPack.Visibility.PUBLIC).exists()


class VersionPicture(models.Model):
    """A picture a published version shows. The picture is protected: while any version
    shows it, the database refuses to delete it."""

    version = models.ForeignKey(PackVersion, on_delete=models.CASCADE, related_name="+")
    picture = models.ForeignKey(TrustPicture, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "picture"], name="one_row_per_picture")
        ]

    def __str__(self):
        return f"{self.picture} in {self.version}"
