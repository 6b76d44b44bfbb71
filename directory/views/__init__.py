"""The directory's views: the map and its data (map.py), and joining and managing an entry
(owners.py)."""

from .map import *  # noqa: F403
from .meeting import *  # noqa: F403
from .owners import *  # noqa: F403
