"""Form, list and API-schema defects (issue #11): double submits, bounds, local time, schema, uploads."""
