"""Django permission names as ``rules`` predicates, so ``user.has_perm('areas.change_area',
area)`` and the ``{% has_perm %}`` template tag give the resolver's answer."""

from __future__ import annotations

from typing import Any

import rules

from kvarter.accounts.permissions import resolver_for


def _ask(capability_method: str) -> Any:
    @rules.predicate(name=capability_method)
    def predicate(user: Any, obj: Any = None) -> bool:
        if obj is None:
            return False
        return bool(getattr(resolver_for(user), capability_method)(obj))

    return predicate


rules.add_perm("areas.view_area", _ask("can_view_area"))
rules.add_perm("areas.change_area", _ask("can_change_area"))
rules.add_perm("areas.add_area", _ask("can_create_area"))
rules.add_perm("accounts.view_organisation", _ask("can_view_organisation"))
rules.add_perm("accounts.change_organisation", _ask("can_change_organisation"))
rules.add_perm("accounts.add_organisation", _ask("can_create_organisation"))
