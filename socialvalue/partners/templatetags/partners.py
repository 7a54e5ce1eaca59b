"""``{% load partners %}{% partners_for_measure measure.code as partners %}``: the published
partner organisations that help deliver a measure, for the framework's measure page."""

from django import template

from socialvalue.partners.models import PartnerProfile
from socialvalue.partners.selectors import partner_profiles_for_measure

register = template.Library()


@register.simple_tag
def partners_for_measure(code: str) -> list[PartnerProfile]:
    return list(partner_profiles_for_measure(code)) if code else []
