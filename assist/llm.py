"""The optional language-model connector: an OpenAI-compatible chat-completions endpoint, off unless
ASSIST_LLM_URL is set. Internal notes are never sent unless ASSIST_LLM_INCLUDE_NOTES; every call is logged."""

import json
import time
import urllib.error
import urllib.request

from django.conf import settings

from assist.models import LLMCall


def configured() -> bool:
    return bool(getattr(settings, "ASSIST_LLM_URL", ""))


def thread_text(ticket, messages) -> str:
    include_notes = getattr(settings, "ASSIST_LLM_INCLUDE_NOTES", False)
    parts = [f"Subject: {ticket.subject}", ticket.description]
    parts += [message.body for message in messages if include_notes or not message.is_internal]
    return "\n\n".join(parts)


def complete(*, user, ticket, purpose: str, prompt: str, text: str) -> str | None:
    """The model's answer, or None when it is off, slow or broken (the page then shows the local summary)."""
    if not configured() or not settings.ASSIST_LLM_URL.startswith(("http://", "https://")):
        return None
    body = json.dumps({"model": getattr(settings, "ASSIST_LLM_MODEL", ""),
                       "messages": [{"role": "system", "content": prompt}, {"role": "user", "content": text}]})
    # http(s) only, checked above.
    request = urllib.request.Request(settings.ASSIST_LLM_URL, data=body.encode(), method="POST",  # noqa: S310  # nosec B310
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {getattr(settings, 'ASSIST_LLM_KEY', '')}"})
    started = time.monotonic()
    answer, error = None, ""
    try:
        timeout = getattr(settings, "ASSIST_LLM_TIMEOUT", 3)
        # http(s) only, checked above.
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            answer = json.loads(response.read())["choices"][0]["message"]["content"].strip() or None
    except (OSError, ValueError, KeyError, IndexError, TypeError, urllib.error.URLError) as failure:
        error = str(failure)[:255] or failure.__class__.__name__
    LLMCall.objects.create(user=user, ticket=ticket, purpose=purpose, characters=len(text),
                           milliseconds=int((time.monotonic() - started) * 1000), ok=answer is not None, error=error)
    return answer
