import pytest
from django.core.exceptions import ValidationError

from portal.organisations.uscc import check_character, make_uscc, validate_uscc

# Codes published on real registration certificates.
REAL_CODES = ["91350100M000100Y43"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    validate_uscc(code)


def test_lower_case_and_spaces_are_normalised():
    validate_uscc(" 91350100m000100y43 ")


def test_generated_codes_carry_their_check_character():
    code = make_uscc("52210299740000017")
    assert code[-1] == check_character(code[:17])
    validate_uscc(code)


def test_wrong_check_digit_is_refused_with_the_expected_character():
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91350100M000100Y44")
    message = exc.value.messages[0]
    assert exc.value.error_list[0].code == "uscc_check_digit"
    assert "3" in message and "4" in message


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y433", "uscc_length"),
        ("91350100MO00100Y43", "uscc_chars"),  # letter O is never used
        ("91AB0100M000100Y43", "uscc_division"),
    ],
)
def test_malformed_codes_are_refused(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert exc.value.error_list[0].code == error


def test_every_single_character_change_is_caught():
    code = "91350100M000100Y43"
    for i in range(17):
        for c in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            changed = code[:i] + c + code[i + 1 :]
            if changed == code or not changed[2:8].isdigit():
                continue
            with pytest.raises(ValidationError):
                validate_uscc(changed)
