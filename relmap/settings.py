"""Settings for Relationships Map, read from environment variables.

Development defaults are safe; production needs the variables marked "required" in the
README's configuration table. Three groups: Django, third-party apps, ours.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name: str, *, dev_default: str) -> str:
    """A variable production must set; development falls back to `dev_default`."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} must be set when DJANGO_DEBUG is off (see the README's configuration table)."
    )


def cache_from_url(url: str) -> dict:
    """locmem:// (one process), db://TABLE (run `createcachetable`), redis://HOST:PORT/DB."""
    parts = urlsplit(url)
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if parts.scheme == "db":
        table = parts.netloc or parts.path.strip("/") or "relmap_cache"
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if parts.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL has an unknown scheme {parts.scheme!r}: {url!r}")


# --- Django ----------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_required(
    "DJANGO_SECRET_KEY", dev_default="django-insecure-development-only-never-in-production"
)

ALLOWED_HOSTS = comma_list(
    env_required("DJANGO_ALLOWED_HOSTS", dev_default="localhost,127.0.0.1,[::1]")
)

INSTALLED_APPS = [
    # The admin without django-leaflet's admin module, which needs GDAL (see relmap/apps.py).
    "relmap.apps.GdalFreeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # whitenoise serves static files in development too
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "leaflet",
    "taggit",
    "simple_history",
    "axes",
    "django_tasks_db",
    "directory",
    "stories",
]

MIDDLEWARE = [
    "relmap.middleware.ClientAddressMiddleware",
    # Outside whitenoise, so that static files carry the header too.
    "relmap.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the header-setting middleware above, so that its 400 page has their headers; it
    # reads the form before CsrfViewMiddleware or any view does.
    "relmap.middleware.RefuseNulCharactersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "relmap.middleware.DatabaseOutageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "relmap.urls"
WSGI_APPLICATION = "relmap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "relmap.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a write happens; IMMEDIATE avoids "database is locked"
    # errors when two requests upgrade a read transaction to a write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Production shares one cache between every worker and app server by default (rate limits
# count there): the database's, whose table `manage.py createcachetable` makes.
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL", "locmem://" if DEBUG else "db://relmap_cache")
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Mail: printed to the console unless an SMTP server is configured.
SMTP_HOST = os.environ.get("SMTP_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 15,
            },
        }
        if SMTP_HOST
        # Printed decoded, so that a person testing locally can read and click the links.
        else {"BACKEND": "relmap.mail.ReadableConsoleEmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Relationships Map <hello@relationshipsmap.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Tasks (emails): run at once in development and tests; queued in the database in
# production, where `manage.py run_worker` sends them and a failed send stays queued.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

# Security. Behind a TLS-terminating proxy in production, which sets X-Forwarded-Proto.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = comma_list(os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", ""))
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Request bodies: the largest form is a story with its five sections in the admin (about 50,000
# characters, up to 450 KB percent-encoded); public forms are far smaller. A bigger body is
# refused with a 413 before it is read, and more parameters than any form has with a 400.
# Nothing on the site takes a file upload, so a request carrying a file is refused (400); were
# one added, uploads over 256 KB would wait in a temporary file, not in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
DATA_UPLOAD_MAX_NUMBER_FILES = 0
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Browser features no page uses are off, for the page and anything it embeds. The case maker's
# copy button writes to the clipboard; nothing asks for the visitor's location (the map finds
# places from what people type or pick), so geolocation is off too. Reading the clipboard is
# left to the browser, which asks the visitor first (and the copy button's test reads it).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "camera": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Content Security Policy: no inline script or style anywhere; a script that must be
# inline carries the per-request nonce. Map tiles are the only outside resource.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILE_URL))
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", _tile_origin],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Third-party apps -------------------------------------------------------------------------

# The maps' settings, read by static/js/leaflet-map.js (through directory_tags.leaflet_config)
# and the admin's location map. django-leaflet supplies Leaflet's files; its template tags
# are not used, since they write inline scripts.
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (54.0, -2.5),
    "DEFAULT_ZOOM": 5,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "TILES": [
        (
            "OpenStreetMap",
            MAP_TILE_URL,
            {
                "maxZoom": 19,
                "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">'
                "OpenStreetMap</a> contributors",
            },
        )
    ],
}

TAGGIT_CASE_INSENSITIVE = True

# django-axes: five failed admin logins for one username from one address lock it out for an
# hour. Attempts are counted in the database, shared by every app server.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

# --- Ours -------------------------------------------------------------------------------------

SITE_NAME = "Relationships Map"
# Behind this many trusted proxies, the client's address is taken from X-Forwarded-For
# (rate limits and login lockouts need it); 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
# Public forms: how many posts one address may make (django-ratelimit's "count/period").
RATE_LIMITS = {
    "join": os.environ.get("RATE_LIMIT_JOIN", "5/h"),
    "contact": os.environ.get("RATE_LIMIT_CONTACT", "10/h"),
    "manage-link": os.environ.get("RATE_LIMIT_MANAGE_LINK", "5/h"),
    "owner-edit": os.environ.get("RATE_LIMIT_OWNER_EDIT", "30/h"),
    "team-message": os.environ.get("RATE_LIMIT_TEAM_MESSAGE", "5/h"),
    "report": os.environ.get("RATE_LIMIT_REPORT", "10/h"),
    "alert": os.environ.get("RATE_LIMIT_ALERT", "5/h"),
}
# How often each process asks whether the directory or the stories have changed (the map
# data, exports and cached pages are rebuilt when they have).
VERSION_CHECK_SECONDS = 1.0
# Entries whose email is never confirmed are deleted after this many days.
UNCONFIRMED_ENTRY_DAYS = int(os.environ.get("UNCONFIRMED_ENTRY_DAYS", "7"))
# Private management links stop working after this many days (a fresh one is a click away).
MANAGE_LINK_DAYS = int(os.environ.get("MANAGE_LINK_DAYS", "365"))
# Moderators are told of entries to review: these addresses, or else every active staff
# member with the permission to change entries.
MODERATOR_EMAILS = comma_list(os.environ.get("MODERATOR_EMAILS", ""))
# The licence the directory's open data (GeoJSON, CSV) is published under.
OPEN_DATA_LICENCE_NAME = os.environ.get(
    "OPEN_DATA_LICENCE_NAME", "Creative Commons Attribution 4.0"
)
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
# Layers other apps add to the directory map, which knows nothing of them: each a GeoJSON
# URL name whose points have a title, summary and url, a label and a marker kind (CSS).
MAP_OVERLAYS: list[dict[str, str]] = [
    {"label": "Stories", "url_name": "stories:map_layer", "kind": "story"},
    {"label": "Gatherings", "url_name": "directory:gatherings_geojson", "kind": "gathering"},
]
# The model whose newly published rows alerts offer as "new stories" (it needs published(),
# published_at, title, summary and get_absolute_url); named here because the directory
# never imports stories. Empty: alerts offer no stories.
ALERT_STORY_MODEL = "stories.Story"
# Alert digests are built and sent by the task worker this many subscribers at a time.
ALERT_BATCH_SIZE = int(os.environ.get("ALERT_BATCH_SIZE", "200"))
# Off unless set: the Murmurations index that `manage.py register_murmurations` tells about
# the entries' profiles, e.g. https://index.murmurations.network/v2 (or test-index.… to try).
MURMURATIONS_INDEX_URL = os.environ.get("MURMURATIONS_INDEX_URL", "").rstrip("/")
# The task worker (`manage.py run_worker`). A task RUNNING for longer than the lease belonged
# to a worker that died, and is run again: keep it well above the SMTP timeout (15 s).
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "600"))
# While the database is away the worker waits, doubling the wait up to this, and carries on.
WORKER_RETRY_MAX_SECONDS = float(os.environ.get("WORKER_RETRY_MAX_SECONDS", "30"))
# Seconds before each new try of an email the mail server refused; after the last, give up.
EMAIL_RETRY_DELAYS = [
    float(seconds)
    for seconds in comma_list(os.environ.get("EMAIL_RETRY_DELAYS", "60,300,1800,7200,21600,86400"))
]
# Off unless set: a Nominatim-compatible search URL tried when the offline place data has no
# answer (see directory/geo.py). Its usage policy allows about one request a second.
PLACE_LOOKUP_ONLINE_URL = os.environ.get("PLACE_LOOKUP_ONLINE_URL", "")
# Absolute links in emails and feeds are built from this, never from the request's Host.
SITE_URL = env_required("SITE_URL", dev_default="http://127.0.0.1:8000").rstrip("/")
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).netloc:
    raise ImproperlyConfigured(
        f"SITE_URL must be an absolute URL such as https://example.org: {SITE_URL!r}"
    )

# Who runs the site, shown in the footer, on About and Privacy and in every email: UK GDPR
# (article 13) and the Electronic Commerce Regulations 2002 (regulation 6) ask for the name,
# a postal address and an email address. A registration number only where there is one.
SITE_OPERATOR_NAME = env_required(
    "SITE_OPERATOR_NAME", dev_default="Relationships Map (development)"
)
SITE_OPERATOR_ADDRESS = env_required(
    "SITE_OPERATOR_ADDRESS", dev_default="No postal address yet (set SITE_OPERATOR_ADDRESS)"
)
SITE_CONTACT_EMAIL = env_required(
    "SITE_CONTACT_EMAIL", dev_default="hello@relationshipsmap.localhost"
)
SITE_OPERATOR_REGISTRATION = os.environ.get("SITE_OPERATOR_REGISTRATION", "").strip()
# Where data-protection requests go, and the data protection officer's name if there is one.
DATA_PROTECTION_EMAIL = os.environ.get("DATA_PROTECTION_EMAIL", "").strip() or SITE_CONTACT_EMAIL
DATA_PROTECTION_OFFICER = os.environ.get("DATA_PROTECTION_OFFICER", "").strip()
# The privacy notice must say where personal data is kept (and so whether it leaves the UK).
DATA_HOSTING_LOCATION = env_required(
    "DATA_HOSTING_LOCATION", dev_default="the computer this development copy runs on"
)

# How long records are kept, in days; `manage.py purge_old_records` (daily) enforces them and
# the privacy notice quotes them.
HANDLED_MESSAGE_DAYS = int(os.environ.get("HANDLED_MESSAGE_DAYS", "365"))  # after handling
CLOSED_REPORT_DAYS = int(os.environ.get("CLOSED_REPORT_DAYS", "365"))  # after closing
UNDELIVERED_MESSAGE_DAYS = int(os.environ.get("UNDELIVERED_MESSAGE_DAYS", "14"))
INACTIVE_ENTRY_DAYS = int(os.environ.get("INACTIVE_ENTRY_DAYS", "365"))  # rejected, withdrawn
STAFF_LOGIN_LOG_DAYS = int(os.environ.get("STAFF_LOGIN_LOG_DAYS", "90"))
FINISHED_TASK_DAYS = int(os.environ.get("FINISHED_TASK_DAYS", "14"))
# Not enforced here: the web server's own logs, which the deployment must rotate to match.
SERVER_LOG_DAYS = int(os.environ.get("SERVER_LOG_DAYS", "30"))
