"""Sign-in throttling, on django-axes.

Failed sign-ins are counted three ways (settings.AXES_LOCKOUT_PARAMETERS), each with its own limit
(settings.LOGIN_FAILURE_LIMITS): one address from one IP; one IP across every address, which stops one
password being tried against many accounts; one address across every IP, which stops one account being
attacked from many places. Axes compares a single count with a single limit, so ``LockoutHandler`` scales
each count to the first limit before taking the largest.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def axes_username(request, credentials):
    """Count failed sign-ins per address regardless of case, matching how addresses are stored."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("email") or ""
    elif request is not None and hasattr(request, "POST"):
        raw = request.POST.get("username", "")
    return raw.strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while sign-in is locked out after too many failed attempts."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limits = list(settings.LOGIN_FAILURE_LIMITS.values())
        base = limits[0]
        scaled = 0
        for attempts, limit in zip(self.get_user_attempts(request, credentials), limits, strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            # count reaches its own limit exactly when the scaled value reaches the first one.
            scaled = max(scaled, count * base // limit)
        return scaled

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears its own (address, IP) pair only.

        Clearing everything the request matches would let someone who owns one account wipe the per-IP
        count by signing in to it between guesses at other accounts.
        """
        deleted, _ = AccessAttempt.objects.filter(
            username=axes_username(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return deleted
