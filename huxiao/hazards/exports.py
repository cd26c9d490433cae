"""The hazard register (隐患台账) as .xlsx, written in streaming mode, and its download with audit
(the same pattern as schools/exports.py + downloads.py).

Up to `INLINE_LIMIT` rows the file is written inside the request and downloaded at once. A
bigger register (100,000 rows take most of a minute) is written by a background job
(`huxiao.core.jobs`): `register_export_start` queues it with the filter's query string, and
`register_export_run` re-applies the same filters to the same scope (`register_hazards`, as the
creator), reports progress every `PROGRESS_EVERY` rows, stores the file on the job and records
the `hazard.export` audit event. The file is kept `jobs.OUTPUT_KEEP_DAYS` days.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from collections.abc import Callable
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import audit, jobs
from huxiao.core.models import Job
from huxiao.hazards.forms import HazardFilterForm
from huxiao.hazards.models import Hazard, RectificationNotice
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.lib.spreadsheet import neutralise

# (header, column width)
COLUMNS = [
    ("编号", 15),
    ("学校", 22),
    ("隐患名称", 30),
    ("类别", 10),
    ("等级", 8),
    ("来源", 10),
    ("发现日期", 14),
    ("发现单位", 20),
    ("责任单位", 20),
    ("整改期限", 14),
    ("状态", 10),
    ("是否逾期", 9),
    ("督办等级", 10),
    ("通知书文号", 28),
    ("销号时间", 18),
]
HEADERS = [header for header, _ in COLUMNS]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INLINE_LIMIT = 2000  # rows written inside the request; a bigger export becomes a background job
PROGRESS_EVERY = 500  # rows between two progress updates of a job (each is one UPDATE)
EXPORT_JOB_KIND = "hazard_export"
REUSE_MINUTES = 10  # the same export asked for again within this time goes to the same job
OUT_OF_SCOPE = "您的职责范围在生成此文件后已变更，文件不再提供下载。请回到隐患台账按现在的范围重新导出。"


def _row(hazard: Any) -> list:
    """One register row of a hazard annotated by `write_register` (flags, prefetched notices)."""
    notices = "、".join(n.number for n in hazard.notice_list)
    return [
        hazard.code,
        hazard.school.name,
        hazard.title,
        hazard.get_category_display(),
        hazard.get_severity_display(),
        hazard.source_label,
        cn_date(hazard.found_on),
        hazard.found_by_org.name if hazard.found_by_org else "",
        hazard.responsible_org.name,
        cn_date(hazard.deadline),
        hazard.get_state_display(),
        "是" if hazard.is_overdue else "否",
        hazard.get_escalation_display(),
        notices,
        cn_datetime(hazard.closed_at),
    ]


def write_register(
    hazards, out: IO[bytes], *, unit: str, today, progress: Callable[[int], None] | None = None
) -> int:
    """Write `hazards` (a queryset) to `out`: a title row, a unit/date row, the header row, one
    row per hazard with every text cell neutralised; returns the number of hazard rows.
    `progress(rows_written)` is called every `PROGRESS_EVERY` rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("隐患台账")
    for i, (_header, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    title = WriteOnlyCell(ws, value="安全隐患排查整治台账")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([WriteOnlyCell(ws, value=neutralise(f"填报单位：{unit}    导出日期：{cn_date(today)}"))])
    headers = []
    for header in HEADERS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        headers.append(cell)
    ws.append(headers)
    qs = (
        hazards.with_flags(today)
        .select_related("school", "found_by_org", "responsible_org")
        .prefetch_related(
            Prefetch(
                "notices", queryset=RectificationNotice.objects.order_by("issued_at"), to_attr="notice_list"
            )
        )
        .order_by("school__name", "found_on", "pk")
    )
    count = 0
    for hazard in qs.iterator(chunk_size=1000):
        ws.append([neutralise(value) for value in _row(hazard)])
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    wb.save(out)
    return count


def register_hazards(user, data: QueryDict):
    """The hazards the register shows `user` for the filter `data` (its GET parameters): the
    user's scope first, then the filters. Invalid filters are ignored, as on the register page.
    Both the direct download and the background job start here, so a query string can narrow
    the scope but never widen it."""
    hazards = Hazard.objects.visible_to(user)
    form = HazardFilterForm(data or None, user=user)
    if form.is_valid():
        hazards = form.apply(hazards)
    return hazards


def _unit(user) -> str:
    """The 填报单位 line of the sheet: the user's units, or the user."""
    names = {m.organisation.name for m in user.memberships.active().select_related("organisation")}
    return "、".join(sorted(names)) or str(user)


def _filename(today) -> str:
    return f"隐患台账_{today:%Y%m%d}.xlsx"


def _record_export(user, rows: int) -> None:
    audit.record_export(actor=user, action="hazard.export", rows=rows, object_repr=f"隐患台账导出 {rows} 条")


def register_download(user, hazards) -> FileResponse:
    """Stream the register as an attachment and record who exported how many rows."""
    today = timezone.localdate()
    tmp = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed by FileResponse)
    rows = write_register(hazards, tmp, unit=_unit(user), today=today)
    _record_export(user, rows)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=_filename(today), content_type=XLSX_CONTENT_TYPE)


# --- Big exports as a background job --------------------------------------------------------


def export_query(data: QueryDict) -> str:
    """The filter part of a register query string (no page number, no stray parameters), so the
    job stores only what `HazardFilterForm` reads and the same filter always reads the same."""
    query = QueryDict(mutable=True)
    for name in HazardFilterForm.base_fields:
        if name in data:
            query.setlist(name, data.getlist(name))
    return query.urlencode()


def register_export_start(*, acting_user, query: str, rows: int) -> Job:
    """Queue the export of the register filtered by `query` (about `rows` rows) for
    `acting_user`. The same filter queued in the last `REUSE_MINUTES` and still pending or
    running is not queued twice (a double click, a reload): that job is returned. (An older one
    may be stuck in a dead process, so it is not reused.)

    The check and the insert hold a lock on the user's row: two requests of one double click
    arrive together, and without it both find no job and both queue one (two files, two audit
    events). The second now waits for the first to commit and finds its job. (On SQLite the
    IMMEDIATE transaction already queues them.)"""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=acting_user.pk).first()
        same = Job.objects.filter(
            created_by=acting_user,
            kind=EXPORT_JOB_KIND,
            state__in=(Job.State.PENDING, Job.State.RUNNING),
            params__query=query,
            created_at__gte=timezone.now() - dt.timedelta(minutes=REUSE_MINUTES),
        ).first()
        if same is not None:
            return same
        job = jobs.job_create(
            acting_user=acting_user, kind=EXPORT_JOB_KIND, params={"query": query, "rows": rows}
        )
    # after the commit, like every progress update; an inline run (tests) must not hold the lock
    jobs.job_progress(job, done=0, total=rows)
    jobs.start_job(job, register_export_run)
    return job


def register_export_run(job: Job) -> None:
    """The background job: write the register the job's creator asked for into a file kept on
    the job, then record the export. Runs outside any transaction so progress is visible."""
    user = job.created_by
    if not scope_of(user).has(Cap.SCHOOL_EXPORT):  # the role may have been withdrawn meanwhile
        jobs.job_finish(
            job, state=Job.State.FAILED, result={"message": "您的角色已没有导出权限，未生成文件。"}
        )
        return
    hazards = register_hazards(user, QueryDict(job.params.get("query", "")))
    today = timezone.localdate()

    def progress(done: int) -> None:
        # the count was taken when the job was queued; rows added since make the total grow
        jobs.job_progress(job, done=done, total=max(job.total, done))

    scope = _scope_grants(user)  # before the rows: what the file is written under
    with tempfile.TemporaryFile() as tmp:
        rows = write_register(hazards, tmp, unit=_unit(user), today=today, progress=progress)
        tmp.seek(0)
        job.output_file.save(f"{EXPORT_JOB_KIND}-{uuid.uuid4().hex}.xlsx", File(tmp), save=False)
    try:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(output_file=job.output_file.name)
            _record_export(user, rows)
            jobs.job_finish(
                job,
                state=Job.State.SUCCEEDED,
                result={"rows": rows, "filename": _filename(today), "scope": scope},
                done=rows,
            )
    except Exception:
        job.output_file.delete(save=False)  # no job points at it: do not leave it behind
        raise


def _scope_grants(user) -> list[list]:
    """The memberships the user's visible hazards come from (`visible_to` reads the grants
    holding school.view): unit, role and jurisdiction, as JSON-friendly sorted lists."""
    return scope_of(user).fingerprint(Cap.SCHOOL_VIEW)


def export_in_scope(job: Job, user) -> bool:
    """Whether `user` may still be given `job`'s file: every grant it was written under still
    holds (a role added elsewhere only widens what they see; a transfer, a revoked membership
    or a changed jurisdiction does not). A file kept for days must not outlive the scope it
    was cut from — DESIGN §4.1. A job without the record (none should exist) is refused."""
    written_under = job.result.get("scope")
    if written_under is None:
        return False
    current = _scope_grants(user)
    return all(grant in current for grant in written_under)


def export_stalled(job: Job) -> bool:
    """An export still unfinished `REUSE_MINUTES` after it was queued is probably stuck (its
    process died; `run_jobs --fail-stale` will say so later). Its page stops polling then: each
    poll renews the session, and a page polling a stuck job for ever would keep an unattended
    login alive past the idle timeout."""
    return not job.is_finished and job.created_at < timezone.now() - dt.timedelta(minutes=REUSE_MINUTES)


def export_file_response(job: Job) -> FileResponse | None:
    """The finished export of `job` as an attachment named 隐患台账_YYYYMMDD.xlsx; None when the
    file is gone from storage (purged a moment ago, or removed by hand), which the view reports
    like an expired file instead of a 500."""
    filename = job.result.get("filename") or _filename(timezone.localdate(job.finished_at))
    try:
        content = job.output_file.open("rb")
    except FileNotFoundError:
        return None
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
