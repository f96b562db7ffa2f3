from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from kvarter.followup import goal_urls as followup_goal_urls
from kvarter.plans import goal_urls as plans_goal_urls

# One ``goals`` namespace from two apps: the goal hierarchy's forms (plans) and the goals judged
# in follow-up rounds (followup), so that plans needs nothing from followup.
goals = ([*plans_goal_urls.urlpatterns, *followup_goal_urls.urlpatterns], "goals")

urlpatterns = [
    path("", include("kvarter.home.urls")),
    path("", include("kvarter.core.urls")),
    path("accounts/", include("kvarter.accounts.urls")),
    path("", include("kvarter.areas.urls")),
    path("", include("kvarter.followup.urls")),
    path("", include(goals)),
    path("", include("kvarter.plans.urls")),
    path("indikatorer/", include("kvarter.indicators.urls")),
    path("est/", include("kvarter.safety.urls")),
    path("api/", include("kvarter.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if getattr(settings, "OIDC_RP_CLIENT_ID", ""):  # pragma: no cover - needs an identity provider
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
