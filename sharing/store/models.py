"""The store's tables. Filled in below; other modules register their own tables too."""
