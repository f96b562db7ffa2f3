"""Organisations, users and their role assignments."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kvarter.accounts.roles import AREA_SCOPED_ROLES, Role
from kvarter.core.models import VersionedModel

if TYPE_CHECKING:
    from kvarter.accounts.permissions import PermissionResolver


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    MUNICIPAL_UNIT = "municipal_unit", _("municipal department or unit")
    MUNICIPAL_COMPANY = "municipal_company", _("municipal company")
    POLICE = "police", _("police")
    RESCUE_SERVICE = "rescue_service", _("rescue service")
    HOUSING_COMPANY = "housing_company", _("housing company")
    CIVIL_SOCIETY = "civil_society", _("civil society organisation")
    SCHOOL = "school", _("school")
    GOVERNMENT_AGENCY = "government_agency", _("government agency")
    OTHER = "other", _("other actor")


class Organisation(VersionedModel):
    """An actor in the municipality's work: its own departments and external partners."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("abbreviation"), max_length=30, blank=True, help_text=_("For example SOF or KLF.")
    )
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name", "short_name")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint("municipality", "name", name="organisation_name_unique"),
            models.UniqueConstraint(
                "municipality",
                "short_name",
                condition=~models.Q(short_name=""),
                name="organisation_short_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.municipality_id != self.municipality_id:
            raise ValidationError(
                {
                    "parent": ValidationError(
                        _("The parent organisation belongs to another municipality."),
                        code="parent_other_municipality",
                    )
                }
            )


class User(AbstractUser):
    """A person who logs in; belongs to one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def permissions(self) -> PermissionResolver:
        """What this user may do; computed once per request (see accounts.permissions)."""
        from kvarter.accounts.permissions import PermissionResolver

        return PermissionResolver(self)


class RoleAssignment(models.Model):
    """A role held in one municipality, for area-scoped roles limited to some of its areas."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        "areas.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE
    )
    areas = models.ManyToManyField("areas.Area", verbose_name=_("areas"), blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint("user", "role", "municipality", name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.municipality})"

    @property
    def is_area_scoped(self) -> bool:
        return self.role in AREA_SCOPED_ROLES
