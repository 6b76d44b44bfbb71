"""Faults: the mail server and the database stop in the middle of things, and no submission or
email is lost, and the site carries on without a restart.

Everything here is real: the site under gunicorn, the task worker, a PostgreSQL cluster of
the test's own (tests/processes.py) and an SMTP server (aiosmtpd) that the tests stop and
start. Leases and waits are short so that each test takes seconds.
"""

import asyncio
import email
import re
import threading
from email import policy

import pytest
import requests
from aiosmtpd.controller import Controller

from tests.directory.conftest import started
from tests.processes import (
    Site,
    free_port,
    manage,
    site_environment,
    start_worker,
    wait_until,
)

# The module's own PostgreSQL cluster is started once: on several cores its tests share a worker.
pytestmark = pytest.mark.xdist_group("test_faults")


class Mailbox:
    """The SMTP server's handler: keeps every message it is given. It can hold the next one
    unanswered, as a slow server does, so that a test can act while a worker is mid-send."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.hold_next = False
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        if self.hold_next:
            self.hold_next = False
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"

    def hold_next_message(self) -> None:
        self.holding.clear()
        self.released.clear()
        self.hold_next = True

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


class MailServer:
    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    @property
    def running(self) -> bool:
        return self.controller is not None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self.controller = None


def text_of(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture(scope="module")
def mail_server():
    server = MailServer()
    server.start()
    yield server
    if server.running:
        server.stop()


@pytest.fixture(scope="module")
def site_env(postgres_cluster, mail_server):
    """The production wiring (database task queue, SMTP) with short leases and waits."""
    env = site_environment(
        database_url=postgres_cluster.url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mail_server.port),
        SMTP_USE_TLS="0",
        TASK_LEASE_SECONDS="2",
        WORKER_RETRY_MAX_SECONDS="0.5",
        EMAIL_RETRY_DELAYS=",".join(["0.5"] * 20),
        RATE_LIMIT_JOIN="100/h",
    )
    manage("migrate", "--no-input", env=env)
    manage("load_content", env=env)
    return env


@pytest.fixture(scope="module")
def site(site_env, tmp_path_factory):
    site = Site(env=site_env, log=tmp_path_factory.mktemp("site") / "gunicorn.log")
    yield site
    site.stop()


@pytest.fixture
def worker(site_env, tmp_path):
    worker = start_worker(env=site_env, log=tmp_path / "worker.log")
    yield worker
    worker.stop()
    print(worker.output)  # shown when the test fails


@pytest.fixture(autouse=True)
def everything_running(postgres_cluster, mail_server):
    """Each test starts with the database and the mail server up, whatever the last did."""
    yield
    if not postgres_cluster.answers():
        postgres_cluster.start()
    if not mail_server.running:
        mail_server.start()
    mail_server.mailbox.released.set()


class Visitor:
    """A person at the join form: fetches it, then sends it (perhaps more than once)."""

    def __init__(self, site: Site, *, email_address: str, sector_id: int):
        self.site = site
        self.session = requests.Session()
        page = self.session.get(site.url + "/join/", timeout=10)
        self.form = {
            "csrfmiddlewaretoken": re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
            ).group(1),
            "kind": "practitioner",
            "name": "Pat Jones",
            "summary": "I help neighbours look out for one another.",
            "sectors": [str(sector_id)],
            "place_name": "Frome",
            "contact_email": email_address,
            "consent": "on",
            "company_fax": "",
            # Each visitor fills in a form of their own (the site spots a form sent twice).
            "started": started(nonce=email_address),
        }

    def send(self) -> requests.Response:
        return self.session.post(
            self.site.url + "/join/", data=self.form, allow_redirects=False, timeout=10
        )


@pytest.fixture
def visitor(site, postgres_cluster):
    [(sector_id,)] = postgres_cluster.query("SELECT id FROM directory_sector ORDER BY id LIMIT 1")
    return lambda address: Visitor(site, email_address=address, sector_id=sector_id)


def stored_entries(cluster, address: str) -> list[str]:
    rows = cluster.query("SELECT status FROM directory_entry WHERE contact_email = %s", [address])
    return [status for (status,) in rows]


def email_tasks(cluster, address: str) -> list[tuple[str, int]]:
    """The queued confirmation emails for the entry with this address: (status, claims)."""
    return cluster.query(
        """SELECT task.status, jsonb_array_length(task.worker_ids::jsonb)
        FROM django_tasks_database_dbtaskresult task
        JOIN directory_entry entry
            ON (task.args_kwargs::jsonb -> 'kwargs' ->> 'entry_id')::bigint = entry.id
        WHERE entry.contact_email = %s ORDER BY task.enqueued_at""",
        [address],
    )


def join_and_hold_the_email(visitor, mail_server, address: str) -> None:
    """A visitor joins, and the mail server holds their email: the worker is mid-send."""
    mail_server.mailbox.hold_next_message()
    visitor(address).send()
    wait_until(mail_server.mailbox.holding.is_set, what="the worker to be mid-send")


def wait_until_sent_again(mail_server, cluster, address: str) -> None:
    """The server had the email, but its worker never recorded it as sent: it is sent again
    (at least once, here twice) and then recorded, after a second claim of its task."""
    wait_until(lambda: len(mail_server.mailbox.to(address)) == 2, what="the email sent again")
    wait_until(
        lambda: email_tasks(cluster, address) == [("SUCCESSFUL", 2)],
        what="the task to be recorded as sent",
    )


def test_joining_while_the_mail_server_is_down_stores_the_entry_and_the_email_follows(
    site,
    worker,
    mail_server,
    visitor,
    postgres_cluster,
):
    mail_server.stop()

    response = visitor("down@example.org").send()

    assert response.status_code == 302 and response.headers["Location"].endswith("/join/sent/")
    assert stored_entries(postgres_cluster, "down@example.org") == ["awaiting_confirmation"]
    # The worker tries, fails, and queues the email again for later.
    wait_until(
        lambda: ("FAILED", 1) in email_tasks(postgres_cluster, "down@example.org"),
        what="a failed try while the mail server is down",
    )

    mail_server.start()

    [confirmation] = wait_until(
        lambda: mail_server.mailbox.to("down@example.org"), what="the confirmation email"
    )
    assert "/join/confirm/" in text_of(confirmation)
    assert worker.is_running()


def test_an_email_whose_worker_is_killed_mid_send_is_sent_by_the_next_worker(
    site,
    site_env,
    mail_server,
    visitor,
    postgres_cluster,
    tmp_path,
):
    first_worker = start_worker(env=site_env, log=tmp_path / "first-worker.log")
    join_and_hold_the_email(visitor, mail_server, "killed@example.org")

    first_worker.kill()
    mail_server.mailbox.released.set()
    assert email_tasks(postgres_cluster, "killed@example.org") == [("RUNNING", 1)]

    next_worker = start_worker(env=site_env, log=tmp_path / "next-worker.log")
    try:
        # The killed worker never heard the server accept the email; the next one sends it
        # again once the lease runs out.
        wait_until_sent_again(mail_server, postgres_cluster, "killed@example.org")
    finally:
        next_worker.stop()


def test_the_worker_and_the_pages_carry_on_when_the_database_comes_back(
    site,
    worker,
    mail_server,
    visitor,
    postgres_cluster,
):
    # A search: the map page itself may be served from the page cache while the database is away.
    search = site.url + "/map/?q=neighbours"
    assert requests.get(search, timeout=10).status_code == 200
    pat = visitor("outage@example.org")

    postgres_cluster.stop()

    outage = requests.get(search, timeout=10)
    assert outage.status_code == 503 and outage.headers["Retry-After"]
    # The operator's log says which page failed and why, with the traceback.
    assert "The database could not answer /map/" in site.output
    assert "OperationalError" in site.output
    # Nothing can be stored, and the visitor is not thanked as if it had been.
    assert pat.send().status_code == 503
    wait_until(
        lambda: worker.output.count("Database unavailable") >= 2,
        what="the worker to try the database twice, each try refused",
    )
    assert worker.is_running()

    postgres_cluster.start()

    assert requests.get(search, timeout=10).status_code == 200
    # The same form, sent again, is stored, and the same worker sends its email.
    assert pat.send().status_code == 302
    assert stored_entries(postgres_cluster, "outage@example.org") == ["awaiting_confirmation"]
    wait_until(lambda: mail_server.mailbox.to("outage@example.org"), what="the email")
    assert worker.is_running()
    assert site.is_running()


def test_an_email_cut_short_by_a_database_outage_is_sent_when_it_comes_back(
    site,
    worker,
    mail_server,
    visitor,
    postgres_cluster,
):
    join_and_hold_the_email(visitor, mail_server, "cut-short@example.org")

    postgres_cluster.stop()
    # The server accepts the message, but the worker cannot record that it was sent.
    mail_server.mailbox.released.set()
    wait_until(lambda: "Database unavailable" in worker.output, what="the worker to notice")

    postgres_cluster.start()

    wait_until_sent_again(mail_server, postgres_cluster, "cut-short@example.org")
    assert worker.is_running()
