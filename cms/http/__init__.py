"""The HTTP layer's cross-cutting concerns, each in its own module.

- ``api``: the project's flask-smorest ``Api`` and ``Blueprint`` (strict query strings,
  auth and ETag documentation);
- ``problems``: every error is ``application/problem+json`` (RFC 9457);
- ``sessions``: one SQLAlchemy session per request; writes commit in one place;
- ``auth``: bearer tokens and role checks;
- ``conditional``: ETags, If-None-Match, If-Match and public cache headers.
"""
