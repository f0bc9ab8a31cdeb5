"""Ingesting legacy web articles: plain text or Markdown in, a draft document and a report out.

``ingest(text, today=...)`` returns an ``IngestResult`` (draft, findings, mapping);
``to_yaml(document)`` renders the draft as a fixture file for editors to finish.
"""

from cms.ingest.fixture import to_yaml
from cms.ingest.service import IngestResult, ingest

__all__ = ["IngestResult", "ingest", "to_yaml"]
