"""Audit tables (append-only)."""
