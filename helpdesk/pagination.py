"""A paginator that stops counting: lists over a million rows show "10,000+" instead of running COUNT(*) over all."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``cap + 1`` rows (``SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1)``), still one query.

    When there are more, ``count`` is ``cap + 1`` (so pages up to the cap can be reached and "Next" shows on the last
    one), ``capped`` is true and ``count_label`` reads "10,000+".
    """

    def __init__(self, *args, cap=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self):
        objects = self.object_list
        if hasattr(objects, "query"):
            if not objects.query.distinct_fields:
                objects = objects.order_by()
            return objects[: self.cap + 1].count()
        return len(objects[: self.cap + 1])

    @property
    def capped(self):
        return self.count > self.cap

    @property
    def count_label(self):
        if self.capped:
            return _("%(count)s+") % {"count": f"{self.cap:,}"}
        return self.count
