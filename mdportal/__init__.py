"""The project package: settings, URLs, sign-in and the site's own pages."""
