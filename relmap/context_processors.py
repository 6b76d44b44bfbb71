from django.conf import settings


def site_context() -> dict:
    """Site-wide values for every page and every email (emails are rendered without a
    request, so directory.emails calls this directly): the absolute base URL, who runs the
    site and how to reach them, and the unconfirmed-entry days."""
    return {
        "SITE_URL": settings.SITE_URL,
        "SITE_OPERATOR": {
            "name": settings.SITE_OPERATOR_NAME,
            "address": settings.SITE_OPERATOR_ADDRESS,
            "email": settings.SITE_CONTACT_EMAIL,
            "registration": settings.SITE_OPERATOR_REGISTRATION,
            "data_protection_email": settings.DATA_PROTECTION_EMAIL,
            "data_protection_officer": settings.DATA_PROTECTION_OFFICER,
        },
        "UNCONFIRMED_ENTRY_DAYS": settings.UNCONFIRMED_ENTRY_DAYS,
    }


def site(request):
    return site_context()
