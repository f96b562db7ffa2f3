"""No code outside ``accounts`` decides by role name: it asks the resolver for a capability.

The check walks the source tree's syntax (ast), so comments and docstrings that mention a
role never trip it. It flags:

- a comparison involving ``Role.X`` (``Role.X in roles``, ``role == Role.X``, ``x in {Role.X}``);
- a comparison of something named ``role`` with a role's value (``role == "strategist"``);
- a query by role: ``.filter(role=...)``, ``.exclude(roles__role=...)``, ``Q(role__in=...)``.

Naming a role where one is *given* (``create(role=Role.X)``, demo users) is not a decision
and is not flagged.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kvarter.accounts.roles import Role

SRC = Path(__file__).resolve().parents[2] / "src" / "kvarter"
ALLOWED = SRC / "accounts"

ROLE_VALUES = frozenset(Role.values)
QUERY_CALLS = frozenset({"filter", "exclude", "get", "Q"})
ROLE_LOOKUP = re.compile(r"(^|__)roles?($|__)")
COMPARE_OPS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)


def _names_role_enum(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Role"
        for n in ast.walk(node)
    )


def _role_value(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in ROLE_VALUES
        for n in ast.walk(node)
    )


def _mentions_role(node: ast.AST) -> bool:
    for n in ast.walk(node):
        name = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else ""
        if "role" in name.lower():
            return True
    return False


def _call_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def role_checks(source: str, filename: str = "<snippet>") -> list[str]:
    """Every place in ``source`` that decides by role name, as 'file:line: what'."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Compare) and any(isinstance(op, COMPARE_OPS) for op in node.ops):
            operands = [node.left, *node.comparators]
            if any(_names_role_enum(o) for o in operands):
                found.append(f"{filename}:{node.lineno}: comparison with Role")
            elif any(_role_value(o) for o in operands) and any(
                _mentions_role(o) for o in operands
            ):
                found.append(f"{filename}:{node.lineno}: comparison with a role's name")
        elif isinstance(node, ast.Call) and _call_name(node) in QUERY_CALLS:
            for keyword in node.keywords:
                if keyword.arg and ROLE_LOOKUP.search(keyword.arg):
                    found.append(f"{filename}:{node.lineno}: query by role ({keyword.arg})")
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "if Role.ADMINISTRATOR in roles: pass",
        "ok = assignment.role == Role.STRATEGIST",
        "ok = role in {Role.EST_MEMBER, Role.ADMINISTRATOR}",
        'ok = role == "strategist"',
        'ok = user.role != "reader"',
        "users = User.objects.filter(role_assignments__role=Role.UNIT_REPORTER)",
        'users = User.objects.exclude(roles__role="reader")',
        'assignments = RoleAssignment.objects.filter(role__in=["est_member"])',
        "q = Q(role=wanted)",
    ],
)
def test_role_checks__a_role_comparison__is_flagged(snippet):
    assert role_checks(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "RoleAssignment.objects.create(user=u, role=Role.ADMINISTRATOR, municipality=m)",
        "DemoUser('admin', 'Alva', 'Admin', 'KLF', Role.ADMINISTRATOR)",
        "if demo_user.role is not None: pass",
        'ok = kind == "reader_board"',
        'ok = name == "reader"',  # a role's word, but nothing about roles is compared
        "if resolver.can_change_plans_of(municipality_id): pass",
    ],
)
def test_role_checks__no_role_comparison__is_not_flagged(snippet):
    assert role_checks(snippet) == [], snippet


def test_source_tree__outside_accounts__compares_no_role_names():
    files = [p for p in SRC.rglob("*.py") if ALLOWED not in p.parents]
    assert len(files) > 50  # the walk found the source tree
    found = [
        hit
        for path in sorted(files)
        for hit in role_checks(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    ]
    assert found == [], "ask the PermissionResolver for a capability instead:\n" + "\n".join(found)
