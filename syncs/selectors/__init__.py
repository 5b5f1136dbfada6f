"""Reads of the syncs domain: sync runs and auth checks (`syncs`), unified HRIS data (`hris`)."""
