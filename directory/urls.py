from django.urls import path

from . import feeds, views

app_name = "directory"

urlpatterns = [
    path("map/", views.map_page, name="map"),
    path(
        "map/results/",
        views.map_page,
        {"template_name": "directory/_results.html"},
        name="map_results",
    ),
    path("map/data.json", views.map_data, name="map_data"),
    path("map/point.json", views.map_point, name="map_point"),
    path("embed/map/", views.embed_map, name="embed_map"),
    path("entries/<slug:slug>/", views.entry_detail, name="entry"),
    path("entries.geojson", views.entries_geojson, name="entries_geojson"),
    path("entries.csv", views.entries_csv, name="entries_csv"),
    path("open-data/", views.open_data, name="open_data"),
    path("feeds/entries/", feeds.LatestEntriesFeed(), name="entries_feed"),
    path("join/", views.join, name="join"),
]
