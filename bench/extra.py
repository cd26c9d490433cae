"""Generator steps for the apps built after the hazard loop (inspections, duty, monthly).

`steps()` returns only the steps whose models exist in this checkout, so the generator runs on
any commit; each step writes per district in its own transaction and reports its row counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from bench.province import Generator


def steps() -> list[Callable[[Generator], None]]:
    out: list[Callable[[Generator], None]] = []
    try:
        from huxiao.duty.models import DutyPeriod, DutyPost, DutyRecord  # noqa: F401
    except ImportError:
        pass
    else:
        out.append(duty)
    try:
        from huxiao.inspections.models import Answer, Inspection  # noqa: F401
        from huxiao.inspections.seeds import seed_checklists  # noqa: F401
    except ImportError:
        pass
    else:
        out.append(inspections)
    try:
        from huxiao.standards.models import Evaluation, RuleResult  # noqa: F401
    except ImportError:
        pass
    else:
        out.append(standards)
    try:
        from huxiao.people.models import Dispute, KeyPerson  # noqa: F401
    except ImportError:
        pass
    else:
        out.append(people)
    return out


def _month_school_days(today: dt.date) -> list[dt.date]:
    """The working days of the current month up to today (the month of duty records)."""
    from huxiao.core.calendar import is_working_day

    day, out = today.replace(day=1), []
    while day <= today:
        if is_working_day(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def duty(gen: Generator) -> None:
    """护学岗: a post at each school gate (a second gate at big schools), the morning and afternoon
    peaks on school days, and this month's records — about nine in ten periods staffed."""
    from bench.province import BATCH, _at, explicit_timestamps
    from huxiao.duty.models import DutyPeriod, DutyPost, DutyRecord
    from huxiao.schools.models import School

    rng, today = gen.rng, gen.today
    days = _month_school_days(today)
    police_of_station = {org.pk: user for org, user in gen.police.values()}
    with explicit_timestamps(DutyPost, DutyRecord):
        for district in gen.districts:
            with transaction.atomic():
                schools = list(
                    School.objects.filter(region__path__startswith=district.path).only(
                        "pk", "students", "police_station_id", "latitude", "longitude"
                    )
                )
                posts = []
                for s in schools:
                    gates = ["正门"] + (["南门"] if s.students > 1500 else [])
                    for gate in gates:
                        posts.append(
                            DutyPost(
                                school_id=s.pk,
                                name=gate,
                                latitude=s.latitude,
                                longitude=s.longitude,
                                police_station_id=s.police_station_id,
                                active_from=dt.date(2026, 3, 1),
                                created_at=_at(dt.date(2026, 2, 25), 9),
                            )
                        )
                posts = DutyPost.objects.bulk_create(posts, batch_size=BATCH)
                periods = DutyPeriod.objects.bulk_create(
                    [
                        DutyPeriod(post=p, kind=kind, start=dt.time(*start), end=dt.time(*end))
                        for p in posts
                        for kind, start, end in (
                            ("morning", (7, 20), (8, 10)),
                            ("afternoon", (16, 10), (17, 0)),
                        )
                    ],
                    batch_size=BATCH,
                )
                records = []
                for period in periods:
                    post = period.post
                    officer = police_of_station[post.police_station_id]
                    for day in days:
                        if rng.random() < 0.09:  # an unstaffed period
                            continue
                        records.append(
                            DutyRecord(
                                post=post,
                                period=period,
                                date=day,
                                police=1 if rng.random() < 0.7 else 0,
                                aux_police=rng.choice((0, 1, 1, 2)),
                                guards=rng.choice((1, 1, 2)),
                                teachers=rng.choice((1, 2, 2, 3)),
                                volunteers=rng.choice((0, 1, 2, 3)),
                                cars=1 if rng.random() < 0.3 else 0,
                                notes="秩序正常",
                                created_at=_at(day, period.end.hour, period.end.minute),
                                created_by=officer,
                            )
                        )
                DutyRecord.objects.bulk_create(records, batch_size=5000)
                gen.report.add("duty_posts", len(posts))
                gen.report.add("duty_periods", len(periods))
                gen.report.add("duty_records", len(records))
        gen.say(
            f"  护学岗 {gen.report.counts['duty_posts']} 个，本月执勤记录 {gen.report.counts['duty_records']} 条"
        )


# (kind, checklist domain preference, who leads: "school" / "police" / "xq")
INSPECTION_PLAN = [("self", "school"), ("self", "school"), ("spot", "police"), ("joint", "xq")]


def inspections(gen: Generator) -> None:
    """This semester's inspections, four a school (two 自查, a police 抽查, a 学区 联合检查), each
    submitted with an answer to every item of a seed checklist; about one item in twenty-five fails."""
    from bench.province import BATCH, _at, explicit_timestamps
    from huxiao.accounts.models import User
    from huxiao.inspections.models import Answer, ChecklistItem, ChecklistVersion, Inspection
    from huxiao.inspections.seeds import seed_checklists
    from huxiao.schools.models import School

    rng, today = gen.rng, gen.today
    seed_checklists(acting_user=None)
    versions = list(ChecklistVersion.objects.filter(published_at__isnull=False).order_by("pk"))
    items = {v.pk: list(ChecklistItem.objects.filter(version=v).order_by("pk")) for v in versions}
    versions = [v for v in versions if items[v.pk]]
    semester_start = dt.date(2026, 9, 1)
    span = (today - semester_start).days
    police_user = {o.pk: u.pk for o, u in gen.police.values()}
    xq_user = {o.pk: u.pk for o, u in gen.xq.values()}
    leads = {
        m: u for m, u in User.objects.filter(username__startswith="school-").values_list("username", "pk")
    }
    with explicit_timestamps(Inspection, Answer):
        for district in gen.districts:
            with transaction.atomic():
                schools = list(
                    School.objects.filter(region__path__startswith=district.path).only(
                        "pk",
                        "code",
                        "organisation_id",
                        "police_station_id",
                        "school_district_id",
                        "region_id",
                    )
                )
                rows, plan = [], []
                for s in schools:
                    lead_id = leads[f"school-{s.code}"]
                    for kind, who in INSPECTION_PLAN:
                        version = rng.choice(versions)
                        day = semester_start + dt.timedelta(days=rng.randint(0, span))
                        if who == "school":
                            org_id, user_id = s.organisation_id, lead_id
                        elif who == "police":
                            org_id = s.police_station_id
                            user_id = police_user[org_id]
                        else:
                            org_id = s.school_district_id
                            user_id = xq_user[org_id]
                        rows.append(
                            Inspection(
                                kind=kind,
                                school_id=s.pk,
                                date=day,
                                checklist=version,
                                lead_org_id=org_id,
                                summary="总体情况良好，发现问题已责令整改。",
                                state="submitted",
                                submitted_at=_at(day, 17),
                                submitted_by_id=user_id,
                                created_by_id=user_id,
                                created_at=_at(day, 9),
                            )
                        )
                        plan.append((version.pk, user_id, day))
                rows = Inspection.objects.bulk_create(rows, batch_size=BATCH)
                answers = []
                for insp, (version_pk, user_id, day) in zip(rows, plan, strict=True):
                    for item in items[version_pk]:
                        fail = rng.random() < 0.04
                        answers.append(
                            Answer(
                                inspection=insp,
                                item=item,
                                result=("fail" if fail else "pass")
                                if item.answer_type == "pass_fail"
                                else "",
                                number=rng.randint(1, 90) if item.answer_type == "number" else None,
                                text="已核实" if item.answer_type == "text" else "",
                                note="现场查看" if fail else "",
                                answered_by_id=user_id,
                                answered_at=_at(day, 10, rng.randint(0, 59)),
                            )
                        )
                Answer.objects.bulk_create(answers, batch_size=5000)
                gen.report.add("inspections", len(rows))
                gen.report.add("inspection_answers", len(answers))
        gen.say(
            f"  检查 {gen.report.counts['inspections']} 次，检查结果 {gen.report.counts['inspection_answers']} 条"
        )


# Shares of a rule's status in a school's latest evaluation (a first baseline pass: most rules
# pass, some fail, some cannot be judged for want of data).
STATUS_SHARES = (("pass", 0.80), ("fail", 0.12), ("unknown", 0.08))


def standards(gen: Generator) -> None:
    """三防达标: the latest evaluation of every school with a 三防 profile (nine in ten), one
    RuleResult per rule code of the seed rulesets the school's type and boarding make applicable,
    statuses by STATUS_SHARES. Rows only — the Gap/hazard side is already in the hazards."""
    from bench.province import BATCH, _at, explicit_timestamps
    from huxiao.schools.models import School
    from huxiao.standards.models import Evaluation, Rule, RuleResult

    rng, today = gen.rng, gen.today
    rules: dict[str, Rule] = {}
    for rule in Rule.objects.order_by("code", "version_id"):
        rules.setdefault(rule.code, rule)  # one row per code, as one evaluation has
    statuses = [s for s, _ in STATUS_SHARES]
    weights = [w for _, w in STATUS_SHARES]
    with explicit_timestamps(Evaluation):
        for district in gen.districts:
            with transaction.atomic():
                schools = list(
                    School.objects.filter(region__path__startswith=district.path, profiles__isnull=False)
                    .distinct()
                    .values_list("pk", "school_type", "is_boarding")
                )
                evaluations, plans = [], []
                for pk, school_type, boarding in schools:
                    applicable = [
                        r
                        for r in rules.values()
                        if (not r.applies_to or school_type in r.applies_to)
                        and (boarding or not r.boarding_only)
                    ]
                    picked = rng.choices(statuses, weights, k=len(applicable))
                    evaluations.append(
                        Evaluation(
                            school_id=pk,
                            computed_at=_at(today, 2),
                            as_of=today,
                            results=[
                                {"code": r.code, "status": s} for r, s in zip(applicable, picked, strict=True)
                            ],
                            fingerprint=f"bench-{pk}",
                            passed=picked.count("pass"),
                            failed=sum(
                                1
                                for r, s in zip(applicable, picked, strict=True)
                                if s == "fail" and r.severity == "shall"
                            ),
                            advice=sum(
                                1
                                for r, s in zip(applicable, picked, strict=True)
                                if s == "fail" and r.severity != "shall"
                            ),
                            unknown=picked.count("unknown"),
                            is_latest=True,
                        )
                    )
                    plans.append(list(zip(applicable, picked, strict=True)))
                evaluations = Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
                results = [
                    RuleResult(
                        evaluation=e,
                        school_id=e.school_id,
                        is_latest=True,
                        code=r.code,
                        category=r.category,
                        severity=r.severity,
                        status=s,
                    )
                    for e, plan in zip(evaluations, plans, strict=True)
                    for r, s in plan
                ]
                RuleResult.objects.bulk_create(results, batch_size=5000)
                gen.report.add("evaluations", len(evaluations))
                gen.report.add("rule_results", len(results))
    gen.say(
        f"  三防评估 {gen.report.counts['evaluations']} 份，规则结果 {gen.report.counts['rule_results']} 条"
    )


PEOPLE_PER_STATION, DISPUTES_PER_STATION = 10, 5
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国志强秀英丽华小明德贵海燕俊杰红梅玉兰"


def people(gen: Generator) -> None:
    """重点人员 and 矛盾纠纷: ten key persons and five disputes per 派出所, every personal field
    encrypted as the services store it (Fernet, a blind index for name and 身份证号), each person
    linked to one or two of the station's schools, one visit each; the district and province
    政法委 accounts get the 领导 role that reads the registers (`d01-zf`, `prov-zf`)."""
    from bench.province import BATCH, _at, explicit_timestamps
    from huxiao.accounts.models import Membership, User
    from huxiao.core import crypto
    from huxiao.core.models import Organisation
    from huxiao.people.models import Category, Dispute, KeyPerson, PersonSchool, Visit
    from huxiao.schools.models import School

    rng, today = gen.rng, gen.today
    categories = list(Category.objects.order_by("pk"))
    zf = Organisation.objects.filter(kind="political_legal")
    for org in zf:
        for user in User.objects.filter(memberships__organisation=org).distinct():
            Membership.objects.get_or_create(
                user=user, organisation=org, role="leader", defaults={"title": "副书记"}
            )
    schools_of: dict[int, list[tuple[int, int]]] = {}
    for pk, station, region in School.objects.values_list("pk", "police_station_id", "region_id"):
        schools_of.setdefault(station, []).append((pk, region))
    enc = crypto.encrypt
    with explicit_timestamps(KeyPerson, Visit, Dispute):
        for org, officer in gen.police.values():
            schools = schools_of.get(org.pk, [])
            if not schools:
                continue
            with transaction.atomic():
                persons, links, picked = [], [], []
                for i in range(PEOPLE_PER_STATION):
                    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                    id_number = f"5001{rng.randrange(10**13, 10**14)}"
                    school, region = rng.choice(schools)
                    listed = today - dt.timedelta(days=rng.randrange(10, 700))
                    persons.append(
                        KeyPerson(
                            station_id=org.pk,
                            officer_id=officer.pk,
                            region_id=region,
                            category=rng.choice(categories),
                            risk=rng.choice(("high", "medium", "medium", "low", "low")),
                            status="lost" if i == 0 and rng.random() < 0.1 else "listed",
                            name_enc=enc(name),
                            id_number_enc=enc(id_number),
                            phone_enc=enc(f"13{rng.randrange(10**8, 10**9)}"),
                            address_enc=enc(f"{rng.randrange(1, 200)}号"),
                            guardian_enc=enc("家属"),
                            notes_enc=enc("基本情况（合成数据）"),
                            name_index=crypto.blind_index(name, "name"),
                            id_index=crypto.blind_index(id_number, "id"),
                            listed_on=listed,
                            review_due=today + dt.timedelta(days=rng.randrange(-20, 60)),
                            created_by_id=officer.pk,
                            created_at=_at(listed, 10),
                            updated_at=_at(listed, 10),
                        )
                    )
                    picked.append(school)
                persons = KeyPerson.objects.bulk_create(persons, batch_size=BATCH)
                visits = []
                for person, school in zip(persons, picked, strict=True):
                    links.append(
                        PersonSchool(person=person, school_id=school, distance_m=rng.randrange(20, 200))
                    )
                    visited = today - dt.timedelta(days=rng.randrange(1, 30))
                    visits.append(
                        Visit(person=person, visited_on=visited, officer_id=officer.pk, station_id=org.pk,
                              found="in_control", dynamics_enc=enc("情况稳定"), created_at=_at(visited, 15))
                    )  # fmt: skip
                PersonSchool.objects.bulk_create(links, batch_size=BATCH)
                Visit.objects.bulk_create(visits, batch_size=BATCH)
                disputes = []
                for i in range(DISPUTES_PER_STATION):
                    found = today - dt.timedelta(days=rng.randrange(1, 200))
                    closed = i % 2 == 0
                    disputes.append(
                        Dispute(
                            station_id=org.pk,
                            region_id=rng.choice(schools)[1],
                            category=rng.choice(("enrolment", "teaching", "casualty", "food", "bullying")),
                            source="visit",
                            found_on=found,
                            parties_enc=enc("当事人（合成数据） 13900000000"),
                            summary_enc=enc("纠纷情况（合成数据）"),
                            outcome="resolved" if closed else "open",
                            closed_on=found + dt.timedelta(days=5) if closed else None,
                            threat=i == 1,
                            created_by_id=officer.pk,
                            created_at=_at(found, 11),
                            updated_at=_at(found, 11),
                        )
                    )
                disputes = Dispute.objects.bulk_create(disputes, batch_size=BATCH)
                Dispute.schools.through.objects.bulk_create(
                    [
                        Dispute.schools.through(dispute_id=d.pk, school_id=rng.choice(schools)[0])
                        for d in disputes
                    ]
                )
                gen.report.add("key_persons", len(persons))
                gen.report.add("disputes", len(disputes))
    gen.say(f"  重点人员 {gen.report.counts['key_persons']} 人，矛盾纠纷 {gen.report.counts['disputes']} 件")
