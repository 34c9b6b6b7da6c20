"""The hub's store: SQLModel tables on SQLite (default) or PostgreSQL."""
