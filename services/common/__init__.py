"""Shared building blocks: config, Mongo provider, events, errors, clock."""
