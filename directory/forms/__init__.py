"""The directory's forms, by what they are for. Importing from `directory.forms` keeps working:
the public names are gathered here."""

from .alerts import AlertForm, AlertSubscribeForm
from .bots import STARTED_SALT, BotCheckedForm
from .entry import EntryForm, JoinForm, ManageLinkRequestForm, new_join_form
from .fields import HTTP_URL, SectorsField, ThemesField
from .filters import (
    MAX_QUERY_LENGTH,
    EntryFilterForm,
    EntryFilters,
    ForgivingFilterForm,
    ResourceFilterForm,
    parse_bbox,
    parse_coordinate,
)
from .meeting import ContactForm, ReportForm, ResourceFormSet, TeamMessageForm

__all__ = [
    "AlertForm",
    "AlertSubscribeForm",
    "HTTP_URL",
    "MAX_QUERY_LENGTH",
    "STARTED_SALT",
    "BotCheckedForm",
    "ContactForm",
    "EntryFilterForm",
    "EntryFilters",
    "EntryForm",
    "ForgivingFilterForm",
    "JoinForm",
    "ManageLinkRequestForm",
    "ReportForm",
    "ResourceFilterForm",
    "ResourceFormSet",
    "SectorsField",
    "TeamMessageForm",
    "ThemesField",
    "new_join_form",
    "parse_bbox",
    "parse_coordinate",
]
from .connections import ConnectionProposalForm, ConnectionSearchForm  # noqa: E402, F401
from .gatherings import GatheringFilterForm, GatheringForm, NewGatheringForm  # noqa: E402, F401
