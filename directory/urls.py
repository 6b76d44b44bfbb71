from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("join/", views.join, name="join"),
]
