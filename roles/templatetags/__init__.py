"""Template tags of the national explainer."""
