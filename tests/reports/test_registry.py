"""The registry of `kvarter report` documents: a name is offered once, its writer imported only
when the document is asked for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kvarter.reports import registry


@pytest.fixture
def clean_registry() -> Iterator[None]:
    before = dict(registry._COMMANDS)
    yield
    registry._COMMANDS.clear()
    registry._COMMANDS.update(before)


def test_register__same_twice__one_entry_other_writer__refused(clean_registry) -> None:
    registry.register_document_command(name="test-doc", writer="json:dumps", help="a test")
    registry.register_document_command(name="test-doc", writer="json:dumps", help="a test")
    assert [c.name for c in registry.document_commands()].count("test-doc") == 1
    with pytest.raises(ValueError, match="test-doc"):
        registry.register_document_command(name="test-doc", writer="json:loads", help="a test")


def test_write__calls_the_writer_with_the_options(clean_registry) -> None:
    registry.register_document_command(
        name="test-doc", writer="tests.reports.test_registry:_writer", help="a test"
    )
    assert registry.document_command("test-doc").write({"format": "pdf"}) == b"pdf"
    with pytest.raises(KeyError):
        registry.document_command("no-such-doc")


def _writer(options: dict) -> bytes:
    return options["format"].encode()
