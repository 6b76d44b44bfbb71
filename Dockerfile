# Relationships Map web image: gunicorn serving Django, static files through whitenoise.
# The same image runs the task worker (`python manage.py db_worker`) and migrations.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WEB_CONCURRENCY=3

RUN useradd --create-home --uid 10001 relmap
WORKDIR /app

# Dependencies first, in their own layer, so code changes do not reinstall them.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes --no-deps -r requirements/base.txt

COPY . .
# Build-time values only: collectstatic needs settings to load, not real secrets.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
        SITE_URL=http://localhost SITE_OPERATOR_NAME=build SITE_OPERATOR_ADDRESS=build \
        SITE_CONTACT_EMAIL=build@localhost DATA_HOSTING_LOCATION=build \
        python manage.py collectstatic --no-input \
    && mkdir -p var && chown -R relmap:relmap var

USER relmap
EXPOSE 8000
# gunicorn reads WEB_CONCURRENCY for its number of worker processes.
CMD ["gunicorn", "relmap.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
