"""The DIY case: read from a shareable query string and written back to one. Nothing is stored
on the server; the query string is the case."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory.forms.filters import cut

from .models import Statistic, Story

TEXT_LIMITS = {"title": 120, "audience": 120, "context": 1500, "ask": 800}
MAX_STATISTICS = 12
MAX_STORIES = 7
# Beyond these, a query string is not a case someone built but a malformed request.
ABSURD_TEXT_LENGTH = 20_000
ABSURD_CHOICES = 100
SLUG = re.compile(r"^[-a-z0-9_]{1,160}$")
# Control characters other than tab and line breaks, and U+FFFD, which Django puts where
# the query string's bytes were not UTF-8.
MALFORMED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass
class Case:
    title: str = ""
    audience: str = ""
    context: str = ""
    ask: str = ""
    statistics: list[Statistic] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.title or self.context or self.ask or self.statistics or self.stories)

    def query_string(self) -> str:
        """The shareable form: the text, then the choices in their chosen order."""
        pairs = [(name, getattr(self, name)) for name in TEXT_LIMITS if getattr(self, name)]
        pairs += [("stat", statistic.pk) for statistic in self.statistics]
        pairs += [("story", story.slug) for story in self.stories]
        return urlencode(pairs)

    def statistics_query_string(self) -> str:
        """Enough for the reference downloads, which never carry the visitor's words."""
        return urlencode([("stat", statistic.pk) for statistic in self.statistics])


def check_well_formed(query: QueryDict) -> None:
    for name, values in query.lists():
        if len(values) > ABSURD_CHOICES:
            raise BadRequest(_("This case has far more choices than a case can hold."))
        for value in values:
            if len(value) > ABSURD_TEXT_LENGTH:
                raise BadRequest(_("Part of this address is far too long to be a case."))
            if MALFORMED.search(name) or MALFORMED.search(value):
                raise BadRequest(_("This address has characters in it that we cannot read."))


def chosen_in_order(query: QueryDict, name: str) -> list[str]:
    """The values of `name` in the order given, or by their order-<name>-<value> numbers when
    the builder form sent them (a choice without a number keeps its place after them)."""
    values = list(dict.fromkeys(value.strip() for value in query.getlist(name) if value.strip()))

    def position(item):
        index, value = item
        number = query.get(f"order-{name}-{value}", "").strip()
        return (0, int(number), index) if number.isdecimal() and len(number) < 6 else (1, 0, index)

    return [value for _index, value in sorted(enumerate(values), key=position)]


def read_text(query: QueryDict, case: Case) -> None:
    for name, limit in TEXT_LIMITS.items():
        # Line breaks arrive as \r\n from forms; one kind keeps the limits fair.
        value = query.get(name, "").replace("\r\n", "\n").strip()
        setattr(case, name, cut(value, limit=limit, part=PART_NAMES[name](), notes=case.notes))


PART_NAMES = {
    "title": lambda: _("title"),
    "audience": lambda: _("audience"),
    "context": lambda: _("context"),
    "ask": lambda: _("ask"),
}


@dataclass(frozen=True)
class Choice:
    """One kind of thing a case holds, as its query string names it."""

    parameter: str
    most: int
    key: Callable[[str], object]  # the value as a lookup key, or None when it cannot be one
    found: Callable[[list], dict]  # the public ones among these keys, by key
    dropped: Callable[[int], str]  # the note for so many we could not find
    too_many: str  # the note when more than `most` were chosen


STATISTICS = Choice(
    parameter="stat",
    most=MAX_STATISTICS,
    key=lambda value: int(value) if value.isdecimal() and len(value) < 10 else None,
    found=lambda keys: Statistic.objects.published().for_cards().in_bulk(keys),
    dropped=lambda count: ngettext(
        "We left out %(count)d statistic we could not find.",
        "We left out %(count)d statistics we could not find.",
        count,
    ),
    too_many=gettext_lazy("A case holds at most %(max)d statistics, so we kept the first %(max)d."),
)
STORIES = Choice(
    parameter="story",
    most=MAX_STORIES,
    key=lambda value: value if SLUG.match(value) else None,
    found=lambda keys: Story.objects.published().for_cards().in_bulk(keys, field_name="slug"),
    dropped=lambda count: ngettext(
        "We left out %(count)d story we could not find.",
        "We left out %(count)d stories we could not find.",
        count,
    ),
    too_many=gettext_lazy("A case holds at most %(max)d stories, so we kept the first %(max)d."),
)


def read_chosen(query: QueryDict, case: Case, choice: Choice) -> list:
    """The things of one kind the query chose, in its order: those we cannot find are left
    out, and any past the most a case holds, each with a note."""
    wanted = chosen_in_order(query, choice.parameter)
    keys = [key for value in wanted if (key := choice.key(value)) is not None]
    found = choice.found(keys)
    chosen = [found[key] for key in keys if key in found]
    if dropped := len(wanted) - len(chosen):
        case.notes.append(choice.dropped(dropped) % {"count": dropped})
    if len(chosen) > choice.most:
        case.notes.append(choice.too_many % {"max": choice.most})
    return chosen[: choice.most]


def read_case(query: QueryDict) -> Case:
    """The case a query string describes. What cannot be used is dropped or cut with a note;
    a query string that is not a case at all raises BadRequest (a 400)."""
    check_well_formed(query)
    case = Case()
    read_text(query, case)
    case.statistics = read_chosen(query, case, STATISTICS)
    case.stories = read_chosen(query, case, STORIES)
    return case


def needs_tidying(query: QueryDict) -> bool:
    """Whether the builder's order numbers are in the query, so the view can send the visitor
    on to the short, shareable address instead."""
    return any(name.startswith("order-") for name in query)


def stories_fitting_first(*, sector):
    """Every published story, those in `sector` first. Kept here rather than on StoryQuerySet
    because only the case builder orders stories this way."""
    stories = Story.objects.published().for_cards()
    if sector is None:
        return stories
    in_sector = Story.sectors.through.objects.filter(story_id=OuterRef("pk"), sector=sector)
    return stories.annotate(fits=Exists(in_sector)).order_by("-fits", "display_order", "title")
