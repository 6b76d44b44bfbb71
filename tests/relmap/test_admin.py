import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_login_page_loads(client):
    assert client.get(reverse("admin:login")).status_code == 200


def test_admin_index_loads_for_staff(admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_leaflet_admin_is_never_imported():
    # It imports GeoDjango, which needs GDAL; see relmap/apps.py.
    assert "leaflet.admin" not in sys.modules
