"""Money: fen in the database, yuan as people type and read them, nowhere a float."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from portal.core.money import MoneyFormField, MoneySerializerField, format_money, parse_money

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("1000", 100000),
        ("1,000", 100000),
        ("1000.5", 100050),
        ("1000.50", 100050),
        ("¥1000", 100000),
        ("￥1,000.00", 100000),
        ("1000元", 100000),
        (" 180,000.00 ", 18000000),
        ("0.01", 1),
        ("0", 0),
        (1000, 100000),
        (Decimal("12.34"), 1234),
        (12.5, 1250),
    ],
)
def test_what_people_type_becomes_fen(typed, fen):
    assert parse_money(typed) == fen


@pytest.mark.parametrize("typed", ["", "abc", "1.234", "-5", "1,0,0.0.1", "1e5", "¥", "NaN", None, True, "１０００x"])
def test_anything_else_is_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as error:
        parse_money(typed)
    assert error.value.messages[0]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_amounts_read_the_same_in_both_languages(language):
    with translation.override(language):
        assert format_money(18000000) == "¥180,000.00"
        assert format_money(5) == "¥0.05"
        assert format_money(-1250) == "-¥12.50"
        assert Template("{{ x|money }}").render(Context({"x": 123456789})) == "¥1,234,567.89"


def test_forms_and_the_api_parse_the_same_way():
    assert MoneyFormField(min_fen=1).clean("¥1,000.5") == 100050
    with pytest.raises(ValidationError):
        MoneyFormField(min_fen=1).clean("0")
    field = MoneySerializerField()
    assert field.to_internal_value("1,000") == 100000
    assert field.to_representation(100050) == "1000.50"


def test_no_template_formats_money_by_hand():
    offenders = []
    for path in ROOT.glob("*/**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"[¥￥]\s*\{\{|floatformat|\|\s*intcomma\s*\}\}\s*元", line) and "money" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert offenders == []
