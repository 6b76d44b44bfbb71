"""Two quiet checks against bots, shared by the public forms that reach people."""

import secrets
import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy

MIN_SECONDS_TO_FILL_IN = 3
STARTED_SALT = "directory.join.started"  # named for the join form, where it began


class BotCheckedForm(forms.Form):
    """Two quiet checks against bots, for the public forms that reach people: the join form,
    Contact us and reports. Pair them with a rate limit (directory/ratelimits.py)."""

    # Hidden from people by CSS; bots that fill every field give themselves away.
    company_fax = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def issued(cls, *, initial: dict | None = None):
        """A new, empty form stamped with the time it was given out."""
        started = signing.dumps(
            {"nonce": secrets.token_hex(8), "at": time.time()}, salt=STARTED_SALT
        )
        return cls(initial=(initial or {}) | {"started": started})

    def looks_automated(self) -> bool:
        """A bot: it filled the hidden field, or sent the form back faster than a person
        could, or not as we gave it out."""
        started = self.issued_stamp()
        return bool(
            self.data.get("company_fax")
            or started is None
            or time.time() - started["at"] < MIN_SECONDS_TO_FILL_IN
        )

    def issued_stamp(self) -> dict | None:
        try:
            return signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=86400)
        except signing.BadSignature:
            return None
