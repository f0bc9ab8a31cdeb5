"""The one home of every change of public state.

Publishing a revision (first or new), unpublishing, the trash and restoring from
it, archiving, the emergency withdrawal, scheduled publication and expiry: each
is a verb of ``cms.publishing.service``, and each does, in the transaction of the
change, everything that follows from it — the public snapshot (``cms.delivery``),
the search index, the change log that mobile apps sync from, the outbox events
for webhooks and CDN purges, and the delivery generation that tells every
process's response cache what changed. Nothing else writes those.
"""
