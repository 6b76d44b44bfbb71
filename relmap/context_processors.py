from django.conf import settings


def site(request):
    """Site-wide values every page's layout needs (name, absolute URL for Open Graph)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "UNCONFIRMED_ENTRY_DAYS": settings.UNCONFIRMED_ENTRY_DAYS,
    }
