"""Understand: stored items → entities, axes, topics, references, near-duplicates."""
