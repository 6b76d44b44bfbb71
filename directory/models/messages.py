"""What visitors write: messages relayed to an entry, messages to the team ("Contact us"),
and reports that a page breaks the rules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .entries import Entry


class ContactMessage(models.Model):
    """A visitor's message to an entry, kept only until the email relaying it is sent."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    sender_name = models.CharField(_("your name"), max_length=120)
    sender_email = models.EmailField(_("your email address"), max_length=254)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.sender_name} to {self.entry}"


def stamped_by(verbose_name) -> models.ForeignKey:
    """The staff member who dealt with a record; the record stays if their account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class TeamMessageQuerySet(models.QuerySet):
    def unhandled(self):
        return self.filter(handled_at__isnull=True)


class TeamMessage(models.Model):
    """A visitor's message to the team through "Contact us". Kept here as well as emailed, so
    that none is lost when mail fails; staff mark it handled once they have dealt with it."""

    sender_name = models.CharField(_("your name"), max_length=120)
    sender_email = models.EmailField(_("your email address"), max_length=254)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = stamped_by(_("handled by"))

    objects = TeamMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to the team")
        verbose_name_plural = _("messages to the team")

    def __str__(self):
        return f"{self.sender_name} <{self.sender_email}>"


class ReportReason(models.TextChoices):
    WRONG = "wrong", _("The information is wrong or out of date")
    OFF_TOPIC = "off_topic", _("It does not belong on this site")
    HARMFUL = "harmful", _("It is offensive, harmful or unkind")
    SPAM = "spam", _("It is spam or advertising")
    IMPERSONATION = "impersonation", _("It pretends to be someone else")
    PRIVATE = "private", _("It shows someone's private information")
    OTHER = "other", _("Something else")


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class Report(models.Model):
    """A visitor's report that a page breaks the rules. A report on a profile is linked to
    its entry; a report on any other page (a story) keeps only the page's path and title,
    because the directory must not know the apps that made those pages."""

    Reason = ReportReason

    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("entry"),
    )
    page_path = models.CharField(_("page"), max_length=300)
    page_title = models.CharField(_("page title"), max_length=200)
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    reporter_email = models.EmailField(_("reporter's email address"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = stamped_by(_("closed by"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["closed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.page_title}"

    def is_open(self) -> bool:
        """Mirrors ReportQuerySet.open() for a single report."""
        return self.closed_at is None
