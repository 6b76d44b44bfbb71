from django.http import HttpResponse
from django.urls import path

from relmap.urls import urlpatterns as site_urlpatterns


def minimal(request):
    """The baseline: as little as a Django view can do, through the same middleware."""
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal), *site_urlpatterns]
