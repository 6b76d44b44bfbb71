"""Moderators decide on gatherings in the admin, and staff post the site's own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Gathering

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:directory_gathering_changelist")


def run_action(client, action, chosen):
    return client.post(
        CHANGELIST,
        {"action": action, "index": 0, "_selected_action": [g.pk for g in chosen]},
        follow=True,
    )


def test_a_moderator_approves_a_waiting_gathering_and_leaves_a_cancelled_one_alone(
    client, moderator, make_gathering
):
    waiting = make_gathering("Waiting", status=Gathering.Status.AWAITING_REVIEW)
    cancelled = make_gathering("Called off", status=Gathering.Status.CANCELLED)
    client.force_login(moderator)

    response = run_action(client, "approve", [waiting, cancelled])

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "Published 1; it shows on the gatherings pages and feeds.",
        "Left 1 alone: only gatherings awaiting review or rejected can be approved.",
    ]
    waiting.refresh_from_db()
    cancelled.refresh_from_db()
    assert waiting.status == Gathering.Status.PUBLISHED
    assert cancelled.status == Gathering.Status.CANCELLED


def test_a_moderator_cancels_a_published_gathering(client, moderator, make_gathering):
    published = make_gathering("Tea and talk")
    client.force_login(moderator)

    run_action(client, "cancel", [published])

    published.refresh_from_db()
    assert published.status == Gathering.Status.CANCELLED
    assert published.sequence == 1


def test_staff_post_a_published_gathering_of_their_own(admin_client, make_sector):
    sector = make_sector()
    starts = timezone.localtime() + timedelta(days=10)
    response = admin_client.post(
        reverse("admin:directory_gathering_add"),
        {
            "title": "Launch conversation",
            "slug": "launch-conversation",
            "status": Gathering.Status.PUBLISHED,
            "description": "A conversation with people from the stories.",
            "sectors": [sector.pk],
            "themes": "case making",
            "starts_at_0": starts.strftime("%Y-%m-%d"),
            "starts_at_1": "18:00:00",
            "ends_at_0": starts.strftime("%Y-%m-%d"),
            "ends_at_1": "19:30:00",
            "time_zone": "Europe/London",
            "format": Gathering.Format.ONLINE,
            "online_link": "https://meet.example.org/launch",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Gathering.objects.get()
    assert stored.organiser is None
    assert stored.is_public()
    assert stored.published_at is not None


def test_a_staff_edit_of_a_published_gathering_raises_its_sequence(admin_client, make_gathering):
    published = make_gathering("Tea and talk")
    page = reverse("admin:directory_gathering_change", args=[published.pk])
    form = admin_client.get(page).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"sectors", "themes", "starts_at", "ends_at"}
    }
    local = published.starts_at.astimezone(timezone.get_current_timezone())
    end = published.ends_at.astimezone(timezone.get_current_timezone())
    data |= {
        "title": "Tea, cake and talk",
        "sectors": [s.pk for s in published.sectors.all()],
        "themes": "",
        "starts_at_0": local.strftime("%Y-%m-%d"),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": end.strftime("%H:%M:%S"),
    }

    response = admin_client.post(page, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    published.refresh_from_db()
    assert published.title == "Tea, cake and talk"
    assert published.sequence == 1


def test_the_organiser_hears_what_the_moderator_decided_and_why(
    client, moderator, make_entry, make_gathering, mailoutbox, settings
):
    owner = make_entry("Moston Neighbours", contact_email="pat@example.org")
    welcome = make_gathering(
        "Tea and talk", organiser=owner, status=Gathering.Status.AWAITING_REVIEW
    )
    unclear = make_gathering(
        "Somewhere",
        organiser=owner,
        status=Gathering.Status.AWAITING_REVIEW,
        rejection_reason="Please say where it happens.",
    )
    ours = make_gathering("Site launch", status=Gathering.Status.AWAITING_REVIEW)
    client.force_login(moderator)

    run_action(client, "approve", [welcome, ours])
    run_action(client, "reject", [unclear])

    approved, rejected = mailoutbox
    assert approved.to == rejected.to == ["pat@example.org"]
    assert approved.subject == "Your gathering is public: Tea and talk"
    assert settings.SITE_URL + welcome.get_absolute_url() in approved.body
    assert rejected.subject == "Your gathering was not published: Somewhere"
    assert "Please say where it happens." in rejected.body
