"""notifications service: tells citizens (and agency systems) what happened, exactly once.

Layers (entrypoints stay thin; everything below ``service.py``/``store.py`` is pure or talks
only to the outside world a citizen's phone stands for):

- ``templates``: Jinja2 templates per event, channel and language (id, en), versioned.
- ``preferences``: contact points, channel order, opt-outs, quiet hours -> ``plan_delivery``.
- ``lifecycle``: statuses and transitions, retry tiers (TTL queues), failover, dedup keys,
  expiry tied to the ticket's/booking's state.
- ``simulator``: reserved test-mode numbers and addresses for every outcome.
- ``channels``: ``send(message, config) -> SendResult`` for whatsapp, sms, email, webhook.
- ``schemas``: the public contract (marshmallow).
"""
