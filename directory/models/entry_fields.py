"""An entry's fields named by what they are for, so that each list is written once."""

# What an owner writes about their entry, in the order the join form asks for it: the join
# and edit form, PendingChanges, the changes in words and the importer draw their lists from it.
OWNER_FIELDS = [
    "kind",
    "name",
    "summary",
    "description",
    "inspiration",
    "sectors",
    "themes",
    "organisation_type",
    "place_name",
    "region",
    "latitude",
    "longitude",
    "show_exact_location",
    "website",
    "links",
    "contact_email",
]
# Kept in tables of their own, so PendingChanges holds them as parts of their own.
RELATED_FIELDS = {"sectors", "themes"}
# Fields an owner may change on the entry's own row; on a published entry they wait for
# review (PendingChanges).
EDITABLE_FIELDS = [name for name in OWNER_FIELDS if name not in RELATED_FIELDS]
# The fields the public location is worked out from.
LOCATION_FIELDS = {"kind", "latitude", "longitude", "show_exact_location"}
# The public record's keys, in order: the CSV's columns, and the JSON and GeoJSON properties.
PUBLIC_RECORD_KEYS = [
    "id", "name", "kind", "organisation_type", "summary", "description", "inspiration",
    "sectors", "themes", "place", "region", "latitude", "longitude",
    "location_is_approximate", "website", "links", "url", "published_at", "demo",
]  # fmt: skip
# The fields a public record is made from, so that exports can read them with values().
PUBLIC_RECORD_FIELDS = [
    "id", "name", "slug", "kind", "organisation_type", "summary", "description", "inspiration",
    "place_name", "region", "public_latitude", "public_longitude", "show_exact_location",
    "website", "links", "published_at", "is_demo",
]  # fmt: skip
