"""The store's schema revisions (alembic): env.py and versions/, run by sharing.store.schema.

docs/schema-migrations.md says how to write a new revision.
"""
