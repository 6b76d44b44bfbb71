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
    path("places.json", views.places, name="places"),
    path("feeds/entries/", feeds.LatestEntriesFeed(), name="entries_feed"),
    path("datapackage.json", views.datapackage_json, name="datapackage"),
    path(
        "entries/<slug:slug>/murmurations.json",
        views.murmurations_profile,
        name="murmurations_profile",
    ),
    path("murmurations.json", views.murmurations_index, name="murmurations_index"),
    path("openreferral/", views.openreferral_root, name="openreferral"),
    path(
        "openreferral/organizations",
        views.openreferral_organizations,
        name="openreferral_organizations",
    ),
    path(
        "openreferral/organizations/<uuid:record_id>",
        views.openreferral_organization,
        name="openreferral_organization",
    ),
    path("openreferral/services", views.openreferral_services, name="openreferral_services"),
    path(
        "openreferral/services/<uuid:record_id>",
        views.openreferral_service,
        name="openreferral_service",
    ),
    path("join/", views.join, name="join"),
    path("join/sent/", views.join_sent, name="join_sent"),
    path("join/confirm/<str:token>/", views.join_confirm, name="join_confirm"),
    path("manage/", views.manage_request, name="manage_request"),
    path("manage/sent/", views.manage_request_sent, name="manage_request_sent"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/edit/", views.manage_edit, name="manage_edit"),
    path("manage/<str:token>/messages/", views.manage_messages, name="manage_messages"),
    path("manage/<str:token>/withdraw/", views.manage_withdraw, name="manage_withdraw"),
    path(
        "manage/<str:token>/changes/withdraw/",
        views.manage_withdraw_changes,
        name="manage_withdraw_changes",
    ),
    path("manage/<str:token>/delete/", views.manage_delete, name="manage_delete"),
    path("manage/<str:token>/data.json", views.manage_data, name="manage_data"),
    path("manage/<str:token>/new-link/", views.manage_new_link, name="manage_new_link"),
    path("entries/<slug:slug>/contact/", views.contact, name="contact"),
    path("entries/<slug:slug>/contact/sent/", views.contact_sent, name="contact_sent"),
    path("resources/", views.resources, name="resources"),
    path("alerts/", views.alerts_subscribe, name="alerts"),
    path("alerts/sent/", views.alerts_sent, name="alerts_sent"),
    path("alerts/confirm/<str:token>/", views.alerts_confirm, name="alerts_confirm"),
    path("alerts/manage/<str:token>/", views.alerts_manage, name="alerts_manage"),
    path("alerts/unsubscribe/<str:token>/", views.alerts_unsubscribe, name="alerts_unsubscribe"),
    path("manage/<str:token>/resources/", views.manage_resources, name="manage_resources"),
]
