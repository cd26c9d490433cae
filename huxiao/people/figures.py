"""The 统计表 columns of the two registers (research/regulations.md §3, items 16–17), computed from
the records — counts only, never a name — replacing the hand-typed ※ columns.

A key person or a dispute counts for a set of schools when it is linked to one of them (涉校: the
person lives near the school, or the officer linked him; the dispute concerns it), once however
many of the set's schools it is linked to — so these columns are computed per set (a roll-up row
asks for its own set), not summed per school. The period is [start, end]; "at month end" is the
state at the end of `end`.

* 在册 `pp_kp_listed`: listed on or before the end and not de-listed by then; by the 统计表's groups
  `pp_kp_mental` 肇事肇祸精神障碍, `pp_kp_drug` 吸毒, `pp_kp_released` 刑满释放/社区矫正,
  `pp_kp_petition` 涉校信访, `pp_kp_other` 其他 (each category belongs to one group).
* 本月新增 `pp_kp_new` / 本月撤销 `pp_kp_delisted`: listed / de-listed in the period.
* 走访核查 `pp_kp_visits`: visits in the period.
* 失控 `pp_kp_lost`: whose last change of standing up to the end was 失控.
* 矛盾纠纷 排查 `pp_disputes_found` (found in the period), 化解 `pp_disputes_resolved` (resolved in
  the period), 在调 `pp_disputes_pending` (found by the end and not closed by then), 其中扬言报复
  `pp_disputes_threat` (of those found in the period, the ones flagged 扬言报复 — by the time the
  report is made, as a threat may be flagged days after the dispute is found).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from huxiao.core.registry import SECTION_B, Column
from huxiao.people.choices import EventKind, Outcome, StatGroup
from huxiao.people.models import Dispute, KeyPerson, PersonEvent, Visit

COLUMNS = [
    Column("pp_disputes_found", "涉校矛盾纠纷排查数", SECTION_B, 160, "起", for_schools=False),
    Column("pp_disputes_resolved", "涉校矛盾纠纷化解数", SECTION_B, 161, "起", for_schools=False),
    Column("pp_disputes_pending", "涉校矛盾纠纷在调数", SECTION_B, 162, "起", for_schools=False),
    Column("pp_disputes_threat", "其中扬言报复数", SECTION_B, 163, "起", for_schools=False),
    Column("pp_kp_listed", "涉校重点人员在册数", SECTION_B, 170, "人", for_schools=False),
    Column("pp_kp_mental", "涉校重点人员：肇事肇祸精神障碍", SECTION_B, 171, "人", for_schools=False),
    Column("pp_kp_drug", "涉校重点人员：吸毒", SECTION_B, 172, "人", for_schools=False),
    Column("pp_kp_released", "涉校重点人员：刑满释放/社区矫正", SECTION_B, 173, "人", for_schools=False),
    Column("pp_kp_petition", "涉校重点人员：涉校信访", SECTION_B, 174, "人", for_schools=False),
    Column("pp_kp_other", "涉校重点人员：其他", SECTION_B, 175, "人", for_schools=False),
    Column("pp_kp_new", "涉校重点人员本月新增", SECTION_B, 176, "人", for_schools=False),
    Column("pp_kp_delisted", "涉校重点人员本月撤销", SECTION_B, 177, "人", for_schools=False),
    Column("pp_kp_visits", "重点人员走访核查数", SECTION_B, 178, "次", for_schools=False),
    Column("pp_kp_lost", "重点人员失控数", SECTION_B, 179, "人", for_schools=False),
]

STANDING = (EventKind.LISTED, EventKind.LOST, EventKind.FOUND, EventKind.DELISTED)


def provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """Every column over the set of schools for [start, end] (five queries)."""
    end_at = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    linked = KeyPerson.objects.filter(
        pk__in=KeyPerson.objects.filter(school_links__school__in=schools).values("pk")
    )
    on_roll = Q(listed_on__lte=end) & (Q(delisted_on__isnull=True) | Q(delisted_on__gt=end))
    groups = {
        f"pp_kp_{g}": Count("pk", filter=on_roll & Q(category__stat_group=g), distinct=True)
        for g in StatGroup.values
    }
    persons = linked.aggregate(
        pp_kp_listed=Count("pk", filter=on_roll, distinct=True),
        pp_kp_new=Count("pk", filter=Q(listed_on__range=(start, end)), distinct=True),
        pp_kp_delisted=Count("pk", filter=Q(delisted_on__range=(start, end)), distinct=True),
        **groups,
    )
    last_standing = (
        PersonEvent.objects.filter(person=OuterRef("pk"), kind__in=STANDING, at__lt=end_at)
        .order_by("-at", "-pk")
        .values("kind")[:1]
    )
    lost = linked.annotate(standing=Subquery(last_standing)).filter(standing=EventKind.LOST).count()
    visits = Visit.objects.filter(person__in=linked, visited_on__range=(start, end)).count()
    concerned = Dispute.objects.filter(pk__in=Dispute.objects.filter(schools__in=schools).values("pk"))
    disputes = concerned.aggregate(
        pp_disputes_found=Count("pk", filter=Q(found_on__range=(start, end))),
        pp_disputes_resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED, closed_on__range=(start, end))),
        pp_disputes_pending=Count(
            "pk", filter=Q(found_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        ),
        pp_disputes_threat=Count("pk", filter=Q(found_on__range=(start, end), threat=True)),
    )
    values = {**persons, **disputes, "pp_kp_lost": lost, "pp_kp_visits": visits}
    return {k: int(v or 0) for k, v in values.items()}
