from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kvarter.api"
    label = "api"
    verbose_name = "API"
