"""Settings shared by every environment, read from the environment.

Defaults give the embedded setup: SQLite, eager Celery, the database search
backend, offline payments, console email. Setting DATABASE_URL,
CELERY_BROKER_URL, ELASTICSEARCH_URL or STRIPE_SECRET_KEY switches to the real
service. Every variable is documented in .env.example.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE

from portal.core.cache import with_reused_redis_client

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "portal"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
# Secret ballots are sealed while a vote is open with a key derived from this (or, when empty, from
# SECRET_KEY): keep it out of database backups. Rotating it during a secret vote: list the old value
# in BALLOT_SEAL_KEY_FALLBACKS until the vote closes (README: Ballot secrecy: threat model).
BALLOT_SEAL_KEY = env.str("BALLOT_SEAL_KEY", default="")
BALLOT_SEAL_KEY_FALLBACKS = env.list("BALLOT_SEAL_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo mode enables the demo accounts loaded by `manage.py load_demo`.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

INSTALLED_APPS = [
    "portal.core",
    "portal.regions",
    "portal.accounts",
    "portal.organisations",
    "portal.audit",
    "portal.pages",
    "marketplace",
    "marketplace.needs",
    "marketplace.projects",
    "marketplace.adoptions",
    "marketplace.gridlogs",
    "marketplace.reports",
    "portal.follows",
    "marketplace.funding",
    "marketplace.calls",
    "marketplace.implementation",
    "portal.notifications",
    "deliberation",
    "portal.phases",
    "deliberation.councils",
    "deliberation.topics",
    "deliberation.meetings",
    "deliberation.votes",
    "portal.comments",
    "search",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    # API
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    # Jobs
    "django_celery_beat",
    # Django
    "rules.apps.AutodiscoverRulesConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # A visitor without a session gets a kept CMS page here, with the headers the stack below
    # gave it the first time (portal/pages/cache.py).
    "portal.pages.cache.EarlyPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.core.csp.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.ChosenLanguageMiddleware",
    "portal.core.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.middleware.UserLanguageMiddleware",
    "portal.accounts.middleware.StaffMFARequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: a kept page for an anonymous visitor with a session is served before URL resolution.
    "portal.pages.cache.PageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader, which also renders what only depends on the language in the
            # project's own templates once per process (portal/core/template_folding.py).
            "loaders": [
                (
                    "portal.core.template_folding.FoldingLoader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.site",
                "portal.accounts.context_processors.staff_nav",
            ],
            # Filters every template may use without loading them: `money` (with `number`, `deadline`,
            # `overdue_by`), `written`.
            "builtins": [
                "portal.core.templatetags.money",
                "portal.core.templatetags.written",
                "portal.core.templatetags.breadcrumbs",
            ],
        },
    },
]

# Django's form renderer, with <select> options written in Python rather than a template each.
FORM_RENDERER = "portal.core.form_renderer.PortalFormRenderer"

# --- Database: SQLite file unless DATABASE_URL is set ---------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, Celery and tests share the file. Transactions take the write
    # lock when they begin (BEGIN IMMEDIATE), so a second writer waits for it (up to `timeout` seconds)
    # instead of failing with "database is locked" when its read would have to become a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared across workers when CACHE_URL points at Redis -----------
# Django's Redis backend, with one Redis client reused rather than one made per call (portal/core/cache.py).
CACHES = with_reused_redis_client({"default": env.cache_url("CACHE_URL", default="locmemcache://gongzhi")})

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # The apps' rules.py first: it answers the portal's own permissions (a staff page asks
    # five or six) from the role facts already read, so ModelBackend's two queries for the
    # user's and groups' permissions run only for Wagtail's and the admin's own. It
    # authenticates no one, so logging in still goes through the two below, in this order.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Sessions read from the shared cache (Redis in production), written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
WAGTAILADMIN_LOGIN_URL = "account_login"  # the admin shares the rate-limited, MFA-aware login
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"  # private CMS pages too

ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = None
ACCOUNT_FORMS = {"signup": "portal.accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "portal.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# When too many wrong passwords lock an account, its owner still gets in with a code sent
# to their verified address (the second factor still applies after it).
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# A sign-in code dies after 3 wrong tries; at most 3 codes a minute per e-mail address, 20 per client.
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
# A logged-in user sent to the login page (e.g. by the CMS, which they may not use)
# sees the form and the reason, instead of being bounced back into a redirect loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# Rate limits are counted in the default cache, so every worker sees the same attempts, per client
# address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address the nearest of them
# added to X-Forwarded-For (anything a client sends there itself is never trusted). DRF's throttles
# read the same setting (NUM_PROXIES below).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Per key: per account (portal.accounts.adapters), whatever login spelt it; wrong authenticator codes
    # count per account too (allauth.mfa, shared by the web login and the token API).
    "login_failed": "10/m/ip,5/300s/key",
    "request_login_code": "20/m/ip,3/m/key",
    "signup": env.str("SIGNUP_RATE_LIMIT", default="10/m/ip,50/h/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/180s/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Gongzhi 共治"
# Staff roles must enrol a second factor before using staff pages.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)

SOCIALACCOUNT_PROVIDERS = {}
if env.str("WEIXIN_APP_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["weixin"] = {
        "APPS": [
            {
                "client_id": env.str("WEIXIN_APP_ID"),
                "secret": env.str("WEIXIN_APP_SECRET"),
            }
        ],
        "SCOPE": ["snsapi_login"],
    }

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# CMS pages exist per language: zh-hans at /…, English translations at /en/… (wagtail-localize).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
# Notification emails wait this long after the commit, so messages arriving together go out as one.
NOTIFICATION_EMAIL_DELAY = env.int("NOTIFICATION_EMAIL_DELAY", default=30)
# Days of notice a council must give before a meeting, unless it set its own (meetings.NoticePeriod).
MEETING_NOTICE_DAYS = env.int("MEETING_NOTICE_DAYS", default=7)

# Comments: the author may edit for this many minutes; each person may write COUNT comments per SECONDS.
COMMENT_EDIT_MINUTES = env.int("COMMENT_EDIT_MINUTES", default=15)
COMMENT_RATE_LIMIT = (env.int("COMMENT_RATE_COUNT", default=6), env.int("COMMENT_RATE_SECONDS", default=60))

DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Gongzhi 共治 <noreply@gongzhi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: eager unless a broker is configured -----------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that dies (SIGKILL, OOM) goes back to the queue after this long.
# Longer than any task runs: a 100,000-row import takes about two minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into django-celery-beat's tables when beat starts; staff can adjust them in the admin.
CELERY_BEAT_SCHEDULE = {
    # Card payments whose webhook never came: asked of Stripe directly.
    "reconcile-stripe-payments": {
        "task": "marketplace.funding.tasks.reconcile_stripe_payments_task",
        "schedule": 900.0,
    },
    # Stripe refunds written down but not made (the process died after the commit, Stripe did not answer).
    "send-stripe-refunds": {"task": "marketplace.funding.tasks.send_stripe_refunds_task", "schedule": 300.0},
    # Projects past their funding deadline: donors asked to choose; unanswered choices refunded.
    "funding-deadlines": {"task": "marketplace.funding.tasks.run_funding_deadlines_task", "schedule": 3600.0},
    # The ledger's chain and every project's cached total checked against it (shown on /healthz and to staff).
    "verify-ledger": {"task": "marketplace.funding.tasks.verify_ledger_task", "schedule": crontab(hour=3, minute=30)},
    "escalate-overdue-needs": {"task": "marketplace.needs.tasks.escalate_overdue_needs_task", "schedule": 300.0},
    # Wagtail's scheduled publishing and expiry (notices, project books…).
    "publish-scheduled-pages": {"task": "portal.pages.tasks.publish_scheduled_pages_task", "schedule": 60.0},
    # Milestones past their due date and not reported: the NGO and staff of the area are told (once, then weekly).
    "alert-overdue-milestones": {
        "task": "marketplace.implementation.tasks.alert_overdue_milestones_task",
        "schedule": crontab(hour=8, minute=30),
    },
    # Rating windows that have closed: their projects move to "evaluated".
    "close-due-evaluations": {
        "task": "marketplace.implementation.tasks.close_due_evaluations_task",
        "schedule": 3600.0,
    },
    # Funding calls whose results' public notice has ended (every objection answered, none upheld) take effect.
    "call-results-take-effect": {"task": "marketplace.calls.tasks.results_take_effect_task", "schedule": 3600.0},
    # Funding calls past their deadline stop taking declarations and move to review.
    "close-due-calls": {"task": "marketplace.calls.tasks.close_due_calls_task", "schedule": 60.0},
    # Votes whose closing time has passed are closed and counted.
    "close-due-votes": {"task": "deliberation.votes.tasks.close_due_votes_task", "schedule": 60.0},
    # Meetings' follow-up actions past their date: the responsible and staff are reminded (once a day each).
    "chase-overdue-follow-ups": {
        "task": "deliberation.meetings.tasks.chase_overdue_follow_ups_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # The daily report (民情报告) for the day before, each morning (CELERY_TIMEZONE).
    "daily-report": {
        "task": "marketplace.reports.tasks.generate_daily_report_task",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- Search ---------------------------------------------------------------
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
# Names of the indices (`{prefix}-{type}` aliases) and of the synonyms set: several sites, one cluster.
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", default="gongzhi")
# Chinese analysis: "smartcn" (the official analysis-smartcn plugin) or "ik" (the ik plugin); either must
# be installed on every node. A change takes effect with the next `manage.py search_reindex`.
ELASTICSEARCH_ANALYZER = env.str("ELASTICSEARCH_ANALYZER", default="smartcn")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Payments -------------------------------------------------------------
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")  # e.g. a local localstripe server
# Stripe.js, loaded on the card payment page only (its origin is allowed by that page's CSP alone).
STRIPE_JS_URL = env.str("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
# Days a donor has to choose (refund, or move the gift to another open project) once the project they
# gave to missed its funding deadline or was withdrawn; unanswered, the gift is refunded.
FUNDING_DEADLINE_CHOICE_DAYS = env.int("FUNDING_DEADLINE_CHOICE_DAYS", default=14)
# /healthz reports the ledger unchecked once its last check (daily from beat) is older than this (0: never).
LEDGER_CHECK_MAX_AGE_HOURS = env.int("LEDGER_CHECK_MAX_AGE_HOURS", default=48)
# Gifts one person may have waiting (pledged, not yet paid or confirmed) before pledging again, and the
# most one gift may be, in fen (¥1,000,000.00): refused before any payment or PaymentIntent is made.
FUNDING_MAX_PENDING_PER_DONOR = env.int("FUNDING_MAX_PENDING_PER_DONOR", default=3)
FUNDING_MAX_GIFT = env.int("FUNDING_MAX_GIFT", default=100_000_000)

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Gongzhi 共治"
WAGTAILADMIN_BASE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip", "jpg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are managed through allauth
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_HITS_MAX_AGE = 14
# Anonymous views of CMS pages are kept in the default cache and purged through
# Wagtail's frontend-cache hooks when a page or the marketplace data it shows changes.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
WAGTAILFRONTENDCACHE = {"pages": {"BACKEND": "portal.pages.cache.ResponseCacheBackend"}}
WAGTAILFRONTENDCACHE_LANGUAGES = []  # page URLs already carry their language (/en/…)
# Anonymous views of the portal's own public pages and API lists (projects, councils, topics,
# meetings) are kept until any write of shown data, or this long at most (portal/core/kept_views.py).
KEPT_VIEW_SECONDS = env.int("KEPT_VIEW_SECONDS", default=60)
# Tables no public page shows: writing them keeps the copies (portal/core/writes.py).
DATA_VERSION_IGNORED_TABLES = [
    "django_session",
    "django_celery_beat_",
    "audit_auditentry",
    "notifications_",
    "accounts_secondfactortoken",
    "mfa_authenticator",
    "authtoken_token",
    "funding_ledgercheck",
    "wagtailadmin_editingsession",
]

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "portal.api.authentication.StaffAwareTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # Parsers that refuse control characters in any value (portal.core.text).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.JSONParser",
        "portal.api.parsers.FormParser",
        "portal.api.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    # Throttles count per client address as TRUSTED_PROXY_COUNT says (0: REMOTE_ADDR, whatever
    # X-Forwarded-For a client sends).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "token": "10/min",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gongzhi 共治 API",
    "DESCRIPTION": "Civic participation and community-project marketplace.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["portal.api.schema.only_public_api"],
    "ENUM_NAME_OVERRIDES": {
        "NeedStatusEnum": "marketplace.needs.models.NeedStatus",
        "EvaluationChannelEnum": "marketplace.implementation.models.EvaluationChannel",
        "MilestoneStatusEnum": "marketplace.implementation.models.MilestoneStatus",
        "NeedChannelEnum": "marketplace.needs.models.Channel",
        "ProjectStatusEnum": "marketplace.projects.models.ProjectStatus",
        "CouncilMemberRoleEnum": "deliberation.councils.models.MemberRole",
        "RoleEnum": "portal.organisations.models.MemberRole",
    },
}

# --- Security headers ------------------------------------------------------------
# Scripts from our own origin only (or with the request's nonce); the admins relax it on
# their own paths (portal.core.csp). The same policy in every environment, tests included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", NONCE],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    }
}
# Where to report a vulnerability (served at /.well-known/security.txt).
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="mailto:security@gongzhi.local")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its preview views SAMEORIGIN itself

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Verification documents and other personal files: never served directly.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
