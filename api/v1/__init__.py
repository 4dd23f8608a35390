"""Version 1 of the REST API: `api.v1.app:app`, every route under /api/v1."""
