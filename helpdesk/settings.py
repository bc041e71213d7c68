"""Helpdesk settings: one module, every deployment-specific value read from the environment.

The defaults describe the embedded set-up (SQLite file, Celery tasks run in-process,
e-mail printed to the console), so a fresh checkout runs with no services. Production
sets ``DEBUG=0`` and must provide ``SECRET_KEY``; see README.md for the full list.
"""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import bootstrap_wrapper
import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from helpdesk.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "dev-only-secret-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if urlsplit(SITE_URL).scheme not in ("http", "https"):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with http:// or https://.")
SITE_NAME = env_str("SITE_NAME", "Helpdesk")

INSTALLED_APPS = [
    "helpdesk.apps.HelpdeskAdminConfig",  # django.contrib.admin with the models grouped by task
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "chartkick.django",  # serves Chart.js (chartkick/Chart.bundle.js) for the report charts
    "helpdesk.accounts",
    "helpdesk.mail",
    "tickets",
    "knowledgebase",
    "aftersales",
    "feedback",
    "care",
    "assist",
    "reports",
    "demo",  # seed_demo and its stories; last, as it builds on every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "helpdesk.uploads.UploadLimitMiddleware",
    "helpdesk.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "helpdesk.accounts.sessions.SessionIdleTimeoutMiddleware",
    "helpdesk.accounts.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"
ASGI_APPLICATION = "helpdesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpdesk.accounts.context_processors.roles",
                "helpdesk.uploads.limits",
            ],
            "libraries": {"desk": "helpdesk.templatetags.desk", "organizations": "helpdesk.templatetags.organizations",
                          "dates": "helpdesk.templatetags.dates"},
        },
    },
]

# Database: a SQLite file unless DATABASE_URL says otherwise (postgres://user@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the cache. Without it tasks run in-process, in order.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "helpdesk",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Users and sign-in
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_MINUTES", 60) * 60  # a reset link lives one hour
EMAIL_VERIFICATION_TIMEOUT = env_int("EMAIL_VERIFICATION_HOURS", 24) * 60 * 60  # a sign-up's verification link
# "Resend the verification e-mail": at most this many requests an hour for one address, and from one IP.
VERIFICATION_RESEND_LIMITS = {
    "address": env_int("VERIFICATION_RESEND_LIMIT_PER_ADDRESS", 3),
    "ip": env_int("VERIFICATION_RESEND_LIMIT_PER_IP", 10),
}

# Sessions end after this many minutes without a request (see helpdesk/accounts/sessions.py); the cookie
# itself lasts SESSION_COOKIE_AGE with "Remember me", else until the browser closes.
SESSION_IDLE_MINUTES = {
    "staff": env_int("SESSION_IDLE_MINUTES_STAFF", 8 * 60),
    "customer": env_int("SESSION_IDLE_MINUTES_CUSTOMER", 14 * 24 * 60),
}

# Login throttling (helpdesk/accounts/auth.py): failures are counted three ways, each with its limit — one
# address from one IP, one IP across all addresses (one password tried on many accounts), one address
# across all IPs (one account attacked from many places). Reaching any limit locks that out for the cool-off.
LOGIN_FAILURE_LIMITS = {
    "address_and_ip": env_int("LOGIN_FAILURE_LIMIT", 5),
    "ip": env_int("LOGIN_FAILURE_LIMIT_PER_IP", 20),
    "address": env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 10),
}
AXES_HANDLER = "helpdesk.accounts.auth.LockoutHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMITS["address_and_ip"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]  # the order of LOGIN_FAILURE_LIMITS
AXES_RESET_ON_SUCCESS = True  # only the (address, IP) pair that signed in: see LockoutHandler
AXES_LOCKOUT_CALLABLE = "helpdesk.accounts.auth.lockout_response"
AXES_USERNAME_CALLABLE = "helpdesk.accounts.auth.axes_username"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None
AXES_VERBOSE = False

# Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: our own CSS/JS plus Bootstrap from its Python package, served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", bootstrap_wrapper.get_bootstrap_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# E-mail: every message goes through the outbox (helpdesk.mail) and then this backend.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Helpdesk <support@helpdesk.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
# A row claimed longer ago than this belongs to a worker that died; it is sent again.
OUTBOX_STALE_CLAIM_MINUTES = env_int("OUTBOX_STALE_CLAIM_MINUTES", 15)

# Tickets
TICKET_REOPEN_DAYS = env_int("TICKET_REOPEN_DAYS", 7)  # a customer may reopen a resolved ticket this long
TICKET_AUTO_CLOSE_DAYS = env_int("TICKET_AUTO_CLOSE_DAYS", 7)  # resolved tickets close by themselves after this
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 10) * 1024 * 1024
AFTERSALES_AUTO_CLOSE_DAYS = env_int("AFTERSALES_AUTO_CLOSE_DAYS", 14)  # completed service requests close then
SURVEY_FATIGUE_DAYS = env_int("SURVEY_FATIGUE_DAYS", 14)  # at most one survey invitation per customer this often
# Above 0: every survey goes out this many seconds after the event instead of its own delay (`make run`: 60).
SURVEY_DELAY_SECONDS = env_int("SURVEY_DELAY_SECONDS", 0)
ATTACHMENT_MAX_FILES = env_int("ATTACHMENT_MAX_FILES", 10)
# Inbound e-mail: an IMAP mailbox (INBOUND_IMAP_*) and/or a local maildir folder.
INBOUND_IMAP_HOST = env_str("INBOUND_IMAP_HOST")
INBOUND_IMAP_PORT = env_int("INBOUND_IMAP_PORT", 993)
INBOUND_IMAP_USER = env_str("INBOUND_IMAP_USER")
INBOUND_IMAP_PASSWORD = env_str("INBOUND_IMAP_PASSWORD")
INBOUND_IMAP_FOLDER = env_str("INBOUND_IMAP_FOLDER", "INBOX")
INBOUND_IMAP_SSL = env_bool("INBOUND_IMAP_SSL", True)
INBOUND_MAILDIR = env_str("INBOUND_MAILDIR")
# What to do with mail from an unknown address: create an account, reject, or accept known domains only.
INBOUND_UNKNOWN_SENDER = env_str("INBOUND_UNKNOWN_SENDER", "create")
# Tries before a mail that keeps failing stops coming back; it stays in admin as failed, downloadable.
INBOUND_MAX_ATTEMPTS = env_int("INBOUND_MAX_ATTEMPTS", 5)
if INBOUND_UNKNOWN_SENDER not in ("create", "reject", "known_domains"):
    raise ImproperlyConfigured(
        f"INBOUND_UNKNOWN_SENDER={INBOUND_UNKNOWN_SENDER!r} must be one of: create, reject, known_domains."
    )
INBOUND_DEFAULT_QUEUE = env_str("INBOUND_DEFAULT_QUEUE", "technical")
# Sender verification. The receiving mail servers whose Authentication-Results headers are believed (their
# authserv-id, comma-separated), and whether to check DKIM signatures here as well. Mail from a staff address
# that is not verified waits in the desk's suspended list; customers' unverified mail is accepted (flagged on
# the message) or suspended, as INBOUND_UNVERIFIED says.
INBOUND_TRUSTED_AUTHSERV_IDS = [name.strip() for name in env_str("INBOUND_TRUSTED_AUTHSERV_IDS").split(",")
                                if name.strip()]
INBOUND_DKIM_VERIFY = env_bool("INBOUND_DKIM_VERIFY", False)
INBOUND_UNVERIFIED = env_str("INBOUND_UNVERIFIED", "accept")
if INBOUND_UNVERIFIED not in ("accept", "suspend"):
    raise ImproperlyConfigured(f"INBOUND_UNVERIFIED={INBOUND_UNVERIFIED!r} must be accept or suspend.")

# Customer care
# An active organisation with no activity (tickets, replies, service requests, survey answers) for this many days
# is marked churned by the nightly health job; 0 turns automatic churn off.
AUTO_CHURN_AFTER_DAYS = env_int("AUTO_CHURN_AFTER_DAYS", 0)
# Health score bands: below AT_RISK is at risk, from HEALTHY up is healthy, between is "watch".
HEALTH_AT_RISK_BELOW = env_int("HEALTH_AT_RISK_BELOW", 50)
HEALTH_HEALTHY_FROM = env_int("HEALTH_HEALTHY_FROM", 75)
HEALTH_WINDOW_DAYS = env_int("HEALTH_WINDOW_DAYS", 90)  # how far back the health signals look
if not 0 < HEALTH_AT_RISK_BELOW <= HEALTH_HEALTHY_FROM <= 100:
    raise ImproperlyConfigured("Health bands need 0 < HEALTH_AT_RISK_BELOW <= HEALTH_HEALTHY_FROM <= 100.")

# Reports: the nightly recompute also redoes this many days before yesterday, for late events.
REPORTS_BACKFILL_DAYS = env_int("REPORTS_BACKFILL_DAYS", 3)

# Celery
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Several deployments can share one Redis by giving each its own queue name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
# A task is acknowledged when it finishes, and re-queued if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than any task may run, so Redis never hands a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "send-queued-mail": {"task": "helpdesk.mail.tasks.send_queued_mail", "schedule": 60.0},
    "fetch-email": {"task": "tickets.tasks.fetch_email", "schedule": 60.0},
    "check-sla": {"task": "tickets.tasks.check_sla", "schedule": 60.0},
    "close-resolved-tickets": {"task": "tickets.tasks.close_resolved_tickets", "schedule": 60.0 * 60},
    "run-automations": {"task": "tickets.tasks.run_automations", "schedule": 60.0 * 60},
    "close-completed-service-requests": {"task": "aftersales.tasks.close_completed_requests", "schedule": 60.0 * 60},
    "send-due-surveys": {"task": "feedback.tasks.send_due_surveys", "schedule": 600.0},
    "create-due-check-ins": {"task": "care.tasks.create_due_check_ins", "schedule": crontab(hour=6, minute=30)},
    "compute-health-scores": {"task": "care.tasks.compute_health_scores", "schedule": crontab(hour=1, minute=30)},
    "recompute-reports": {"task": "reports.tasks.recompute_reports", "schedule": crontab(hour=2, minute=0)},
    "refresh-reports": {"task": "reports.tasks.refresh_reports", "schedule": crontab(minute="*/10")},
    "train-assist": {"task": "assist.tasks.train_assist", "schedule": crontab(hour=3, minute=15)},
}

# Assist: models trained nightly on the desk's resolved tickets. A value with fewer resolved tickets than
# ASSIST_MIN_PER_CLASS is left out; a target with fewer than two values left stays off. The language-model
# connector is off unless ASSIST_LLM_URL is set (an OpenAI-compatible chat-completions endpoint).
ASSIST_MIN_PER_CLASS = env_int("ASSIST_MIN_PER_CLASS", 200)
ASSIST_SUMMARY_MIN_MESSAGES = env_int("ASSIST_SUMMARY_MIN_MESSAGES", 6)
ASSIST_LLM_URL = env_str("ASSIST_LLM_URL", "")
ASSIST_LLM_MODEL = env_str("ASSIST_LLM_MODEL", "")
ASSIST_LLM_KEY = env_str("ASSIST_LLM_KEY", "")
ASSIST_LLM_INCLUDE_NOTES = env_bool("ASSIST_LLM_INCLUDE_NOTES", False)
ASSIST_LLM_TIMEOUT = env_int("ASSIST_LLM_TIMEOUT", 3)

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production (DEBUG off) gets the strict defaults that `check --deploy` asks for.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", not DEBUG) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (csp.middleware.CSPMiddleware): scripts and styles only from our
# own static files, never inline; violations are reported to helpdesk/csp.py. A response that already carries a
# policy keeps it: attachment downloads set their own sandbox.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "report-uri": ["/csp-report/"],
    },
}
# Second factor (helpdesk/accounts/two_factor.py): anyone may add an authenticator app; whoever has one
# gives a code after the password. With this on, agents, managers and admins must set one up first.
TWO_FACTOR_REQUIRED_FOR_STAFF = env_bool("TWO_FACTOR_REQUIRED_FOR_STAFF", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Helpdesk")
TWO_FACTOR_MAX_FAILURES = 5  # wrong codes in one sign-in before it starts again from the password
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # the longest a remembered session lasts, however active
# Over HTTPS the cookies carry the __Host- prefix: the browser then refuses them from a sub-domain or over http.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # everything but files; Django answers 400 above it
# The whole body of one request, files included (helpdesk/uploads.py): refused before it is read when the
# declared length is larger, and stopped at this many bytes when it is not declared.
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_MB", 30) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "helpdesk.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# jieba's Chinese dictionary takes 3-4 s to load: the knowledge base loads it in a thread at start-up, so the first
# Chinese search or article does not wait for it. The tests load it when they first need it (each test process
# would otherwise pay those seconds, most of them never searching in Chinese).
KB_PRELOAD_JIEBA = env_bool("KB_PRELOAD_JIEBA", "pytest" not in sys.modules)
