"""Per-address limits on the public forms, counted in the shared cache (django-ratelimit),
so that every app server sees the same counts."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_ratelimit.core import get_usage


def retry_after(request, *, group: str) -> datetime | None:
    """Count this POST against the visitor's limit for `group`; when over it, the time after
    which they may try again."""
    usage = get_usage(
        request, group=group, key="ip", rate=settings.RATE_LIMITS[group], method="POST",
        increment=True,
    )  # fmt: skip
    if usage is None or not usage["should_limit"]:
        return None
    return timezone.now() + timedelta(seconds=max(usage["time_left"], 1))
