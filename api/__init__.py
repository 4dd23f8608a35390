"""The AirBnB clone's REST API (versioned packages below: api.v1)."""
