"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without
I, O, Z, S, V). The last is a check character: weights 3^i mod 31 over the
first 17, check = 31 - (sum mod 31), with 31 written as 0.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
VALUE = {c: i for i, c in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def validate_uscc(value: str) -> None:
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="uscc_length",
            params={"n": len(code)},
        )
    bad = sorted({c for c in code if c not in VALUE})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain %(chars)s (letters I, O, Z, S and V are never used)."),
            code="uscc_chars",
            params={"chars": "、".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of a unified social credit code are the administrative division code (digits)."),
            code="uscc_division",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check digit of this unified social credit code is wrong: the last character "
                "should be %(expected)s, not %(given)s. Please check the code on the registration certificate."
            ),
            code="uscc_check_digit",
            params={"expected": expected, "given": code[17]},
        )


def make_uscc(first17: str) -> str:
    """Complete a 17-character prefix with its check character (for demo data and tests)."""
    return first17 + check_character(first17)
