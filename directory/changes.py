"""An owner's changes in plain words: which parts of an entry an edit changes, and each one
from what to what. The owner's pages, their emails and the moderators' review all say it
the same way, from PendingChanges (models.py), which decides what differs."""

from dataclasses import dataclass

from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .geo import distance_km
from .models import Entry, OrganisationType, PendingChanges, Sector


@dataclass(frozen=True)
class Part:
    """What a person calls one part of an entry, and the editable fields it is made of."""

    key: str
    name: str
    fields: tuple[str, ...] = ()


# In the order of the entry form. The place is its name and region, which a lookup sets
# together; the point on the map is its two coordinates.
PARTS = [
    Part("kind", gettext_lazy("kind of entry"), ("kind",)),
    Part("name", gettext_lazy("name"), ("name",)),
    Part("organisation_type", gettext_lazy("organisation type"), ("organisation_type",)),
    Part("summary", gettext_lazy("summary"), ("summary",)),
    Part("description", gettext_lazy("description"), ("description",)),
    Part("inspiration", gettext_lazy("what inspires your practice"), ("inspiration",)),
    Part("sectors", gettext_lazy("sectors")),
    Part("themes", gettext_lazy("themes")),
    Part("place", gettext_lazy("place"), ("place_name", "region")),
    Part("point", gettext_lazy("point on the map"), ("latitude", "longitude")),
    Part(
        "show_exact_location",
        gettext_lazy("exact or approximate location"),
        ("show_exact_location",),
    ),
    Part("website", gettext_lazy("website"), ("website",)),
    Part("links", gettext_lazy("other links"), ("links",)),
    Part("contact_email", gettext_lazy("contact email"), ("contact_email",)),
    Part("resources", gettext_lazy("shared resources")),
]


def parts_in(changes: PendingChanges) -> list[Part]:
    """The parts these changes touch."""
    return [part for part in PARTS if _proposed(part, changes) is not None]


def in_words(parts: list[Part]) -> str:
    """ "summary, themes and website"."""
    return get_text_list([str(part.name) for part in parts], _("and"))


def what_changes(changes: PendingChanges) -> str:
    """The parts these changes touch, in words."""
    return in_words(parts_in(changes))


def _proposed(part: Part, changes: PendingChanges):
    """What the changes propose for this part, or None when they leave it alone."""
    if not part.fields:
        return getattr(changes, part.key)
    if not any(name in changes.fields for name in part.fields):
        return None
    return tuple(changes.fields.get(name) for name in part.fields)


@dataclass(frozen=True)
class EditInWords:
    """What an owner's edit did, in words: the parts it changed, the parts that were already
    waiting for review and still are, and the waiting parts it took back."""

    changed: str
    earlier: str
    undone: str

    @classmethod
    def of(cls, *, before: PendingChanges, after: PendingChanges) -> "EditInWords":
        """`before` waited for review before the edit (empty if nothing did); `after` is what
        the edit applied, or what waits now."""
        waiting = parts_in(after)
        changed = [part for part in waiting if _proposed(part, after) != _proposed(part, before)]
        return cls(
            changed=in_words(changed),
            earlier=in_words([part for part in waiting if part not in changed]),
            undone=in_words([part for part in parts_in(before) if part not in waiting]),
        )


def comparison(entry: Entry, changes: PendingChanges) -> list[dict]:
    """Each part the changes touch, as it is now and as it would be: a label, the current and
    proposed values (lists for sectors, themes, links and resources), for a person to read."""
    rows = []
    for part in parts_in(changes):
        current, proposed = _shown(part, entry, changes)
        rows.append(
            {
                "label": capfirst(part.name),
                "current": current,
                "proposed": proposed,
                "is_list": isinstance(proposed, list),
            }
        )
    return rows


def waiting_for_review(entry: Entry) -> list[dict]:
    """The comparison of the owner's changes waiting for review; empty when none wait."""
    held = entry.held_changes
    return comparison(entry, held.differences(entry)) if held else []


def _shown(part: Part, entry: Entry, changes: PendingChanges) -> tuple:
    def value(name):
        return changes.fields.get(name, getattr(entry, name))

    match part.key:
        case "kind":
            return Entry.Kind(entry.kind).label, Entry.Kind(value("kind")).label
        case "organisation_type":
            return _organisation_type(entry.organisation_type), _organisation_type(
                value("organisation_type")
            )
        case "place":
            return _place(entry.place_name, entry.region), _place(
                value("place_name"), value("region")
            )
        case "point":
            return _point(entry), _moved_point(entry, value("latitude"), value("longitude"))
        case "show_exact_location":
            return _exactness(entry.show_exact_location), _exactness(value("show_exact_location"))
        case "links":
            return list(entry.links), list(value("links"))
        case "sectors":
            current = [sector.name for sector in entry.sectors.all()]
            return current, list(
                Sector.objects.filter(pk__in=changes.sectors).values_list("name", flat=True)
            )
        case "themes":
            return sorted(entry.themes.names(), key=str.casefold), list(changes.themes)
        case "resources":
            current = [_resource(r.title, r.url, r.note) for r in entry.resources.order_by("pk")]
            return current, [
                _resource(r["title"], r["url"], r.get("note", "")) for r in changes.resources
            ]
        case _:
            [name] = part.fields
            return getattr(entry, name), value(name)


def _organisation_type(value: str) -> str:
    return OrganisationType(value).label if value else _("none given")


def _place(name: str, region: str) -> str:
    return f"{name}, {region}" if region else name


def _point(entry: Entry) -> str:
    return f"{entry.latitude:.5f}, {entry.longitude:.5f}"


def _moved_point(entry: Entry, latitude: float, longitude: float) -> str:
    moved = distance_km(entry.latitude, entry.longitude, latitude, longitude)
    return _("%(point)s, about %(distance)s km from before") % {
        "point": f"{latitude:.5f}, {longitude:.5f}",
        "distance": f"{moved:.1f}" if moved < 10 else f"{moved:.0f}",
    }


def _exactness(show_exact_location: bool) -> str:
    if show_exact_location:
        return _("Exact (for organisations)")
    return _("About a kilometre away")


def _resource(title: str, url: str, note: str) -> str:
    return f"{title} ({url})" + (f": {note}" if note else "")
