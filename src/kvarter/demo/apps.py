from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Exempelstad; an app only so that ``kvarter demo`` lives beside the data it loads."""

    name = "kvarter.demo"
    label = "demo"
    verbose_name = _("Demo municipality")
