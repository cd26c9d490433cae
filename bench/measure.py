# mypy: disable-error-code="misc"
# (default-argument lambdas bind loop variables; mypy cannot infer their type)
"""The benchmark: our code against the fastest hand-written SQL and a bare Django view.

For each operation the same answer is computed three ways and checked to be equal:

* **ours** — the project's selector / view / export, as the pages call it (median of N runs);
* **raw SQL** — hand-written SQL through `connection.cursor()`, the scope written as the region
  subtree (`path LIKE 'x%'`), best of N warm runs;
* **bare view** — a minimal function view answering the same data as JSON with the plain ORM,
  called through RequestFactory (no middleware, no templates, no scope machinery).

Everything runs against the benchmark database the caller configured (bench/db.py).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.accounts.models import User
from huxiao.core.models import Region
from huxiao.hazards.choices import LIVE_STATES, State
from huxiao.hazards.models import Hazard
from huxiao.hazards.querysets import due_soon_until

TODAY = dt.date(2026, 11, 29)
LIVE = tuple(str(s) for s in LIVE_STATES)
LIVE_SQL = ", ".join(f"'{s}'" for s in LIVE)  # constants of the code, not user input


@dataclass
class Row:
    operation: str
    size: str
    ours_ms: float
    raw_ms: float | None = None
    bare_ms: float | None = None
    queries: int | None = None
    peak_mib: float | None = None
    note: str = ""
    target: str = ""  # PASS/FAIL text when a target applies

    @property
    def raw_ratio(self) -> float | None:
        return self.ours_ms / self.raw_ms if self.raw_ms else None

    @property
    def bare_ratio(self) -> float | None:
        return self.ours_ms / self.bare_ms if self.bare_ms else None


@dataclass
class Results:
    database: str
    server: str
    schools: int
    hazards: int
    rows: list[Row] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> str:
        data = asdict(self)
        for r, d in zip(self.rows, data["rows"], strict=True):
            d["raw_ratio"], d["bare_ratio"] = r.raw_ratio, r.bare_ratio
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def few(runs: int, divisor: int) -> int:
    """Fewer repetitions for the slow operations (whole pages, providers): runs // divisor, at
    least 3 — unless fewer than 3 runs were asked for (the tiny-scale test)."""
    return runs if runs < 3 else max(3, runs // divisor)


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """(median ms, best ms, last result) of `runs` warm runs after one warm-up."""
    result = fn()
    samples = []
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), min(samples), result


def raw(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class TimedOut(Exception):
    pass


@contextmanager
def deadline(seconds: float):
    """Abort the statement running when `seconds` have passed (PostgreSQL statement_timeout;
    SQLite's progress handler), raising TimedOut — so one pathological query cannot stall the run."""
    from django.db import OperationalError
    from django.db.utils import DatabaseError

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(seconds * 1000)])
        try:
            yield
        except DatabaseError as exc:
            if "statement timeout" in str(exc):
                raise TimedOut from exc
            raise
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
    else:
        stop = time.monotonic() + seconds
        connection.connection.set_progress_handler(lambda: int(time.monotonic() > stop), 100_000)
        try:
            yield
        except OperationalError as exc:
            if "interrupted" in str(exc):
                raise TimedOut from exc
            raise
        finally:
            connection.connection.set_progress_handler(None, 0)


LIMIT = 120.0  # seconds a single query may run before the benchmark aborts it (--limit)


def page_time(client: Client, url: str, runs: int) -> tuple[int | None, Any, float]:
    """(queries, status, median ms) of GET `url`; a page slower than 5 s is timed once, one whose
    query runs past LIMIT is aborted and reported as such."""
    try:
        with deadline(LIMIT):
            t = time.perf_counter()
            n, response = count_queries(lambda: client.get(url))
            first = (time.perf_counter() - t) * 1000
            if first > 5000:
                return n, response.status_code, first
            med, _, _ = timed(lambda: client.get(url), runs)
            return n, response.status_code, med
    except TimedOut:
        return None, f"超过 {LIMIT:.0f} s 中止", LIMIT * 1000


def count_queries(fn: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


# --- the people and places measured --------------------------------------------------------------


@dataclass
class Subject:
    label: str  # 区县级 / 省级
    user: User
    path: str  # the region subtree the user's unit covers
    schools: int


def subjects() -> list[Subject]:
    out = []
    for label, username in (("区县级", "d01-edu"), ("省级", "prov-edu")):
        user = User.objects.get(username=username)
        region = Region.objects.get(jurisdiction_of__memberships__user=user)
        n = raw("SELECT COUNT(*) FROM schools_school s JOIN core_region r ON r.id = s.region_id WHERE r.path LIKE %s",
                [region.path + "%"])[0][0]  # fmt: skip
        out.append(Subject(label, user, region.path, n))
    return out


SCOPE = "s.region_id IN (SELECT id FROM core_region WHERE path LIKE %s)"


# --- (a) dashboard aggregates -------------------------------------------------------------------

HAZARD_SUMMARY_SQL = f"""
SELECT COUNT(*) FILTER (WHERE h.state IN ({LIVE_SQL})),
       COUNT(*) FILTER (WHERE h.state = 'reported'),
       COUNT(*) FILTER (WHERE h.state IN ('open', 'rectifying')),
       COUNT(*) FILTER (WHERE h.state = 'submitted'),
       COUNT(*) FILTER (WHERE h.state IN ({LIVE_SQL}) AND h.deadline < %s),
       COUNT(*) FILTER (WHERE h.state IN ({LIVE_SQL}) AND h.deadline >= %s AND h.deadline <= %s),
       COUNT(*) FILTER (WHERE h.state IN ({LIVE_SQL}) AND h.escalation = 3)
FROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id
WHERE {SCOPE}
"""
SUMMARY_KEYS = ["live", "reported", "to_rectify", "submitted", "overdue", "due_soon", "listed"]

REGISTRY_SQL = f"""
SELECT COUNT(*), COUNT(*) FILTER (WHERE s.school_type = 'kindergarten'),
       COUNT(*) FILTER (WHERE s.is_boarding), SUM(s.students), SUM(s.staff),
       COUNT(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM schools_securityprofile p WHERE p.school_id = s.id))
FROM schools_school s WHERE NOT s.is_archived AND {SCOPE}
"""
REGISTRY_KEYS = ["schools", "kindergartens", "boarding", "students", "staff", "without_profile"]


def bench_dashboard(subject: Subject, runs: int) -> list[Row]:
    from huxiao.accounts.scope import forget_scope, scope_of
    from huxiao.dashboards.selectors import hazard_summary, registry_summary

    user, like = subject.user, subject.path + "%"

    def ours():  # the scope is computed once per request and shared by every card (row "scope_of")
        return hazard_summary(user, TODAY)

    def scope():
        forget_scope(user)
        return scope_of(user)

    def raw_summary():
        return dict(
            zip(
                SUMMARY_KEYS,
                raw(HAZARD_SUMMARY_SQL, [TODAY, TODAY, due_soon_until(TODAY), like])[0],
                strict=True,
            )
        )

    def bare_view(request):
        live = Q(state__in=LIVE)
        qs = Hazard.objects.filter(school__region__path__startswith=subject.path)
        return JsonResponse(
            qs.aggregate(
                live=Count("pk", filter=live),
                reported=Count("pk", filter=Q(state=State.REPORTED)),
                to_rectify=Count("pk", filter=Q(state__in=[State.OPEN, State.RECTIFYING])),
                submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
                overdue=Count("pk", filter=live & Q(deadline__lt=TODAY)),
                due_soon=Count(
                    "pk", filter=live & Q(deadline__gte=TODAY, deadline__lte=due_soon_until(TODAY))
                ),
                listed=Count("pk", filter=live & Q(escalation=3)),
            )
        )

    rows = []
    n_queries, _ = count_queries(scope)
    scope_med, _, _ = timed(scope, runs)
    rows.append(
        Row(f"用户范围 scope_of（{subject.label}，每请求一次）", "1 个任职", scope_med, None, None, n_queries)
    )
    n_queries, answer = count_queries(ours)
    ours_med, _, answer = timed(ours, runs)
    _, raw_best, raw_answer = timed(raw_summary, runs)
    bare_med, _, response = timed(lambda: _call(bare_view, user), runs)
    _check(answer == raw_answer == json.loads(response.content), "hazard_summary", answer, raw_answer)
    rows.append(
        Row(f"首页隐患汇总 hazard_summary（{subject.label}）", f"{subject.schools} 校 / {answer['live']} 在办",
            ours_med, raw_best, bare_med, n_queries)
    )  # fmt: skip

    def ours_registry():
        return registry_summary(user)

    def raw_registry():
        return dict(zip(REGISTRY_KEYS, raw(REGISTRY_SQL, [like])[0], strict=True))

    n_queries, answer = count_queries(ours_registry)
    ours_med, _, answer = timed(ours_registry, runs)
    _, raw_best, raw_answer = timed(raw_registry, runs)
    _check(answer == raw_answer, "registry_summary", answer, raw_answer)
    rows.append(
        Row(f"首页学校汇总 registry_summary（{subject.label}）", f"{subject.schools} 校", ours_med, raw_best,
            None, n_queries)
    )  # fmt: skip
    return rows


# --- (a2) the 数据看板 (dashboards.boards.hazard_part: 6 queries and the charts) --------------


def _figures_sql(vendor: str) -> tuple[str, list[str]]:
    """hazard_figures as one hand-written aggregate (keys in column order)."""
    from huxiao.dashboards.selectors import CONFIRMED_STATES
    from huxiao.hazards.choices import Category, Severity

    live = f"h.state IN ({LIVE_SQL})"
    local_date = (
        "(h.closed_at AT TIME ZONE 'Asia/Shanghai')::date"
        if vendor == "postgresql"
        else ("date(h.closed_at, '+8 hours')")
    )  # fmt: skip  (China has no daylight saving)
    cols: list[tuple[str, str]] = [(f"state_{st.value}", f"h.state = '{st.value}'") for st in State]
    cols += [(f"live_{v.value}", f"{live} AND h.severity = '{v.value}'") for v in Severity]
    cols += [(f"cat_{c.value}", f"{live} AND h.category = '{c.value}'") for c in Category]
    confirmed = ", ".join(f"'{st}'" for st in CONFIRMED_STATES)
    cols += [
        ("total", ""),
        ("live", live),
        ("overdue", f"{live} AND h.deadline < %(today)s"),
        ("due_soon", f"{live} AND h.deadline >= %(today)s AND h.deadline <= %(soon)s"),
        ("escalated", f"{live} AND h.escalation >= 1"),
        ("listed", f"{live} AND h.escalation = 3"),
        ("confirmed", f"h.state IN ({confirmed})"),
        ("closed", "h.state = 'closed'"),
        ("closed_on_time", f"h.state = 'closed' AND (h.deadline IS NULL OR {local_date} <= h.deadline)"),
    ]
    select = ",\n       ".join(f"COUNT(*) FILTER (WHERE {cond})" if cond else "COUNT(*)" for _, cond in cols)
    sql = (f"SELECT {select}\nFROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id\n"
           f"WHERE s.region_id IN (SELECT id FROM core_region WHERE path LIKE %(like)s)")  # fmt: skip
    return sql, [k for k, _ in cols]


def _trend_sql(vendor: str, months: list[dt.date], bounds: list[dt.date]) -> str:
    local_date = "(h.closed_at AT TIME ZONE 'Asia/Shanghai')::date" if vendor == "postgresql" else (
        "date(h.closed_at, '+8 hours')")  # fmt: skip
    parts = []
    for a, b in zip(months, bounds, strict=True):
        parts.append(f"COUNT(*) FILTER (WHERE h.found_on >= '{a}' AND h.found_on < '{b}')")
        parts.append(
            f"COUNT(*) FILTER (WHERE h.state = 'closed' AND {local_date} >= '{a}' AND {local_date} < '{b}')"
        )
    return (f"SELECT {', '.join(parts)} FROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id "
            f"WHERE s.region_id IN (SELECT id FROM core_region WHERE path LIKE %(like)s) "
            f"AND (h.found_on >= '{months[0]}' OR h.closed_at >= '{months[0]}')")  # fmt: skip


RISK_SQL = f"""
SELECT id FROM (
  SELECT s.id, s.name,
         5 * COUNT(*) FILTER (WHERE h.severity = 'major') + 3 * COUNT(*) FILTER (WHERE h.severity = 'larger')
         + COUNT(*) FILTER (WHERE h.severity = 'general') + 2 * COUNT(*) FILTER (WHERE h.deadline < %(today)s)
         + 2 * SUM(h.escalation) AS score
  FROM schools_school s JOIN hazards_hazard h ON h.school_id = s.id AND h.state IN ({LIVE_SQL})
  WHERE NOT s.is_archived AND s.region_id IN (SELECT id FROM core_region WHERE path LIKE %(like)s)
  GROUP BY s.id, s.name
) t WHERE score > 0 ORDER BY score DESC, name, id LIMIT 10
"""
OVERDUE_SQL = f"""
SELECT h.id, s.name FROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id
WHERE h.state IN ({LIVE_SQL}) AND h.deadline < %(today)s
  AND s.region_id IN (SELECT id FROM core_region WHERE path LIKE %(like)s)
ORDER BY h.deadline, h.id LIMIT 8
"""
ESCALATED_SQL = f"""
SELECT h.id, s.name FROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id
WHERE h.state IN ({LIVE_SQL}) AND h.escalation >= 1
  AND s.region_id IN (SELECT id FROM core_region WHERE path LIKE %(like)s)
ORDER BY h.escalation DESC, h.deadline, h.id LIMIT 8
"""


def bench_board(subject: Subject, runs: int, client: Client) -> list[Row]:
    from huxiao.dashboards import boards, selectors

    user, like = subject.user, subject.path + "%"
    vendor = connection.vendor
    params = {"today": TODAY, "soon": due_soon_until(TODAY), "like": like}
    fig_sql, fig_keys = _figures_sql(vendor)
    months = selectors.last_months(TODAY)
    bounds = [*months[1:], selectors._next_month(months[-1])]
    trend_sql = _trend_sql(vendor, months, bounds)

    def raw_q(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    rows: list[Row] = []
    # hazard_figures alone
    n_q, ours_fig = count_queries(lambda: selectors.hazard_figures(user, TODAY))
    med, _, ours_fig = timed(lambda: selectors.hazard_figures(user, TODAY), runs)
    _, raw_fig_best, raw_fig = timed(lambda: raw_q(fig_sql), runs)
    _check(ours_fig == dict(zip(fig_keys, raw_fig[0], strict=True)), "hazard_figures", ours_fig, raw_fig)
    rows.append(Row(f"看板隐患统计 hazard_figures（{subject.label}）", f"{ours_fig['total']} 条", med,
                    raw_fig_best, None, n_q))  # fmt: skip
    # schools_by_risk alone
    n_q, risky = count_queries(lambda: selectors.schools_by_risk(user, TODAY))
    med, _, risky = timed(lambda: selectors.schools_by_risk(user, TODAY), runs)
    _, raw_risk_best, raw_risk = timed(lambda: raw_q(RISK_SQL), runs)
    _check(
        [s.pk for s in risky] == [r[0] for r in raw_risk], "schools_by_risk", [s.pk for s in risky], raw_risk
    )
    rows.append(Row(f"看板学校风险排名 schools_by_risk（{subject.label}）", f"{subject.schools} 校", med,
                    raw_risk_best, None, n_q))  # fmt: skip
    # trend
    n_q, trend = count_queries(lambda: selectors.hazard_trend(user, TODAY))
    med, _, trend = timed(lambda: selectors.hazard_trend(user, TODAY), runs)
    _, raw_trend_best, raw_trend = timed(lambda: raw_q(trend_sql), runs)
    flat = [v for r in trend for v in (r["found"], r["closed"])]
    _check(flat == list(raw_trend[0]), "hazard_trend", flat, raw_trend)
    rows.append(
        Row(f"看板12个月趋势 hazard_trend（{subject.label}）", "12 个月", med, raw_trend_best, None, n_q)
    )
    # the whole hazard part of the board: the 6 queries and the charts, vs the 6 raw queries
    _, raw_reg_best, _ = timed(lambda: raw(REGISTRY_SQL, [like]), runs)
    _, raw_over_best, raw_over = timed(lambda: raw_q(OVERDUE_SQL), runs)
    _, raw_esc_best, raw_esc = timed(lambda: raw_q(ESCALATED_SQL), runs)
    _check([h.pk for h in selectors.overdue_hazards(user, TODAY)] == [r[0] for r in raw_over], "overdue list",
           None, raw_over)  # fmt: skip
    _check([h.pk for h in selectors.escalated_hazards(user)] == [r[0] for r in raw_esc], "escalated list",
           None, raw_esc)  # fmt: skip
    raw_total = raw_reg_best + raw_fig_best + raw_trend_best + raw_risk_best + raw_over_best + raw_esc_best
    n_q, _ = count_queries(lambda: boards.hazard_part(user, TODAY))
    med, _, _ = timed(lambda: boards.hazard_part(user, TODAY), runs)
    rows.append(Row(f"数据看板（隐患部分）boards.hazard_part（{subject.label}）", f"{subject.schools} 校", med,
                    raw_total, None, n_q, note="原生SQL为同样6条查询之和；本系统含图表生成"))  # fmt: skip
    url = reverse("dashboards:overview")
    client.force_login(user)
    rows += bench_board_page(subject, runs, client, url)
    return rows


def bench_board_page(subject: Subject, runs: int, client: Client, url: str) -> list[Row]:
    """The whole 数据看板 request (every section, template, middleware): computed in the request
    (no snapshot: the cache is cleared before each run), and as served from the snapshot of a
    large scope (dashboards/snapshots.py). No hand-written SQL covers every section, so these
    rows have no raw ratio; the hazard part above has one."""
    from django.core.cache import cache

    from huxiao.dashboards import snapshots

    def cold():
        cache.clear()
        return client.get(url)

    rows = []
    try:
        with deadline(LIMIT):
            n_cold, response = count_queries(cold)
            assert response.status_code == 200, response.status_code
            med_cold, _, _ = timed(cold, few(runs, 3))
    except TimedOut:
        return [Row(f"数据看板 完整请求 GET {url}（{subject.label}，当场计算）", f"{subject.schools} 校",
                    LIMIT * 1000, note=f"超过 {LIMIT:.0f} s 被中止")]  # fmt: skip
    rows.append(Row(f"数据看板 完整请求 GET {url}（{subject.label}，当场计算）", f"{subject.schools} 校", med_cold,
                    None, None, n_cold, note="清空快照后请求：全部分区的聚合、图表和模板"))  # fmt: skip
    if subject.schools > snapshots.LIVE_LIMIT:
        client.get(url)  # stores the snapshot
        n_warm, _ = count_queries(lambda: client.get(url))
        med_warm, _, _ = timed(lambda: client.get(url), runs)
        rows.append(Row(f"数据看板 完整请求 GET {url}（{subject.label}，快照）", f"{subject.schools} 校", med_warm,
                        None, None, n_warm, note="快照不超过60 s，超过后台刷新（dashboards/snapshots.py）"))  # fmt: skip
    cache.clear()
    return rows


# --- (b) the hazard register, first page -------------------------------------------------------

PAGE_SQL = f"""
SELECT h.id, h.title, s.name, h.category, h.severity, h.found_on, h.deadline, h.state, h.escalation, o.name,
       CASE WHEN h.state IN ({LIVE_SQL}) AND h.deadline < %s THEN 1 ELSE 0 END
FROM hazards_hazard h
JOIN schools_school s ON s.id = h.school_id
JOIN core_organisation o ON o.id = h.responsible_org_id
WHERE {SCOPE}
ORDER BY h.found_on DESC, h.id DESC
LIMIT 25
"""
COUNTS_SQL = f"""
SELECT h.state, COUNT(*) FROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id
WHERE {SCOPE} GROUP BY h.state
"""


def bench_hazard_list(subject: Subject, runs: int, client: Client) -> list[Row]:
    from django.core.paginator import Paginator

    from huxiao.hazards import selectors

    user, like = subject.user, subject.path + "%"

    def ours():
        hazards = selectors.hazard_register(user)
        counts = selectors.state_counts(hazards)
        page = Paginator(hazards, 25).get_page(1)
        return counts, [h.pk for h in page.object_list], page.paginator.count

    def raw_list():
        counts = dict(raw(COUNTS_SQL, [like]))
        rows = raw(PAGE_SQL, [TODAY, like])
        return counts, [r[0] for r in rows], sum(counts.values())

    def bare_view(request):
        qs = Hazard.objects.filter(school__region__path__startswith=subject.path)
        counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
        rows = list(
            qs.order_by("-found_on", "-pk").values(
                "pk", "title", "school__name", "category", "severity", "found_on", "deadline", "state",
                "escalation", "responsible_org__name",
            )[:25]
        )  # fmt: skip
        return JsonResponse({"counts": counts, "total": sum(counts.values()), "rows": rows})

    n_queries, _ = count_queries(ours)
    ours_med, _, (counts, ids, total) = timed(ours, runs)
    _, raw_best, (raw_counts, raw_ids, raw_total) = timed(raw_list, runs)
    bare_med, _, response = timed(lambda: _call(bare_view, user), runs)
    bare = json.loads(response.content)
    ours_counts = {k: v for k, v in counts.items() if v}
    _check(ours_counts == raw_counts == bare["counts"] and ids == raw_ids == [r["pk"] for r in bare["rows"]]
           and total == raw_total, "hazard list", (ours_counts, ids), (raw_counts, raw_ids))  # fmt: skip
    rows = [
        Row(
            f"隐患台账第1页 选择器（{subject.label}）", f"{total} 条", ours_med, raw_best, bare_med, n_queries
        ),
    ]

    url = reverse("hazards:hazard-list")
    client.force_login(user)
    n_queries, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    assert (
        f"YH{TODAY.year}-{ids[0]:06d}".encode() in response.content
        or str(ids[0]).encode() in response.content
    )
    page_med, _, _ = timed(lambda: client.get(url), few(runs, 2))
    rows.append(
        Row(f"隐患台账第1页 完整请求 GET {url}（{subject.label}）", f"{total} 条", page_med, raw_best, bare_med,
            n_queries, note="含中间件、会话、模板")
    )  # fmt: skip
    return rows


# --- (b2) the key-person register: a page of 50, masked (decryption included) ----------------

PEOPLE_PAGE_SQL = """
SELECT p.id, p.name_enc, p.id_number_enc, p.phone_enc, p.address_enc, c.name, st.name, u.username,
       p.risk, p.status, p.review_due
FROM people_keyperson p
JOIN core_region r ON r.id = p.region_id
JOIN people_category c ON c.id = p.category_id
JOIN core_organisation st ON st.id = p.station_id
JOIN accounts_user u ON u.id = p.officer_id
WHERE r.path LIKE %s AND p.status <> 'delisted'
ORDER BY p.review_due, p.id
LIMIT 50
"""
PEOPLE_COUNT_SQL = """
SELECT COUNT(*) FROM people_keyperson p JOIN core_region r ON r.id = p.region_id
WHERE r.path LIKE %s AND p.status <> 'delisted'
"""


def people_subjects() -> list[Subject]:
    """The district and province 政法委 (the registers' widest readers), when the people step ran."""
    out = []
    for label, username in (("区县级", "d01-zf"), ("省级", "prov-zf")):
        user = User.objects.filter(username=username, memberships__role="leader").first()
        if user is None:
            continue
        region = (
            Region.objects.filter(
                jurisdiction_of__memberships__user=user, jurisdiction_of__kind="political_legal"
            )
            .distinct()
            .get()
        )
        out.append(Subject(label, user, region.path, 0))
    return out


def bench_people_list(subject: Subject, runs: int, client: Client) -> list[Row]:
    from django.core.paginator import Paginator

    from huxiao.core import crypto
    from huxiao.lib.masks import mask_id, mask_name, mask_phone
    from huxiao.people import selectors

    user, like = subject.user, subject.path + "%"

    def ours():
        rows = selectors.persons(user)
        page = Paginator(rows, selectors.PAGE_SIZE).get_page(1)
        masked = [(p.pk, selectors.masked_person(p)["name"]) for p in page]
        return masked, page.paginator.count

    def raw_list():
        total = raw(PEOPLE_COUNT_SQL, [like])[0][0]
        rows = raw(PEOPLE_PAGE_SQL, [like])
        masked = []
        for r in rows:  # the same three decryptions a row of the page shows
            name = mask_name(crypto.decrypt(r[1]))
            mask_id(crypto.decrypt(r[2]))
            mask_phone(crypto.decrypt(r[3]))
            masked.append((r[0], name))
        return masked, total

    n_queries, _ = count_queries(ours)
    ours_med, _, (masked, total) = timed(ours, runs)
    _, raw_best, (raw_masked, raw_total) = timed(raw_list, runs)
    _check(
        masked == raw_masked and total == raw_total,
        "key-person list",
        (masked[:3], total),
        (raw_masked[:3], raw_total),
    )
    rows = [Row(f"重点人员第1页 选择器+脱敏（{subject.label}）", f"{total} 人", ours_med, raw_best, None, n_queries,
                note="50行，姓名/身份证号/电话解密后打码")]  # fmt: skip
    url = reverse("people:person-list")
    client.force_login(user)
    n_queries, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    page_med, _, _ = timed(lambda: client.get(url), few(runs, 2))
    rows.append(Row(f"重点人员第1页 完整请求 GET {url}（{subject.label}）", f"{total} 人", page_med, raw_best, None,
                    n_queries, note="含中间件、会话、模板、统计卡片"))  # fmt: skip
    for row in rows[:1]:
        row.target = (
            "PASS" if row.raw_ratio is not None and row.raw_ratio <= 2.0 else "FAIL"
        ) + " (≤2× 原生SQL)"
    return rows


# --- (c) the monthly roll-up through the registry ----------------------------------------------


def bench_rollup(subject: Subject, runs: int) -> list[Row]:
    """registry.figures over the subject's schools for this month, and each provider on its own;
    the 护学岗 人次 columns also against hand-written SQL."""
    from huxiao.core import registry
    from huxiao.schools.models import School

    limit = LIMIT
    start, end = TODAY.replace(day=1), TODAY
    schools = School.objects.filter(region__path__startswith=subject.path, is_archived=False)
    size = f"{subject.schools} 校，{start:%m-%d}～{end:%m-%d}"
    if not any(p for _, p in registry._FIGURES):
        return [
            Row(f"月报汇总 registry.figures（{subject.label}）", size, 0.0, note="尚无登记的月报栏目：未测")
        ]
    rows, answer, slow = [], {}, False
    for group, provider in registry._FIGURES:
        if provider is None:
            continue
        name = f"　月报来源 {provider.__module__}（{subject.label}）"
        try:
            with deadline(limit):
                t = time.perf_counter()
                n_q, values = count_queries(lambda provider=provider: provider(schools, start, end))
                first = (time.perf_counter() - t) * 1000
                med = first if first > 5000 else timed(lambda provider=provider: provider(schools, start, end),
                                                        few(runs, 3))[0]  # fmt: skip
        except TimedOut:
            slow = True
            rows.append(
                Row(name, size, limit * 1000, note=f"{len(group)} 栏；超过 {limit:.0f} s 被中止，未完成")
            )
            continue
        answer.update(values)
        rows.append(Row(name, size, med, None, None, n_q,
                        note=f"{len(group)} 栏" + ("；只测1次（>5 s）" if first > 5000 else "")))  # fmt: skip
    if not slow:
        n_q, answer = count_queries(lambda: registry.figures(schools, start, end))
        med, _, answer = timed(lambda: registry.figures(schools, start, end), few(runs, 3))
        rows.insert(0, Row(f"月报汇总 registry.figures（{subject.label}）", size, med, None, None, n_q,
                           note=f"{len(answer)} 个计算栏目"))  # fmt: skip
    else:
        rows.insert(0, Row(f"月报汇总 registry.figures（{subject.label}）", size, sum(r.ours_ms for r in rows),
                           note="至少一个来源超时：合计为下限"))  # fmt: skip
    try:
        from huxiao.monthly.selectors import rollup
    except ImportError:
        rollup = None  # type: ignore[assignment]
    if rollup is not None:
        from huxiao.core.models import Organisation

        # the 区 of the reporting tree (学校 → 学区/派出所 → 街道 → 区) is the 政法委; the
        # subject's own unit (教委, 教育厅) reports for no children
        unit = (
            Organisation.objects.filter(kind="political_legal", region__path=subject.path)
            .order_by("pk")
            .first()
            or subject.user.memberships.get().organisation
        )
        name = f"月报逐级汇总 monthly.rollup（{subject.label}，{unit.name}）"
        try:
            with deadline(limit):
                t = time.perf_counter()
                n_q, result = count_queries(lambda: rollup(unit, TODAY.year, TODAY.month))
                ms = (time.perf_counter() - t) * 1000
            rows.append(Row(name, f"{len(result.rows)} 个下级，{subject.schools} 校", ms, None, None, n_q,
                            note="只测1次；下级均未报送，全部实时计算"))  # fmt: skip
        except TimedOut:
            rows.append(
                Row(name, f"{subject.schools} 校", limit * 1000, note=f"超过 {limit:.0f} s 被中止，未完成")
            )
    if "duty_police_times" in answer:
        from bench import rollup_sql
        from huxiao.duty import coverage

        def ours_times():
            # an empty calendar: the 人次 sums alone, as duty.figures reads them with its counts
            return {
                k: int(v)
                for k, v in coverage._counts(schools, start, end, coverage.Calendar(()), None)[None].items()
            }

        n_q, _ = count_queries(ours_times)
        med, _, ours = timed(ours_times, runs)
        _, raw_best, theirs = timed(lambda: rollup_sql.duty_times(subject.path, start, end), runs)
        _check(ours == theirs and all(answer[k] == v for k, v in theirs.items()), "duty times", ours, theirs)
        rows.append(Row(f"　护学岗人次汇总（{subject.label}）", size, med, raw_best, None, n_q,
                        note="月报6栏：民警、辅警、保安、教师、志愿者人次，警车台次"))  # fmt: skip
    return rows


# --- (d) the .xlsx export of the register -------------------------------------------------------


def _export_sql(vendor: str) -> str:
    if vendor == "postgresql":
        notices = (
            "(SELECT string_agg(n.number, '、' ORDER BY n.issued_at) FROM hazards_rectificationnotice_hazards t "
            "JOIN hazards_rectificationnotice n ON n.id = t.rectificationnotice_id WHERE t.hazard_id = h.id)"
        )
    else:
        notices = (
            "(SELECT group_concat(number, '、') FROM (SELECT n.number FROM hazards_rectificationnotice_hazards t "
            "JOIN hazards_rectificationnotice n ON n.id = t.rectificationnotice_id WHERE t.hazard_id = h.id "
            "ORDER BY n.issued_at))"
        )
    return f"""
SELECT h.id, h.found_on, s.name, h.title, h.category, h.severity, h.source, fo.name, ro.name, h.deadline,
       h.state, CASE WHEN h.state IN ({LIVE_SQL}) AND h.deadline < %s THEN 1 ELSE 0 END, h.escalation,
       {notices}, h.closed_at
FROM hazards_hazard h
JOIN schools_school s ON s.id = h.school_id
LEFT JOIN core_organisation fo ON fo.id = h.found_by_org_id
JOIN core_organisation ro ON ro.id = h.responsible_org_id
WHERE {SCOPE} AND h.id <= %s
ORDER BY s.name, h.found_on, h.id
"""


def bench_export(subject: Subject, sizes: list[int], runs: int) -> list[Row]:
    from huxiao.hazards.exports import write_register

    user, like = subject.user, subject.path + "%"
    ids = [r[0] for r in raw(f"SELECT h.id FROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id "
                             f"WHERE {SCOPE} ORDER BY h.id", [like])]  # fmt: skip
    rows = []
    sql = _export_sql(connection.vendor)
    for n in sizes:
        if n > len(ids):
            continue
        last = ids[n - 1]
        qs = Hazard.objects.visible_to(user).filter(pk__lte=last)

        def ours(qs=qs):
            with tempfile.TemporaryFile() as out:
                written = write_register(qs, out, unit="基准测试", today=TODAY)
                return written, out.tell()

        def raw_rows(last=last):
            with connection.cursor() as cursor:
                cursor.execute(sql, [TODAY, like, last])
                count = 0
                while chunk := cursor.fetchmany(2000):
                    count += len(chunk)
                return count

        def bare_view(request, last=last):
            data = list(
                Hazard.objects.filter(school__region__path__startswith=subject.path, pk__lte=last)
                .order_by("school__name", "found_on", "pk")
                .values_list("pk", "school__name", "title", "category", "severity", "source", "found_on",
                             "found_by_org__name", "responsible_org__name", "deadline", "state", "escalation",
                             "closed_at")
            )  # fmt: skip
            return JsonResponse({"rows": data})

        n_queries, (written, size) = count_queries(ours)
        med, _, _ = timed(ours, runs)
        _, raw_best, raw_count = timed(raw_rows, runs)
        bare_med, _, _ = timed(lambda bare_view=bare_view: _call(bare_view, user), runs)
        _check(written == raw_count == n, "export rows", written, raw_count)
        gc.collect()
        tracemalloc.start()
        ours()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append(
            Row(f"隐患台账导出 .xlsx（{subject.label}）", f"{n} 行", med, raw_best, bare_med, n_queries, peak,
                note=f"文件 {size / 2**20:.1f} MiB；原生SQL只取数、不写文件；对照视图返回 JSON")
        )  # fmt: skip
    return rows


# --- query counts and times of the main pages ---------------------------------------------------


def page_counts(subject: Subject, client: Client, runs: int) -> list[dict[str, Any]]:
    client.force_login(subject.user)
    hazard = (
        Hazard.objects.filter(
            school__region__path__startswith=subject.path, notices__isnull=False, state="closed"
        )
        .order_by("-pk")
        .first()
    )
    urls = [("工作台", reverse("dashboards:home")), ("隐患台账", reverse("hazards:hazard-list")),
            ("逾期隐患", reverse("hazards:hazard-list") + "?overdue=on"),
            ("整改通知书", reverse("hazards:notice-list")), ("学校名录", reverse("schools:school-list"))]  # fmt: skip
    if hazard is not None:
        urls.append(("隐患详情", reverse("hazards:hazard-detail", args=[hazard.pk])))
    for name, extra in extra_pages():
        urls.append((name, extra))
    out = []
    for name, url in urls:
        n, status, med = page_time(client, url, runs)
        out.append({"page": name, "url": url, "user": subject.label, "status": status,
                    "queries": n, "ms": round(med, 1)})  # fmt: skip
    return out


def extra_pages() -> list[tuple[str, str]]:
    """Pages of apps that have landed since the hazard loop, when their URLs exist."""
    from django.urls import NoReverseMatch

    out = []
    for name, urlname in (("总览", "dashboards:overview"), ("数据大屏数据", "dashboards:screen-data")):
        with suppress(NoReverseMatch):
            out.append((name, reverse(urlname)))
    return out


# --- helpers ----------------------------------------------------------------------------------


_rf = RequestFactory()


def _call(view, user):
    request = _rf.get("/bare/")
    request.user = user
    return view(request)


class Mismatch(AssertionError):
    pass


def _check(ok: bool, what: str, ours: Any, theirs: Any) -> None:
    if not ok:
        raise Mismatch(f"{what}: ours {ours!r} != raw {theirs!r}")


def run_all(
    database: str, runs: int = 15, export_sizes: tuple[int, ...] = (10_000, 100_000), export_runs: int = 3,
    say: Callable[[str], None] = print,
) -> Results:  # fmt: skip
    from huxiao.schools.models import School

    server = connection.vendor
    if server == "postgresql":
        server = raw("SHOW server_version")[0][0]
        server = f"PostgreSQL {server}"
    else:
        server = f"SQLite {raw('SELECT sqlite_version()')[0][0]}"
    results = Results(database, server, School.objects.count(), Hazard.objects.count())
    client = Client()
    subs = subjects()
    for subject in subs:
        say(f"… 首页汇总（{subject.label}）")
        results.rows += bench_dashboard(subject, runs)
        say(f"… 数据看板（{subject.label}）")
        results.rows += bench_board(subject, runs, client)
        say(f"… 隐患台账（{subject.label}）")
        results.rows += bench_hazard_list(subject, runs, client)
        say(f"… 月报汇总（{subject.label}）")
        results.rows += bench_rollup(subject, runs)
    for subject in people_subjects():
        say(f"… 重点人员（{subject.label}）")
        results.rows += bench_people_list(subject, runs, client)
    say("… 隐患台账导出")
    sizes = [n for n in export_sizes if n <= results.hazards] or [min(results.hazards, 1000)]
    results.rows += bench_export(subs[-1], sizes, export_runs)
    for subject in subs:
        say(f"… 页面查询数（{subject.label}）")
        results.pages += page_counts(subject, client, few(runs, 3))
    for row in results.rows:
        if row.operation.startswith(("首页隐患汇总", "看板", "数据看板（")):
            ok = row.raw_ratio is not None and row.raw_ratio <= 2.0 and row.ours_ms < 300
            row.target = ("PASS" if ok else "FAIL") + " (≤2× 原生SQL 且 <300 ms)"
        elif row.operation.startswith("数据看板 完整请求"):
            row.target = ("PASS" if row.ours_ms < 300 else "FAIL") + " (<300 ms)"
    return results


def table(results: Results) -> str:
    def f(x, fmt="{:.1f}"):
        return "—" if x is None else fmt.format(x)

    lines = [
        f"数据库 {results.server}；学校 {results.schools}，隐患 {results.hazards}",
        "",
        "| 操作 | 规模 | 本系统 ms（中位数） | 原生SQL ms（最佳） | 倍数 | 对照视图 ms | 倍数 | 查询数 | 峰值内存 MiB | 目标 | 说明 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results.rows:
        lines.append(
            f"| {r.operation} | {r.size} | {f(r.ours_ms)} | {f(r.raw_ms)} | {f(r.raw_ratio, '{:.2f}×')} | "
            f"{f(r.bare_ms)} | {f(r.bare_ratio, '{:.2f}×')} | {f(r.queries, '{}')} | {f(r.peak_mib)} | "
            f"{r.target} | {r.note} |"
        )
    lines += ["", "| 页面 | 用户 | 状态 | 查询数 | ms（中位数） |", "|---|---|---:|---:|---:|"]
    for p in results.pages:
        lines.append(
            f"| {p['page']} `{p['url']}` | {p['user']} | {p['status']} | {p['queries']} | {p['ms']} |"
        )
    return "\n".join(lines)
