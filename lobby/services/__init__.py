"""The logic of the lobby pages; only ``flush()``, the view commits once."""
