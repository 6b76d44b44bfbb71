"""Report this story: the directory knows nothing of stories, yet a report on one reaches the
moderators, carrying the page's path and title, signed by the link the story page gave."""

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from directory.models import Report
from tests.directory.conftest import started

pytestmark = pytest.mark.django_db


def test_a_story_report_reaches_the_moderators_with_the_story_and_no_entry(
    client, make_story, settings, admin_client
):
    settings.MODERATOR_EMAILS = ["moderators@example.org"]
    story = make_story("Walking alongside")
    html = client.get(story.get_absolute_url()).content.decode()
    link = unescape(re.search(r'<a href="([^"]+)" rel="nofollow">Report this story</a>', html)[1])

    form = client.get(link)
    response = client.post(
        link,
        {
            "reason": Report.Reason.OTHER,
            "details": "A quote is misattributed.",
            "company_fax": "",
            "started": started(),
        },
    )

    assert "Report “Walking alongside”" in form.content.decode()
    assert response["Location"] == reverse("report_sent")
    report = Report.objects.get()
    assert report.entry is None
    assert (report.page_path, report.page_title) == (story.get_absolute_url(), "Walking alongside")
    [email] = mail.outbox
    assert email.subject == "Reported: Walking alongside"
    assert settings.SITE_URL + story.get_absolute_url() in email.body
    assert "A quote is misattributed." in email.body
    reports = admin_client.get(reverse("admin:directory_report_changelist"))
    assert [r.pk for r in reports.context["cl"].result_list] == [report.pk]
    assert "Walking alongside" in reports.content.decode()
