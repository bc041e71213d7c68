from django.http import Http404


def ticket_list(request, *args, **kwargs):  # being written
    raise Http404


def ticket_create(request, *args, **kwargs):  # being written
    raise Http404


def ticket_detail(request, *args, **kwargs):  # being written
    raise Http404


def ticket_reply(request, *args, **kwargs):  # being written
    raise Http404


def ticket_resolve(request, *args, **kwargs):  # being written
    raise Http404


def ticket_reopen(request, *args, **kwargs):  # being written
    raise Http404


def ticket_close(request, *args, **kwargs):  # being written
    raise Http404
