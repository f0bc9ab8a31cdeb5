# The Health CMS app and worker image (docker-compose.yml builds it; docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CMS_MIGRATIONS_DIR=/app/migrations \
    CMS_LOG_FORMAT=json

WORKDIR /app
COPY pyproject.toml README.md ./
COPY cms ./cms
RUN pip install .
COPY migrations ./migrations
COPY gunicorn.conf.py ./

RUN useradd --system --uid 10001 --home-dir /app cms
USER cms
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "cms.app:create_app()"]
