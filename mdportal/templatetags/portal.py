"""Small display filters shared by the portal's pages."""

from django import template

register = template.Library()


@register.filter
def in_minutes(duration):
    """A timedelta in words, rounded up to whole minutes: "15 minutes", "1 minute"."""
    minutes = max(1, -(-int(duration.total_seconds()) // 60))
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
