"""Password rules (GB/T 22239-2019 8.1.4.1 a): ≥ 8 characters, 3 of 4 character classes, not
containing the username — each refused with a Chinese message."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from huxiao.accounts.models import User
from huxiao.testsupport.cast import PASSWORD


def messages_for(password, username="zhangsan"):
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        return exc.messages
    return []


def test_it_accepts_a_password_that_follows_every_rule():
    assert messages_for("Huxiao#2026") == []


def test_it_refuses_fewer_than_8_characters():
    assert "密码太短，至少须包含8个字符。" in messages_for("Hx#2026")


def test_it_refuses_fewer_than_3_character_classes():
    assert "密码须包含大写字母、小写字母、数字、符号中的至少3类。" in messages_for("huxiaoanquan2026")


def test_it_refuses_a_password_containing_the_username():
    assert "密码不能包含用户名。" in messages_for("Zhangsan#2026")


def test_it_ignores_case_when_looking_for_the_username():
    assert "密码不能包含用户名。" in messages_for("ZHANGSAN#a1", username="ZhangSan")


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Ab#1", "密码太短，至少须包含8个字符。"),
        ("abcdefgh1", "至少3类"),
        ("Police#2026x", "密码不能包含用户名。"),
    ],
)
def test_the_password_change_page_shows_the_rule_that_was_broken(cast, client, new, message):
    client.force_login(cast.police)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors["new_password1"])
    assert User.objects.get(pk=cast.police.pk).check_password(PASSWORD)


def test_every_rule_explains_itself_in_chinese():
    from django.contrib.auth.password_validation import get_default_password_validators

    for validator in get_default_password_validators():
        text = str(validator.get_help_text())
        assert any("\u4e00" <= c <= "\u9fff" for c in text), (validator, text)
