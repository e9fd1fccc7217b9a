# The application image: `web` (gunicorn), `worker` and `beat` run it, `migrate` runs it once per deployment
# (docker-compose.yml). tests/production/test_smoke.py builds this layout without a container engine.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# The build context is the repository minus .dockerignore: no secrets, virtualenvs, databases, media or tests.
COPY . .
# Static files are collected at build time, as root: part of the image, the same in every replica, read-only
# for the app user. Production settings need keys to load; throwaway ones serve (collectstatic signs nothing).
RUN DEBUG=false ALLOWED_HOSTS=build.invalid SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" AUDIT_HMAC_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" AUDIT_SIGNING_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')" python manage.py collectstatic --noinput
# The app user owns only what it writes, the uploaded files; the code and the static files stay root's.
RUN useradd --create-home --uid 10001 silon && mkdir -p /data/media && chown silon:silon /data/media
USER silon
EXPOSE 8000
