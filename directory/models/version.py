"""The version of what the public sees, which caches and HTTP validators key on."""

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relmap.pagecache import Stamp


class ContentVersion(models.Model):
    """A number that moves forward on every change to what the public sees of one part of
    the site, and when it last moved. Caches, page caches, export snapshots and HTTP
    validators key on it, so that nothing withdrawn is served after its change: unlike the
    newest updated_at, it moves on a withdrawal or an erasure too. Bumped by bump(), in the
    same transaction as the change, by the code that makes it (directory.lifecycle, the
    admin, the import and content commands)."""

    class Scope(models.TextChoices):
        DIRECTORY = "directory", _("the directory: entries, resources, sectors and themes")
        STORIES = "stories", _("stories and evidence")

    scope = models.CharField(max_length=20, primary_key=True, choices=Scope.choices)
    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return f"{self.scope} {self.number}"

    @classmethod
    def bump(cls, scope: "ContentVersion.Scope") -> None:
        """Move the scope's version forward: call it inside the transaction that changes
        something public. The row is updated in place (it stays locked until the commit), so
        changes made at the same moment each move the number."""
        now = timezone.now()
        with transaction.atomic():
            if cls.objects.filter(scope=scope).update(number=F("number") + 1, changed_at=now):
                return
            try:  # a database flushed by the tests, or migrated before the row existed
                with transaction.atomic():
                    cls.objects.create(scope=scope, number=1, changed_at=now)
            except IntegrityError:
                cls.objects.filter(scope=scope).update(number=F("number") + 1, changed_at=now)

    @classmethod
    def stamp(cls, scope: "ContentVersion.Scope") -> Stamp:
        row = cls.objects.filter(scope=scope).values_list("number", "changed_at").first()
        if row is None:
            return Stamp(0, 0.0)
        return Stamp(row[0], row[1].timestamp())
