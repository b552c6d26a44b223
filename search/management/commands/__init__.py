"""The search app's commands: rebuilding the index."""
