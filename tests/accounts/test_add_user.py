"""`kvarter add-user`: the operator's way to create people and give roles, audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kvarter.accounts.models import RoleAssignment, User
from kvarter.core.models import AuditEntry


@pytest.fixture(autouse=True)
def _swedish():
    """Messages are asserted in Swedish, whatever language an earlier test left active."""
    with translation.override("sv"):
        yield



def _add(*args, stdin_text="ett-långt-och-säkert-lösenord\n", **options):
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin_text)
    try:
        call_command("add_user", *args, **options)
    finally:
        sys.stdin = old


def test_add_user__new_coordinator__user_role_and_areas(demo):
    _add(
        "nyanställd",
        municipality="9999",
        organisation="SOF",
        role="area_coordinator",
        areas="Norrby och Västerdal",
        password_stdin=True,
    )
    user = User.objects.get(username="nyanställd")
    assert user.organisation.short_name == "SOF"
    assert user.check_password("ett-långt-och-säkert-lösenord")
    assignment = RoleAssignment.objects.get(user=user)
    assert sorted(a.name for a in assignment.areas.all()) == ["Norrby", "Västerdal"]
    assert user.permissions.can_change_area(assignment.areas.get(name="Norrby"))
    assert AuditEntry.objects.filter(object_repr__contains="nyanställd").exists()


def test_add_user__existing_user__gets_another_role(demo_users):
    _add("lasare", municipality="9999", role="strategist")
    roles = set(
        RoleAssignment.objects.filter(user__username="lasare").values_list("role", flat=True)
    )
    assert roles == {"reader", "strategist"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"organisation": "Finns inte", "no_password": True},
            "Organisationen 'Finns inte' finns inte i",
        ),
        ({"organisation": "SOF", "role": "est_member", "no_password": True}, "välj minst ett"),
        (
            {"organisation": "SOF", "role": "est_member", "areas": "Atlantis", "no_password": True},
            "Okända områden: Atlantis",
        ),
        ({"organisation": "SOF", "password_stdin": True}, "12"),
    ],
    ids=["unknown-organisation", "scoped-role-without-areas", "unknown-area", "weak-password"],
)
def test_add_user__bad_input__clear_error_and_nothing_created(demo, options, message):
    before = (User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match=message) as refused:
        _add("felfall", municipality="9999", stdin_text="kort\n", **options)
    assert " / " not in str(refused.value)  # the active language only
    assert (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    ) == before


@pytest.mark.parametrize("language", ["sv", "en"])
def test_add_user__unknown_municipality__said_in_the_active_language(demo, language):
    expected = {"sv": "Kommunen 0000 finns inte.", "en": "No such municipality: 0000."}
    with translation.override(language), pytest.raises(CommandError) as refused:
        _add("felfall", municipality="0000", organisation="SOF", no_password=True)
    assert str(refused.value) == expected[language]
