"""The stories app's models by concept: the case stories (stories.py) and the evidence for
the case maker (evidence.py)."""

from .evidence import (
    EvidenceTheme,
    Source,
    SourceKind,
    SourceQuerySet,
    Statistic,
    StatisticQuerySet,
)
from .stories import (
    OrganisationType,
    Scale,
    Story,
    StoryQuerySet,
    StorySection,
    StoryTheme,
    TaggedStory,
    site_operator,
)

__all__ = [
    "EvidenceTheme",
    "OrganisationType",
    "Scale",
    "Source",
    "SourceKind",
    "SourceQuerySet",
    "Statistic",
    "StatisticQuerySet",
    "Story",
    "StoryQuerySet",
    "StorySection",
    "StoryTheme",
    "TaggedStory",
    "site_operator",
]
