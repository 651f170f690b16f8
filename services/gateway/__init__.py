"""The gateway: the only thing web clients and agency systems talk to."""
