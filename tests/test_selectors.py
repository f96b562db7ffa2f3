"""Issue 11: every app reads in its selectors.py and writes in its services.py.

The reads named below live in their package's selectors.py and nowhere else (no
re-export left in services.py), and a selectors module never imports its package's services
(services may import selectors: the other way round is the circular import).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from tests.import_rules import imports_of

import kvarter

SRC = Path(kvarter.__file__).parent

READS = {
    "kvarter.safety.catalogue": ["est_settings_for"],
    "kvarter.safety.deployments": [
        "access_deployment_by_id",
        "deployment_area_ids",
        "deployment_list",
        "iso_week_range",
    ],
    "kvarter.safety.filing": ["access_own_report", "my_reports", "review_queue"],
    "kvarter.safety.history": ["load_catalogue"],
    "kvarter.safety.problem_places": [
        "access_problem_place_by_id",
        "linkable_measures",
        "problem_place_history",
        "problem_place_list",
        "problem_places_of_measure",
    ],
    "kvarter.safety.retention": ["expired_reports", "retention_cutoff"],
    "kvarter.indicators": [
        "import_batch_list",
        "import_batches_visible",
        "importable_municipalities",
    ],
}


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


@pytest.mark.parametrize("package", sorted(READS))
def test_reads__live_in_selectors__not_in_services(package):
    selectors = importlib.import_module(f"{package}.selectors")
    for name in READS[package]:
        assert getattr(selectors, name).__module__ == selectors.__name__, name
    services_path = SRC.joinpath(*package.split(".")[1:], "services.py")
    assert _defined(services_path).isdisjoint(READS[package])
    services = importlib.import_module(f"{package}.services")
    assert set(getattr(services, "__all__", ())).isdisjoint(READS[package])
    if package == "kvarter.safety.filing":
        review = SRC / "safety" / "filing" / "review.py"
        assert _defined(review).isdisjoint(READS[package])


def test_selectors__never_import_their_own_services():
    offending = []
    for path in sorted(SRC.rglob("selectors.py")):
        package = ["kvarter", *path.parent.relative_to(SRC).parts]
        own_services = ".".join([*package, "services"])
        offending += [
            f"{path.relative_to(SRC)}: {name}"
            for name in imports_of(path, ["kvarter"], SRC)
            if name == own_services or name.startswith(own_services + ".")
        ]
    assert offending == []
