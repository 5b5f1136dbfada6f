"""Fake vendor APIs served over real HTTP on loopback ports: see `server` for how."""
