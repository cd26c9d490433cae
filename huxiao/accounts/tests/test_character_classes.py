"""Property tests for the 3-of-4 character classes rule (`character_classes`,
`CharacterClassesValidator`)."""

import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from huxiao.accounts.validators import CharacterClassesValidator, character_classes

ASCII_CLASSES = [string.ascii_lowercase, string.ascii_uppercase, string.digits, string.punctuation + " "]
ascii_passwords = st.text(alphabet=string.printable.strip("\t\n\r\x0b\x0c") + " ")


def oracle(password: str) -> int:
    """The classes an ASCII password uses, counted the obvious way."""
    return sum(any(c in cls for c in password) for cls in ASCII_CLASSES)


@given(st.text())
def test_it_counts_between_zero_and_four_classes(password):
    assert 0 <= character_classes(password) <= 4


@given(ascii_passwords)
def test_it_matches_the_obvious_count_for_ascii(password):
    assert character_classes(password) == oracle(password)


@given(st.text(), st.text())
def test_more_characters_never_lose_a_class(a, b):
    both = character_classes(a + b)
    assert (
        max(character_classes(a), character_classes(b)) <= both <= character_classes(a) + character_classes(b)
    )


@given(st.text())
def test_order_and_repetition_do_not_matter(password):
    n = character_classes(password)
    assert character_classes(password[::-1]) == n
    assert character_classes("".join(sorted(password))) == n
    assert character_classes(password * 3) == n


@given(ascii_passwords, st.sampled_from(range(4)))
def test_a_character_of_a_missing_class_adds_exactly_one(password, index):
    cls = ASCII_CLASSES[index]
    if any(c in cls for c in password):
        return
    assert character_classes(password + cls[0]) == character_classes(password) + 1


@given(st.text(), st.integers(min_value=1, max_value=4))
def test_the_validator_refuses_exactly_the_passwords_below_the_minimum(password, minimum):
    validator = CharacterClassesValidator(min_classes=minimum)
    if character_classes(password) >= minimum:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as refused:
            validator.validate(password)
        assert refused.value.messages == [f"密码须包含大写字母、小写字母、数字、符号中的至少{minimum}类。"]


@pytest.mark.parametrize(
    ("password", "classes"),
    [("", 0), ("abcdefgh", 1), ("abcdEFGH", 2), ("abcdEF12", 3), ("abEF12#!", 4), ("ab cd 12", 3)],
)
def test_some_examples(password, classes):
    assert character_classes(password) == classes


def test_chinese_characters_count_as_symbols():
    from huxiao.accounts.validators import character_classes

    assert character_classes("密码abc12") == 3  # lower, digit, and the Chinese characters as "other"
    assert character_classes("abcdefgh") == 1
