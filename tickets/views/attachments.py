from django.http import Http404


def download(request, *args, **kwargs):  # being written
    raise Http404
