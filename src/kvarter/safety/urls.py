"""EST pages under /est/: each helper module adds its own patterns here."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "safety"

urlpatterns: list[URLPattern] = []
