"""What the delivery cache reads, per request, to know whether public content changed."""

from __future__ import annotations

import orjson

from cms.db import Database

GENERATION_SQL = "SELECT generation FROM delivery_state WHERE id = 1"
CHANGES_SQL = (
    "SELECT generation, keys FROM delivery_changes WHERE generation > ? ORDER BY generation"
)


class DatabaseFreshness:
    """The delivery generation, and the keys changes touched, read on the probe connection."""

    def __init__(self, database: Database):
        self._probe = database.probe()

    def generation(self) -> int:
        return int(self._probe.rows(GENERATION_SQL)[0][0])

    def changes_since(self, generation: int) -> set[str] | None:
        """The surrogate keys touched after ``generation``; None if the log has a gap
        there (it was pruned), and the cache must start afresh."""
        rows = self._probe.rows(CHANGES_SQL, (generation,))
        if not rows or int(rows[0][0]) != generation + 1:
            return None
        changed: set[str] = set()
        for _generation, row_keys in rows:
            changed.update(
                orjson.loads(row_keys) if isinstance(row_keys, str | bytes) else row_keys
            )
        return changed
