"""Shared fixtures: the demo municipality Exempelstad, built by the same code as `kvarter demo`.

The demo is built once per test session (per xdist worker) and restored into each test's
transaction from a snapshot (``tests/demo_snapshot.py``); a test that finds the database
otherwise than the snapshot expects gets a fresh build instead, as before.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from tests.demo_snapshot import Snapshot, take

from kvarter.accounts.models import User
from kvarter.areas.models import Municipality
from kvarter.demo import exempelstad

# Property tests judge their answers, never their speed: on a loaded 2-core CI machine running
# two xdist workers, Hypothesis's timing health check and per-example deadline fail tests whose
# properties hold. What the properties assert is unchanged.
settings.register_profile(
    "kvarter", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("kvarter")


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """Exempelstad without its plan, built once in the session's database."""
    with django_db_blocker.unblock():
        return take(lambda: exempelstad.build(with_plan=False))


@pytest.fixture(scope="session")
def demo_with_plan_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """Exempelstad with its plan, built once in the session's database."""
    with django_db_blocker.unblock():
        return take(exempelstad.build)


def _demo(snapshot: Snapshot, **build_options: bool) -> Municipality:
    if snapshot.restore():
        return Municipality.objects.get(code=exempelstad.MUNICIPALITY_CODE)
    return exempelstad.build(**build_options)


@pytest.fixture
def demo(demo_snapshot, db) -> Municipality:
    """Exempelstad without its action plan (the plan's follow-up rounds take a second)."""
    return _demo(demo_snapshot, with_plan=False)


@pytest.fixture
def demo_with_plan(demo_with_plan_snapshot, db) -> Municipality:
    """Exempelstad as `kvarter demo` builds it, action plan and follow-up rounds included."""
    return _demo(demo_with_plan_snapshot)


@pytest.fixture
def demo_users(demo) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(organisation__municipality=demo)}
