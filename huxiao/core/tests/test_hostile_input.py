"""No 500, no half-save and a Chinese message for hostile input — on every form and list page of
the project, found by crawling rather than listed, so a form added tomorrow is covered without
anyone remembering to (hardening issue: "a hostile-input test that stays").

With the demo district loaded, each of a handful of demo accounts — whose roles together hold
every write capability, plus any demo account whose role holds one they do not — crawls the site
from "/": same-site links, breadth-first, GET only (files, exports and logout skipped). A URL
pattern (/hazards/1/ and /hazards/2/ are one) is left after two pages in a row that look like
one already seen — the same forms, the same kinds of links — so a hazard in another state, with
other buttons, is still looked at. Then

- every `<form method="post">` found (once per action pattern and set of fields, by the first
  account that reaches it; login, logout and password change excepted) is posted from its
  current values with ONE kind of field replaced by hostile values at a time: text (a vertical
  tab, a NUL, a right-to-left override, 100,000 characters), dates (9999-12-31, 0001-01-01),
  numbers (2⁶⁴, -1), choices (2⁶⁴, "²") and hidden fields other than the CSRF token (2⁶⁴); a
  file field is left empty. Each POST runs in a savepoint that is rolled back, so every form is
  tried on the demo's own state. Asserted: never a 500; a refused POST (a 4xx, or a 200 with an
  error message) changed no row of any of the project's tables — the audit chain included,
  which every write appends to; a 200 that changed nothing is a refusal and must say why in
  Chinese in an error element (`includes/form_fields.html`: `small.error`, `.msg-error`); a 4xx
  says something in Chinese;
- every list page (no key in its path) and every page with a filter form is fetched again with
  hostile query parameters, and with hostile values in its filter form's fields: never a 500;
- a GET writes nothing but the record that something was read (READ_RECORDS).

All findings of an account are collected and reported together (URL, field kind, payload,
status, exception). `-s` shows what each account covered.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, TestCase, override_settings
from django.urls import Resolver404, resolve

from huxiao.accounts.models import User
from huxiao.accounts.roles import ROLES
from huxiao.demo import data as demo_data
from huxiao.demo.loader import load_demo

HUGE = str(2**64)

# Demo accounts (huxiao/demo/data.py ACCOUNTS) whose roles together hold every write capability
# of huxiao/accounts/roles.py; `crawling_accounts()` adds any demo account whose role holds a
# capability none of these has (a role added tomorrow is crawled without anyone remembering to).
CRAWLERS = (
    "pinganban",  # 平安办 · 协调: school register, profiles, hazard review, campaigns, standards, duty
    "xuequ",  # 学区管理中心 · 协调: the plans of 重大 hazards, the campaign office
    "minjing",  # 派出所 · 民警: notices, duty, key persons and disputes
    "anquan",  # 学校安全负责人: self-inspection, rectification, monthly reports
    "xiaozhang",  # 校长: the school's record, rectification
    "jiedao",  # 街道 · 领导: report approval, campaigns
    "suozhang",  # 派出所 · 领导: de-listing approvals, escalations
    "admin",  # 系统管理员: accounts, regions, organisations
)


def crawling_accounts() -> list[str]:
    roles = {username: role for username, _name, _org, role, *_ in demo_data.ACCOUNTS}
    chosen = [username for username in CRAWLERS if username in roles]
    held = set().union(*(ROLES[roles[username]].caps for username in chosen))
    for username, role in roles.items():
        if username not in chosen and not ROLES[role].caps <= held:
            chosen.append(username)
            held |= ROLES[role].caps
    return chosen


MAX_PAGES = 250  # per account
# URLs fetched per URL pattern (/hazards/1/ and /hazards/2/ are one pattern): the crawl moves on
# from a pattern after PER_PATTERN pages in a row that look like one already seen (the same forms
# and the same kinds of links) — a hazard in another state has other buttons, so it is looked at.
PER_PATTERN = 2
MAX_PER_PATTERN = 20

# GET: never follow these (files, not pages; or leaving the session).
SKIP_SUFFIXES = (".xlsx", ".docx", ".pdf", ".svg", ".png", ".jpg", ".jpeg", ".csv", ".zip")
SKIP_URL_NAMES = re.compile(r"logout|download|export|docx|xlsx|-qr$|photo$|attachment|-file$")
# POST: never post to these (they end the session or are the credential forms).
SKIP_POST_URL_NAMES = {"login", "logout", "logout-everywhere", "password-change"}

TEXT_TYPES = {"text", "search", "email", "tel", "url", "password", ""}
DATE_TYPES = {"date", "datetime-local", "month"}
POST_PAYLOADS = {
    "text": ["消防\x0b通道", "\x00", "\u202egpj.exe", "长" + "a" * 99_999],
    "date": ["9999-12-31", "0001-01-01"],
    "number": [HUGE, "-1"],
    "select": [HUGE, "²"],
    "hidden": [HUGE],
}
# How a date payload is written into a datetime-local or month input.
DATE_SHAPES = {
    "date": lambda day: day,
    "datetime-local": lambda day: f"{day}T08:00",
    "month": lambda day: day[:7],
}
# Appended to every list page: all at once, once with each month (a filter form's own fields are
# also tried one kind at a time, below — those are the parameters the page is known to read).
QUERY_PAYLOADS = [
    {
        "page": HUGE,
        "school": HUGE,
        "month": month,
        "year": "9999",
        "q": "\x00\x0b",
        "date": day,
        "status": "<script>",
    }
    for month, day in (("9999-12", "9999-12-31"), ("0001-01", "0001-01-01"))
]
FILTER_PAYLOADS = {
    "text": ["\x00\x0b"],
    "date": ["9999-12-31", "0001-01-01"],
    "number": [HUGE],
    "select": [HUGE, "²"],
}

# What a GET may write: the record that something was read — the audit event of an audited full
# view (a register's 修改档案 page) and a circular's read receipt (campaigns.circular_detail).
# Any other row a GET adds or removes is a finding.
READ_RECORDS = {"core_auditevent", "campaigns_circularreceipt"}
ACTION_WORD = re.compile(r"[a-z_]{1,20}")
CJK = re.compile(r"[\u4e00-\u9fff]")
ERROR_CLASSES = {"error", "msg-error", "errorlist"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


# --- Reading a page --------------------------------------------------------------------------


@dataclass
class Control:
    name: str
    kind: str  # text, date, number, select (radios, checkbox groups), hidden, csrf, check, file, other
    input_type: str = ""
    values: list[str] = field(default_factory=list)  # what the browser would submit now
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str
    controls: dict[str, Control] = field(default_factory=dict)
    buttons: list[tuple[str, str, bool]] = field(default_factory=list)  # name, value, formnovalidate

    def button(self) -> tuple[str, str] | None:
        """The submit button a user presses: the first that validates ("增加一行" does not)."""
        chosen = next((b for b in self.buttons if not b[2]), self.buttons[0] if self.buttons else None)
        return chosen[:2] if chosen and chosen[0] else None

    def add(self, name: str, kind: str, input_type: str = "", value: str | None = None, multiple=False):
        control = self.controls.get(name)
        if control is None:
            control = self.controls[name] = Control(name, kind, input_type, multiple=multiple)
        elif control.kind == "check" and kind == "check":
            control.kind, control.multiple = "select", True  # a group of checkboxes: a multiple choice
        if value is not None:
            control.values.append(value)


class Page(HTMLParser):
    """The links, forms and error messages of an HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.errors: list[str] = []
        self._form: Form | None = None
        self._select: tuple[Control, list[tuple[str, bool]]] | None = None
        self._option: list | None = None
        self._textarea: tuple[Control, list[str]] | None = None
        self._error: list | None = None  # [tag, depth, texts]
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if self._error is not None and tag == self._error[0]:
            self._error[1] += 1
        elif self._error is None and tag not in VOID and ERROR_CLASSES & set(a.get("class", "").split()):
            self._error = [tag, 1, []]
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        input_type = a.get("type", "text").lower()
        if tag == "input" and input_type in ("submit", "image"):
            form.buttons.append((name, a.get("value", ""), "formnovalidate" in a))
        elif tag == "input" and name:
            value = a.get("value", "")
            if input_type == "hidden":
                form.add(name, "csrf" if name == "csrfmiddlewaretoken" else "hidden", input_type, value)
            elif input_type in ("checkbox", "radio"):
                kind = "check" if input_type == "checkbox" else "select"
                form.add(name, kind, input_type, (value or "on") if "checked" in a else None)
            elif input_type == "file":
                form.add(name, "file", input_type)
            elif input_type == "number" or input_type == "range":
                form.add(name, "number", input_type, value)
            elif input_type in DATE_TYPES:
                form.add(name, "date", input_type, value)
            elif input_type in TEXT_TYPES:
                form.add(name, "text", input_type, value)
            else:  # time, color, …: kept as they are
                form.add(name, "other", input_type, value)
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", ""), "formnovalidate" in a))
        elif tag == "textarea" and name:
            control = Control(name, "text", "textarea")
            form.controls[name] = control
            self._textarea = (control, [])
        elif tag == "select" and name:
            control = Control(name, "select", "select", multiple="multiple" in a)
            form.controls[name] = control
            self._select = (control, [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, []]

    def handle_endtag(self, tag):
        if self._error is not None and tag == self._error[0]:
            self._error[1] -= 1
            if self._error[1] == 0:
                self.errors.append("".join(self._error[2]).strip())
                self._error = None
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            control, texts = self._textarea
            control.values = ["".join(texts).removeprefix("\n")]
            self._textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self._select is not None:
            self._end_option()
            control, options = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not control.multiple:
                chosen = [options[0][0]]
            control.values = chosen
            self._select = None

    def _end_option(self):
        if self._option is not None and self._select is not None:
            value, selected, texts = self._option
            self._select[1].append((value if value is not None else "".join(texts).strip(), selected))
            self._option = None

    def handle_data(self, data):
        if self._error is not None:
            self._error[2].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)


# --- The database's state ------------------------------------------------------------------


def _row_count_query() -> tuple[list[str], str]:
    """One query counting the rows of every table of the project's apps."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model.__module__.startswith("huxiao.") or model._meta.app_config.name.startswith("huxiao.")
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    return tables, "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)


def row_counts(query) -> dict[str, int]:
    tables, sql = query
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: after[t] - before[t] for t in before if after[t] != before[t]}


# --- The crawl -----------------------------------------------------------------------------


@dataclass
class Finding:
    where: str
    what: str
    payload: str
    status: int
    detail: str = ""

    def __str__(self) -> str:
        shown = (
            repr(self.payload)
            if len(self.payload) < 40
            else f"{self.payload[:8]!r}…({len(self.payload)} chars)"
        )
        return f"{self.status} {self.where} [{self.what}={shown}] {self.detail}".rstrip()


@dataclass
class Stats:
    pages: int = 0
    forms: int = 0
    posts: int = 0
    query_gets: int = 0
    patterns: set = field(default_factory=set)


def _route(path: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match


def _exception(response) -> str:
    info = getattr(response, "exc_info", None)
    return f"{info[0].__name__}: {str(info[1])[:200]}" if info else ""


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


class Crawler:
    """`tried`: the forms (by key) and list pages (by pattern) already tried by an earlier account
    of the run — each is tried once, by the first account that reaches it."""

    def __init__(self, user: User, tried: set):
        self.user = user
        self.tried = tried
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.session = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.findings: list[Finding] = []
        self.stats = Stats()
        self.counts = _row_count_query()
        self.home = ""  # how "/" answered

    # GET ---------------------------------------------------------------------------------
    def crawl(self) -> list[tuple[str, Form]]:
        """Breadth-first from "/"; returns the POST forms found (one per action pattern and fields)."""
        queue, seen = deque(["/"]), {"/"}
        fetched: dict[str, int] = {}
        stale: dict[str, int] = {}  # pages in a row that looked like one seen before
        shapes: dict[str, set] = {}  # the forms and kinds of links of the pages seen, per pattern
        forms: dict[tuple, tuple[str, Form]] = {}
        filter_pages: dict[str, tuple[str, list[Form]]] = {}
        while queue and self.stats.pages < MAX_PAGES:
            url = queue.popleft()
            match = _route(urlsplit(url).path)
            if match is None:
                continue
            pattern = match.route
            if stale.get(pattern, 0) >= PER_PATTERN or fetched.get(pattern, 0) >= MAX_PER_PATTERN:
                continue
            fetched[pattern] = fetched.get(pattern, 0) + 1
            before = row_counts(self.counts)
            response = self.client.get(url)
            delta = changed(before, row_counts(self.counts)) if response.status_code < 500 else {}
            if set(delta) - READ_RECORDS:
                self.findings.append(
                    Finding(url, "GET", "", response.status_code, f"GET changed rows {delta}")
                )
            shape: set = {response.status_code}
            if url == "/":
                self.home = f"{response.status_code} {response.get('Location', '')}".strip()
            self.stats.pages += 1
            self.stats.patterns.add(pattern)
            if response.status_code >= 500:
                self.findings.append(Finding(url, "GET", "", response.status_code, _exception(response)))
                continue
            targets: list[str] = []
            if response.status_code in (301, 302, 303, 307, 308):
                if urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL):
                    self.findings.append(Finding(url, "GET", "", response.status_code, "signed out"))
                    continue
                targets.append(response["Location"])
            elif response.status_code == 200 and _is_html(response):
                page = Page(response.content.decode())
                targets.extend(page.links)
                for form in page.forms:
                    action = urljoin(url, form.action or url)
                    if form.method == "post":
                        key = self._form_key(action, form)
                        shape.add(key)
                        if key is not None and key not in self.tried:
                            self.tried.add(key)
                            forms[key] = (action, form)
                get_forms = [f for f in page.forms if f.method == "get"]
                if ("page", pattern) not in self.tried and (get_forms or not match.kwargs):
                    self.tried.add(("page", pattern))
                    filter_pages[pattern] = (url, get_forms)
            for target in targets:
                target = urljoin(url, target.split("#", 1)[0])
                parts = urlsplit(target)
                if parts.scheme not in ("http", "") or parts.netloc not in ("", "testserver"):
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if self._followable(target):
                    shape.add(_route(parts.path).route)
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
            shape_key = frozenset(shape)
            novel = shape_key not in shapes.setdefault(pattern, set())
            shapes[pattern].add(shape_key)
            stale[pattern] = 0 if novel else stale.get(pattern, 0) + 1
        for url, get_forms in filter_pages.values():
            self.hostile_queries(url, get_forms)
        return list(forms.values())

    @staticmethod
    def _followable(url: str) -> bool:
        path = urlsplit(url).path
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)) or path.endswith(SKIP_SUFFIXES):
            return False
        match = _route(path)
        return match is not None and not SKIP_URL_NAMES.search(match.url_name or "")

    @staticmethod
    def _form_key(action: str, form: Form):
        parts = urlsplit(action)
        if parts.netloc not in ("", "testserver"):
            return None
        match = _route(parts.path)
        if match is None or match.url_name in SKIP_POST_URL_NAMES:
            return None
        # an action word in the path (act/confirm/, act/dismiss/) names another form; a key or a
        # token does not
        words = tuple(
            sorted(v for v in match.kwargs.values() if isinstance(v, str) and ACTION_WORD.fullmatch(v))
        )
        return (match.route, words, tuple(sorted(form.controls)))

    def hostile_queries(self, url: str, get_forms: list[Form]) -> None:
        """The page again with the hostile query parameters, and with each kind of field of its
        filter forms hostile in turn."""
        parts = urlsplit(url)
        base = dict(parse_qsl(parts.query, keep_blank_values=True))
        variants: list[tuple[str, dict]] = [("query", params) for params in QUERY_PAYLOADS]
        for form in get_forms:
            current = {c.name: c.values[0] if c.values else "" for c in form.controls.values()}
            for kind, payloads in FILTER_PAYLOADS.items():
                controls = [c for c in form.controls.values() if c.kind == kind]
                for payload in payloads if controls else ():
                    values = {c.name: _shaped(c, payload) for c in controls}
                    variants.append((f"filter {kind}", {**current, **values}))
        tried = set()
        for what, params in variants:
            query = urlencode({**base, **params}, doseq=True)
            if query in tried:
                continue
            tried.add(query)
            response = self.client.get(f"{parts.path}?{query}")
            self.stats.query_gets += 1
            if response.status_code >= 500:
                shown = ", ".join(f"{k}={v!r}" for k, v in params.items() if base.get(k) != v)
                self.findings.append(
                    Finding(parts.path, f"GET ?{what}", shown, response.status_code, _exception(response))
                )

    # POST --------------------------------------------------------------------------------
    def post_hostile(self, url: str, form: Form) -> None:
        self.stats.forms += 1
        for kind, payloads in POST_PAYLOADS.items():
            targets = [c for c in form.controls.values() if c.kind == kind]
            if not targets:
                continue
            for payload in payloads:
                data = self._data(form)
                for control in targets:
                    value = _shaped(control, payload)
                    data[control.name] = [value] if control.multiple else value
                self._post(url, data, kind, payload)

    @staticmethod
    def _data(form: Form) -> dict:
        data: dict = {}
        for control in form.controls.values():
            if control.kind == "file":
                continue  # a file field is left empty: the other fields are what is tried
            if control.multiple:
                data[control.name] = list(control.values)
            elif control.values:
                data[control.name] = control.values[0]
            elif control.kind not in ("check", "select"):
                data[control.name] = ""
        button = form.button()
        if button:
            data[button[0]] = button[1]
        return data

    def _post(self, url: str, data: dict, kind: str, payload: str) -> None:
        self.stats.posts += 1
        finding = None
        with transaction.atomic():
            before = row_counts(self.counts)
            response = self.client.post(url, data)
            status = response.status_code
            if status >= 500:
                finding = Finding(url, kind, payload, status, _exception(response))
            else:
                delta = changed(before, row_counts(self.counts))
                page = Page(response.content.decode()) if status == 200 and _is_html(response) else None
                messages = [e for e in page.errors if CJK.search(e)] if page else []
                refused = 400 <= status < 500 or (status == 200 and bool(messages))
                if refused and delta:
                    detail = f"half-save: refused but rows changed {delta}"
                    finding = Finding(url, kind, payload, status, detail)
                elif status == 200 and not delta and not messages:  # refused (nothing saved), not told
                    finding = Finding(url, kind, payload, status, "refused without a Chinese error message")
                elif 400 <= status < 500 and not CJK.search(response.content.decode(errors="replace")):
                    finding = Finding(url, kind, payload, status, "refused without a Chinese message")
            transaction.set_rollback(True)
        # a POST that cycled the session key was rolled back with its session row: keep the old one
        self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session
        if finding is not None:
            self.findings.append(finding)


def _shaped(control: Control, payload: str) -> str:
    """`payload` as the control's input type writes it (a month input takes YYYY-MM)."""
    if control.kind == "date":
        shape = DATE_SHAPES.get(control.input_type)
        return shape(payload) if shape else payload
    return payload


class HostileInputTests(TestCase):
    """One test per account: crawl, post hostile values to every form found, query every list page."""

    tried: set  # forms and list pages tried by the accounts so far (shared by the class's tests)

    @classmethod
    def setUpClass(cls):
        cls.tried = set()
        media = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def crawl_as(self, username: str) -> None:
        started = time.monotonic()
        crawler = Crawler(User.objects.get(username=username), self.tried)
        forms = crawler.crawl()
        for url, form in forms:
            crawler.post_hostile(url, form)
        stats = crawler.stats
        print(
            f"\n{username}: {stats.pages} pages ({len(stats.patterns)} patterns), {stats.forms} forms, "
            f"{stats.posts} POSTs, {stats.query_gets} query GETs, {time.monotonic() - started:.1f}s"
        )
        # the crawl really got in as the user (a session lost later is a finding, below)
        self.assertEqual(
            crawler.home, "200", f"the crawl did not get in as {username}: / answered {crawler.home}"
        )
        self.assertGreater(len(stats.patterns), 2, f"{username} reached only {sorted(stats.patterns)}")
        if crawler.findings:
            self.fail(
                f"{len(crawler.findings)} hostile-input findings as {username}:\n"
                + "\n".join(str(f) for f in crawler.findings)
            )


def _account_test(username: str):
    def test(self):
        self.crawl_as(username)

    test.__name__ = f"test_hostile_input_as_{username}"
    test.__doc__ = f"No 500, no half-save, a Chinese message: every form and list page {username} reaches."
    return test


for _username in crawling_accounts():
    setattr(HostileInputTests, f"test_hostile_input_as_{_username}", _account_test(_username))
