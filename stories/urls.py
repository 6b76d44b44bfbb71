from django.urls import path

from . import feeds, views

app_name = "stories"

urlpatterns = [
    path("stories/", views.story_list, name="list"),
    path("stories/<slug:slug>/", views.story_detail, name="detail"),
    path("stories.geojson", views.map_layer, name="map_layer"),
    path("feeds/stories/", feeds.LatestStoriesFeed(), name="feed"),
    path("case-maker/", views.case_maker, name="case_maker"),
    path("case-maker/build/", views.case_builder, name="case_builder"),
    path("case-maker/build/case/", views.case_page, name="case"),
    path("case-maker/build/case.bib", views.case_bibtex, name="case_bibtex"),
    path("case-maker/build/case.ris", views.case_ris, name="case_ris"),
]
