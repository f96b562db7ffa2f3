"""The actor for changes made by the installation itself (CLI commands, scheduled tasks).

Doors that have no logged-in person pass :data:`SYSTEM` explicitly: a service never treats a
missing user as permission to act.
"""

from __future__ import annotations


class SystemActor:
    is_authenticated = False
    is_active = True
    is_superuser = True
    is_system = True
    pk = None

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
