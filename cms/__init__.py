"""Structured-content REST CMS backend for health articles."""
