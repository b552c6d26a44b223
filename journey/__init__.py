"""The inductee's journey: acknowledging pack versions and ticking off the checklist."""
