"""The staff's workplace, one module per concept; this package only imports them (importing
registers each admin) and re-exports what other apps and the tests use."""

from .alerts import AlertSubscriptionAdmin
from .connections import ConnectionAdmin
from .decisions import CHANGE_FORM_ACTION_FIELD
from .entries import EntryAdmin
from .gatherings import GatheringAdmin
from .inbox import ReportAdmin, TeamMessageAdmin
from .public_content import ChangesPublicContent
from .resources import ResourceAdmin
from .taxonomy import SectorAdmin, ThemeAdmin
