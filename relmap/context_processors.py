from django.conf import settings


def site(request):
    """Site-wide values templates need: the absolute base URL, the unconfirmed-entry days."""
    return {
        "SITE_URL": settings.SITE_URL,
        "UNCONFIRMED_ENTRY_DAYS": settings.UNCONFIRMED_ENTRY_DAYS,
    }
