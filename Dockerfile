# Production image: the same code and pins as `make run`, served by gunicorn.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# Pango and HarfBuzz are what WeasyPrint renders the LKjIP PDF with.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files are collected at build time, in embedded mode (no database needed).
RUN STATIC_MANIFEST=true python manage.py collectstatic --noinput \
 && useradd --system --home /app lkjip && mkdir -p /app/var/media && chown -R lkjip /app/var
USER lkjip
EXPOSE 8000
CMD ["gunicorn", "lkjip.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "1000", "--max-requests-jitter", "100"]
