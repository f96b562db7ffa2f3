"""EST's documents, built from the safety selectors and laid out by :mod:`kvarter.reports`:
the weekly situational picture (picture.py, with its chart in picture_chart.py) and the
management group's strategic summary and crime-prevention draft (strategic.py)."""

# The formats of the management group's documents (strategic.py), the first the default; the
# pages and `kvarter report` offer the same.
STRATEGIC_FORMATS: dict[str, tuple[str, ...]] = {
    "strategic": ("pdf", "docx", "xlsx"),
    "crime-prevention": ("docx", "pdf"),
}
