"""Full-text search of the national guide and the published packs (see search/apps.py)."""
