"""Forms stamped when they are given out: one submission however often it is sent, and two
quiet checks against bots for the public forms that reach people."""

import secrets
import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy

MIN_SECONDS_TO_FILL_IN = 3
ISSUED_FORM_LIFETIME_SECONDS = 24 * 60 * 60
STARTED_SALT = "directory.join.started"  # named for the join form, where it began


class IssuedForm(forms.Form):
    """A form stamped, when it is given out, with the time and a random id. The id is the
    same for every post of one filled-in form, so that a second click, or the same form sent
    again after a failure, is known as the same submission."""

    started = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def issued(cls, *, initial: dict | None = None):
        """A new, empty form stamped with the time it was given out."""
        started = signing.dumps(
            {"nonce": secrets.token_hex(8), "at": time.time()}, salt=STARTED_SALT
        )
        return cls(initial=(initial or {}) | {"started": started})

    def issued_stamp(self, *, max_age: int | None = None) -> dict | None:
        try:
            return signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=max_age)
        except signing.BadSignature:
            return None

    @property
    def submission_id(self) -> str | None:
        """None when the form did not come back as it was given out."""
        stamp = self.issued_stamp()
        return stamp["nonce"] if stamp else None


class BotCheckedForm(IssuedForm):
    """Two quiet checks against bots, for the public forms that reach people: the join form,
    Contact us and reports. Pair them with a rate limit (directory/ratelimits.py)."""

    # Hidden from people by CSS; bots that fill every field give themselves away.
    company_fax = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def looks_automated(self) -> bool:
        """A bot: it filled the hidden field, or sent the form back faster than a person
        could, or not as we gave it out (or more than a day later)."""
        started = self.issued_stamp(max_age=ISSUED_FORM_LIFETIME_SECONDS)
        return bool(
            self.data.get("company_fax")
            or started is None
            or time.time() - started["at"] < MIN_SECONDS_TO_FILL_IN
        )
