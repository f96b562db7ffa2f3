"""Password change and reset by e-mail, for installations without single sign-on."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from tests.factories import UserFactory

NEW_PASSWORD = "ett nytt och långt lösenord"


@pytest.mark.django_db
def test_password_change__old_and_new_password__changed(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/accounts/losenord/")
    assert page.status_code == 200
    assert 'name="old_password"' in page.content.decode()
    response = client.post(
        "/accounts/losenord/",
        {
            "old_password": "correct horse battery",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/losenord/klart/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change__anonymous__sent_to_login(client):
    response = client.get("/accounts/losenord/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_password_reset__known_address__email_link_sets_new_password(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = UserFactory(email="anna@example.se")
    assert 'href="/accounts/losenord/aterstall/"' in client.get("/accounts/login/").content.decode()

    response = client.post("/accounts/losenord/aterstall/", {"email": "anna@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert user.username in body
    link = re.search(r"https?://[^/\s]+(/accounts/losenord/aterstall/\S+/)", body)
    assert link is not None, body

    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/losenord/aterstall/klart/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset__unknown_address__same_answer_no_email(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/accounts/losenord/aterstall/", {"email": "nobody@example.se"})
    assert response.status_code == 302
    assert mail.outbox == []
