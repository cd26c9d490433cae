"""Background jobs: long work (an import) runs outside the request and reports progress that
a page can poll.

How a job runs
- `job_create(...)` stores the job (and its uploaded file) as *pending*.
- `start_job(job, func)` records `func`'s dotted path on the job and, once the surrounding
  transaction has committed, runs it in a daemon thread of the web process. With
  `settings.HUXIAO_JOBS_INLINE` (the tests) it runs at once, in the caller.
- `manage.py run_jobs` runs jobs that are still pending: for a deployment with a separate
  worker process, or for jobs whose thread never started because the process restarted.
- Whoever moves a job from pending to running first (one conditional UPDATE) runs it, so a
  thread and a worker never both run the same job.

What this does not do: a thread dies with its process (a gunicorn worker restart, a deploy).
Its job then stays "running" until `run_jobs --fail-stale MINUTES` marks it failed. The school
import saves everything in one transaction at the end, so an interrupted import saves nothing.

`func(job)` does the work; it reports progress with `job_progress` and ends with `job_finish`.
An exception it lets escape is logged and the job fails with a generic message.

A job that produces a file (the 隐患台账 export) stores it in `Job.output_file`; only the job's
creator may fetch it (`access_job`), and `purge_outputs` — run by `manage.py daily` — deletes
such files once they are `OUTPUT_KEEP_DAYS` old, keeping the job and its result as the record.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from huxiao.core.models import Job

logger = logging.getLogger(__name__)

OUTPUT_KEEP_DAYS = 7  # a job's output file is deleted after this many days (pages say 文件保留7天)


def job_create(*, acting_user, kind: str, params: dict, upload=None, organisation=None) -> Job:
    """A pending job for `acting_user`; `upload` (an uploaded file) is kept as its input."""
    job = Job(kind=kind, created_by=acting_user, organisation=organisation, params=params)
    if upload is not None:
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "bin"
        job.input_file.save(f"{kind}-{uuid.uuid4().hex}.{suffix}", upload, save=False)
    job.save()
    return job


def start_job(job: Job, func: Callable[[Job], None]) -> None:
    """Run `func(job)` in the background after commit (or now, inline, under test settings)."""
    runner = f"{func.__module__}.{func.__qualname__}"
    Job.objects.filter(pk=job.pk).update(params={**job.params, "runner": runner})
    job.params["runner"] = runner
    if getattr(settings, "HUXIAO_JOBS_INLINE", False):
        run_job(job.pk)
        return
    transaction.on_commit(lambda: _start_thread(job.pk))


def _start_thread(job_id: int) -> None:
    # Copy the request's context so the audit event keeps the uploader's IP address.
    context = contextvars.copy_context()
    thread = threading.Thread(
        target=context.run, args=(_thread_main, job_id), name=f"huxiao-job-{job_id}", daemon=True
    )
    thread.start()


def _thread_main(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        connection.close()  # this thread's own connection; Django will not close it for us


def run_job(job_id: int) -> bool:
    """Claim the pending job `job_id` and run it; False if someone else already claimed it."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.PENDING).update(state=Job.State.RUNNING)
    if not claimed:
        return False
    job = Job(pk=job_id, kind="")
    try:
        # inside the try: a failure reading the job (or its runner) fails it instead of leaving
        # it "running" until fail_stale finds it
        job = Job.objects.select_related("created_by", "organisation").get(pk=job_id)
        func = import_string(job.params["runner"])
        func(job)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job_finish(
            job,
            state=Job.State.FAILED,
            result={
                "message": f"处理过程中发生内部错误，任务未完成。请联系系统管理员（任务编号 #{job.pk}）。"
            },
        )
    return True


def job_progress(job: Job, *, done: int, total: int | None = None) -> None:
    """Record progress at once (autocommit), so a polling page sees it while the job runs.
    Call it outside any transaction, or the update stays invisible until the job commits."""
    fields: dict = {"done": done}
    if total is not None:
        fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)
    job.done = done
    if total is not None:
        job.total = total


def job_finish(job: Job, *, state: str, result: dict, done: int | None = None) -> None:
    """Mark the job succeeded or failed with its result (shown to the user as is)."""
    job.state, job.result, job.finished_at = state, result, timezone.now()
    if done is not None:
        job.done = job.total = done
    Job.objects.filter(pk=job.pk).update(
        state=job.state, result=job.result, finished_at=job.finished_at, done=job.done, total=job.total
    )


def access_job(user, pk, *, kind: str) -> Job:
    """A job of `kind`, for the user who started it; 404 for anyone else (DESIGN §4.1)."""
    job = Job.objects.filter(pk=pk, kind=kind, created_by_id=getattr(user, "pk", None)).first()
    if job is None:
        raise Http404("任务不存在。")
    return job


def run_pending(*, limit: int | None = None) -> int:
    """Run pending jobs, oldest first; returns how many this call ran."""
    ran = 0
    ids = Job.objects.filter(state=Job.State.PENDING, params__has_key="runner").order_by("created_at")
    for job_id in list(ids.values_list("pk", flat=True)[:limit]):
        if run_job(job_id):
            ran += 1
    return ran


def fail_stale(*, minutes: int) -> int:
    """Fail jobs stuck in "running" for longer than `minutes` (their process died)."""
    cutoff = timezone.now() - dt.timedelta(minutes=minutes)
    return Job.objects.filter(state=Job.State.RUNNING, created_at__lt=cutoff).update(
        state=Job.State.FAILED,
        finished_at=timezone.now(),
        result={"message": "任务在处理过程中中断（服务曾重启）。请重新提交。"},
    )


def purge_outputs(*, days: int = OUTPUT_KEEP_DAYS) -> int:
    """Delete the output files of jobs created more than `days` ago; returns how many.
    The job row stays (its result and the audit event are the record); its page then says
    the file has expired."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    removed = 0
    for job in Job.objects.filter(created_at__lt=cutoff).exclude(output_file="").only("pk", "output_file"):
        job.output_file.delete(save=False)  # no error if the file is already gone
        Job.objects.filter(pk=job.pk).update(output_file="")
        removed += 1
    return removed
