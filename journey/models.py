"""What a reader has done with their trust's pack (which versions they have acknowledged and
which checklist steps they have ticked off, both per user and never a copy of the pack's text),
and the invitations by which a trust's editors bring people in."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from induction.models import InductionPack, Membership, PackVersion, Trust


class Acknowledgement(models.Model):
    """ "I have read this version": who, which version, when. One per user and version."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.ForeignKey(
        PackVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_acknowledgement")
        ]

    def __str__(self):
        return f"{self.user} read {self.version}"


class ChecklistTick(models.Model):
    """A checklist step an inductee has done, found by the step's key (which survives edits and
    new versions of the pack)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checklist_ticks"
    )
    pack = models.ForeignKey(InductionPack, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=32)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "pack", "item_key"], name="one_tick_per_step")
        ]

    def __str__(self):
        return f"{self.user} did {self.item_key} in {self.pack}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Invitations that can still be accepted: not accepted, not revoked, not expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An editor's invitation to join a trust, sent by e-mail with the role the person will
    hold and, for someone being inducted, the board role and start date.

    The e-mailed link carries a random token; only its SHA-256 is kept, so the database never
    holds a working link. It works once, until `expires_at`, unless revoked. Its status is
    derived from the fields, and every change to it is made by journey/invitations.py.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="invitations")
    # Stored in lower case: the address they will sign in with, and what they must match.
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    board_role = models.ForeignKey(
        "roles.Role", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="invitation_expires_after_it_is_made",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(board_role__isnull=False),
                name="invitation_start_date_needs_a_board_role",
            ),
        ]
        indexes = [models.Index(fields=["invited_by", "created_at"], name="invitations_by_inviter")]

    def __str__(self):
        return f"Invitation of {self.email} to {self.trust}"

    @property
    def status(self) -> str:
        """One of `Status`: accepted or revoked once that happened, else expired or pending."""
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def role_words(self) -> str:
        """The role in a few plain words, for the e-mail and the pages: "a reader"."""
        return ROLE_WORDS[self.role]

    @property
    def role_description(self) -> str:
        """What the role lets them do, in a sentence's second half."""
        return ROLE_DESCRIPTIONS[self.role]


ROLE_WORDS = {
    Membership.Role.READER: "a reader",
    Membership.Role.EDITOR: "an editor",
    Membership.Role.APPROVER: "an approver",
}
ROLE_DESCRIPTIONS = {
    Membership.Role.READER: "read the trust's induction pack, including members-only packs",
    Membership.Role.EDITOR: "change the trust's induction pack and invite its members",
    Membership.Role.APPROVER: "approve and publish new versions of the trust's induction pack",
}
