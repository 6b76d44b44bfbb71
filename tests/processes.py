"""Real processes for the fault and backup tests: a throwaway PostgreSQL cluster the test can
stop and start (run by .ci/postgres, as CI's own), the site under gunicorn and the task worker.

These tests leave the suite's own database alone. They need PostgreSQL's server binaries:
without them they are skipped, except in CI, where .ci/postgres installs them."""

import os
import signal
import socket
import subprocess
import sys
import time
from glob import glob
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import requests

BASE_DIR = Path(__file__).resolve().parent.parent
CI_POSTGRES = BASE_DIR / ".ci" / "postgres"


def require_postgres_server() -> None:
    if os.environ.get("CI") == "true" or glob("/usr/lib/postgresql/*/bin/initdb"):
        return
    pytest.skip("PostgreSQL server binaries not found: `apt-get install postgresql`")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float = 30, what: str = "the condition"):
    """Poll until `condition()` gives something true, and return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"Waited {timeout}s for {what}")


class PostgresCluster:
    def __init__(self, directory: Path):
        self.directory = directory
        self.url = ""

    def start(self) -> None:
        command = [str(CI_POSTGRES), "start", str(self.directory)]
        self.url = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        self.url = self.url.strip()

    def stop(self) -> None:
        subprocess.run([str(CI_POSTGRES), "stop", str(self.directory)], check=True)

    def answers(self) -> bool:
        try:
            self.query("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True

    def url_for(self, database: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + database

    def query(self, sql: str, params=(), *, database: str = "relmap") -> list[tuple]:
        with psycopg.connect(self.url_for(database), autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str) -> str:
        self.query(f'CREATE DATABASE "{name}"')
        return self.url_for(name)


def site_environment(*, database_url: str, **variables: str) -> dict[str, str]:
    """The environment of the site's processes: development settings (no collected static
    files needed) but emails queued in the database, as in production."""
    return os.environ | {"DATABASE_URL": database_url, "TASKS_BACKEND": "database"} | variables


def manage(*arguments: str, env: dict[str, str]) -> str:
    command = [sys.executable, "manage.py", *arguments]
    result = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


class Process:
    """A long-running process of the site, its output kept in a file to read or assert on."""

    def __init__(self, command: list[str], *, env: dict[str, str], log: Path):
        self.log = log
        with log.open("w") as output:
            self.popen = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    @property
    def output(self) -> str:
        return self.log.read_text()

    def is_running(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.is_running():
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class Site(Process):
    """The site under gunicorn with one sync worker, as the Dockerfile runs it."""

    def __init__(self, *, env: dict[str, str], log: Path):
        self.url = f"http://127.0.0.1:{free_port()}"
        bind = urlsplit(self.url).netloc
        command = [sys.executable, "-m", "gunicorn", "relmap.wsgi", "-w", "1", "-b", bind]
        super().__init__(command, env=env, log=log)
        wait_until(self.answers, what=f"gunicorn at {self.url}")

    def answers(self) -> bool:
        try:
            requests.get(self.url + "/robots.txt", timeout=10)
        except requests.ConnectionError:
            assert self.is_running(), self.output
            return False
        return True


def start_worker(*, env: dict[str, str], log: Path) -> Process:
    command = [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--no-reload"]
    return Process([*command, "--interval", "0.1"], env=env, log=log)
