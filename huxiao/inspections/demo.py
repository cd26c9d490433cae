"""Demo data of the inspections app, loaded by `huxiao.demo.loader` after the district, schools,
accounts and hazards exist. Idempotent: a second run creates nothing.

* the eight seed checklists;
* submitted inspections this semester, so the frequency page shows schools at the rule
  (蒲吕明德小学: two supervision inspections and two self-inspections) and below it;
* a 联合检查 of 蒲吕致远实验学校 by 平安办 and 派出所, signed by 平安办, awaiting 派出所;
* the semester's inspection plan of 蒲吕街道平安办, one entry done, one due in 2 days;
* a draft 核查 of 蒲吕青松中学 (校园三防) assigned to the police officer `minjing`, verifying
  the school's own 自查 — the path of issue 4's "Done when": he answers it on his phone.

Every record goes through the services; an inspection is recognised by school, kind, date,
checklist and creator, so reloading adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from huxiao.core.semesters import current_or_last
from huxiao.inspections import plans, services
from huxiao.inspections.choices import AnswerType, Kind, Result
from huxiao.inspections.models import ChecklistTemplate, Inspection, InspectionPlan, PlanEntry
from huxiao.inspections.seeds import seed_checklists

# key, school, kind, creator, template, days after semester start, failed items {no: note}, partners
SPECS = [
    ("mingde-spot", "蒲吕明德小学", Kind.SPOT, "pinganban", "校园三防", 18, {}, []),
    ("mingde-verify", "蒲吕明德小学", Kind.VERIFY, "xuequ", "消防安全", 40, {}, []),
    ("mingde-self-1", "蒲吕明德小学", Kind.SELF, "mingde", "校园三防", 8, {}, []),
    ("mingde-self-2", "蒲吕明德小学", Kind.SELF, "mingde", "消防安全", 30, {}, []),
    (
        "qingsong-self",
        "蒲吕青松中学",
        Kind.SELF,
        "anquan",
        "校园三防",
        20,
        {4: "两名保安员的安全叉缺失，防刺背心只有一件。"},
        [],
    ),
    (
        "shilong-spot",
        "蒲吕石龙村小学",
        Kind.SPOT,
        "pinganban",
        "校园三防",
        25,
        {9: "后山一侧围墙最低处实测1.6米，墙外有土坡可攀爬。"},
        [],
    ),
    ("zhiyuan-spot", "蒲吕致远实验学校", Kind.SPOT, "xuequ", "食品安全", 35, {}, []),
    ("zhiyuan-joint", "蒲吕致远实验学校", Kind.JOINT, "pinganban", "校园三防", 50, {}, ["蒲吕派出所"]),
    ("binhe-spot-1", "巴川滨河小学", Kind.SPOT, "bachuan", "校园三防", 15, {}, []),
    ("binhe-spot-2", "巴川滨河小学", Kind.SPOT, "bachuan", "周边环境", 45, {}, []),
]
FAIL_VALUES = {"围墙或其他实体屏障最低处高度": Decimal("1.60")}


def _day(start: dt.date, offset: int, today: dt.date) -> dt.date:
    return min(start + dt.timedelta(days=offset), today)


def _answer_all(ctx, inspection: Inspection, user, failed: dict[int, str], seed: int) -> None:
    """Answer every item: pass (numbers at or above the minimum) except the `failed` ones,
    which get the note and, where the item asks for it, a photo."""
    for item in services.numbered_items(inspection.checklist):
        note = failed.get(item.no, "")  # type: ignore[attr-defined]
        kwargs: dict = {"note": note}
        if item.answer_type == AnswerType.PASS_FAIL:
            kwargs["result"] = Result.FAIL if note else Result.PASS
        elif item.answer_type == AnswerType.NUMBER:
            value = (item.min_value or Decimal("1")) + Decimal("1")
            kwargs["number"] = (
                FAIL_VALUES.get(item.text, (item.min_value or Decimal("1")) - Decimal("1")) if note else value
            )
        elif item.answer_type == AnswerType.TEXT:
            kwargs["text"] = "已查看，符合要求。"
        services.answer_save(acting_user=user, inspection=inspection, item_id=item.pk, **kwargs)
        if note and item.photo_required_on_fail:
            services.photo_add(
                acting_user=user,
                inspection=inspection,
                item_id=item.pk,
                upload=ctx.photo("before", seed + item.no),  # type: ignore[attr-defined]
            )


def _find(school, kind, date, template, user) -> Inspection | None:
    return Inspection.objects.filter(
        school=school, kind=kind, date=date, checklist__template=template, created_by=user
    ).first()


def load(ctx) -> dict[str, int]:
    """Create what is missing; return counts of what exists (for the load_demo summary)."""
    seed_checklists()
    templates = {t.name: t for t in ChecklistTemplate.objects.all()}
    today = timezone.localdate()
    semester = current_or_last(today)
    made: dict[str, Inspection] = {}
    for n, (key, school_name, kind, username, template_name, offset, failed, partners) in enumerate(SPECS):
        school, user, template = ctx.schools[school_name], ctx.users[username], templates[template_name]
        date = _day(semester.start, offset, today)
        inspection = _find(school, kind, date, template, user)
        if inspection is None:
            inspection = services.inspection_create(
                acting_user=user,
                school=school,
                kind=kind,
                date=date,
                template=template,
                partner_orgs=[(ctx.orgs[o], "周边治安与技防") for o in partners],
            )
            _answer_all(ctx, inspection, user, failed, seed=n * 10)
            services.inspection_submit(
                acting_user=user,
                inspection=inspection,
                expected_version=inspection.version,
                summary="总体情况良好。" if not failed else "发现问题已当场指出，限期整改。",
            )
            if kind == Kind.JOINT:
                services.inspection_sign(
                    acting_user=user,
                    inspection=inspection,
                    organisation_id=inspection.lead_org_id,
                    opinion="同意检查结论。",
                )
        made[key] = inspection

    # The draft 核查 of 蒲吕青松中学 for the police officer (issue 4, "Done when").
    minjing, qingsong = ctx.users["minjing"], ctx.schools["蒲吕青松中学"]
    draft = Inspection.objects.filter(
        school=qingsong, kind=Kind.VERIFY, created_by=minjing, state="draft"
    ).first()
    if (
        draft is None
        and not Inspection.objects.filter(school=qingsong, kind=Kind.VERIFY, created_by=minjing).exists()
    ):
        services.inspection_create(
            acting_user=minjing,
            school=qingsong,
            kind=Kind.VERIFY,
            date=today,
            template=templates["校园三防"],
            verifies=made["qingsong-self"],
        )

    _plan(ctx, semester, today, made)
    return {
        "checklists": ChecklistTemplate.objects.count(),
        "inspections": Inspection.objects.count(),
        "inspection_plans": InspectionPlan.objects.count(),
    }


def _plan(ctx, semester, today: dt.date, made: dict[str, Inspection]) -> None:
    owner = ctx.orgs["蒲吕街道平安办"]
    planner = ctx.users["pinganban"]
    plan = InspectionPlan.objects.filter(owner_org=owner, semester_start=semester.start).first()
    if plan is None:
        plan = plans.plan_create(
            acting_user=planner,
            title=f"蒲吕街道{semester.label}校园安全督导检查计划",
            owner_org=owner,
            on=semester.start,
        )
    if plan.entries.exists():
        return
    templates = {t.name: t for t in ChecklistTemplate.objects.all()}
    soon = min(today + dt.timedelta(days=2), plan.semester_end)
    rows = [
        ("蒲吕明德小学", made["mingde-spot"].date, Kind.SPOT, "蒲吕街道平安办", ["pinganban"], "校园三防"),
        ("蒲吕石龙村小学", soon, Kind.SPOT, "蒲吕街道平安办", ["pinganban"], "消防安全"),
        ("蒲吕青松中学", today, Kind.VERIFY, "蒲吕派出所", ["minjing"], "校园三防"),
        (
            "蒲吕向阳幼儿园",
            min(today + dt.timedelta(days=14), plan.semester_end),
            Kind.SPOT,
            "蒲吕学区管理中心",
            ["xuequ"],
            "食品安全",
        ),
    ]
    for school_name, day, kind, org, people, template in rows:
        if day < plan.semester_start:
            continue
        entry = plans.plan_entry_add(
            acting_user=planner,
            plan=plan,
            school=ctx.schools[school_name],
            planned_on=day,
            kind=kind,
            inspecting_org=ctx.orgs[org],
            template=templates[template],
            inspectors=[ctx.users[u] for u in people],
        )
        if school_name == "蒲吕明德小学":  # planned before the demo's 抽查 was entered: done by it
            PlanEntry.objects.filter(pk=entry.pk).update(done_by=made["mingde-spot"])
