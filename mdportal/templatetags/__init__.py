"""Template tags of the site's own pages."""
