"""Development: `make run PORT=…` links to the port it serves on, and emails printed to the
console can be read and their links clicked."""

import io
import itertools
import os
import shlex
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.core.management import call_command

from directory import tokens
from directory.emails import render_email
from directory.models import Entry
from relmap.mail import ReadableConsoleEmailBackend


def make_dry_run(*arguments: str) -> list[str]:
    """The commands `make` would run, without running them."""
    result = subprocess.run(
        ["make", "-n", *arguments],
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


@pytest.mark.parametrize(("arguments", "port"), [(["run", "PORT=8101"], "8101"), (["run"], "8000")])
def test_make_run_serves_on_the_port_and_gives_every_command_that_site_url(arguments, port):
    commands = [line for line in make_dry_run(*arguments) if "manage.py" in line]

    assert commands[-1].endswith(f"manage.py runserver 127.0.0.1:{port}")
    assert all(f"SITE_URL=http://127.0.0.1:{port}" in command for command in commands)
    assert any("create_local_admin" in command for command in commands)


def test_the_site_url_make_gives_is_the_one_the_settings_use():
    [admin_line] = [line for line in make_dry_run("run", "PORT=8101") if "local_admin" in line]
    # The command's leading NAME=value words are the environment make gives it.
    assignments = itertools.takewhile(lambda word: "=" in word, shlex.split(admin_line))
    env = dict(word.split("=", 1) for word in assignments)
    inherited = {name: os.environ[name] for name in ["PATH", "HOME"] if name in os.environ}

    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=django_settings.BASE_DIR,
        env=inherited | env | {"DJANGO_SETTINGS_MODULE": "relmap.settings"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "http://127.0.0.1:8101"


@pytest.mark.django_db
def test_the_local_admin_is_announced_at_the_sites_own_address(settings):
    settings.DEBUG = True  # the command is for development only
    settings.SITE_URL = "http://127.0.0.1:8101"
    first, again = io.StringIO(), io.StringIO()

    call_command("create_local_admin", stdout=first)
    call_command("create_local_admin", stdout=again)

    assert "Admin: http://127.0.0.1:8101/admin/ " in first.getvalue()
    assert "password" in first.getvalue()
    assert "Admin: http://127.0.0.1:8101/admin/ " in again.getvalue()


@pytest.mark.django_db
def test_absolute_links_in_emails_use_the_site_url(settings, make_entry):
    settings.SITE_URL = "http://127.0.0.1:8101"
    entry = make_entry(status=Entry.Status.AWAITING_CONFIRMATION)

    message = render_email(kind="confirm", context=confirm_context(entry), to=["pat@example.org"])

    assert "http://127.0.0.1:8101/join/confirm/" in message.body


def confirm_context(entry) -> dict:
    return {"entry": entry, "confirm_url": tokens.confirmation_url(entry)}


@pytest.mark.django_db
def test_the_console_prints_an_email_decoded_with_whole_links(make_entry):
    entry = make_entry("Café “Open Door”", status=Entry.Status.AWAITING_CONFIRMATION)
    context = confirm_context(entry)  # once: the link's signature carries the time
    message = render_email(kind="confirm", context=context, to=["pat@example.org"])
    confirm_url = context["confirm_url"]
    assert len(confirm_url) > 76  # longer than a quoted-printable line
    stream = io.StringIO()

    ReadableConsoleEmailBackend(stream=stream).send_messages([message])

    printed = stream.getvalue()
    lines = printed.splitlines()
    assert confirm_url in lines  # whole, on a line of its own, ready to click
    assert "To: pat@example.org" in lines
    assert any(line.startswith("Subject: ") and "=?utf-8?" not in line for line in lines)
    assert "Café “Open Door”" in printed
    assert "=\n" not in printed and "=E2=80=9C" not in printed  # no quoted-printable
    assert "Content-Transfer-Encoding" not in printed
    assert "[Also sent as text/html: not shown here]" in lines


def test_the_console_names_an_attachment_without_printing_it():
    message = EmailMessage("Your data", "Attached.", "site@example.org", ["pat@example.org"])
    message.attach("data.json", b'{"name": "Pat"}', "application/json")
    stream = io.StringIO()

    ReadableConsoleEmailBackend(stream=stream).send_messages([message])

    assert "[Attached: data.json (application/json)]" in stream.getvalue()
    assert '"name": "Pat"' not in stream.getvalue()
