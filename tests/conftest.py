"""Shared fixtures: the demo municipality Exempelstad, built by the same code as `kvarter demo`."""

from __future__ import annotations

import pytest

from kvarter.accounts.models import User
from kvarter.areas.models import Municipality
from kvarter.demo import exempelstad


@pytest.fixture
def demo(db) -> Municipality:
    """Exempelstad without its action plan (the plan's follow-up rounds take a second)."""
    return exempelstad.build(with_plan=False)


@pytest.fixture
def demo_with_plan(db) -> Municipality:
    """Exempelstad as `kvarter demo` builds it, action plan and follow-up rounds included."""
    return exempelstad.build()


@pytest.fixture
def demo_users(demo) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(organisation__municipality=demo)}
