"""Read-only API for organisations; visible to users of the same municipality."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from kvarter.accounts.models import Organisation
from kvarter.accounts.selectors import access_organisation_by_id, organisation_list


class OrganisationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")

    class Meta:
        model = Organisation
        fields = ["id", "municipality", "name", "short_name", "kind", "parent", "version"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    requires_login = True

    def get_queryset(self) -> Any:
        return organisation_list(actor=self.request.user)

    def get_object(self) -> Organisation:
        return access_organisation_by_id(self.request.user, self.kwargs["pk"])
