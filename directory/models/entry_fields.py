"""An entry's fields named by what they are for, so that each list is written once."""

# Fields an owner may change; on a published entry they wait for review (PendingChanges).
EDITABLE_FIELDS = [
    "kind",
    "name",
    "summary",
    "description",
    "inspiration",
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
# The fields the public location is worked out from.
LOCATION_FIELDS = {"kind", "latitude", "longitude", "show_exact_location"}
# The fields a public record is made from, so that exports can read them with values().
PUBLIC_RECORD_FIELDS = [
    "id", "name", "slug", "kind", "organisation_type", "summary", "description", "inspiration",
    "place_name", "region", "public_latitude", "public_longitude", "show_exact_location",
    "website", "links", "published_at", "is_demo",
]  # fmt: skip
