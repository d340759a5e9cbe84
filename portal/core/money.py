"""Money: integer fen in the database, exact everywhere, shown as people read it.

One type for every amount: `MoneyField` stores fen (1/100 yuan) in a BIGINT, so sums
are exact and never pass through a float. People type yuan — "1,000", "1000.5",
"¥1000", "1000元" — and `parse_money` turns that into fen or says what is wrong.
Amounts are shown by `format_money` (the `money` template filter): ¥180,000.00 in
every language; the API carries them as exact decimal strings in yuan ("180000.00").
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

FEN_PER_YUAN = 100
# Up to a hundred billion yuan: far beyond any project, well inside a BIGINT.
MAX_FEN = 100_000_000_000 * FEN_PER_YUAN

_DECORATION = re.compile(r"^[¥￥]|元$|^RMB|^CNY|[,，\s_]", re.I)
_NUMBER = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_money(value):
    """Fen from what a person typed, or an int/Decimal amount in yuan. Raises ValidationError.

    Negative amounts and more than two decimals are refused (a refund is its own record,
    and there is no such thing as a tenth of a fen).
    """
    if isinstance(value, bool) or value is None:
        raise ValidationError(_("Enter an amount in yuan, such as 1,000 or 1000.50."), code="money")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal | float):
        text = format(Decimal(str(value)).normalize(), "f")
    else:
        text = str(value).strip()
    cleaned = text
    while True:  # "¥ 1,000.00元" → "1000.00"
        stripped = _DECORATION.sub("", cleaned)
        if stripped == cleaned:
            break
        cleaned = stripped
    if cleaned.startswith("-"):
        raise ValidationError(_("Enter an amount of zero or more."), code="money_negative")
    if not _NUMBER.match(cleaned):
        raise ValidationError(
            _("“%(value)s” is not an amount. Enter yuan, such as 1,000 or 1000.50.") % {"value": text[:40]},
            code="money",
        )
    fen = int((Decimal(cleaned) * FEN_PER_YUAN).to_integral_value(rounding=ROUND_HALF_UP))
    if fen > MAX_FEN:
        raise ValidationError(_("That amount is too large."), code="money_too_large")
    return fen


def yuan(fen):
    """An exact Decimal in yuan with two places (for the API and spreadsheets)."""
    return (Decimal(int(fen or 0)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def format_money(fen, *, symbol=True):
    """¥180,000.00 (with separators and two decimals, whatever the language)."""
    if fen is None or fen == "":
        return ""
    try:
        fen = int(fen)
    except (TypeError, ValueError, InvalidOperation):
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{'¥' if symbol else ''}{whole:,}.{cents:02d}"


# 人民币大写: how an amount is written on receipts and cheques, so that no digit can be added or changed.
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_GROUPS = ["", "万", "亿", "万亿"]


def _capital_group(number):
    """1..9999 in capitals, without a leading 零: 壹仟零伍, 壹拾贰 (a cheque writes the 壹 of 壹拾)."""
    out, zero, started = "", False, False
    digits = (number // 1000, number // 100 % 10, number // 10 % 10, number % 10)
    for digit, unit in zip(digits, "仟佰拾 ", strict=True):
        if digit == 0:
            zero = zero or started
            continue
        if zero:
            out += "零"
            zero = False
        out += _CAPITAL_DIGITS[digit] + unit.strip()
        started = True
    return out


def capital_numerals(fen):
    """An amount in fen written in Chinese capital numerals: 136070000 → 壹佰叁拾陆万零柒佰元整."""
    fen = int(fen)
    if fen < 0:
        raise ValueError("a negative amount has no capital form")
    whole, rest = divmod(fen, FEN_PER_YUAN)
    jiao, cents = divmod(rest, 10)
    groups = []
    while whole:
        whole, group = divmod(whole, 10_000)
        groups.append(group)
    written, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = bool(written)
            continue
        if written and (gap or group < 1000):
            written += "零"
        written += _capital_group(group) + _CAPITAL_GROUPS[index]
        gap = False
    if not written and not rest:
        return "零元整"
    text = written + "元" if written else ""
    if not rest:
        return text + "整"
    if jiao:
        text += _CAPITAL_DIGITS[jiao] + "角"
    elif written:
        text += "零"
    if cents:
        text += _CAPITAL_DIGITS[cents] + "分"
    return text


class MoneyField(models.BigIntegerField):
    """An amount of money in fen (1/100 yuan)."""

    description = _("Amount in fen")

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})


class MoneyInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format(yuan(value), "f")
        return super().format_value(value)


class MoneyFormField(forms.Field):
    """Yuan as people type them in, fen out."""

    widget = MoneyInput

    def __init__(self, *, min_fen=None, max_fen=None, **kwargs):
        for key in ("max_value", "min_value", "step_size"):  # BigIntegerField's number bounds: not ours
            kwargs.pop(key, None)
        super().__init__(**kwargs)
        self.min_fen, self.max_fen = min_fen, max_fen

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_money(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and self.min_fen is not None and value < self.min_fen:
            raise ValidationError(
                _("Enter at least %(amount)s.") % {"amount": format_money(self.min_fen)}, code="money_min"
            )
        if value is not None and self.max_fen is not None and value > self.max_fen:
            raise ValidationError(
                _("Enter at most %(amount)s.") % {"amount": format_money(self.max_fen)}, code="money_max"
            )


class MoneySerializerField(serializers.Field):
    """Yuan in the API: read as an exact decimal string ("180000.00"), written as a string or a number."""

    default_error_messages = {"invalid": _("Enter an amount in yuan, such as 1000.50.")}

    def __init__(self, *, min_fen=None, **kwargs):
        for key in ("max_value", "min_value"):  # a model's BIGINT bounds, passed by ModelSerializer: not ours
            kwargs.pop(key, None)
        super().__init__(**kwargs)
        self.min_fen = min_fen

    def to_representation(self, fen):
        return format(yuan(fen), "f")

    def to_internal_value(self, data):
        if not isinstance(data, str | int | float | Decimal) or isinstance(data, bool):
            self.fail("invalid")
        try:
            fen = parse_money(data)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        if self.min_fen is not None and fen < self.min_fen:
            raise serializers.ValidationError(_("Enter at least %(amount)s.") % {"amount": format_money(self.min_fen)})
        return fen


try:  # the schema says what the field really is: a decimal string in yuan
    from drf_spectacular.extensions import OpenApiSerializerFieldExtension

    class MoneySerializerFieldSchema(OpenApiSerializerFieldExtension):
        target_class = MoneySerializerField

        def map_serializer_field(self, auto_schema, direction):
            schema = {
                "type": "string",
                "pattern": r"^\d+\.\d{2}$" if direction == "response" else None,
                "example": "180000.00",
                "description": "Amount in yuan, exact to the fen.",
            }
            if direction == "request":
                schema = {
                    "oneOf": [{"type": "string", "example": "1,000.50"}, {"type": "number", "minimum": 0}],
                    "description": "Amount in yuan: 1000, 1,000.50 or ¥1000.",
                }
            return {k: v for k, v in schema.items() if v is not None}
except ImportError:  # pragma: no cover
    pass
