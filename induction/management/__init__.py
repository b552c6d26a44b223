"""Management commands of the induction app."""
