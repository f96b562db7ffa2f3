from django.contrib.auth import views as auth_views
from django.urls import path

from kvarter.accounts import views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisations/", views.organisation_list_view, name="organisations"),
    path("organisations/new/", views.organisation_create_view, name="organisation_create"),
    path(
        "organisations/<int:organisation_id>/edit/",
        views.organisation_edit_view,
        name="organisation_edit",
    ),
]
