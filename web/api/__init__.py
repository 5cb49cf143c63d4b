"""The HTTP API, versioned under /api/v1/: one module per resource."""
