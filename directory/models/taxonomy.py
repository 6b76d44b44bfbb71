"""How entries are sorted: the sectors staff keep, and the themes owners give (taggit tags)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

# Themes are stored as taggit tags, whose name and slug hold 100 characters; a slug can grow
# when Unicode is normalised or a number is added to make it unique, so a theme stays well
# inside that.
MAX_THEMES = 10
MAX_THEME_LENGTH = 50
MAX_THEME_SLUG_LENGTH = 90


class Sector(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("short description"), max_length=240, blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


def check_themes(names: list[str]) -> None:
    """Raise ValidationError unless these themes can all be stored and found again."""
    if len(names) > MAX_THEMES:
        raise ValidationError(
            _("Please give at most %(count)s themes: you gave %(given)s."),
            params={"count": MAX_THEMES, "given": len(names)},
        )
    for name in names:
        if len(name) > MAX_THEME_LENGTH:
            raise ValidationError(
                _(
                    "Please keep each theme to %(count)s characters or fewer: “%(theme)s…” has "
                    "%(length)s."
                ),
                params={"count": MAX_THEME_LENGTH, "theme": name[:30], "length": len(name)},
            )
        if len(Tag().slugify(name)) > MAX_THEME_SLUG_LENGTH:
            # Rare: a short theme whose letters each become several in a web address.
            raise ValidationError(
                _("Please write the theme “%(theme)s…” more simply, or shorten it."),
                params={"theme": name[:30]},
            )
