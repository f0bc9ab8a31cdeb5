"""gunicorn settings for `make run` and production (override with GUNICORN_CMD_ARGS)."""

import glob
import multiprocessing
import os
import shutil
import tempfile

# Prometheus metrics in multiprocess mode: each worker writes its own files in
# this directory and /metrics sums them. It must be set before any worker
# imports prometheus_client. Without PROMETHEUS_MULTIPROC_DIR, a private
# directory is made for this server and removed when it stops.
_TEMPORARY_PREFIX = "cms-metrics-"
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix=_TEMPORARY_PREFIX)
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from prometheus_client import multiprocess  # noqa: E402 - only once the directory is set

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
# The app logs one line per request itself (CMS_LOG_FORMAT, CMS_REQUEST_LOG);
# gunicorn's access log is off unless CMS_ACCESS_LOG names a file ("-": stdout).
accesslog = os.environ.get("CMS_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
errorlog = "-"
# gunicorn 25+ opens a control socket in $HOME by default; not wanted here.
control_socket_disable = True

if os.environ.get("CMS_LOG_FORMAT") == "json":
    # gunicorn's own lines (boot, worker exits, errors) as JSON too. (Not through
    # logconfig_dict: that would switch gunicorn's access log on as well.)
    from gunicorn.glogging import Logger

    from cms.observability.logs import JsonFormatter

    class JsonLogger(Logger):
        def setup(self, cfg):
            super().setup(cfg)
            for handler in [*self.error_log.handlers, *self.access_log.handlers]:
                handler.setFormatter(JsonFormatter())

    logger_class = JsonLogger


def on_starting(server):
    """Counters from an earlier run of this server must not be summed with this one's."""
    for path in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        os.remove(path)


def child_exit(server, worker):
    """A worker is gone: its live gauges (cache size) stop counting; its counters stay."""
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics directory if it is the temporary one made above."""
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    if os.path.dirname(path) == tempfile.gettempdir() and os.path.basename(path).startswith(
        _TEMPORARY_PREFIX
    ):
        shutil.rmtree(path, ignore_errors=True)
