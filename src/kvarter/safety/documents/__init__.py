"""EST's documents, built from the safety selectors and laid out by :mod:`kvarter.reports`:
the weekly situational picture (picture.py, with its chart in picture_chart.py) and the
management group's strategic summary and crime-prevention draft (strategic.py)."""
