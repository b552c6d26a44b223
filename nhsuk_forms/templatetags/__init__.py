"""Template tags of the NHS.UK form kit."""
