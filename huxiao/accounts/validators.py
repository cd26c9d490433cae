"""Password rules of GB/T 22239-2019 8.1.4.1 a) as assessors apply them: ≥ 8 characters
(Django's own validator, with its message in Chinese), 3 of 4 character classes, and not
containing the username."""

from __future__ import annotations

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and symbols the password uses (ASCII letters and
    digits; every other character — punctuation, spaces, Chinese characters — counts as a symbol)."""
    return sum(
        [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(c not in string.ascii_letters + string.digits for c in password),
        ]
    )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule. Django 5.2 changed this message's msgid and its zh-hans catalogue
    has no translation for the new one, so users were told in English; say it in Chinese."""

    def get_error_message(self):
        return f"密码太短，至少须包含{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少须包含{self.min_length}个字符。"


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类。"


class UsernameNotContainedValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "密码不能包含用户名。"
