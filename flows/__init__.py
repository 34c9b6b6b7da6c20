"""Prefect flows: orchestration only. Every task is a thin call into `sharing`."""
