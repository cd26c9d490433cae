"""Next year's campaign, copied from this one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from huxiao.campaigns.choices import CampaignStatus, TaskSource
from huxiao.campaigns.dates import shift_years
from huxiao.campaigns.models import Campaign, GroupMember, Participant, Phase, PlanText, Task
from huxiao.campaigns.services._common import _audit, _check_manage
from huxiao.core import audit

# --- Next year's campaign -------------------------------------------------------------------


def _next_name(name: str, year: int) -> str:
    return name.replace(str(year), str(year + 1)) if str(year) in name else f"{name}（{year + 1}年）"


@transaction.atomic
def campaign_copy_next_year(*, acting_user, campaign: Campaign) -> Campaign:
    """Next year's campaign from this one: every date one year later (29 February → 28
    February, see `dates.shift_years`), the plan (phases and gates, leading group, office,
    units and duties, measures, plan tasks) copied; evidence, meetings, alerts and circulars
    are not. The copy starts as 筹备中 without a document number."""
    _check_manage(acting_user, campaign)
    src = Campaign.objects.select_related("region").get(pk=campaign.pk)
    name = _next_name(src.name, src.year)
    if Campaign.objects.filter(region=src.region, name=name).exists():
        raise ValidationError({"name": f"“{name}”已存在，不能重复生成。"})
    new = Campaign.objects.create(
        name=name,
        year=src.year + 1,
        region=src.region,
        status=CampaignStatus.DRAFT,
        issuer=src.issuer,
        document_number="",
        issued_on=None,
        goals=src.goals,
        office_name=src.office_name,
        office_org=src.office_org,
        office_duty=src.office_duty,
        schools_duty=src.schools_duty,
        start_date=shift_years(src.start_date),
        end_date=shift_years(src.end_date),
        monthly_due_day=src.monthly_due_day,
        monthly_report_content=src.monthly_report_content,
        summary_due=shift_years(src.summary_due) if src.summary_due else None,
        summary_recipient=src.summary_recipient,
        copied_from=src,
        created_by=acting_user,
    )
    phase_map: dict[int, Phase] = {}
    for p in src.phases.order_by("order", "pk"):
        phase_map[p.pk] = Phase.objects.create(
            campaign=new,
            order=p.order,
            name=p.name,
            start=shift_years(p.start),
            end=shift_years(p.end),
            start_label=p.start_label,
            description=p.description,
            gates=p.gates,
        )
    GroupMember.objects.bulk_create(
        GroupMember(
            campaign=new,
            role=m.role,
            person_name=m.person_name,
            title=m.title,
            organisation_id=m.organisation_id,
            user_id=m.user_id,
            order=m.order,
        )
        for m in src.group.all()
    )
    Participant.objects.bulk_create(
        Participant(
            campaign=new,
            organisation_id=p.organisation_id,
            duty=p.duty,
            reports_monthly=p.reports_monthly,
            order=p.order,
        )
        for p in src.participants.all()
    )
    PlanText.objects.bulk_create(
        PlanText(campaign=new, kind=t.kind, order=t.order, title=t.title, body=t.body)
        for t in src.texts.all()
    )
    Task.objects.bulk_create(
        Task(
            campaign=new,
            phase=phase_map.get(t.phase_id) if t.phase_id else None,
            source=t.source,
            title=t.title,
            description=t.description,
            organisation_id=t.organisation_id,
            due=shift_years(t.due),
            order=t.order,
        )
        for t in src.tasks.filter(source=TaskSource.PLAN)
    )
    _audit(
        acting_user,
        "campaign.copy_next_year",
        new,
        new,
        after={**audit.snapshot(new), "copied_from": src.pk},
    )
    return new
