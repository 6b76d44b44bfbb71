"""Settings as production sees them, checked in a fresh interpreter with a clean environment."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "relationshipsmap.example",
    "SITE_URL": "https://relationshipsmap.example",
    "SMTP_HOST": "smtp.example",
    "SITE_OPERATOR_NAME": "Example Relationships Trust",
    "SITE_OPERATOR_ADDRESS": "1 High Street, Exampletown, EX4 1AA",
    "SITE_CONTACT_EMAIL": "hello@relationshipsmap.example",
    "DATA_HOSTING_LOCATION": "the United Kingdom",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    inherited = {name: os.environ[name] for name in ["PATH", "HOME"] if name in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=inherited | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_no_warnings_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_names_each_missing_required_variable():
    for name in [
        "DJANGO_ALLOWED_HOSTS",
        "SITE_URL",
        "SITE_OPERATOR_NAME",
        "SITE_OPERATOR_ADDRESS",
        "SITE_CONTACT_EMAIL",
        "DATA_HOSTING_LOCATION",
    ]:
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
        result = run_manage("check", env=env)
        assert result.returncode != 0
        assert f"{name} must be set" in result.stderr


def test_development_defaults_need_no_variables_at_all():
    result = run_manage("check", env={"DJANGO_DEBUG": "1"})

    assert result.returncode == 0, result.stderr


def test_healthz_answers_503_when_the_database_is_unreachable():
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "print(Client().get('/healthz').status_code)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "relmap.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        # Port 9 (discard) on loopback: nothing listens, so the connection is refused.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing?connect_timeout=2",
    }
    inherited = {name: os.environ[name] for name in ["PATH", "HOME"] if name in os.environ}

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=inherited | env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "503", result.stderr


def settings_as_seen_with(env: dict[str, str]) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'mail': s.MAILERS['default']['BACKEND'],"
        "'tasks': s.TASKS['default']['BACKEND'], 'static': s.STORAGES['staticfiles']['BACKEND'],"
        "'cache': s.CACHES['default']['BACKEND']}))"
    )
    inherited = {name: os.environ[name] for name in ["PATH", "HOME"] if name in os.environ}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=inherited | {"DJANGO_SETTINGS_MODULE": "relmap.settings"} | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_development_prints_mail_runs_tasks_at_once_and_serves_plain_static_files():
    assert settings_as_seen_with({"DJANGO_DEBUG": "1"}) == {
        "mail": "relmap.mail.ReadableConsoleEmailBackend",
        "tasks": "django.tasks.backends.immediate.ImmediateBackend",
        "static": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
    }


def test_production_sends_by_smtp_queues_tasks_and_shares_a_cache():
    seen = settings_as_seen_with(PRODUCTION_ENV | {"CACHE_URL": "redis://127.0.0.1:6379/0"})

    assert seen == {
        "mail": "django.core.mail.backends.smtp.EmailBackend",
        "tasks": "django_tasks_db.DatabaseBackend",
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "cache": "django.core.cache.backends.redis.RedisCache",
    }


def test_production_defaults_to_a_cache_every_worker_shares():
    # Rate limits are counted in the cache: a per-process cache would count per worker.
    seen = settings_as_seen_with(PRODUCTION_ENV)

    assert seen["cache"] == "django.core.cache.backends.db.DatabaseCache"
