"""Ranked full-text search over published articles.

One service interface (``cms.search.service``) in front of one backend per
database: FTS5 on SQLite (``sqlite``), ``tsvector`` and a GIN index on
PostgreSQL (``postgresql``). The index is written in the publish transaction
from the public snapshot, so it never holds a draft.
"""
