"""Writes of the standards engine: evaluation snapshots, gap → hazard sync, new ruleset versions.

* `evaluate_schools(schools)` — evaluate a batch against the rulebook in force, store a new
  `Evaluation` for each school whose results changed, and sync its gaps (same transaction per
  school). Called after a profile or school change commits (signals in apps.py), by
  `manage.py evaluate_standards`, the demo loader and after a ruleset edit (as a job).
* Gaps → hazards: a failed 应 rule opens a `Gap` and raises a hazard through
  `hazards.services.hazard_report` (source 标准比对, source_ref `standards:<code>`), or adopts a
  live hazard with that source_ref — re-running never duplicates. When the gap disappears the
  hazard is not closed: it gets a GAP_RESOLVED timeline entry and its reviewers are told, once.
* `rule_revise(...)` — an administrator's edit: a new `RulesetVersion` with every rule copied
  and one changed; old versions (and the evaluations that used them) stay as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.accounts.selectors import members
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.jobs import job_create, job_finish, job_progress, start_job
from huxiao.core.models import Job
from huxiao.hazards.choices import LIVE_STATES, EventKind, State
from huxiao.hazards.models import Hazard, HazardEvent
from huxiao.hazards.services import hazard_report
from huxiao.lib.dates import cn_date
from huxiao.notifications.services import notify
from huxiao.schools.models import School
from huxiao.standards import kinds
from huxiao.standards.choices import HAZARD_CATEGORY, Confidence, Level, NotifyKind, Severity, Status
from huxiao.standards.engine import Rulebook, actual_text, citation_text, evaluate_school
from huxiao.standards.facts import gather
from huxiao.standards.models import Evaluation, Gap, Rule, RuleResult, Ruleset, RulesetVersion

logger = logging.getLogger(__name__)

BATCH = 200
SOURCE_REF = "standards:{code}"


@dataclass
class SyncReport:
    evaluated: int = 0
    stored: int = 0
    hazards_raised: int = 0
    hazards_adopted: int = 0
    gaps_resolved: int = 0
    skipped: list[str] = field(default_factory=list)  # schools whose gaps could not become hazards

    def add(self, other: SyncReport) -> None:
        self.evaluated += other.evaluated
        self.stored += other.stored
        self.hazards_raised += other.hazards_raised
        self.hazards_adopted += other.hazards_adopted
        self.gaps_resolved += other.gaps_resolved
        self.skipped += [s for s in other.skipped if s not in self.skipped]


def _fingerprint(rows: list[dict[str, Any]], version_ids: list[int], profile_version) -> str:
    payload = json.dumps([rows, version_ids, profile_version], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _summary(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    out = {"passed": 0, "failed": 0, "advice": 0, "unknown": 0}
    for row in rows:
        if row["status"] == Status.PASS:
            out["passed"] += 1
        elif row["status"] == Status.UNKNOWN:
            out["unknown"] += 1
        elif row["severity"] == Severity.SHALL:
            out["failed"] += 1
        else:
            out["advice"] += 1
    return out


def evaluate_schools(
    schools: Sequence[School] | Iterable[School], *, on: dt.date | None = None, sync: bool = True
) -> SyncReport:
    """Evaluate `schools` (each with `region` loaded or loadable) as of `on` (today), store the
    changed snapshots and sync gaps. One transaction per school, so one school's failure
    never loses the others' work."""
    on = on or timezone.localdate()
    rulebook = Rulebook.load(on)
    report = SyncReport()
    batch: list[School] = []
    for school in schools:
        batch.append(school)
        if len(batch) >= BATCH:
            report.add(_evaluate_batch(batch, on, rulebook, sync))
            batch = []
    if batch:
        report.add(_evaluate_batch(batch, on, rulebook, sync))
    return report


def _evaluate_batch(schools: list[School], on: dt.date, rulebook: Rulebook, sync: bool) -> SyncReport:
    report = SyncReport()
    facts = gather(schools, on)
    latest = {
        e.school_id: e
        for e in Evaluation.objects.filter(school__in=[s.pk for s in schools], is_latest=True).only(
            "pk", "school_id", "fingerprint"
        )
    }
    for school in schools:
        school_facts = facts.get(school.pk, {})
        rows = evaluate_school(school, school_facts, rulebook)
        version_ids = rulebook.version_ids_for(school)
        profile_version = school_facts.get("profile_version")
        fingerprint = _fingerprint(rows, version_ids, profile_version)
        report.evaluated += 1
        with transaction.atomic():
            previous = latest.get(school.pk)
            if previous is None or previous.fingerprint != fingerprint:
                _store(school, rows, version_ids, profile_version, fingerprint, on, previous)
                report.stored += 1
            if sync:
                report.add(sync_gaps(school, rows))
    return report


def _store(school, rows, version_ids, profile_version, fingerprint, on, previous) -> Evaluation:
    if previous is not None:
        Evaluation.objects.filter(pk=previous.pk).update(is_latest=False)
        RuleResult.objects.filter(evaluation_id=previous.pk).update(is_latest=False)
    # A concurrent recompute may have stored one meanwhile: the unique "one latest" constraint
    # would refuse a second; retire whatever is latest now.
    Evaluation.objects.filter(school=school, is_latest=True).update(is_latest=False)
    RuleResult.objects.filter(school=school, is_latest=True).update(is_latest=False)
    evaluation = Evaluation.objects.create(
        school=school,
        as_of=on,
        profile_version=profile_version,
        version_ids=version_ids,
        results=rows,
        fingerprint=fingerprint,
        is_latest=True,
        **_summary(rows),
    )
    RuleResult.objects.bulk_create(
        [
            RuleResult(
                evaluation=evaluation,
                school=school,
                is_latest=True,
                code=row["code"],
                category=row["category"],
                severity=row["severity"],
                status=row["status"],
            )
            for row in rows
        ]
    )
    return evaluation


# --- Gaps → hazards -------------------------------------------------------------------------


def _raises_hazard(row: Mapping[str, Any], kind_by_code: Mapping[str, str]) -> bool:
    kind = kind_by_code.get(row["code"])
    return (
        row["status"] == Status.FAIL
        and row["severity"] == Severity.SHALL
        and row["category"] in HAZARD_CATEGORY
        and (kind is None or kinds.get(kind).raises_hazard)
    )


def _kind_by_code(rows) -> dict[str, str]:
    codes = {row["code"] for row in rows}
    version_ids = {v for row in rows for v in row.get("version_ids", [])}
    return dict(
        Rule.objects.filter(version_id__in=version_ids, code__in=codes).values_list("code", "kind").distinct()
    )


def no_hazard_reasons(rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Of `rows` (failed 应 results with neither a live hazard nor a recorded skip), the ones that
    raise no hazard by design, each with the reason the school's table gives: a frequency rule
    (a count mid-semester is progress, not a gap) or a rule other units carry out."""
    kind_by_code = _kind_by_code(rows) if rows else {}
    return {
        r["code"]: (
            "频次类项目不登记隐患：学期中途的次数是进度而非差距，见本学期检查频次"
            if kind_by_code.get(r["code"]) == "frequency"
            else "不登记为学校隐患：该项由派出所、学区等单位落实，计入达标率"
        )
        for r in rows
        if not _raises_hazard(r, kind_by_code)
    }


def hazard_description(school: School, row: Mapping[str, Any]) -> str:
    return (
        f"{school.name}「{row['title']}」未达到{('、'.join(c['jurisdiction'] for c in row['citations']))}要求。"
        f"要求：{row['expected']}；实际：{actual_text(row)}。"
        f"依据：{citation_text(row)}。"
        + (f"说明：{row['explanation']}。" if len(row.get("citations", [])) > 1 else "")
    )


def sync_gaps(school: School, rows: list[dict[str, Any]]) -> SyncReport:
    """Make the hazards match the gaps in `rows` (the school's current results). Idempotent."""
    report = SyncReport()
    kind_by_code = _kind_by_code(rows)
    by_code = {row["code"]: row for row in rows}
    failing = {row["code"]: row for row in rows if _raises_hazard(row, kind_by_code)}
    open_gaps = {
        g.code: g
        for g in Gap.objects.select_for_update(of=("self",))
        .filter(school=school, resolved_at__isnull=True)
        .select_related("hazard")
    }
    for code, row in failing.items():
        gap = open_gaps.get(code)
        if gap is not None and gap.hazard is not None and gap.hazard.state != State.CLOSED:
            continue  # live: nothing to do; dismissed: a reviewer ruled, do not nag
        hazard, adopted, reason = _hazard_for(school, row, report)
        if hazard is None:
            if gap is None:
                Gap.objects.create(
                    school=school,
                    code=code,
                    expected=row["expected"][:300],
                    actual=actual_text(row)[:300],
                    skipped_reason=reason,
                )
            elif gap.skipped_reason != reason:
                gap.skipped_reason = reason
                gap.save(update_fields=["skipped_reason"])
            continue
        if adopted:
            report.hazards_adopted += 1
        else:
            report.hazards_raised += 1
        if gap is None:
            Gap.objects.create(
                school=school,
                code=code,
                hazard=hazard,
                expected=row["expected"][:300],
                actual=actual_text(row)[:300],
            )
        else:
            gap.hazard, gap.skipped_reason = hazard, ""
            gap.save(update_fields=["hazard", "skipped_reason"])
    for code, gap in open_gaps.items():
        if code in failing:
            continue
        current = by_code.get(code)
        if current is not None and current["status"] == Status.UNKNOWN:
            continue  # data missing is not a resolution
        _resolve(gap, current)
        report.gaps_resolved += 1
    return report


def system_can_report() -> bool:
    """Whether the hazard register accepts a hazard the system found (no 发现人)."""
    return bool(Hazard._meta.get_field("found_by").null)


def _hazard_for(
    school: School, row: Mapping[str, Any], report: SyncReport
) -> tuple[Hazard | None, bool, str]:
    ref = SOURCE_REF.format(code=row["code"])
    live = Hazard.objects.filter(school=school, source_ref=ref, state__in=LIVE_STATES).order_by("pk").first()
    if live is not None:
        return live, True, ""
    reason = ""
    if school.organisation_id is None:
        reason = "学校尚未关联本校单位，无法确定整改责任单位，未登记隐患"
    elif not system_can_report():
        reason = "隐患台账尚不接受系统登记的隐患（发现人不能为空），平台调整后重新评估时自动登记"
    if reason:
        if school.name not in report.skipped:
            report.skipped.append(school.name)
        return None, False, reason
    hazard = hazard_report(
        acting_user=None,
        school=school,
        title=f"三防标准差距：{row['title']}"[:100],
        category=HAZARD_CATEGORY[row["category"]],
        description=hazard_description(school, row),
        source="standard",
        source_ref=ref,
        # Only a rule whose source was seen verbatim is confirmed at once; the others wait in
        # 待核实 for the police or the 学区 to check the clause and the facts.
        confirm=row.get("confidence") == Confidence.HIGH,
    )
    return hazard, False, ""


def _reviewer_ids(hazard: Hazard) -> set[int]:
    org_ids = {hazard.found_by_org_id, hazard.school.police_station_id, hazard.school.school_district_id}
    org_ids |= set(hazard.notices.values_list("issuer_id", flat=True))
    org_ids.discard(hazard.responsible_org_id)
    return {i for i in org_ids if i}


def _resolve(gap: Gap, row: Mapping[str, Any] | None) -> None:
    now = timezone.now()
    gap.resolved_at = now
    gap.save(update_fields=["resolved_at"])
    hazard = gap.hazard
    if hazard is None or hazard.state not in LIVE_STATES:
        return
    if row is None:
        note = "该规则已不再适用于本校（规则调整或学校情况变化），差距已消除，请核实后处理。"
    else:
        note = f"最新标准比对：{row['title']}已达标（要求：{row['expected']}；实际：{actual_text(row)}）。请核实后处理。"
    HazardEvent.objects.create(
        hazard=hazard,
        actor=None,
        kind=EventKind.GAP_RESOLVED,
        note=note,
        data={"gap": gap.pk, "code": gap.code},
    )
    Hazard.objects.filter(pk=hazard.pk).update(needs_verification=True)
    audit.record(
        actor=None,
        action="standards.gap_resolved",
        obj=hazard,
        after={"gap": gap.pk, "code": gap.code, "note": note},
        region_path=hazard.school.region.path,
    )
    url = reverse("hazards:hazard-detail", args=[hazard.pk])
    title = f"标准比对差距已消除，待核实：{hazard.school.name}·{hazard.title}"
    reviewer_org_ids = _reviewer_ids(hazard)
    transaction.on_commit(
        lambda: notify(
            members(reviewer_org_ids, Cap.HAZARD_REVIEW),
            kind=NotifyKind.GAP_RESOLVED,
            title=title,
            url=url,
            dedupe_key=f"standards.gap_resolved:{gap.pk}",
        )
    )


# --- Recompute triggers ---------------------------------------------------------------------


def schedule_recompute(school_id: int) -> None:
    """After the current transaction commits, re-evaluate one school (its profile or entry
    changed). Several changes in one transaction evaluate more than once, harmlessly: an
    unchanged result stores nothing and the sync is idempotent."""

    def run() -> None:
        school = School.objects.select_related("region").filter(pk=school_id).first()
        if school is None or school.is_archived:
            return
        try:
            evaluate_schools([school])
        except Exception:  # the profile is saved; a failed recompute must not hide that
            logger.exception("standards: recompute of school %s failed", school_id)

    transaction.on_commit(run)


# --- Rulesets: who may edit, and the edit itself ------------------------------------------------


def can_manage(user, ruleset: Ruleset) -> bool:
    """National baseline: superusers only. An overlay: a STANDARDS_MANAGE grant whose
    jurisdiction covers the ruleset's region."""
    if ruleset.level == Level.NATIONAL:
        return bool(getattr(user, "is_superuser", False))
    if getattr(user, "is_superuser", False):
        return True
    return scope_of(user).covers(ruleset.region_path, Cap.STANDARDS_MANAGE)


def latest_version(ruleset: Ruleset) -> RulesetVersion | None:
    return ruleset.versions.order_by("-number").first()


@transaction.atomic
def rule_revise(
    *,
    acting_user,
    rule: Rule,
    base_version: int,
    params: dict[str, Any],
    severity: str,
    effective_from: dt.date,
    note: str,
    title: str | None = None,
    confidence: str | None = None,
) -> RulesetVersion:
    """A new version of `rule`'s ruleset with this rule changed and every other rule copied.

    `base_version` is the version number the form showed; if someone saved a newer one in the
    meantime, the user is told instead of overwriting it."""
    ruleset = Ruleset.objects.select_for_update(of=("self",)).get(pk=rule.version.ruleset_id)
    if not can_manage(acting_user, ruleset):
        raise PermissionDenied(
            "您无权修改该规则集（国家基线仅超级管理员可改；地方规则须由管辖该区划的管理人员修改）。"
        )
    current = latest_version(ruleset)
    assert current is not None
    if current.number != base_version:
        who = current.created_by or "系统"
        raise ConflictError(
            f"该规则集已由{who}于{cn_date(current.created_at.date())}保存为第{current.number}版，"
            "您的修改未保存。请刷新页面，在最新版本基础上重新修改。"
        )
    errors = kinds.get(rule.kind).validate(params)
    if errors:
        raise ValidationError({"params": errors})
    if severity not in Severity.values:
        raise ValidationError({"severity": "要求程度须为“应”或“宜”。"})
    today = timezone.localdate()
    if effective_from < today:
        raise ValidationError({"effective_from": "生效日期不能早于今天：已有的评估和报表不能被改写。"})
    if effective_from < current.effective_from:
        raise ValidationError(
            {"effective_from": f"生效日期不能早于当前版本的生效日期（{cn_date(current.effective_from)}）。"}
        )
    if not note.strip():
        raise ValidationError({"note": "请填写修订说明（修改了什么、依据什么）。"})
    version = RulesetVersion.objects.create(
        ruleset=ruleset,
        number=current.number + 1,
        effective_from=effective_from,
        created_by=acting_user,
        note=note.strip()[:200],
    )
    copies = []
    before: dict[str, Any] | None = None
    after: dict[str, Any] = {}
    for old in current.rules.order_by("position", "code"):
        copy = old.copy_to(version)
        if old.code == rule.code:
            before = {
                "params": old.params,
                "severity": old.severity,
                "title": old.title,
                "confidence": old.confidence,
            }
            copy.params = params
            copy.severity = severity
            if title:
                copy.title = title
            if confidence:
                copy.confidence = confidence
            after = {
                "params": copy.params,
                "severity": copy.severity,
                "title": copy.title,
                "confidence": copy.confidence,
            }
        copies.append(copy)
    if before is None:
        raise ValidationError("该规则不在当前版本中，请刷新页面。")
    Rule.objects.bulk_create(copies)
    audit.record(
        actor=acting_user,
        action="standards.rule_revise",
        obj=ruleset,
        before={"version": current.number, "rule": rule.code, **before},
        after={
            "version": version.number,
            "rule": rule.code,
            "effective_from": effective_from.isoformat(),
            **after,
        },
        region_path=ruleset.region_path,
        object_repr=f"{ruleset.name} 第{version.number}版：{rule.code}",
    )
    if effective_from == today:
        job = job_create(
            acting_user=acting_user, kind=RECOMPUTE_JOB, params={"region_path": ruleset.region_path}
        )
        start_job(job, recompute_job)
    return version


RECOMPUTE_JOB = "standards_recompute"


def schools_under(region_path: str):
    qs = School.objects.active().select_related("region").order_by("pk")
    return qs.filter(region__path__startswith=region_path) if region_path else qs


def recompute_job(job: Job) -> None:
    """Job: re-evaluate every active school a ruleset covers, in batches, reporting progress."""
    schools = schools_under(job.params.get("region_path", ""))
    total = schools.count()
    job_progress(job, done=0, total=total)
    report = SyncReport()
    done = 0
    for start in range(0, total, BATCH):
        chunk = list(schools[start : start + BATCH])
        report.add(evaluate_schools(chunk))
        done += len(chunk)
        job_progress(job, done=done)
    job_finish(
        job,
        state=Job.State.SUCCEEDED,
        result={
            "message": f"已重新评估{report.evaluated}所学校，新登记隐患{report.hazards_raised}条，差距消除{report.gaps_resolved}项。"
        },
        done=done,
    )
