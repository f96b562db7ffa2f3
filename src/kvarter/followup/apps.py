from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "kvarter.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from kvarter.reports.registry import register_document_command

        register_document_command(
            name="followup",
            writer="kvarter.followup.documents.command:followup_report_file",
            help="the follow-up of a plan's round (pdf, docx, xlsx, html; json: the counts)",
        )
