"""An owner's edit of a published entry, held for review (Entry.pending_changes)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NotRequired, TypedDict

from .entry_fields import EDITABLE_FIELDS
from .taxonomy import check_themes

if TYPE_CHECKING:
    from .entries import Entry


class SharedResource(TypedDict):
    """A resource as an owner's edit proposes it (Resource's fields, themes by name)."""

    title: str
    url: str
    note: NotRequired[str]
    themes: NotRequired[list[str]]


@dataclass(frozen=True)
class PendingChanges:
    """An owner's edit of a published entry, held until a moderator approves it, stored as
    JSON in Entry.pending_changes. A part left as None was not edited; `fields` holds only
    the editable fields the edit gave. False when it holds nothing at all."""

    # Editable field name to its proposed value, as the form cleaned it.
    fields: dict[str, object] = field(default_factory=dict)
    sectors: list[int] | None = None  # primary keys
    themes: list[str] | None = None
    resources: list[SharedResource] | None = None
    # When the owner last changed them: not part of what they propose.
    submitted_at: datetime | None = field(default=None, compare=False)

    PARTS = ("sectors", "themes", "resources")

    @classmethod
    def from_json(cls, data: dict | None) -> "PendingChanges | None":
        if data is None:
            return None
        submitted_at = data.get("submitted_at")
        return cls(
            fields={
                name: value
                for name, value in data.get("fields", {}).items()
                if name in EDITABLE_FIELDS
            },
            sectors=data.get("sectors"),
            themes=data.get("themes"),
            resources=data.get("resources"),
            submitted_at=datetime.fromisoformat(submitted_at) if submitted_at else None,
        )

    def to_json(self) -> dict:
        data = {"fields": self.fields}
        data |= {
            part: getattr(self, part) for part in self.PARTS if getattr(self, part) is not None
        }
        if self.submitted_at:
            data["submitted_at"] = self.submitted_at.isoformat()
        return data

    def __bool__(self) -> bool:
        return bool(self.fields) or any(getattr(self, part) is not None for part in self.PARTS)

    def then(self, later: "PendingChanges") -> "PendingChanges":
        """These changes with a later edit on top: whatever the later edit gave, it decides."""
        return PendingChanges(
            fields=self.fields | later.fields,
            **{
                part: getattr(later, part)
                if getattr(later, part) is not None
                else getattr(self, part)
                for part in self.PARTS
            },
            submitted_at=later.submitted_at or self.submitted_at,
        )

    def differences(self, entry: "Entry") -> "PendingChanges":
        """Only what differs from the entry as it is, in a form that compares equal for equal
        proposals: the one place that decides whether an edit changes anything."""
        sectors = themes = resources = None
        if self.sectors is not None and not entry.has_exactly_sectors(self.sectors):
            sectors = sorted(self.sectors)
        if self.themes is not None and not entry.has_exactly_themes(self.themes):
            themes = sorted(self.themes, key=str.casefold)
        if self.resources is not None:
            proposed = [
                shared | {"themes": sorted(shared.get("themes", []))} for shared in self.resources
            ]
            current = [
                {"title": r.title, "url": r.url, "note": r.note, "themes": sorted(r.themes.names())}
                for r in entry.resources.all()
            ]
            resources = proposed if proposed != current else None
        return PendingChanges(
            fields={
                name: value for name, value in self.fields.items() if getattr(entry, name) != value
            },
            sectors=sectors,
            themes=themes,
            resources=resources,
            submitted_at=self.submitted_at,
        )

    def check(self) -> None:
        """Raise ValidationError if these changes cannot be stored (held before the forms
        checked themes, they may hold one too long to keep)."""
        check_themes(self.themes or [])
        for shared in self.resources or []:
            check_themes(shared.get("themes", []))
