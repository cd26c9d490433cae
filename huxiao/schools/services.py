"""Every write to the school registry: one transaction, one audit event (DESIGN §4.2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.jobs import job_finish, job_progress
from huxiao.core.models import Job, Organisation
from huxiao.core.versions import locked
from huxiao.lib.dates import cn_datetime
from huxiao.schools.imports import (
    ImportResult,
    RowChecker,
    SheetError,
    SheetRow,
    common_region_path,
    open_sheet,
)
from huxiao.schools.models import School, SecurityProfile

SCHOOL_FIELDS = [
    "name",
    "code",
    "school_type",
    "ownership",
    "is_boarding",
    "students",
    "boarders",
    "staff",
    "principal_name",
    "principal_phone",
    "safety_lead_name",
    "safety_lead_phone",
    "address",
    "latitude",
    "longitude",
    "region",
    "police_station",
    "school_district",
]


def _require_on(acting_user, school: School, cap: str, message: str) -> None:
    """The service's own rights check (views check first; a service never trusts its caller)."""
    if (
        acting_user is not None
        and not School.objects.visible_to(acting_user, cap).filter(pk=school.pk).exists()
    ):
        raise PermissionDenied(message)


def _check_region_in_scope(acting_user, school: School) -> None:
    """A user may only place a school where they could then see and edit it.
    (`acting_user=None` is the system itself: migrations and the demo loader.)"""
    if acting_user is None:
        return
    if not School.objects.visible_to(acting_user, Cap.SCHOOL_EDIT).filter(pk=school.pk).exists():
        # A field error, not a 403: the user chose a region / 派出所 / 学区 that would move the
        # school out of their own reach, and the form should say which choice to change.
        raise ValidationError(
            {"region": "所选区划、派出所或学区会使该学校超出您的管辖范围（例如清空了本学区），请重新选择。"}
        )


@transaction.atomic
def school_create(*, acting_user, **fields: Any) -> School:
    """Register a school. The caller must hold `school.edit` over the place it is put."""
    school = School(**{k: v for k, v in fields.items() if k in SCHOOL_FIELDS})
    school.full_clean(exclude=["organisation"])
    school.save()
    _check_region_in_scope(acting_user, school)
    audit.record(
        actor=acting_user,
        action="school.create",
        obj=school,
        after=audit.snapshot(school),
        region_path=school.region.path,
    )
    return school


@transaction.atomic
def school_update(*, acting_user, school: School, expected_version: int, **fields: Any) -> School:
    """Edit a school's registry entry; refuses a stale form (someone saved in between)."""
    current = locked(
        School.objects.all(),
        school.pk,
        expected_version,
        stale=lambda c: (
            f"“{c.name}”已在 {cn_datetime(c.updated_at)} 被他人修改（当前第{c.version}版），"
            "您的修改未保存。请刷新页面后重新填写。"
        ),
    )
    before = audit.snapshot(current)
    for key, value in fields.items():
        if key in SCHOOL_FIELDS:
            setattr(current, key, value)
    current.version += 1
    current.full_clean(exclude=["organisation"])
    current.save()
    _check_region_in_scope(acting_user, current)
    audit.record(
        actor=acting_user,
        action="school.update",
        obj=current,
        before=before,
        after=audit.snapshot(current),
        region_path=current.region.path,
    )
    return current


@transaction.atomic
def school_archive(*, acting_user, school: School, reason: str) -> School:
    """Archive (never delete) a school that closed or merged; a reason is required."""
    _require_on(acting_user, school, Cap.SCHOOL_EDIT, "您的角色不能归档该学校。")
    if not reason.strip():
        raise ValidationError({"reason": "归档须填写原因。"})
    current = School.objects.select_for_update().get(pk=school.pk)
    current.is_archived = True
    current.version += 1
    current.save(update_fields=["is_archived", "version", "updated_at"])
    audit.record(
        actor=acting_user,
        action="school.archive",
        obj=current,
        before={"is_archived": False},
        after={"is_archived": True, "reason": reason.strip()},
        region_path=current.region.path,
    )
    return current


@transaction.atomic
def school_link_organisation(*, acting_user, school: School, organisation: Organisation) -> School:
    """Attach the school's own unit (used for the school's staff memberships)."""
    before = {"organisation_id": school.organisation_id}
    school.organisation = organisation
    school.save(update_fields=["organisation", "updated_at"])
    audit.record(
        actor=acting_user,
        action="school.link_organisation",
        obj=school,
        before=before,
        after={"organisation_id": organisation.pk},
        region_path=school.region.path,
    )
    return school


def _profile_values(profile: SecurityProfile) -> dict[str, Any]:
    return audit.snapshot(profile, SecurityProfile.data_fields())


@transaction.atomic
def profile_file(
    *, acting_user, school: School, base_version: int | None, change_note: str = "", **values: Any
) -> SecurityProfile:
    """File a new version of the school's 三防 profile.

    `base_version` is the version the user's form started from (None for the first); if a
    newer one exists, the user is told who filed it instead of overwriting it.
    """
    _require_on(acting_user, school, Cap.PROFILE_EDIT, "您的角色不能填报该学校的三防档案。")
    School.objects.select_for_update().filter(pk=school.pk).first()  # serialise filers per school
    current = SecurityProfile.objects.current_for(school)
    current_version = current.version if current else None
    if current_version != base_version:
        who = f"{current.created_by}在 {cn_datetime(current.created_at)} " if current else "他人"
        raise ConflictError(
            f"三防档案已由{who}更新为第{current_version}版，"
            "您的修改未保存。请刷新页面，在最新版本基础上重新填写。"
        )
    profile = SecurityProfile(
        school=school,
        version=(current_version or 0) + 1,
        created_by=acting_user,
        change_note=change_note,
    )
    for key in SecurityProfile.data_fields():
        if key in values:
            setattr(profile, key, values[key])
    profile.full_clean(exclude=["school", "created_by"])
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        raise ConflictError("三防档案刚被他人更新，您的修改未保存。请刷新页面后重新填写。") from exc
    audit.record(
        actor=acting_user,
        action="profile.file",
        obj=school,
        before=_profile_values(current) if current else None,
        after=_profile_values(profile),
        region_path=school.region.path,
        object_repr=f"{school.name} 三防档案 第{profile.version}版",
    )
    return profile


# --- Import from .xlsx -----------------------------------------------------------------------

IMPORT_JOB_KIND = "school_import"
IMPORT_ERRORS_KEPT = 500  # errors stored on the job and shown; the count is always exact


def import_paths(user) -> tuple[str, ...]:
    """The region subtrees `user` may import schools into (their `school.import` grants)."""
    return scope_of(user).paths(Cap.SCHOOL_IMPORT)


def school_import(
    *, acting_user, rows: Iterable[SheetRow], skip_invalid: bool, job: Job | None = None, filename: str = ""
) -> ImportResult:
    """Register the schools described by spreadsheet `rows` — all of them, or none.

    With `skip_invalid`, the valid rows are imported and the invalid ones only reported.
    Two passes: checking every row reads the database and reports progress on `job` as it
    goes; then one transaction creates the valid schools (`bulk_create`) and writes one
    `school.import` audit event. Progress is written in autocommit so a polling page sees it,
    which is why this service is not wrapped in `transaction.atomic` as a whole — do not call
    it inside one. Raises `SheetError` (the file as a whole), `PermissionDenied`, or
    `ConflictError` (someone registered a clashing school while the file was being checked).
    """
    paths = import_paths(acting_user)
    if not paths:
        raise PermissionDenied("您的角色不能导入学校名录。")
    progress = None
    if job is not None:

        def progress(done: int) -> None:
            # The total is the file's own estimate (0 if unknown); drop it once proven wrong.
            job_progress(job, done=done, total=job.total if done <= job.total else 0)

    result = RowChecker(allowed_paths=paths).check_all(rows, progress=progress)
    if job is not None:
        job_progress(job, done=result.rows, total=result.rows)  # checked; now saving
    if not result.valid or (result.errors and not skip_invalid):
        return result
    schools = [school for _, school in result.valid]
    try:
        with transaction.atomic():
            created = School.objects.bulk_create(schools, batch_size=500)
            result.created_ids = [s.pk for s in created]
            audit.record(
                actor=acting_user,
                action="school.import",
                after={
                    "file": filename,
                    "rows": result.rows,
                    "created": len(created),
                    "skipped_rows": result.invalid_rows,
                    "school_ids": result.created_ids,
                },
                region_path=common_region_path({s.region.path for s in schools}),
                object_repr=f"学校名录导入 {len(created)} 所",
            )
    except IntegrityError as exc:
        result.created_ids = []
        raise ConflictError(
            "导入期间有人登记了同名学校或相同学校标识码的学校，未导入任何数据。请重新上传，系统会指出重复的行。"
        ) from exc
    return result


def school_import_run(job: Job) -> None:
    """The background job behind the import page: read the uploaded file, import it, and store
    the outcome on the job. The upload is deleted afterwards — it holds names and phone numbers,
    and the job's result plus the audit event are the lasting record."""
    try:
        with (
            job.input_file.open("rb") as f,
            open_sheet(f, max_rows=settings.HUXIAO_IMPORT_MAX_ROWS) as sheet,
        ):
            job_progress(job, done=0, total=sheet.declared_rows)
            result = school_import(
                acting_user=job.created_by,
                rows=sheet.rows(),
                skip_invalid=bool(job.params.get("skip_invalid")),
                job=job,
                filename=job.params.get("filename", ""),
            )
    except SheetError as exc:
        job_finish(job, state=Job.State.FAILED, result={"message": exc.message})
    except ConflictError as exc:
        job_finish(job, state=Job.State.FAILED, result={"message": exc.message})
    except PermissionDenied as exc:
        job_finish(job, state=Job.State.FAILED, result={"message": str(exc)})
    else:
        state, summary = _import_summary(result, skip_invalid=bool(job.params.get("skip_invalid")))
        job_finish(job, state=state, result=summary, done=result.rows)
    finally:
        if job.input_file:
            job.input_file.delete(save=False)
            Job.objects.filter(pk=job.pk).update(input_file="")


def _import_summary(result: ImportResult, *, skip_invalid: bool) -> tuple[str, dict]:
    """The job's state and the result the status page shows."""
    summary = {
        "rows": result.rows,
        "created": len(result.created_ids),
        "invalid_rows": result.invalid_rows,
        "error_count": len(result.errors),
        "errors": [[e.row, e.column, e.message] for e in result.errors[:IMPORT_ERRORS_KEPT]],
        "skip_invalid": skip_invalid,
    }
    if result.created_ids:
        return Job.State.SUCCEEDED, summary
    if skip_invalid:
        summary["message"] = f"全部 {result.rows} 行都有误，没有可导入的学校。请按下表修改后重新上传。"
    else:
        summary["message"] = (
            f"共 {result.rows} 行，其中 {result.invalid_rows} 行有误。按“全部无误才导入”的规则，"
            "未导入任何数据。请按下表修改后重新上传，或勾选“跳过无效行”只导入有效行。"
        )
    return Job.State.FAILED, summary
