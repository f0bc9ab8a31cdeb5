"""Logs: one line per request and per worker event, as JSON (production) or text (development).

Built on the standard ``logging`` machinery. ``configure`` puts one handler on
the ``cms`` logger (every module's logger and the Flask app's live under it);
every record gets the current request id (a record factory reads it from
``cms.observability.request_ids``), so a line logged while handling a request
carries its id whichever module wrote it.

Never log secrets or article bodies: request lines carry the route template,
not the path or query; worker events carry an endpoint's origin, not its URL
(webhook URLs often embed credentials). The engine hides SQL parameters in
error messages (``hide_parameters`` in ``cms.db``).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import orjson
from flask.logging import default_handler as flask_default_handler

from cms.observability import request_ids

FORMATS = ("text", "json")
ROOT_LOGGER = "cms"
FIELDS = "cms_fields"
"""Record attribute holding a line's structured fields (a dict)."""

request_log = logging.getLogger("cms.request")
worker_log = logging.getLogger("cms.worker")

# Attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request_id", FIELDS}
)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """A line's structured fields: ours, or whatever another caller passed as ``extra``."""
    fields = getattr(record, FIELDS, None)
    if fields is not None:
        return dict(fields)
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD_ATTRIBUTES and not key.startswith("_")
    }


class _UtcSeconds:
    """ISO 8601 UTC time with milliseconds; the seconds part is formatted once per second."""

    def __init__(self) -> None:
        self._second = -1
        self._text = ""

    def __call__(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            moment = dt.datetime.fromtimestamp(second, dt.UTC)
            self._second, self._text = second, moment.strftime("%Y-%m-%dT%H:%M:%S")
        return f"{self._text}.{int((created - second) * 1000):03d}+00:00"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, pid, then the fields."""

    def __init__(self) -> None:
        super().__init__()
        self._time = _UtcSeconds()

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            line["request_id"] = request_id
        line["pid"] = record.process
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(line, default=str).decode()


# Request lines say these in their message already.
_IN_REQUEST_MESSAGE = ("method", "route", "status", "duration_ms")


class TextFormatter(logging.Formatter):
    """``time level logger [request id] message key=value…`` for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request_tag)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_tag = f" [{request_id}]" if request_id else ""
        text = super().format(record)
        fields = _fields(record)
        fields.pop("request_tag", None)
        if record.name == request_log.name:
            for key in _IN_REQUEST_MESSAGE:
                fields.pop(key, None)
        if fields:
            text += " " + " ".join(f"{key}={value}" for key, value in fields.items())
        return text


def _formatter(log_format: str) -> logging.Formatter:
    if log_format not in FORMATS:
        raise RuntimeError(
            f"CMS_LOG_FORMAT must be one of {', '.join(FORMATS)}, got {log_format!r}"
        )
    return JsonFormatter() if log_format == "json" else TextFormatter()


_handler = StderrHandler()


def _install_record_factory() -> None:
    """Every record, from any logger, carries the id of the request being handled."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_request_id", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = request_ids.current()
        return record

    factory.adds_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def configure(*, log_format: str = "text", level: str = "INFO") -> None:
    """Send the ``cms`` loggers to stderr in ``log_format``; safe to call again (last call wins)."""
    _install_record_factory()
    formatter = _formatter(log_format)
    logger = logging.getLogger(ROOT_LOGGER)
    _handler.setFormatter(formatter)
    # Flask adds its own handler to the app's logger ("cms") unless one is there.
    logger.removeHandler(flask_default_handler)
    if _handler not in logger.handlers:
        logger.addHandler(_handler)
    try:
        logger.setLevel(level.upper())
    except ValueError as exc:
        raise RuntimeError(f"CMS_LOG_LEVEL is not a logging level: {level!r}") from exc


def _emit(logger: logging.Logger, level: int, message: str, fields: Mapping[str, Any]) -> None:
    # makeRecord + handle: the standard path without findCaller's stack walk,
    # which costs more than the rest of a cached read.
    record = logger.makeRecord(
        logger.name, level, "(cms)", 0, message, None, None, extra={FIELDS: fields}
    )
    logger.handle(record)


def request(
    *,
    method: str,
    route: str,
    status: int,
    seconds: float,
    cache: str | None,
    client: str | None,
) -> None:
    """The line for one answered request (the request id comes from the context)."""
    if not request_log.isEnabledFor(logging.INFO):
        return
    fields: dict[str, Any] = {
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
        "client": client,
    }
    if cache is not None:
        fields["cache"] = cache
    message = f"{method} {route} {status} {fields['duration_ms']}ms"
    _emit(request_log, logging.INFO, message, fields)


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL: what may be logged of an endpoint."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def worker_event(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    """A worker event line (``event`` names it); prefer the specific functions in ``events``."""
    if worker_log.isEnabledFor(level):
        _emit(worker_log, level, event, {"event": event, **fields})
