"""Signed webhooks (Standard Webhooks), delivered from the outbox by ``cms worker``."""
