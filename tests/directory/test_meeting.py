"""The meeting place: writing to an entry's owner, and the resources entries share."""

import pytest
from django.core import mail
from django.urls import reverse

from directory import lifecycle, tokens
from directory.models import ContactMessage, Entry, Resource
from tests.private_links import manage_path

pytestmark = pytest.mark.django_db

OWNER_EMAIL = "owner-private@example.org"
VISITOR_EMAIL = "sam@example.net"


def contact_path(entry) -> str:
    return reverse("directory:contact", kwargs={"slug": entry.slug})


def message_data(**changes) -> dict:
    return {
        "sender_name": "Sam Lee",
        "sender_email": VISITOR_EMAIL,
        "body": "Could we meet to talk about your befriending scheme?",
        "company_fax": "",
    } | changes


def make_resource(entry, title="Listening well", *, themes=(), **fields) -> Resource:
    values = {"url": "https://guides.example.org/listening", "note": "A short guide."} | fields
    resource = Resource.objects.create(entry=entry, title=title, **values)
    resource.themes.set(list(themes))
    return resource


def resources_data(*rows, initial=0, deleted=()) -> dict:
    """The manage-resources formset as a browser posts it."""
    data = {
        "resources-TOTAL_FORMS": str(len(rows)),
        "resources-INITIAL_FORMS": str(initial),
        "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "5",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"resources-{index}-{name}"] = value
        if index in deleted:
            data[f"resources-{index}-DELETE"] = "on"
    return data


def resource_row(title="Listening well", **changes) -> dict:
    return {
        "title": title,
        "url": "https://guides.example.org/listening",
        "note": "A short guide to listening.",
        "themes": "listening, befriending",
    } | changes


def listed_titles(response) -> list[str]:
    return [resource.title for resource in response.context["page"].object_list]


# --- Writing to an entry ---------------------------------------------------------------------


def test_the_contact_page_says_where_the_message_goes_and_hides_a_trap_for_bots(client, make_entry):
    entry = make_entry("Open Door", contact_email=OWNER_EMAIL)

    response = client.get(contact_path(entry))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Write to Open Door" in html
    assert "not to the Relationships Map" in html
    assert "so that they can reply to you directly" in html
    assert 'class="hp"' in html and 'name="company_fax"' in html
    assert OWNER_EMAIL.encode() not in response.content


def test_a_message_is_relayed_to_the_owner_with_reply_to_the_visitor_and_then_forgotten(
    client, make_entry
):
    entry = make_entry("Open Door", contact_email=OWNER_EMAIL)

    response = client.post(contact_path(entry), message_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:contact_sent", kwargs={"slug": entry.slug})
    [email] = mail.outbox
    assert email.to == [OWNER_EMAIL]
    assert email.reply_to == [VISITOR_EMAIL]
    assert "Could we meet to talk about your befriending scheme?" in email.body
    assert "Sam Lee" in email.subject
    assert not ContactMessage.objects.exists()


def test_the_owners_address_appears_in_no_response(client, make_entry, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"contact": "1/h"}
    entry = make_entry("Open Door", contact_email=OWNER_EMAIL)
    opted_out = make_entry("Quiet Place", contact_email=OWNER_EMAIL, accepts_messages=False)

    responses = [
        client.get(contact_path(entry)),
        client.post(contact_path(entry), message_data(sender_email="not an address")),
        client.post(contact_path(entry), message_data(), follow=True),
        client.post(contact_path(entry), message_data()),  # over the limit
        client.get(contact_path(opted_out)),
        client.get(entry.get_absolute_url()),
    ]

    assert [response.status_code for response in responses] == [200, 200, 200, 429, 200, 200]
    for response in responses:
        assert OWNER_EMAIL.encode() not in response.content


def test_the_sent_page_says_the_message_is_on_its_way(client, make_entry):
    entry = make_entry("Open Door")

    response = client.post(contact_path(entry), message_data(), follow=True)

    html = response.content.decode()
    assert "Your message is on its way" in html
    assert entry.get_absolute_url() in html


def test_a_bot_filling_the_hidden_field_gets_a_plain_failure_and_nothing_is_sent(
    client, make_entry
):
    entry = make_entry("Open Door")

    response = client.post(contact_path(entry), message_data(company_fax="555-1234"))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_a_visitor_over_the_rate_limit_is_told_when_to_try_again_and_keeps_what_they_typed(
    client, make_entry, settings
):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"contact": "2/h"}
    entry = make_entry("Open Door")
    for _ in range(2):
        client.post(contact_path(entry), message_data())

    response = client.post(contact_path(entry), message_data(body="A third note, kept safe."))

    html = response.content.decode()
    assert response.status_code == 429
    assert "please try again after" in html
    assert "A third note, kept safe." in html
    assert 'value="Sam Lee"' in html
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "status",
    [
        Entry.Status.AWAITING_CONFIRMATION,
        Entry.Status.AWAITING_REVIEW,
        Entry.Status.REJECTED,
        Entry.Status.WITHDRAWN,
    ],
)
def test_nobody_can_write_to_an_unpublished_entry(client, make_entry, status):
    entry = make_entry("Hidden Place", status=status)

    assert client.get(contact_path(entry)).status_code == 404
    assert client.post(contact_path(entry), message_data()).status_code == 404
    sent_path = reverse("directory:contact_sent", kwargs={"slug": entry.slug})
    assert client.get(sent_path).status_code == 404
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_an_unknown_entry_has_no_contact_page(client, db):
    response = client.get(reverse("directory:contact", kwargs={"slug": "nobody"}))

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_entry_not_taking_messages_shows_a_notice_and_no_form(client, make_entry, method):
    entry = make_entry("Quiet Place", accepts_messages=False, website="https://quiet.example")

    response = getattr(client, method)(contact_path(entry), message_data())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Quiet Place is not taking messages through the site" in html
    assert 'name="body"' not in html
    assert "https://quiet.example" in html
    assert not ContactMessage.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"sender_email": "sam at example"}, "sender_email", "Enter a valid email address."),
        ({"body": "x" * 5001}, "body", "at most 5000 characters"),
        ({"body": ""}, "body", "This field is required."),
        ({"sender_name": ""}, "sender_name", "This field is required."),
    ],
)
def test_an_invalid_message_gets_field_errors_and_nothing_is_sent(
    client, make_entry, changes, field, error
):
    entry = make_entry("Open Door")

    response = client.post(contact_path(entry), message_data(**changes))

    html = response.content.decode()
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert 'aria-invalid="true"' in html
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_html_in_a_message_is_escaped_on_the_page_and_in_the_email(client, make_entry):
    entry = make_entry("Open Door")
    script = "<script>alert('hi')</script>"

    invalid = client.post(
        contact_path(entry),
        message_data(sender_name=f"Sam {script}", sender_email="nope", body=script),
    )
    client.post(contact_path(entry), message_data(sender_name=f"Sam {script}", body=script))
    sent = client.get(reverse("directory:contact_sent", kwargs={"slug": entry.slug}))

    for response in [invalid, sent]:
        assert script not in response.content.decode()
    assert "&lt;script&gt;" in invalid.content.decode()
    [email] = mail.outbox
    [(html_part, _)] = email.alternatives
    assert script not in html_part
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;" in html_part
    assert script in email.body  # the plain-text part is text, not HTML


# --- The profile -----------------------------------------------------------------------------


def test_the_profile_offers_the_contact_link_only_when_the_entry_takes_messages(client, make_entry):
    open_door = make_entry("Open Door")
    quiet = make_entry("Quiet Place", accepts_messages=False)

    open_html = client.get(open_door.get_absolute_url()).content.decode()
    quiet_html = client.get(quiet.get_absolute_url()).content.decode()

    assert "Get in touch" in open_html and contact_path(open_door) in open_html
    assert "Get in touch" not in quiet_html and contact_path(quiet) not in quiet_html


def test_the_profile_shows_its_shared_resources(client, make_entry):
    entry = make_entry("Open Door")
    make_resource(entry, "Listening well", themes=["listening"], note="Ten minutes a day.")

    html = client.get(entry.get_absolute_url()).content.decode()

    assert "Shared resources" in html
    assert (
        '<a href="https://guides.example.org/listening" rel="nofollow noopener" target="_blank">'
        "Listening well"
    ) in html
    assert "Ten minutes a day." in html
    assert f"{reverse('directory:resources')}?theme=listening" in html


def test_a_profile_without_resources_has_no_resources_section(client, make_entry):
    entry = make_entry("Open Door")

    html = client.get(entry.get_absolute_url()).content.decode()

    assert "Shared resources" not in html


# PROFILE_QUERIES in test_views.py, and one more for the resources' themes.
# Two of these are the directory's version check, which tests run at every call (the page
# cache asks first, then the kindred search).
PROFILE_WITH_RESOURCES_QUERIES = 11


def test_the_profile_runs_as_many_queries_for_many_resources_as_for_one(
    client, make_entry, save_published, django_assert_num_queries
):
    entry = make_entry("Open Door")
    make_resource(entry, "First", themes=["listening"])
    with django_assert_num_queries(PROFILE_WITH_RESOURCES_QUERIES):
        client.get(entry.get_absolute_url())
    for number in range(4):
        make_resource(entry, f"More {number}", themes=["listening", f"theme {number}"])
    save_published(entry)  # as approving an owner's resources does
    with django_assert_num_queries(PROFILE_WITH_RESOURCES_QUERIES):
        client.get(entry.get_absolute_url())


# --- Managing shared resources ---------------------------------------------------------------


def test_the_manage_page_links_to_the_shared_resources(client, make_entry):
    entry = make_entry("Open Door")
    path = manage_path(entry)  # one token: two would differ once the clock ticks a second

    html = client.get(path).content.decode()

    assert f'href="{path}resources/"' in html


def test_the_resource_form_is_private_and_prefilled_with_the_current_resources(client, make_entry):
    entry = make_entry("Open Door")
    make_resource(entry, "Listening well", themes=["listening", "befriending"])

    response = client.get(manage_path(entry, "directory:manage_resources"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert 'value="Listening well"' in html
    assert 'value="befriending, listening"' in html
    assert len(response.context["formset"].forms) == 3  # one resource and two empty rows


def test_an_owner_adds_resources_to_an_unpublished_entry_at_once(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)

    response = client.post(
        manage_path(entry, "directory:manage_resources"),
        resources_data(resource_row("Listening well"), resource_row("Walking together"), {}),
    )

    assert response.status_code == 200
    assert "your entry is updated" in response.content.decode()
    assert sorted(entry.resources.values_list("title", flat=True)) == [
        "Listening well",
        "Walking together",
    ]
    listening = entry.resources.get(title="Listening well")
    assert sorted(listening.themes.names()) == ["befriending", "listening"]
    assert Entry.objects.get().pending_changes is None


def test_resources_for_a_published_entry_wait_for_review_while_the_old_ones_stay(
    client, make_entry, settings
):
    settings.MODERATOR_EMAILS = ["moderators@example.org"]
    entry = make_entry("Open Door")
    make_resource(entry, "Old guide")

    response = client.post(
        manage_path(entry, "directory:manage_resources"),
        resources_data(resource_row("New guide"), initial=0),
    )

    assert "A moderator will check your changes" in response.content.decode()
    assert mail.outbox[0].to == ["moderators@example.org"]
    profile = client.get(entry.get_absolute_url()).content.decode()
    listed = client.get(reverse("directory:resources"))
    assert "Old guide" in profile and "New guide" not in profile
    assert listed_titles(listed) == ["Old guide"]

    lifecycle.approve_changes(entry=Entry.objects.get())

    profile = client.get(entry.get_absolute_url()).content.decode()
    assert "New guide" in profile and "Old guide" not in profile
    assert listed_titles(client.get(reverse("directory:resources"))) == ["New guide"]


def test_the_resource_form_shows_the_changes_waiting_for_review(client, make_entry):
    entry = make_entry("Open Door")
    make_resource(entry, "Old guide")
    client.post(
        manage_path(entry, "directory:manage_resources"),
        resources_data(resource_row("New guide", themes="walking")),
    )

    response = client.get(manage_path(entry, "directory:manage_resources"))

    html = response.content.decode()
    assert 'value="New guide"' in html and 'value="walking"' in html
    assert 'value="Old guide"' not in html
    assert "waiting for a moderator" in html


def test_an_owner_can_remove_a_resource(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)
    make_resource(entry, "Keep me")
    make_resource(entry, "Remove me")

    client.post(
        manage_path(entry, "directory:manage_resources"),
        resources_data(resource_row("Keep me"), resource_row("Remove me"), initial=2, deleted={1}),
    )

    assert list(entry.resources.values_list("title", flat=True)) == ["Keep me"]


@pytest.mark.parametrize(
    "url", ["ftp://files.example.org/guide.pdf", "javascript:alert(1)", "mailto:me@example.org"]
)
def test_links_that_are_not_web_addresses_are_refused(client, make_entry, url):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)

    response = client.post(
        manage_path(entry, "directory:manage_resources"),
        resources_data(resource_row(url=url)),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please give a web address starting with http:// or https://." in html
    assert 'href="#id_resources-0-url"' in html
    assert not Resource.objects.exists()


def test_a_web_address_without_its_scheme_is_taken_as_https(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)

    client.post(
        manage_path(entry, "directory:manage_resources"),
        resources_data(resource_row(url="guides.example.org/walking")),
    )

    assert Resource.objects.get().url == "https://guides.example.org/walking"


def test_no_more_than_five_resources_are_accepted(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)
    rows = [resource_row(f"Guide {number}") for number in range(6)]

    response = client.post(manage_path(entry, "directory:manage_resources"), resources_data(*rows))

    assert response.status_code == 200
    assert "Please submit at most 5 forms." in response.content.decode()
    assert not Resource.objects.exists()


def test_a_stale_private_link_cannot_change_resources(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)
    path = manage_path(entry, "directory:manage_resources")
    tokens.replace_management_key(entry)

    response = client.post(path, resources_data(resource_row()))

    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()
    assert not Resource.objects.exists()


# --- The shared resources page ---------------------------------------------------------------


def test_the_resources_page_lists_only_resources_of_public_entries(client, make_entry):
    make_resource(make_entry("Open Door"), "Public guide")
    for status in [
        Entry.Status.AWAITING_CONFIRMATION,
        Entry.Status.AWAITING_REVIEW,
        Entry.Status.REJECTED,
        Entry.Status.WITHDRAWN,
    ]:
        make_resource(make_entry(f"Entry {status}", status=status), f"Guide from {status}")

    response = client.get(reverse("directory:resources"))

    html = response.content.decode()
    assert response.status_code == 200
    assert listed_titles(response) == ["Public guide"]
    assert "Guide from" not in html
    assert "1 resource" in html


def test_each_resource_links_back_to_the_entry_that_shared_it(client, make_entry):
    entry = make_entry("Open Door")
    make_resource(entry, "Public guide")

    html = client.get(reverse("directory:resources")).content.decode()

    assert f'Shared by <a href="{entry.get_absolute_url()}">Open Door</a>' in html
    assert 'rel="nofollow noopener"' in html


def test_the_resources_page_filters_by_theme_and_by_sector_and_by_both(
    client, make_entry, make_sector
):
    arts = make_sector("Arts and culture")
    painters = make_entry("Painters", sectors=[arts])
    nurses = make_entry("Nurses")
    make_resource(painters, "Mural guide", themes=["murals"])
    make_resource(painters, "Choir guide", themes=["singing"])
    make_resource(nurses, "Ward murals", themes=["murals"])

    def titles(**query):
        return listed_titles(client.get(reverse("directory:resources"), query))

    assert titles(theme="murals") == ["Mural guide", "Ward murals"]
    assert titles(sector="arts-and-culture") == ["Choir guide", "Mural guide"]
    assert titles(theme="murals", sector="arts-and-culture") == ["Mural guide"]
    html = client.get(reverse("directory:resources"), {"theme": "murals"}).content.decode()
    assert "2 resources match" in html


def test_unknown_filter_values_are_ignored_with_a_visible_note(client, make_entry):
    make_resource(make_entry("Open Door"), "Public guide", themes=["listening"])
    # A theme only an unpublished entry's resource has is as unknown as a made-up one.
    make_resource(make_entry("Hidden", status=Entry.Status.WITHDRAWN), "Hidden", themes=["secret"])

    response = client.get(
        reverse("directory:resources"), {"theme": "secret", "sector": "astrology"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert listed_titles(response) == ["Public guide"]
    assert "We ignored a theme that no shared resource has yet." in html
    assert "We ignored a sector we do not know." in html


def test_the_resources_page_says_so_when_nothing_matches(client, make_entry, make_sector):
    make_sector("Arts and culture")
    make_resource(make_entry("Open Door"), "Public guide")

    html = client.get(
        reverse("directory:resources"), {"sector": "arts-and-culture"}
    ).content.decode()

    assert "0 resources match" in html
    assert "No shared resource matches these filters yet." in html


def test_the_resources_page_has_an_empty_state_before_anyone_shares(client, db):
    html = client.get(reverse("directory:resources")).content.decode()

    assert "Nobody has shared a resource yet." in html


def test_the_resources_page_is_paginated_and_keeps_its_filters(client, make_entry):
    entry = make_entry("Open Door")
    for number in range(25):
        make_resource(entry, f"Guide {number:02}", themes=["listening"])

    first = client.get(reverse("directory:resources"), {"theme": "listening"})
    second = client.get(reverse("directory:resources"), {"theme": "listening", "page": 2})

    assert len(listed_titles(first)) == 20
    assert listed_titles(second) == [f"Guide {number}" for number in range(20, 25)]
    assert "?theme=listening&amp;page=2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


# The count, the page, its resources' themes, and the theme and sector choices; a filter
# adds a query to look up its value.
RESOURCE_LIST_QUERIES = 5


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ({}, RESOURCE_LIST_QUERIES),
        ({"theme": "listening", "sector": "health-and-care"}, RESOURCE_LIST_QUERIES + 2),
    ],
)
def test_the_resources_page_runs_a_constant_number_of_queries(
    client, make_entry, django_assert_num_queries, query, queries
):
    make_resource(make_entry("Open Door"), "Only guide", themes=["listening"])
    with django_assert_num_queries(queries):
        client.get(reverse("directory:resources"), query)
    for number in range(15):
        entry = make_entry(f"Entry {number}")
        make_resource(entry, f"Guide {number}", themes=["listening", f"theme {number}"])
        make_resource(entry, f"Another guide {number}", themes=[f"theme {number}"])
    with django_assert_num_queries(queries):
        client.get(reverse("directory:resources"), query)


def test_the_sitemap_lists_the_resources_page(client, settings):
    xml = client.get("/sitemap-pages.xml").content.decode()

    assert settings.SITE_URL + reverse("directory:resources") in xml
