def axes_username(request, credentials):
    """Count failed sign-ins per address regardless of case, matching how addresses are stored."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("email") or ""
    elif request is not None and hasattr(request, "POST"):
        raw = request.POST.get("username", "")
    return raw.strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while an address + IP pair is locked out after too many failed sign-ins."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
