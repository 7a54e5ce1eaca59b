"""Contracts come from awarded tenders: reuse the procurement fixtures."""

from socialvalue.procurement.tests.conftest import make_bid, make_tender, panel

__all__ = ["make_bid", "make_tender", "panel"]
