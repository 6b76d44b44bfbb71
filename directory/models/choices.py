"""The enumerations an entry is made of, apart from the model so that the field lists and
the public record can use them without importing the model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    ORGANISATION = "organisation", _("Organisation")


class EntryStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting email confirmation")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrganisationType(models.TextChoices):
    CHARITY = "charity", _("Charity")
    COMMUNITY_GROUP = "community_group", _("Community group")
    BUSINESS = "business", _("Business")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    PUBLIC_BODY = "public_body", _("Public body")
    NETWORK = "network", _("Network")
    OTHER = "other", _("Other")
