"""gunicorn's settings for the web containers (the Dockerfile's command reads this file).

The documented deployment puts nginx in front (deploy/nginx.conf): it reads each request
whole and takes each response whole before a slow client sees any of it, so a worker is
never held by a slow connection. The workers are threaded as well, so that a request that
waits (on the database, or for the exports' first snapshot) leaves the others running.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processes: about one per core, plus one. WEB_CONCURRENCY is gunicorn's usual variable.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that runs this long is a bug: the worker is killed and restarted. Exports are
# prebuilt, so nothing should come near it.
timeout = 30
graceful_timeout = 30
# nginx keeps its connections to gunicorn open between requests.
keepalive = 75
# Restart each worker now and then, so that a slow leak can never grow far (not too often:
# a new worker starts with none of the map data and exports in memory).
max_requests = 500_000
max_requests_jitter = 50_000
# "-" is standard output; set empty for none.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The app sits behind nginx, which sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = "*"


def on_starting(server):
    """Refuse several workers over a per-process cache: each would keep its own rate-limit
    counts (13 of 15 posts got through a limit of 5) and its own copy of the map data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relmap.settings")
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    if server.cfg.workers > 1 and backend.endswith("LocMemCache"):
        raise SystemExit(
            f"CACHE_URL is a per-process cache (locmem://) but {server.cfg.workers} workers "
            "would run: set CACHE_URL to redis://… or db://… (see the README), or "
            "WEB_CONCURRENCY=1."
        )
