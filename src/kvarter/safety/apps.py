from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "kvarter.safety"
    label = "safety"
    verbose_name = _("Safety coordination (EST)")

    def ready(self) -> None:
        from kvarter.reports.registry import register_document_command

        register_document_command(
            name="picture",
            writer="kvarter.safety.documents.command:picture_file",
            help="the weekly situational picture (pdf, json)",
        )
        register_document_command(
            name="est-strategic",
            writer="kvarter.safety.documents.command:strategic_file",
            help="the management group's EST summary (pdf, docx, xlsx)",
        )
        register_document_command(
            name="crime-prevention",
            writer="kvarter.safety.documents.command:crime_prevention_file",
            help="a draft crime-prevention situational picture (docx, pdf)",
        )
