"""How long a signed-in session lives.

Two limits apply to every session:

- an idle limit: after ``SESSION_IDLE_MINUTES[role]`` minutes without a request the session ends
  (8 hours for staff, 14 days for customers by default), checked by ``SessionIdleTimeoutMiddleware``;
- the cookie's own life: "Remember me" keeps the cookie for ``SESSION_COOKIE_AGE``; without it the
  session ends when the browser closes.

Every sign-in starts the idle clock (``start_idle_clock``, on Django's ``user_logged_in``); the pages that
offer "Remember me" (the password page, the second-factor step) then call ``session_start``.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpdesk.accounts.roles import is_agent

LAST_SEEN_KEY = "_last_seen"
REMEMBER_KEY = "_remember_me"
# The last-seen time is written at most this often, so a busy page does not save its session on every request.
TOUCH_EVERY_SECONDS = 60


def idle_minutes(user) -> int:
    """The idle limit for this user's sessions."""
    return settings.SESSION_IDLE_MINUTES["staff" if is_agent(user) else "customer"]


def session_start(request, *, remember: bool) -> None:
    """Call right after ``login()`` on a page that offers "Remember me": choose the cookie's life.

    Without this call (Django admin's sign-in, for one) the cookie lasts SESSION_COOKIE_AGE; the idle
    limit applies to every session either way.
    """
    request.session[REMEMBER_KEY] = bool(remember)
    # 0: the cookie ends with the browser. None: the global SESSION_COOKIE_AGE.
    request.session.set_expiry(None if remember else 0)


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """On every sign-in, whichever page did it (connected to ``user_logged_in``)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Sign out a session that has been idle for longer than its user's limit.

    Goes after AuthenticationMiddleware and MessageMiddleware: the request that finds the session stale
    continues as an anonymous visitor (so a page that needs sign-in sends them to the sign-in page) and is
    told why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            limit = idle_minutes(user)
            if last_seen is not None and now - last_seen > limit * 60:
                logout(request)
                messages.info(request, _signed_out_message(limit))
            elif last_seen is None or now - last_seen >= TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def duration_words(minutes: int) -> str:
    """"8 hours", "14 days", "90 minutes": a span as a person says it, in the active language."""
    if minutes and minutes % (60 * 24) == 0:
        days = minutes // (60 * 24)
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def _signed_out_message(limit: int) -> str:
    return _("You were signed out after %(span)s without activity. Sign in again to continue.") % {
        "span": duration_words(limit)
    }
