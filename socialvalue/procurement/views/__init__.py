"""Procurement pages, one module per part of the process (each with its own urlpatterns)."""
