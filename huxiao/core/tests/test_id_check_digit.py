"""The 身份证号 check digit (`core.validation.id_check_digit`), pinned to the two sample numbers
printed in GB 11643-1999 — the registers, their demos and their test builders all compute it with
this one function, so it is checked here against numbers that do not come from it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from huxiao.core.validation import check_id_number, id_check_digit


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_it_gives_the_check_digit_of_the_standards_samples(number):
    assert id_check_digit(number[:17]) == number[17]
    assert check_id_number(number) == number


def test_it_refuses_a_number_whose_last_digit_is_not_the_check_digit():
    with pytest.raises(ValidationError, match="校验位不正确"):
        check_id_number("110105194912310021")
