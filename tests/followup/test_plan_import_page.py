"""The web import: a preview that saves nothing, then the import; every problem listed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import ACTION_PLAN_EXAMPLE, UserFactory

from kvarter.accounts.roles import Role
from kvarter.followup.models import StatusReport
from kvarter.plans.models import Measure, Plan

pytestmark = pytest.mark.django_db
EXAMPLE = ACTION_PLAN_EXAMPLE


def _upload(raw: bytes, name: str = "plan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, raw, content_type="text/csv")


def _form(demo, raw, name="plan.csv"):
    return {
        "municipality": demo.pk,
        "plan_name": "Importerad plan",
        "year": 2025,
        "file": _upload(raw, name),
    }


def test_preview_then_import(client, demo, demo_users):
    client.force_login(demo_users["strateg"])
    preview = client.post("/plans/import/", _form(demo, EXAMPLE.read_bytes()))
    page = preview.content.decode()
    assert preview.status_code == 200 and "1.1" in page and "2.2" in page
    assert not Plan.objects.filter(name="Importerad plan").exists()  # preview saves nothing
    done = client.post("/plans/import/", {"confirm": "1"})
    assert done.status_code == 302
    plan = Plan.objects.get(name="Importerad plan")
    assert Measure.objects.filter(plan=plan).count() == 5
    assert StatusReport.objects.filter(round__plan=plan).exclude(status="").count() == 4


def test_bad_file_lists_every_problem_and_saves_nothing(client, demo, demo_users):
    client.force_login(demo_users["strateg"])
    lines = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace("Genomförd", "Nästan klar")
    lines[3] = lines[3].replace("Västerdal", "Atlantis")
    answer = client.post("/plans/import/", _form(demo, "\n".join(lines).encode()))
    page = answer.content.decode()
    assert "Nästan klar" in page
    assert not Plan.objects.filter(name="Importerad plan").exists()
    assert client.post("/plans/import/", {"confirm": "1"}).status_code == 200  # nothing pending


@pytest.mark.parametrize("role", [Role.UNIT_REPORTER, Role.AREA_COORDINATOR, Role.READER])
def test_only_plan_editors_may_import(client, demo, role):
    client.force_login(UserFactory.create_with_role(role, demo))
    assert client.get("/plans/import/").status_code == 403
