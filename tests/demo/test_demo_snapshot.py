"""The demo fixtures restore Exempelstad from a snapshot taken once per session
(tests/demo_snapshot.py): it must be taken here, and be the demo a fresh build makes."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from kvarter.areas.models import Municipality
from kvarter.core.models import AuditEntry
from kvarter.demo import exempelstad

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(include_views=False):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.parametrize("snapshot", ["demo_snapshot", "demo_with_plan_snapshot"])
def test_snapshot__restored__same_rows_as_a_fresh_build(request, snapshot) -> None:
    snapshot = request.getfixturevalue(snapshot)
    with_plan = snapshot is request.getfixturevalue("demo_with_plan_snapshot")
    with transaction.atomic():
        assert snapshot.restore(), "the snapshot did not fit a fresh test database"
        restored = _counts()
        # Building again over the restored demo changes nothing, as over a built one.
        exempelstad.build(with_plan=with_plan)
        assert _counts() == restored
        transaction.set_rollback(True)
    exempelstad.build(with_plan=with_plan)
    assert _counts() == restored


def test_snapshot__database_not_as_found__not_restored(demo_snapshot) -> None:
    exempelstad.build(with_plan=False)
    assert not demo_snapshot.restore()


def test_demo_and_demo_with_plan__both_asked__plan_built_on_the_demo(demo, demo_with_plan) -> None:
    assert demo == demo_with_plan
    assert demo_with_plan.plans.exists()


@pytest.mark.django_db(transaction=True)
def test_snapshot__after_a_flush__restored_with_the_migrations_rows(demo_snapshot) -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert demo_snapshot.restore(), "a flushed database is what a transactional test sees"
    municipality = Municipality.objects.get(code=exempelstad.MUNICIPALITY_CODE)
    entry = AuditEntry.objects.filter(content_type__model="municipality").first()
    assert entry is not None
    assert entry.content_type == ContentType.objects.get_for_model(Municipality)
    assert entry.object_id == str(municipality.pk)
