"""`reports` is a library: it imports no domain app, and the documents it renders are built and
registered by the domains themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import kvarter
from kvarter.reports.registry import document_command, document_commands

SRC = Path(kvarter.__file__).parent
# What `reports` may import from Kvarter: itself and the shared kernel.
ALLOWED = ("kvarter.reports", "kvarter.core")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_reports__imports__no_domain_app() -> None:
    offending = {
        f"{path.relative_to(SRC)}: {module}"
        for path in sorted((SRC / "reports").rglob("*.py"))
        for module in imported_modules(path)
        if (module == "kvarter" or module.startswith("kvarter."))
        and not any(module == a or module.startswith(f"{a}.") for a in ALLOWED)
    }
    assert not offending, sorted(offending)


def test_imported_modules__sees_lazy_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from kvarter.followup import models\n    import kvarter.areas\n"
    )
    assert {"kvarter.followup.models", "kvarter.areas"} <= imported_modules(module)


def test_registry__every_document__written_by_its_domain() -> None:
    commands = {c.name: c.writer for c in document_commands()}
    assert commands == {
        "profile": "kvarter.indicators.documents:area_profile_file",
        "picture": "kvarter.safety.documents.command:picture_file",
        "est-strategic": "kvarter.safety.documents.command:strategic_file",
        "crime-prevention": "kvarter.safety.documents.command:crime_prevention_file",
        "followup": "kvarter.followup.documents.command:followup_report_file",
    }
    for name, writer in commands.items():
        module, _, function = writer.partition(":")
        assert not module.startswith("kvarter.reports"), name
        assert callable(getattr(__import__(module, fromlist=[function]), function)), name
    assert document_command("followup").writer == commands["followup"]
