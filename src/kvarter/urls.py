from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("kvarter.home.urls")),
    path("", include("kvarter.core.urls")),
    path("accounts/", include("kvarter.accounts.urls")),
    path("", include("kvarter.areas.urls")),
    path("", include("kvarter.followup.urls")),
    path("", include("kvarter.plans.goal_urls")),
    path("", include("kvarter.plans.urls")),
    path("indikatorer/", include("kvarter.indicators.urls")),
    path("est/", include("kvarter.safety.urls")),
    path("api/", include("kvarter.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if getattr(settings, "OIDC_RP_CLIENT_ID", ""):  # pragma: no cover - needs an identity provider
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
