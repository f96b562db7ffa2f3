"""Decision 0008: followup depends on plans, plans never on followup."""

from __future__ import annotations

from pathlib import Path

from tests.import_rules import imports_of

import kvarter.plans


def test_plans__imports__nothing_from_followup():
    plans = Path(kvarter.plans.__file__).parent
    offending = [
        f"{path.relative_to(plans)}: {name}"
        for path in sorted(plans.rglob("*.py"))
        if "migrations" not in path.parts
        for name in imports_of(path, ["kvarter", "plans"], plans)
        if name == "kvarter.followup" or name.startswith("kvarter.followup.")
    ]
    assert offending == []
