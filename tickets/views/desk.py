from django.http import Http404


def ticket_list(request, *args, **kwargs):  # being written
    raise Http404


def ticket_bulk(request, *args, **kwargs):  # being written
    raise Http404


def ticket_create(request, *args, **kwargs):  # being written
    raise Http404


def ticket_detail(request, *args, **kwargs):  # being written
    raise Http404


def ticket_reply(request, *args, **kwargs):  # being written
    raise Http404


def ticket_update(request, *args, **kwargs):  # being written
    raise Http404


def ticket_merge(request, *args, **kwargs):  # being written
    raise Http404


def canned_response(request, *args, **kwargs):  # being written
    raise Http404
