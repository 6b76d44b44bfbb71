"""The directory's views: the map and its data (map.py), joining and managing an entry
(owners.py), the meeting place (meeting.py), and the open standards (standards.py)."""

from .alerts import *  # noqa: F403
from .connections import *  # noqa: F403
from .gatherings import *  # noqa: F403
from .map import *  # noqa: F403
from .meeting import *  # noqa: F403
from .network import *  # noqa: F403
from .owners import *  # noqa: F403
from .standards import *  # noqa: F403
