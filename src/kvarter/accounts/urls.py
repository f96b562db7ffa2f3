from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from kvarter.accounts import views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password change and reset by e-mail, for installations without single sign-on.
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
            extra_context={"heading": _("Change password"), "submit": _("Change password")},
        ),
        name="password_change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_message.html",
            extra_context={
                "heading": _("Password changed"),
                "message": _("Your password is changed."),
            },
        ),
        name="password_change_done",
    ),
    path(
        "losenord/aterstall/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={
                "heading": _("Reset password"),
                "intro": _("Give the e-mail address of your account; we send a link to it."),
                "submit": _("Send link"),
            },
        ),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_message.html",
            extra_context={
                "heading": _("Check your e-mail"),
                "message": _(
                    "If an account has that address, a link to choose a new password is on its "
                    "way. It works once, for a limited time."
                ),
            },
        ),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_form.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"heading": _("Choose a new password"), "submit": _("Save password")},
        ),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_message.html",
            extra_context={
                "heading": _("Password saved"),
                "message": _("Your new password is saved. You can log in with it now."),
            },
        ),
        name="password_reset_complete",
    ),
    path("organisations/", views.organisation_list_view, name="organisations"),
    path("organisations/new/", views.organisation_create_view, name="organisation_create"),
    path(
        "organisations/<int:organisation_id>/edit/",
        views.organisation_edit_view,
        name="organisation_edit",
    ),
]
