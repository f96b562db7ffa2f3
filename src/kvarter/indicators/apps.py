from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kvarter.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from kvarter.reports.registry import register_document_command

        register_document_command(
            name="profile",
            writer="kvarter.indicators.documents:area_profile_file",
            help="an area profile (pdf, docx, xlsx, json)",
        )
