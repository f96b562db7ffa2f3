"""The start page and the site-wide navigation: the one place that reads from several domains."""
