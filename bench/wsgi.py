"""The site plus one minimal view, for bench/run.py's side-by-side comparison."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relmap.settings")
django.setup()
settings.ROOT_URLCONF = "bench.urls"  # before the first request builds the resolver

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
