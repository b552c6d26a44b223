"""The national role model: the Medical Director role as data, each statement with its provenance.

Every statement the explainer shows is a row here that says where it comes from: the GGI paper
(with Citations to its paragraphs and the works it cites), the portal's own explanation (no
citation), or a development since the paper (a dated LaterDevelopment note with its source), so
that the explainer and the trust induction packs draw on one body of evidence.
"""


from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse


class Source(models.Model):
    """A bibliographic reference: the GGI paper itself, or a work it cites."""

    key = models.SlugField(unique=True, help_text="Stable identifier used in URLs and anchors.")
    authors = models.CharField(max_length=300, help_text="Authors or corporate author.")
    title = models.CharField(max_length=400)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField()
    published = models.CharField(
        max_length=100, blank=True, help_text="A fuller date where the paper gives one."
    )
    url = models.URLField(blank=True)
    is_primary = models.BooleanField(
        default=False, help_text="The GGI paper itself, rather than a work it cites."
    )
    summary = models.TextField(blank=True, help_text="What the paper draws from this source.")

    class Meta:
        ordering = ["-is_primary", "authors", "year"]

    def __str__(self):
        return f"{self.authors} ({self.year}), {self.title}"

    def get_absolute_url(self):
        return reverse("roles:source_detail", kwargs={"key": self.key})

    @property
    def short_name(self):
        return f"{self.authors} {self.year}"


# How the paper's paragraphs are cited everywhere: "GGI paper 4.1.2" (roles/citing.py).
PAPER_LABEL = "GGI paper"


class Citation(models.Model):
    """Where a statement comes from: the paper's paragraph and the underlying source's page."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    paragraph = models.CharField(
        max_length=20, help_text="Paragraph of the GGI paper, for example 4.1.2."
    )
    locator = models.CharField(
        max_length=40, blank=True, help_text="Page in the cited source, for example p2 or p22-3."
    )
    footnote = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The paper's footnote number, where there is one."
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    cited_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        """As a citation line reads it (roles/citing.py): "GGI paper 4.1.2; Monitor 2014, p3",
        or just the paragraph when the source is the paper itself."""
        paper = f"{PAPER_LABEL} {self.paragraph}"
        if self.source.is_primary:
            return paper
        where = f", {self.locator}" if self.locator else ""
        return f"{paper}; {self.source.short_name}{where}"


class Provenance(models.TextChoices):
    """Where a statement comes from."""

    PAPER = "paper", "From the paper"
    EDITORIAL = "editorial", "The portal's own explanation"
    LATER = "later", "A later development, sourced and dated"


class Cited(models.Model):
    """A statement with a provenance: cited to the paper, the portal's own words, or later.

    A statement from the paper carries Citations to it; an editorial one carries none; a later
    development is sourced by the dated notes attached to it (`LaterDevelopment`).
    """

    provenance = models.CharField(
        max_length=20, choices=Provenance.choices, default=Provenance.PAPER
    )
    citations = GenericRelation(Citation)
    development_links = GenericRelation("roles.DevelopmentLink")

    class Meta:
        abstract = True


# The role the paper is about, and the first board role a trust's pack is made for.
MEDICAL_DIRECTOR_SLUG = "medical-director"


class Role(Cited):
    """The Medical Director, or a role or body the paper relates it to."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    abbreviation = models.CharField(max_length=20, blank=True)
    summary = models.TextField(help_text="What the role is, in plain words.")
    is_board_member = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roles:role_detail", kwargs={"slug": self.slug})


class Responsibility(Cited):
    """Something a role is responsible for.

    The paper (4.1.2, after the NHS Confederation) gives two kinds: duties that should be part
    of the role whatever the local variation, and duties sometimes delegated though often seen
    as the MD's. Statutory and regulatory duties and the reports taken to the board are later
    developments, listed so that a trust's pack can say who holds each one.
    """

    class Kind(models.TextChoices):
        CORE = "core", "Should be part of the role, whatever the local variation"
        DELEGATED = "delegated", "Sometimes delegated, though often seen as the Medical Director's"
        STATUTORY = "statutory", "Statutory and regulatory duties (since the paper)"
        BOARD_REPORT = "board_report", "Reports usually taken to the board (since the paper)"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="responsibilities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    description = models.TextField()
    in_practice = models.TextField(
        blank=True,
        help_text="The portal's own explanation of what this means in practice: never cited.",
    )
    frequency = models.CharField(
        max_length=100, blank=True, help_text="For a board report: how often it usually goes."
    )
    committee = models.CharField(
        max_length=200, blank=True, help_text="For a board report: where it usually goes."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "kind", "order"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(fields=["role", "slug"], name="unique_responsibility_per_role")
        ]

    def __str__(self):
        return self.title


class ReportingLine(Cited):
    """An accountability: who answers to whom, and in what sense."""

    class Kind(models.TextChoices):
        LINE = "line", "Line management"
        BOARD = "board", "Board membership"
        PROFESSIONAL = "professional", "Professional leadership"
        STATUTORY = "statutory", "Statutory duty"

    from_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="reports_to")
    to_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="reported_to_by")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_role", "to_role", "kind"], name="unique_reporting_line"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_role=models.F("to_role")),
                name="reporting_line_between_two_roles",
            ),
        ]

    def __str__(self):
        return f"{self.from_role} → {self.to_role} ({self.get_kind_display()})"


class Relationship(Cited):
    """How a role works with another, and what good looks like."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="relationships")
    other_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    summary = models.TextField()
    in_practice = models.TextField(
        blank=True,
        help_text="The portal's own advice on this relationship: never cited.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["role", "other_role"], name="unique_relationship")
        ]

    def __str__(self):
        return f"{self.role} and {self.other_role}"


class GoodPractice(Cited):
    """One point of what a good relationship looks like."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="good_practice"
    )
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "good practice points"

    def __str__(self):
        return self.text


class Finding(Cited):
    """One of the paper's other findings, grouped by the theme it belongs to."""

    class Kind(models.TextChoices):
        BACKGROUND = "background", "Background: definition, importance and perception"
        ROUTE_INTO_ROLE = "route", "Who becomes a Medical Director"
        METHOD = "method", "How the research was done"
        RESPONSIBILITY_CONTEXT = "responsibility_context", "Responsibilities in practice"
        CLINICAL_PRACTICE_BENEFIT = "practice_benefit", "Keeping clinical practice: benefits"
        CLINICAL_PRACTICE_DRAWBACK = "practice_drawback", "Keeping clinical practice: drawbacks"
        QUALITY = "quality", "Qualities and behaviours"
        MANAGEMENT_APPROACH = "management_approach", "Management approaches"
        EFFECTIVENESS = "effectiveness", "What makes a Medical Director effective"
        BOARD_SUPPORT = "board_support", "What Medical Directors value in a board"
        NED_MISREADING = "ned_misreading", "What NEDs tend to misread"
        CLINICAL_BODY = "clinical_body", "The Medical Director and the clinical body"
        TRAINING = "training", "Training and qualifications"
        CAREER = "career", "Career progression"
        SUCCESSION = "succession", "Succession planning"
        BARRIER = "barrier", "Barriers to taking up the role"
        TRANSITION = "transition", "Transition challenges"
        CHALLENGE = "challenge", "Challenges in the role"
        RECOMMENDATION = "recommendation", "Recommendations"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The finding in our own words.")
    statistic = models.CharField(
        max_length=40, blank=True, help_text="A survey figure, for example 64% of respondents."
    )
    quote = models.CharField(
        max_length=200,
        blank=True,
        help_text="A short phrase from an interviewee, shown in quotation marks.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order"]

    def __str__(self):
        return self.title


class BoardQuestion(Cited):
    """A question a non-executive director could ask, drawn from a finding of the paper."""

    question = models.CharField(max_length=300)
    why_it_matters = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.question


class GlossaryTerm(Cited):
    """An acronym or term used in the explainer, linked wherever it appears."""

    abbreviation = models.CharField(max_length=20, unique=True)
    term = models.CharField(max_length=200)
    definition = models.TextField()

    class Meta:
        ordering = ["abbreviation"]

    def __str__(self):
        return f"{self.abbreviation}: {self.term}"

    @property
    def anchor(self):
        return f"term-{self.abbreviation.lower()}"


class LaterDevelopment(models.Model):
    """A dated note of what has changed since the paper, with its source and when it was checked.

    Attached (through DevelopmentLink) to every statement it affects, and shown wherever the
    statement shows, in the explainer and in packs.
    """

    class Kind(models.TextChoices):
        CHANGED = "changed", "Changed since 2017"
        CONTEXT = "context", "Not covered by the paper"

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHANGED)
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="What changed, in our own words.")
    effective = models.DateField(
        null=True, blank=True, help_text="When the change took effect, where it has one date."
    )
    effective_label = models.CharField(
        max_length=60,
        blank=True,
        help_text="The date as the source gives it when it is less precise, e.g. February 2024.",
    )
    source_title = models.CharField(max_length=300)
    source_publisher = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500)
    checked_on = models.DateField(help_text="When we last checked the source says this.")

    class Meta:
        ordering = ["effective", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source_url=""), name="later_development_has_a_source_url"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('roles:changes')}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"change-{self.slug}"

    @property
    def when(self) -> str:
        """The effective date as a reader sees it: "1 July 2022", or the source's wording."""
        if self.effective_label:
            return self.effective_label
        if self.effective:
            return f"{self.effective.day} {self.effective:%B %Y}"
        return ""


class DevelopmentLink(models.Model):
    """Attaches a later development to one statement it affects."""

    development = models.ForeignKey(
        LaterDevelopment, on_delete=models.CASCADE, related_name="links"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    statement = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["development__effective", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["development", "content_type", "object_id"],
                name="one_link_per_development_and_statement",
            )
        ]

    def __str__(self):
        return f"{self.development} → {self.content_type.model} {self.object_id}"


class Review(models.Model):
    """A review of the national text against its sources: when it was done and when it is due."""

    reviewed_on = models.DateField(unique=True)
    next_review_due = models.DateField()
    summary = models.TextField(help_text="What the review checked and changed.")

    class Meta:
        ordering = ["-reviewed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_due__gt=models.F("reviewed_on")),
                name="next_review_after_the_review",
            )
        ]

    def __str__(self):
        return f"Reviewed {self.reviewed_on:%d %B %Y}"

    def clean(self):
        if self.reviewed_on and self.next_review_due and self.next_review_due <= self.reviewed_on:
            raise ValidationError(
                {"next_review_due": "Enter a next review date after the review date."}
            )
