"""The JSON API under /api/v1 (bearer tokens; see docs/api.md and openapi.py)."""
