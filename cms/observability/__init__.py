"""Operating the product: request ids, structured logs, Prometheus metrics, readiness.

- ``request_ids``: accept or make the ``X-Request-ID`` of a request;
- ``wsgi``: the outermost middleware that stamps it on every response, logs one
  line per request and counts it;
- ``logs``: log configuration (JSON or text) and the worker's event log API;
- ``metrics``: every metric the product exports and one function per event;
- ``database``: engine instrumentation (errors, connection pool waits);
- ``outbox``: the undelivered-events backlog, for metrics and readiness;
- ``readiness``: the checks behind ``/readyz``;
- ``views``: ``GET /metrics`` and its access rule; ``setup``: wiring into the app.

Nothing here imports a domain package: services call the small recording
functions in ``metrics`` and ``logs`` and stay free of Flask.
"""
