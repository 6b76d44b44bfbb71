"""The directory's models, one module per concept; this package only re-exports them."""

from .alerts import AlertSubscription
from .choices import EntryKind, EntryStatus, OrganisationType
from .connections import Connection, ConnectionKind, ConnectionQuerySet, ConnectionStatus
from .entries import MAX_LINKS, Entry, EntryQuerySet, new_manage_key
from .entry_fields import (
    EDITABLE_FIELDS,
    LOCATION_FIELDS,
    OWNER_FIELDS,
    PUBLIC_RECORD_FIELDS,
    PUBLIC_RECORD_KEYS,
    RELATED_FIELDS,
)
from .gatherings import Gathering, GatheringQuerySet
from .messages import ContactMessage, Report, ReportReason, TeamMessage
from .pending import PendingChanges
from .records import (
    APPROXIMATE_GRID_KM,
    geojson_feature_of,
    location_is_approximate,
    public_record_of,
    snap_to_grid,
)
from .resources import Resource
from .taxonomy import MAX_THEME_LENGTH, MAX_THEMES, Sector, check_themes
from .version import ContentVersion
