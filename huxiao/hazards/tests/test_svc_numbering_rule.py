"""Numbering patterns: validated when saved, and a broken one never stops a notice."""

import pytest
from django.core.exceptions import ValidationError

from huxiao.hazards.choices import DocKind
from huxiao.hazards.models import NumberingRule
from huxiao.hazards.numbering import format_number


def test_it_rejects_a_pattern_with_unknown_fields(cast):
    rule = NumberingRule(organisation=cast.pulv_police, kind=DocKind.NOTICE, pattern="{foo}第{seq}号")
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "pattern" in refused.value.message_dict


def test_it_rejects_a_pattern_without_a_sequence(cast):
    rule = NumberingRule(organisation=cast.pulv_police, kind=DocKind.NOTICE, pattern="{short}整字〔{year}〕")
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_a_broken_saved_pattern_falls_back_to_the_default(cast):
    cast.pulv_police.short_name = "蒲吕派"
    NumberingRule.objects.create(organisation=cast.pulv_police, kind=DocKind.NOTICE, pattern="{foo}")
    assert format_number(cast.pulv_police, DocKind.NOTICE, 2026, 7) == "蒲吕派整字〔2026〕第0007号"
