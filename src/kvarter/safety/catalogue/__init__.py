"""Safety catalogue: incident categories, places, resources and EST settings."""
