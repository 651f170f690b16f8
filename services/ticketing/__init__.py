"""Ticketing: the MPP's queues, counters and bookings (pure rules in the small modules here)."""
