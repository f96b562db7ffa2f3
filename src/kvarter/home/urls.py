from django.urls import path

from kvarter.home import views

app_name = "home"
urlpatterns = [
    path("", views.start, name="start"),
]
