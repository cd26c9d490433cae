"""Scope is one mechanism (DESIGN §4.1, the architecture issue): the user's grants are read only
by the kernel (`accounts/scope.py`), and no view, form or template tag computes a user's regions
or units by hand — they call `visible_to`, an `access_*` function, or the kernel's querysets.

The check reads the code, not its comments or strings, and names the file, line and token, so a
hand-written scope fails the day it is written."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # huxiao/
KERNEL = ROOT / "accounts" / "scope.py"

# Reading grants: nobody but the kernel.
GRANTS = re.compile(r"\.grants\b|\bgrants_with\b|\.region_paths\b|\bGrant\(")
# Computing scope: not in a view, a form or a template tag (they ask the kernel instead).
BY_HAND = re.compile(
    r"\.grants\b|\bgrants_with\b|\bregion_paths\b|\.paths\(|\.org_ids\(|\bacting_orgs\(|\.covers\("
    r"|\bregion_scope_q\(|\bschool_scope_q\(|path\.startswith\(|path__startswith"
)


def code_lines(source: str) -> dict[int, str]:
    """The source's code by line number, with comments and string literals blanked out."""
    kept: dict[int, list[str]] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.STRING) or tok.type == getattr(
            tokenize, "FSTRING_MIDDLE", -1
        ):
            continue
        kept.setdefault(tok.start[0], []).append(tok.string)
    return {n: " ".join(parts) for n, parts in kept.items()}


def offences(source: str, pattern: re.Pattern) -> list[tuple[int, str]]:
    # tokens are joined with spaces; compare without them so `g . grants` reads `g.grants`
    return [
        (n, m.group(0))
        for n, line in code_lines(source).items()
        for m in [pattern.search(line.replace(" ", ""))]
        if m
    ]


def app_code() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts and p.parts[-2] != "testsupport"
    ]


def is_view_or_form(path: Path) -> bool:
    name = path.name
    return (
        name in ("views.py", "forms.py")
        or name.endswith(("_views.py", "_forms.py"))
        or "templatetags" in path.parts
    )


def test_only_the_kernel_reads_grants():
    found = [
        f"{p.relative_to(ROOT.parent)}:{n}: {token}"
        for p in app_code()
        if p != KERNEL
        for n, token in offences(p.read_text(), GRANTS)
    ]
    assert not found, "grants read outside accounts/scope.py:\n" + "\n".join(found)


def test_no_view_form_or_template_tag_computes_scope():
    found = [
        f"{p.relative_to(ROOT.parent)}:{n}: {token}"
        for p in app_code()
        if is_view_or_form(p)
        for n, token in offences(p.read_text(), BY_HAND)
    ]
    assert not found, "scope computed by hand (use visible_to, access_*, or accounts.scope):\n" + "\n".join(
        found
    )


@pytest.mark.parametrize(
    "written",
    [
        "paths = {p for g in scope_of(request.user).grants_with(Cap.SCHOOL_VIEW) for p in g.region_paths}",
        "if region.path.startswith(p):",
        "schools = School.objects.filter(region__path__startswith=path)",
        "ids = scope_of(user).org_ids(Cap.NOTICE_ISSUE)",
        "q = school_scope_q(request.user, prefix='hazard__school__')",
    ],
)
def test_the_check_catches_a_hand_written_scope(written):
    assert offences(f"def view(request):\n    {written}\n", BY_HAND)


def test_the_check_ignores_comments_and_strings_and_allows_capability_questions():
    source = (
        "def view(request):\n"
        "    # not region.path.startswith(p) by hand\n"
        "    '''grants_with is the kernel's'''\n"
        "    can = scope_of(request.user).has(Cap.SCHOOL_EXPORT)\n"
        "    regions = scope_of(request.user).has_regions(Cap.DUTY_MANAGE)\n"
        "    schools = School.objects.visible_to(request.user).within(region)\n"
    )
    assert offences(source, BY_HAND) == []
