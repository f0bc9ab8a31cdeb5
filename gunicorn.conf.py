"""gunicorn settings for `make run` and production (override with GUNICORN_CMD_ARGS)."""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# gunicorn's sync worker, answering the errors gunicorn raises itself as problem+json.
worker_class = "cms.http.server.SyncWorker"
# The longest request line gunicorn allows (URLs with long cursors and filters fit);
# past it, and past these header limits, a 414 or 431 problem.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycling workers drops their delivery cache; enable only to contain a known leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = 100
accesslog = os.environ.get("CMS_ACCESS_LOG", "-")
errorlog = "-"
# gunicorn 25+ opens a control socket in $HOME by default; not wanted here.
control_socket_disable = True
