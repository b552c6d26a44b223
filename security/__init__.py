"""Checks on the project's own supply chain; not part of the portal and not installed with it."""
