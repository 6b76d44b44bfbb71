"""The documented deployment (gunicorn.conf.py, compose.yaml, deploy/): gunicorn refuses a
cache that each worker would keep to itself, and production's default cache is shared."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import yaml
from django.conf import settings

from .test_settings import PRODUCTION_ENV


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    inherited = {name: os.environ[name] for name in ["PATH", "HOME"] if name in os.environ}
    return (
        inherited
        | PRODUCTION_ENV
        | {
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "GUNICORN_ACCESS_LOG": "",
        }
        | extra
    )


def free_address() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


def gunicorn(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "relmap.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def python(code: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env | {"DJANGO_SETTINGS_MODULE": "relmap.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_gunicorn_refuses_several_workers_over_a_per_process_cache(tmp_path):
    env = production_env(
        tmp_path, CACHE_URL="locmem://", WEB_CONCURRENCY="3", GUNICORN_BIND=free_address()
    )

    server = gunicorn(env)
    _out, errors = server.communicate(timeout=60)

    assert server.returncode != 0
    assert "CACHE_URL is a per-process cache (locmem://) but 3 workers" in errors


def test_gunicorn_serves_with_several_workers_over_the_default_shared_cache(tmp_path):
    address = free_address()
    server = gunicorn(production_env(tmp_path, WEB_CONCURRENCY="2", GUNICORN_BIND=address))
    try:
        deadline, status = time.monotonic() + 60, None
        while status is None and server.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://{address}/healthz", timeout=5) as response:
                    status = response.status
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=30)

    assert status == 200, errors


def test_what_one_process_counts_in_the_default_cache_another_sees(tmp_path):
    env = production_env(tmp_path)
    python("from django.core.management import call_command; call_command('createcachetable')", env)

    python("from django.core.cache import cache; cache.set('posts', 13)", env)
    seen = python("from django.core.cache import cache; print(cache.get('posts'))", env)

    assert seen == "13"


def compose_services() -> dict:
    return yaml.safe_load((settings.BASE_DIR / "compose.yaml").read_text())["services"]


def test_compose_runs_nginx_in_front_and_restarts_every_long_running_service():
    services = compose_services()

    assert {"nginx", "web", "worker", "postgres", "redis"} <= services.keys()
    for name in ["nginx", "web", "worker", "postgres", "redis"]:
        assert services[name]["restart"] in {"always", "unless-stopped"}, name
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    assert "ports" not in services["web"]  # only nginx faces the visitors


def test_compose_shares_redis_between_web_and_worker_and_makes_the_cache_table():
    services = compose_services()

    for name in ["web", "worker"]:
        assert services[name]["environment"]["CACHE_URL"] == "redis://redis:6379/0"
    assert services["worker"]["command"] == "python manage.py run_worker"
    assert "createcachetable" in services["release"]["command"]
