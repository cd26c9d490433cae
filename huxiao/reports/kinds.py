"""The Word documents the platform renders, registered by the apps that make them (in their
AppConfig.ready()): a code, its Chinese name and a sample context — every field a template may
use, with plausible values. The built-in template is `docx_templates/<code>.docx`; an
administrator may upload a replacement (`DocumentTemplate.kind` stores the code), which must
render the sample before it is accepted. A new document needs no change in this app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huxiao.core.kinds import Registry

TYPES = Registry("文书类型", max_length=20)
_SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {}


def register_document(code: str, label: str, *, sample: Callable[[], dict[str, Any]]) -> str:
    TYPES.register(code, label)
    _SAMPLES[code] = sample
    return code


def sample_context(code: str) -> dict[str, Any]:
    """The sample context of a registered document (ValidationError for an unknown code)."""
    TYPES.validate(code)
    return _SAMPLES[code]()
