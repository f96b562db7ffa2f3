from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kvarter.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from kvarter.core.free_text import refuse_on_save

        # Free text declared on a model is scanned for personal data on every save.
        pre_save.connect(refuse_on_save, dispatch_uid="kvarter.core.free_text")
