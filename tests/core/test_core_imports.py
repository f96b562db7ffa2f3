"""The shared kernel depends on no domain: every app may import core, core imports none of them."""

from __future__ import annotations

from pathlib import Path

from tests.import_rules import imports_of

import kvarter.core

DOMAIN_APPS = {
    "accounts",
    "areas",
    "indicators",
    "plans",
    "followup",
    "safety",
    "reports",
    "demo",
    "api",
    "home",
}


def test_core__imports__no_domain_app():
    core = Path(kvarter.core.__file__).parent
    offending = [
        f"{path.relative_to(core)}: {name}"
        for path in sorted(core.rglob("*.py"))
        for name in imports_of(path, ["kvarter", "core"], core)
        if name.split(".")[:1] == ["kvarter"] and set(name.split(".")[1:2]) & DOMAIN_APPS
    ]
    assert offending == []
