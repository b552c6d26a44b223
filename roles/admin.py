"""Admin for the national role model: every model editable, citations inline on cited ones."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Count

from .models import (
    BoardQuestion,
    Citation,
    Finding,
    GlossaryTerm,
    GoodPractice,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)


class CitationInline(GenericTabularInline):
    """The citations of any cited statement, edited on the statement's own page."""

    model = Citation
    fields = ["source", "paragraph", "locator", "footnote"]
    autocomplete_fields = ["source"]
    extra = 1

    def get_queryset(self, request):
        # Each row shows its source's name: load them with the citations, not one by one.
        return super().get_queryset(request).select_related("source")


class CitedAdmin(admin.ModelAdmin):
    """Shared by every cited model: its citations are edited inline on its page."""

    inlines = [CitationInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["authors", "year", "title", "publisher", "is_primary", "citation_count"]
    list_filter = ["is_primary", "year"]
    search_fields = ["key", "authors", "title", "publisher"]
    prepopulated_fields = {"key": ["authors", "year"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="Citations", ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    """All citations in one list, to find what cites a paragraph or a source."""

    list_display = ["__str__", "paragraph", "source", "locator", "content_type", "object_id"]
    list_filter = ["content_type", "source"]
    search_fields = ["paragraph", "locator", "source__authors", "source__title"]
    list_select_related = ["source", "content_type"]
    autocomplete_fields = ["source"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    fields = ["kind", "order", "slug", "title"]
    show_change_link = True
    extra = 0


@admin.register(Role)
class RoleAdmin(CitedAdmin):
    list_display = ["name", "abbreviation", "slug", "is_board_member", "order"]
    list_editable = ["order"]
    list_filter = ["is_board_member"]
    search_fields = ["name", "abbreviation", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CitationInline, ResponsibilityInline]


@admin.register(Responsibility)
class ResponsibilityAdmin(CitedAdmin):
    list_display = ["title", "role", "kind", "order"]
    list_filter = ["kind", "role"]
    search_fields = ["title", "description", "slug"]
    list_select_related = ["role"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(ReportingLine)
class ReportingLineAdmin(CitedAdmin):
    list_display = ["__str__", "from_role", "to_role", "kind", "order"]
    list_filter = ["kind", "from_role", "to_role"]
    search_fields = ["description", "from_role__name", "to_role__name"]
    list_select_related = ["from_role", "to_role"]


class GoodPracticeInline(admin.TabularInline):
    """Good-practice points on their relationship; each point's citations are on its own page."""

    model = GoodPractice
    fields = ["order", "text"]
    show_change_link = True
    extra = 1


@admin.register(Relationship)
class RelationshipAdmin(CitedAdmin):
    list_display = ["__str__", "role", "other_role", "order"]
    list_filter = ["role", "other_role"]
    search_fields = ["summary", "role__name", "other_role__name"]
    list_select_related = ["role", "other_role"]
    inlines = [CitationInline, GoodPracticeInline]


@admin.register(GoodPractice)
class GoodPracticeAdmin(CitedAdmin):
    list_display = ["text", "relationship", "order"]
    list_filter = ["relationship"]
    search_fields = ["text"]
    list_select_related = ["relationship__role", "relationship__other_role"]


@admin.register(Finding)
class FindingAdmin(CitedAdmin):
    list_display = ["title", "kind", "statistic", "order"]
    list_filter = ["kind"]
    search_fields = ["title", "text", "quote", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(BoardQuestion)
class BoardQuestionAdmin(CitedAdmin):
    list_display = ["question", "order"]
    search_fields = ["question", "why_it_matters"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(CitedAdmin):
    list_display = ["abbreviation", "term"]
    search_fields = ["abbreviation", "term", "definition"]
