# Relationships Map web image: gunicorn serving Django, static files through whitenoise.
# The same image runs the task worker (`python manage.py run_worker`) and migrations.
# Deployed behind nginx (deploy/nginx.conf), which buffers requests and responses so that
# slow clients never hold a worker; gunicorn.conf.py runs threaded workers. compose.yaml
# puts the whole deployment together (nginx, web, worker, PostgreSQL, Redis).
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
# gunicorn.conf.py: WEB_CONCURRENCY worker processes of GUNICORN_THREADS threads each; it
# refuses to start several workers over a per-process cache (CACHE_URL=locmem://).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "relmap.wsgi"]
