# Followthrough in a container: one image for every process (slack, discord, worker, ...).
#   docker build -t followthrough .
#   docker run --env-file .env -p 8080:8080 -v followthrough-data:/data followthrough       # or: ... slack
# The command is a mode of `python -m bot` (see `python -m bot --help`; `web`, the default, runs every
# platform whose token is set). The database is migrated first, every time a container starts (safe
# when several start at once: they take turns).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The pinned runtime dependencies first, so that a change of code does not reinstall them.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY pyproject.toml README.md slack-manifest.json ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage

# A user of its own, without a login or a password; /data holds a SQLite database if no
# DATABASE_URL is given (mount a volume there, or use PostgreSQL).
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin followthrough \
    && mkdir -p /data \
    && chown followthrough:followthrough /data
USER followthrough

# MPLCONFIGDIR: the statistics chart's font cache, somewhere this user may write.
ENV DATABASE_URL=sqlite:////data/followthrough.db \
    PORT=8080 \
    MPLCONFIGDIR=/tmp/matplotlib
VOLUME ["/data"]
EXPOSE 8080

# /healthz answers 200 while the process and its database are well: Slack's web process on $PORT,
# the Discord bot and the worker on $HEALTH_PORT.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % (os.environ.get('HEALTH_PORT') or os.environ.get('PORT') or '8080'), timeout=5)"]

ENTRYPOINT ["/bin/sh", "-c", "python -m bot migrate && exec python -m bot \"$@\"", "followthrough"]
CMD ["web"]
