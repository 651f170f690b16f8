"""The messages people read when a request is refused: one catalogue, Bahasa Indonesia first."""
INVALID_DATA = "Data tidak valid / Invalid data"
