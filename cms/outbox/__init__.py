"""The transactional outbox: events written in the transaction of a change, delivered later."""
