"""Every error code the code raises is in the one registry, with a message in both languages.

The walk reads every module under ``src/kvarter`` (migrations aside) and collects the string
literals that are error codes: every ``code=``/``violation_error_code=`` keyword of an error or
validator, ``default_code = "..."`` class attributes (DRF exceptions), and the code argument of
the constructors and helpers below, by position. A function whose parameters include a
positional one named ``code`` is a code-taking helper by itself: calls to it in its own module
are checked at that position, so only what cannot be inferred is listed in POSITIONAL.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

import kvarter
from kvarter.core import error_codes
from kvarter.core.importing import Problem

SRC = Path(kvarter.__file__).parent

# Callees whose ``code=`` keyword is an error code (by the last part of the name).
ERROR_CALLS = (
    "Error", "Denied", "Validator", "Rejected", "Problem", "problem", "error", "__init__"
)
LAST = -1
# (module, callee) → the position of the code among the positional arguments; module "*" for
# any module. Module-local helpers with a ``code`` parameter are found by themselves
# (:func:`inferred_helpers`); a helper whose code parameter is named otherwise is listed here.
POSITIONAL: dict[tuple[str, str], int] = {
    ("*", "Problem"): 2,
    ("*", "problem"): 2,
    ("*", "error"): 0,
    ("*", "message"): 0,
    ("plans/parsing.py", "_problem"): 2,
    ("plans/parsing.py", "_choice"): 5,
    ("plans/api.py", "_invalid"): 1,
    ("indicators/importing/checks.py", "_problem"): 1,
    ("indicators/importing/jsonstat.py", "_normalised"): 3,
    ("safety/geo.py", "_invalid"): 1,
    ("safety/geo.py", "_geometry_error"): 0,
    ("safety/deployments/services.py", "_invalid"): 1,
    ("safety/problem_places/services.py", "_invalid"): 1,
    ("safety/catalogue/services.py", "_invalid"): 1,
    ("safety/filing/services.py", "_error"): 1,
    ("safety/filing/views.py", "_refuse"): 0,
    ("followup/rollover.py", "_error"): 1,
}
# ``<collector>.add(row, field, code, ...)``: the importers' problem collectors.
ADD_CODE_POSITION = 2


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literals(node: ast.expr) -> list[str]:
    """The strings ``node`` can be: a literal, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def inferred_helpers(tree: ast.AST) -> dict[str, int]:
    """Functions defined in ``tree`` with a positional parameter ``code`` → its position.

    Methods are left out: ``def get(self, request, code)`` on a view would make every
    ``mapping.get(...)`` in the module look like an error.
    """
    methods = {
        id(item)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for item in node.body
    }
    helpers: dict[str, int] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or id(node) in methods:
            continue
        names = [arg.arg for arg in node.args.posonlyargs + node.args.args]
        if "code" in names:
            helpers.setdefault(node.name, names.index("code"))
    return helpers


def codes_in(source: str, module: str) -> Iterator[tuple[str, int]]:
    """(code, line) of every error-code literal in ``source`` (``module`` relative to src)."""
    tree = ast.parse(source)
    helpers = inferred_helpers(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None and any(
                isinstance(target, ast.Name) and target.id == "default_code"
                for target in targets
            ):
                for value in _literals(node.value):
                    yield value, node.lineno
            continue
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        for keyword in node.keywords:
            if keyword.arg == "violation_error_code" or (
                keyword.arg == "code" and name.endswith(ERROR_CALLS)
            ):
                for value in _literals(keyword.value):
                    yield value, node.lineno
        position = POSITIONAL.get((module, name), POSITIONAL.get(("*", name)))
        if position is None:
            position = helpers.get(name)
        if position is None and name == "add" and len(node.args) > ADD_CODE_POSITION:
            position = ADD_CODE_POSITION
        if position is None or not node.args or position >= len(node.args):
            continue
        for value in _literals(node.args[position]):
            yield value, node.lineno


def unregistered(root: Path = SRC) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = path.relative_to(root).as_posix()
        for code, line in codes_in(path.read_text(encoding="utf-8"), module):
            if code not in error_codes.CODES:
                found.append(f"{module}:{line}: {code}")
    return found


def test_error_codes__every_code_raised__is_registered():
    assert unregistered() == []


def test_error_codes__every_listed_helper__exists_where_the_table_says():
    """A helper moved to another module must move in POSITIONAL too, or the walk stops seeing it."""
    missing = []
    for module, callee in POSITIONAL:
        if module == "*":
            continue
        path = SRC / module
        if not path.exists() or f"def {callee}(" not in path.read_text(encoding="utf-8"):
            missing.append(f"{module}: {callee}")
    assert missing == []


def test_error_codes__walk__catches_an_unregistered_code():
    source = """
raise ValidationError(_("Nope."), code="no_such_code_1")
raise PermissionDenied(code="no_such_code_2")
problems.append(Problem(3, "kategori", "no_such_code_3", "text"))
problems.append(problem(3, "kategori", "no_such_code_4" if bad else "required"))
collector.add(1, "name", "no_such_code_5", "message")
models.UniqueConstraint(fields=["a"], name="u", violation_error_code="no_such_code_6")
raise error("no_such_code_7")
raise _error("field", "no_such_code_8")
Indicator(code="ohalsotal")  # an indicator's code, not an error code
"""
    found = {code for code, _line in codes_in(source, "safety/filing/services.py")}
    assert found - set(error_codes.CODES) == {f"no_such_code_{n}" for n in range(1, 9)}


def test_error_codes__walk__infers_a_module_local_helper_and_default_code():
    """A helper with a ``code`` parameter needs no POSITIONAL row; DRF's default_code counts."""
    source = """
def _refuse(field, code, *extra):
    return ValidationError(_("No."), code=code)

def outer():
    def complain(row, code, message):
        ...
    complain(3, "no_such_code_3", "text")

class View:
    def get(self, request, code):  # a method: mapping.get(...) is no error
        ...

class Gone(AuthenticationFailed):
    default_code = "no_such_code_1"

raise _refuse("field", "no_such_code_2")
errors.get("code", "")
_refuse("field")  # no code given: nothing to check
"""
    assert ("some/module.py", "_refuse") not in POSITIONAL
    found = {code for code, _line in codes_in(source, "some/module.py")}
    assert found == {"no_such_code_1", "no_such_code_2", "no_such_code_3"}


def test_error_codes__every_message__has_a_swedish_translation():
    untranslated = []
    for code, template in error_codes.CODES.items():
        with translation.override("en"):
            english = str(template)
        with translation.override("sv"):
            swedish = str(template)
        if swedish == english:
            untranslated.append(code)
    assert untranslated == []


def test_error__message__in_the_active_language_with_params():
    made = error_codes.error("too_many_events", limit=20)
    assert made.code == "too_many_events" and made.params == {"limit": 20}
    with translation.override("en"):
        assert made.messages == ["At most 20 events per report."]
    with translation.override("sv"):
        assert made.messages == ["Högst 20 händelser per rapport."]


def test_error__unregistered_code__refused():
    with pytest.raises(error_codes.UnknownErrorCode):
        error_codes.error("no_such_code")
    with pytest.raises(error_codes.UnknownErrorCode):
        error_codes.problem(1, "", "no_such_code")


def test_problem__message__from_the_registry_in_the_active_language():
    problem = error_codes.problem(4, "kategori", "category_required")
    assert isinstance(problem, Problem) and problem.code == "category_required"
    with translation.override("en"):
        assert str(problem) == "Row 4, kategori: Choose a category."
    with translation.override("sv"):
        assert str(problem) == "Rad 4, kategori: Välj en kategori."
        assert " / " not in problem.message


def test_validation_error__lazy_message__renders_where_it_is_read():
    made = error_codes.error("category_required")
    assert isinstance(made, ValidationError)
    with translation.override("sv"):
        assert made.messages == ["Välj en kategori."]
    with translation.override("en"):
        assert made.messages == ["Choose a category."]
