"""Find: the query language, the Whoosh index derived from the store, search."""
