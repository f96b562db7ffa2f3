"""Pages of the indicators: an area's profile, the indicator map and the comparison of areas.

Thin doors: each view reads its filters (:mod:`.filters`), calls one selector of
:mod:`kvarter.indicators.profile` and hands the result to a template.
"""

from kvarter.indicators.views.comparison import comparison_page
from kvarter.indicators.views.map import map_page
from kvarter.indicators.views.profile import profile_chart, profile_document, profile_page

__all__ = ["comparison_page", "map_page", "profile_chart", "profile_document", "profile_page"]
