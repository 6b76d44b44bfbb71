"""Gatherings as iCalendar (RFC 5545), written by the `icalendar` package, which folds long
lines, escapes text and ends lines with CRLF. Times go out in the gathering's own time zone
(DTSTART;TZID=…) with its VTIMEZONE, so that a calendar shows them right across a change of
the clocks."""

from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Gathering

PRODUCT_ID = "-//Relationships Map//Gatherings//EN"


def calendar_of(gatherings: Iterable[Gathering], *, name: str) -> bytes:
    """A VCALENDAR with one VEVENT per gathering. Only public gatherings should be given:
    a cancelled one goes out with STATUS:CANCELLED so that calendars remove it."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for gathering in gatherings:
        calendar.add_component(event_of(gathering, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_of(gathering: Gathering, *, stamp) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", gathering.uid)
    event.add("sequence", gathering.sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", gathering.updated_at)
    event.add("dtstart", gathering.local_start)
    event.add("dtend", gathering.local_end)
    event.add("summary", gathering.title)
    event.add("description", _description(gathering))
    event.add("url", gathering.absolute_url())
    event.add("status", "CANCELLED" if gathering.is_cancelled else "CONFIRMED")
    if gathering.is_online:
        event.add("location", gathering.open_link or "Online")
    else:
        place = ", ".join(part for part in [gathering.place_name, gathering.region] if part)
        event.add("location", place)
        event.add("geo", (gathering.latitude, gathering.longitude))
    if gathering.organiser_id:
        event.add("organizer", settings.SITE_URL + gathering.organiser.get_absolute_url())
        event["organizer"].params["cn"] = gathering.organiser.name
    return event


def _description(gathering: Gathering) -> str:
    parts = [gathering.description]
    if gathering.is_online and not gathering.open_link:
        parts.append("The organiser sends the link to join to those who book or sign up.")
    if gathering.booking_link:
        parts.append(f"Booking: {gathering.booking_link}")
    if gathering.capacity_note:
        parts.append(gathering.capacity_note)
    if gathering.recording_link:
        parts.append(f"Recording: {gathering.recording_link}")
    parts.append(gathering.absolute_url())
    return "\n\n".join(parts)
