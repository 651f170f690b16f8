"""permits service."""
