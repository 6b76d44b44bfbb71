import pytest
from django.core.management import call_command

from directory.models import Sector

pytestmark = pytest.mark.django_db


def test_load_content_loads_the_sectors_and_is_idempotent():
    call_command("load_content", verbosity=0)
    first = list(Sector.objects.values_list("slug", "name"))
    call_command("load_content", verbosity=0)

    assert len(first) == 12
    assert list(Sector.objects.values_list("slug", "name")) == first
    assert ("health-and-care", "Health and care") in first
