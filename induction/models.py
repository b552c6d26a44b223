"""Trusts, their people, and each trust's induction pack with its immutable published versions.

The draft is the pack's sections, edited in place. Publishing (induction/publishing.py) freezes
the draft into a PackVersion: a new row that never changes afterwards, apart from the PDF that
is attached to it once rendered.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from roles.models import Responsibility, Role

ods_code_validator = RegexValidator(
    r"^[RT][A-Z0-9]{2}$",
    "Enter the trust's ODS code: 3 capital letters or digits starting with R or T, "
    "for example RX1",
)


class TrustQuerySet(models.QuerySet):
    def for_user(self, user):
        """Trusts the user belongs to (every trust for platform staff)."""
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

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    ods_code = models.CharField(
        "ODS code", max_length=3, unique=True, validators=[ods_code_validator]
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)

    objects = TrustQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("induction:pack_read", kwargs={"slug": self.slug})


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

    class Meta:
        ordering = ["trust", "user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "trust", "role"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.trust}"


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
        """Packs whose draft the user may edit."""
        if user.is_authenticated and user.is_staff:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            trust__memberships__user=user, trust__memberships__role=Membership.Role.EDITOR
        ).distinct()


class InductionPack(models.Model):
    """A trust's induction pack for one board role. Its sections are the draft."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone can read published versions"
        MEMBERS = "members", "Members only: signed-in members of the trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="packs")
    board_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    requires_approval = models.BooleanField(
        default=False,
        help_text="Four-eyes rule: a version must be published by an approver who is not "
        "the draft's last editor.",
    )
    review_interval_months = models.PositiveSmallIntegerField(default=12)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_edited_at = models.DateTimeField(null=True, blank=True)

    objects = InductionPackQuerySet.as_manager()

    class Meta:
        ordering = ["trust", "board_role"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "board_role"], name="one_pack_per_role")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("induction:pack_read", kwargs={"slug": self.trust.slug})


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
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    order = models.PositiveIntegerField(default=0)
    # Bumped on every save; a form carries the revision it started from, so a second editor
    # saving over a newer revision is told instead of silently overwriting (induction/services).
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class ResponsibilityOverlay(models.Model):
    """How one national responsibility is held in this trust."""

    class Status(models.TextChoices):
        HELD = "held", "Held by the Medical Director here"
        DELEGATED = "delegated", "Delegated to another post"
        NOT_APPLICABLE = "not_applicable", "Does not apply in this trust"

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
            ),
        ]

    def __str__(self):
        return f"{self.responsibility}: {self.get_status_display()}"


class PostHolder(models.Model):
    """A local post-holder: feeds 'who is who' and the local reporting-lines diagram."""

    class Relation(models.TextChoices):
        REPORTS_TO = "reports_to", "The Medical Director reports to them"
        REPORTS_TO_MD = "reports_to_md", "Reports to the Medical Director"
        WORKS_WITH = "works_with", "Works closely with the Medical Director"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="post_holders")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, help_text="Job title, for example Chief Executive.")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    contact = models.CharField(max_length=200, blank=True, help_text="E-mail or telephone.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name}, {self.title}"


class ChecklistItem(models.Model):
    """One step in the first-100-days checklist, with a suggested timing."""

    class Category(models.TextChoices):
        MEET = "meet", "People to meet"
        READ = "read", "Papers to read"
        TRAINING = "training", "Training and development"

    class Timing(models.IntegerChoices):
        WEEK_1 = 7, "In the first week"
        DAY_30 = 30, "By day 30"
        DAY_60 = 60, "By day 60"
        DAY_100 = 100, "By day 100"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="checklist")
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.CharField(max_length=300)
    due_by_day = models.PositiveSmallIntegerField(choices=Timing.choices, default=Timing.DAY_30)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_by_day", "order", "id"]

    def __str__(self):
        return self.text


class PackVersionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(pack__in=InductionPack.objects.for_user(user))


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
    pdf = models.FileField(upload_to="packs/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_status = models.CharField(
        max_length=20, choices=PdfStatus.choices, default=PdfStatus.PENDING
    )
    pdf_error = models.TextField(blank=True)

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

    def get_absolute_url(self):
        return reverse(
            "induction:version_read", kwargs={"slug": self.pack.trust.slug, "number": self.number}
        )


class AuditEvent(models.Model):
    """A record of an edit or publication, readable by the trust's editors."""

    class Action(models.TextChoices):
        SECTION_ADDED = "section_added", "Added a section"
        SECTION_EDITED = "section_edited", "Edited a section"
        SECTION_REMOVED = "section_removed", "Removed a section"
        SECTIONS_REORDERED = "sections_reordered", "Reordered sections"
        SETTINGS_CHANGED = "settings_changed", "Changed the pack's settings"
        IMPORTED = "imported", "Imported the draft"
        RESTORED = "restored", "Restored an earlier version into the draft"
        PUBLISHED = "published", "Published a version"
        PDF_FAILED = "pdf_failed", "PDF could not be produced"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="audit_events")
    pack = models.ForeignKey(
        InductionPack, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.CharField(max_length=500, blank=True)
    version = models.ForeignKey(
        PackVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.get_action_display()}"
