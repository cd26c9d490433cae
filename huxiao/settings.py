"""Huxiao settings: one file, configured by the environment (and an optional `.env`).

SQLite in WAL mode is the embedded default (a subdistrict runs on a laptop); set
DATABASE_URL=postgres://... for production. Every knob is listed in README.md.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("HUXIAO_DEBUG", default=False)
# The default key is for the embedded demo only; `make serve` and production must set their own.
# The demo's key, public in the repository: outside DEBUG the platform refuses to start on it
# (core.checks).
DEMO_SECRET_KEY = "insecure-demo-key-change-me-0123456789abcdefghijklmnop"
SECRET_KEY = env.str("HUXIAO_SECRET_KEY", default=DEMO_SECRET_KEY)
ALLOWED_HOSTS = env.list("HUXIAO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("HUXIAO_CSRF_TRUSTED_ORIGINS", default=[])
HTTPS = env.bool("HUXIAO_HTTPS", default=False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huxiao.core",
    "huxiao.accounts",
    "huxiao.schools",
    "huxiao.notifications",
    "huxiao.hazards",
    "huxiao.standards",
    "huxiao.inspections",
    "huxiao.duty",
    "huxiao.surroundings",
    "huxiao.campaigns",
    "huxiao.people",
    "huxiao.staff",
    "huxiao.gate",
    "huxiao.incidents",
    "huxiao.education",
    "huxiao.monthly",
    "huxiao.reports",
    "huxiao.dashboards",
    "huxiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "huxiao.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "huxiao.core.middleware.RequestContextMiddleware",
    "huxiao.accounts.middleware.TwoFactorMiddleware",
    "huxiao.accounts.middleware.ForcePasswordChangeMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huxiao.urls"
WSGI_APPLICATION = "huxiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huxiao.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATA_DIR = Path(env.str("HUXIAO_DATA_DIR", default=str(BASE_DIR / "var")))
# The embedded database, uploads and collected static files live here; create it up front so
# a fresh checkout works without a manual mkdir.
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'huxiao.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue instead of failing half-way ("database is locked"), which also keeps the
    # audit hash chain linear.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": str(DATA_DIR / "test.sqlite3")} if env.bool("HUXIAO_SQLITE_TEST_FILE", default=False) else {}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login security (GB/T 22239-2019 level 3 basics) ---------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "huxiao.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "huxiao.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "huxiao.accounts.validators.UsernameNotContainedValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication (TOTP with recovery codes, `accounts.twofactor`): required of the three
# administrators and of every role that can read a sensitive register; demo accounts are exempt
# (production refuses them anyway). False only in the test session (its own tests switch it on).
HUXIAO_2FA_ENFORCED = env.bool("HUXIAO_2FA_ENFORCED", default=True)
OTP_TOTP_ISSUER = "护校安园"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# One user name from one client address (a third party elsewhere cannot lock a user out), plus a
# per-address limit across user names (`accounts.lockout`).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_IP_FAILURE_LIMIT = env.int("HUXIAO_LOGIN_IP_FAILURE_LIMIT", default=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "huxiao.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Idle timeout: the cookie lives 30 minutes and every request renews it.
SESSION_COOKIE_AGE = env.int("HUXIAO_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers; HTTPS-only settings switch on with HUXIAO_HTTPS=true -------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("HUXIAO_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# --- Language and time -----------------------------------------------------------------------
# Chinese first: the interface is zh-hans whatever the browser asks for (no LocaleMiddleware,
# so a phone set to English still sees 用户名/密码); strings stay in gettext for a later locale.
LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["huxiao.formats"]  # ISO first for date inputs (see the module)
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("HUXIAO_MANIFEST_STATIC", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
HUXIAO_IMPORT_MAX_BYTES = env.int("HUXIAO_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
HUXIAO_IMPORT_MAX_ROWS = env.int("HUXIAO_IMPORT_MAX_ROWS", default=50_000)
# Background jobs (imports) run in a worker thread of the web process; tests run them inline.
# Monthly 统计表: due by this day of the month unless a campaign's schedule says otherwise.
HUXIAO_MONTHLY_DUE_DAY = env.int("HUXIAO_MONTHLY_DUE_DAY", default=28)
# Semesters as (name, first month, first day, last month, last day); 秋季 runs into January.
HUXIAO_SEMESTERS = [("春季学期", 2, 1, 7, 31), ("秋季学期", 9, 1, 1, 31)]
# Map tiles: an intranet tile server URL template ({z}/{x}/{y}), e.g. 天地图 via the local proxy.
# Empty: the map draws a plain coordinate view that works offline.
HUXIAO_MAP_TILE_URL = env.str("HUXIAO_MAP_TILE_URL", default="")
HUXIAO_MAP_TILE_ATTRIBUTION = env.str("HUXIAO_MAP_TILE_ATTRIBUTION", default="")
# Venues within this many metres of a school are linked to it (周边场所).
HUXIAO_SURROUNDINGS_RADIUS_M = env.int("HUXIAO_SURROUNDINGS_RADIUS_M", default=200)

# The audit chain's keys (GB/T 22239 level 3, 8.1.4.3 d: audit records protected against
# alteration): "id:secret" entries, comma separated; the first seals new events, every one
# verifies (rotation adds a new first entry and keeps the old). Outside DEBUG the platform refuses
# to start without one; in DEBUG a development key is kept in DATA_DIR/audit-dev.key.
HUXIAO_AUDIT_KEYS = env.list("HUXIAO_AUDIT_KEYS", default=[])
# `manage.py daily` appends the chain head here (and to the system log); `verify_audit` checks
# the chain against every line. Keep it where the database's users cannot write ("" disables).
HUXIAO_AUDIT_ANCHOR_FILE = env.str("HUXIAO_AUDIT_ANCHOR_FILE", default=str(DATA_DIR / "audit-anchors.log"))

# The sensitive registers (重点人员, 矛盾纠纷 — people app, DESIGN §4.7). Personal fields are
# encrypted with Fernet keys from the environment, never stored in the database or the repository:
# the first key encrypts, every key decrypts (to rotate: put a new key first, run
# `manage.py rotate_register_keys`, then drop the old one). Search by name or 身份证号 goes through a
# keyed hash (blind index) made with HUXIAO_PEOPLE_INDEX_KEY. Outside DEBUG the platform refuses to
# start without them; in DEBUG a development key is kept in DATA_DIR/people-dev.keys.
HUXIAO_PEOPLE_KEYS = env.list("HUXIAO_PEOPLE_KEYS", default=[])
HUXIAO_PEOPLE_INDEX_KEY = env.str("HUXIAO_PEOPLE_INDEX_KEY", default="")
# A de-listed person's record is kept this many days, then its personal fields are erased.
HUXIAO_PEOPLE_RETENTION_DAYS = env.int("HUXIAO_PEOPLE_RETENTION_DAYS", default=3 * 365)
# A dispute flagged 扬言报复 must have its 稳控措施 recorded within this many hours.
HUXIAO_PEOPLE_STABILISE_HOURS = env.int("HUXIAO_PEOPLE_STABILISE_HOURS", default=2)
# An overdue 走访核查 goes to the station's leaders this many days after the officer was told.
HUXIAO_PEOPLE_ESCALATE_DAYS = env.int("HUXIAO_PEOPLE_ESCALATE_DAYS", default=3)
# A 较大 or graver incident not signed for by a unit within this many minutes is escalated
# (`manage.py incidents_escalate`, run every few minutes from cron; also a step of `daily`).
HUXIAO_INCIDENT_ACK_MINUTES = env.int("HUXIAO_INCIDENT_ACK_MINUTES", default=30)
# Days before each dated 安全教育 occasion (安全教育日, 禁毒日, 119, 12·4 …) that a school without an
# activity for it this year is reminded (`manage.py education_daily`, a step of `daily`).
HUXIAO_EDUCATION_REMIND_DAYS = env.int("HUXIAO_EDUCATION_REMIND_DAYS", default=7)
# How many days a background check of each kind stays valid (人员审查; staff app), e.g.
# HUXIAO_STAFF_CHECK_DAYS=criminal=365,sexual=365,health=365,other=365
HUXIAO_STAFF_CHECK_DAYS = {
    "criminal": 365,
    "sexual": 365,
    "health": 365,
    "other": 365,
    **{k: int(v) for k, v in env.dict("HUXIAO_STAFF_CHECK_DAYS", default={}).items()},
}

HUXIAO_JOBS_INLINE = env.bool("HUXIAO_JOBS_INLINE", default=False)

# The cache holds the dashboards' snapshots of large scopes (dashboards/snapshots.py). Default:
# per process (each gunicorn worker keeps its own). HUXIAO_CACHE_URL=redis://127.0.0.1:6379/1
# shares one snapshot between every worker.
HUXIAO_CACHE_URL = env.str("HUXIAO_CACHE_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": HUXIAO_CACHE_URL,
            "KEY_PREFIX": "huxiao",
        }
        if HUXIAO_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "huxiao"}
    )
}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("HUXIAO_LOG_LEVEL", default="WARNING")},
    # the audit chain's daily anchor also goes to the system log (journald/rsyslog), a second copy
    # outside the database that the database's users cannot rewrite
    "loggers": {"huxiao.audit.anchor": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
if Path("/dev/log").exists():
    LOGGING["handlers"]["syslog"] = {"class": "logging.handlers.SysLogHandler", "address": "/dev/log"}
    LOGGING["loggers"]["huxiao.audit.anchor"]["handlers"].append("syslog")
