"""Private links: confirming an email address and managing an entry, without passwords.

Both are signed with SECRET_KEY and expire. A management link also carries the entry's
`manage_key`; issuing a new key (or deleting the entry) makes every older link stop working.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import AlertSubscription, Entry, new_manage_key

# The module was called links.py when these were chosen; links already sent carry them.
CONFIRM_SALT = "directory.links.confirm"
MANAGE_SALT = "directory.links.manage"


def confirmation_url(entry: Entry) -> str:
    token = signing.dumps({"entry": entry.pk}, salt=CONFIRM_SALT)
    return settings.SITE_URL + reverse("directory:join_confirm", kwargs={"token": token})


def signed_data(token: str, *, salt: str, days: int | None = None) -> dict | None:
    """What a link signed with `salt` carries, or None when it is forged or older than `days`
    (None: it never expires)."""
    max_age = timedelta(days=days) if days is not None else None
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # also raised, as a subclass, when expired
        return None


def entry_to_confirm(token: str) -> Entry | None:
    """The entry a confirmation link is for, or None when it is invalid, expired or gone."""
    if data := signed_data(token, salt=CONFIRM_SALT, days=settings.UNCONFIRMED_ENTRY_DAYS):
        return Entry.objects.filter(pk=data.get("entry")).first()
    return None


def management_url(entry: Entry) -> str:
    token = signing.dumps({"entry": entry.pk, "key": entry.manage_key}, salt=MANAGE_SALT)
    return settings.SITE_URL + reverse("directory:manage", kwargs={"token": token})


def entry_to_manage(token: str) -> Entry | None:
    """The entry a management link is for, or None when it is invalid, expired, replaced by
    a newer link, or its entry has been deleted."""
    if data := signed_data(token, salt=MANAGE_SALT, days=settings.MANAGE_LINK_DAYS):
        return Entry.objects.filter(pk=data.get("entry"), manage_key=data.get("key")).first()
    return None


def replace_management_key(entry: Entry) -> None:
    """Makes every management link sent so far stop working."""
    entry.manage_key = new_manage_key()
    # Only the key: nothing public changes, so neither does updated_at.
    entry.save(update_fields=["manage_key"])


ALERT_CONFIRM_SALT = "directory.alerts.confirm"
ALERT_MANAGE_SALT = "directory.alerts.manage"


def alert_confirmation_url(subscription: AlertSubscription) -> str:
    token = signing.dumps({"alert": subscription.pk}, salt=ALERT_CONFIRM_SALT)
    return settings.SITE_URL + reverse("directory:alerts_confirm", kwargs={"token": token})


def alert_to_confirm(token: str) -> AlertSubscription | None:
    """Confirmation links expire with the unconfirmed subscriptions they are for."""
    if data := signed_data(token, salt=ALERT_CONFIRM_SALT, days=settings.UNCONFIRMED_ENTRY_DAYS):
        return AlertSubscription.objects.filter(pk=data.get("alert")).first()
    return None


def alert_token(subscription: AlertSubscription) -> str:
    """For the links to change or stop an alert. They do not expire: an unsubscribe link in
    an old digest must still work. Stopping deletes the row, and every link with it."""
    return signing.dumps(
        {"alert": subscription.pk, "key": subscription.key}, salt=ALERT_MANAGE_SALT
    )


def alert_links(subscription: AlertSubscription) -> dict[str, str]:
    token = alert_token(subscription)
    return {
        name: settings.SITE_URL + reverse(f"directory:{name}", kwargs={"token": token})
        for name in ("alerts_manage", "alerts_unsubscribe")
    }


def alert_to_manage(token: str) -> AlertSubscription | None:
    if data := signed_data(token, salt=ALERT_MANAGE_SALT):
        return AlertSubscription.objects.filter(pk=data.get("alert"), key=data.get("key")).first()
    return None
