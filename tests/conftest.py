"""Shared fixtures: the demo municipality Exempelstad, built by the same code as `kvarter demo`."""

from __future__ import annotations

import pytest

from kvarter.accounts.models import User
from kvarter.areas.models import Municipality
from kvarter.demo import exempelstad


@pytest.fixture
def demo(db) -> Municipality:
    return exempelstad.build()


@pytest.fixture
def demo_users(demo) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(organisation__municipality=demo)}
