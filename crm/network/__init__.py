"""Partners, people, contact moments and follow-ups: the network memory of the library.

``register(registry)`` announces the network pages; the core's ``register`` calls it.
"""
