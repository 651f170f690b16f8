"""The services behind the gateway: asked for readiness and for their metrics."""
SERVICES = ("ticketing", "permits", "notifications", "feedback", "standards")
