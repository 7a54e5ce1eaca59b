"""Tender and bid endpoints, scoped by the caller's organisation and role."""

from ninja import Router

router = Router(tags=["tenders"])
