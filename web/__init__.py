"""The Django project: settings, URLs, the HTTP API and the pages."""
