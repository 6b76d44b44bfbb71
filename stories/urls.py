from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("stories/", views.story_list, name="list"),
    path("case-maker/", views.case_maker, name="case_maker"),
]
