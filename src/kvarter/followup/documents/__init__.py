"""The follow-up report, built from the follow-up selectors and laid out by
:mod:`kvarter.reports`: report.py (the document) and fulfilment.py (its goal-fulfilment
section)."""
