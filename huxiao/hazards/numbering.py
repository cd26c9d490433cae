"""Gapless document numbers per organisation, kind and year, allocated without races.

The counter row is locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises writers
with IMMEDIATE transactions) inside the caller's transaction, so two officers issuing at the
same moment get consecutive numbers, and a rolled-back issue gives its number back.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from huxiao.core.models import Organisation
from huxiao.hazards.choices import DocKind
from huxiao.hazards.models import DocumentCounter, NumberingRule

logger = logging.getLogger(__name__)

DEFAULT_PATTERNS = {
    DocKind.NOTICE: "{short}整字〔{year}〕第{seq:04d}号",
    DocKind.SUPERVISION: "{short}督字〔{year}〕第{seq:04d}号",
    DocKind.INTERVIEW: "{short}约谈〔{year}〕第{seq:04d}号",
    DocKind.LISTING: "{short}挂牌〔{year}〕第{seq:04d}号",
    DocKind.CIRCULAR: "{short}通报〔{year}〕第{seq:04d}号",
}


def format_number(organisation: Organisation, kind: str, year: int, seq: int) -> str:
    """Render a number with the organisation's rule (or the default for the kind)."""
    rule = NumberingRule.objects.filter(organisation=organisation, kind=kind).first()
    default = DEFAULT_PATTERNS[DocKind(kind)]
    values = {"short": organisation.short_name or organisation.name, "year": year, "seq": seq}
    try:
        return (rule.pattern if rule else default).format(**values)
    except (KeyError, ValueError, IndexError):
        # A pattern saved past its validation (e.g. straight into the database) must not stop
        # an officer issuing a notice: number it with the default pattern and say so in the log.
        logger.error("numbering rule %s is invalid; used the default pattern", rule.pk if rule else None)
        return default.format(**values)


def allocate(organisation: Organisation, kind: str, year: int) -> tuple[int, str]:
    """Next (seq, number) for this organisation, kind and year. Call inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the issuing transaction")
    counter = (
        DocumentCounter.objects.select_for_update()
        .filter(organisation=organisation, kind=kind, year=year)
        .first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(organisation=organisation, kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # another issuer created it first; lock theirs
        counter = DocumentCounter.objects.select_for_update().get(
            organisation=organisation, kind=kind, year=year
        )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, format_number(organisation, kind, year, counter.last)
