"""API tokens and roles for the management API."""
