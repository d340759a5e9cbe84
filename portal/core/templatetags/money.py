"""`{{ amount|money }}`: the one way a template shows an amount (fen) — ¥180,000.00."""

from django import template

from portal.core.money import format_money

register = template.Library()


@register.filter
def money(fen):
    return format_money(fen)
