"""The network memory: partners (organisations, the municipality included), people,
their links, and contact moments with follow-ups."""
