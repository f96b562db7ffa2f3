"""A bounded schemathesis run against the WSGI app, so CI keeps what `make fuzz` checks in full:
no server error and no answer that breaks the schema, as an administrator and as a reader."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from kvarter.wsgi import application

# One example per operation and role keeps this short (it runs in the SQLite phase only; the
# PostgreSQL-specific refusals have their own tests); `make fuzz` runs thousands of calls on
# PostgreSQL.
EXAMPLES = 1
# What must never happen, whatever the input. (`make fuzz` runs every check.)
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# Loaded at collection: the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """Calling the WSGI app closes the database connection when a request ends, as it should in
    a server; here that connection holds the test's transaction (PostgreSQL loses it). Django's
    test client disconnects the same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call(case, user):
    token, _ = Token.objects.get_or_create(user=user)
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_api__fuzzed_as_administrator__no_server_error_or_schema_violation(case, demo_users):
    _call(case, demo_users["admin"])


@schema.parametrize()
@FUZZ
def test_api__fuzzed_as_reader__no_server_error_or_schema_violation(case, demo_users):
    _call(case, demo_users["lasare"])
