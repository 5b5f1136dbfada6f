"""The syncs app's API: force-sync, sync history and auth checks (`syncs`), the HRIS read
endpoints (`hris`)."""
