"""HTTP adapter: JSON API for the field app, public pages."""
