"""Pagination of the list pages without counting first.

Counting a 100,000-row list costs PostgreSQL about as much as rendering the whole page, and
the rows of one page do not need it: a page reads one row more than it shows to know whether
there is a next one.  The total ("共 N 条", "第 p / n 页") is fetched by the page after it has
rendered (``ObjectListView`` answers ``?_count=1`` with a small fragment), so it is exact
when it arrives and never delays the rows.
"""
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _


class WindowPage(Page):
    """A page that knows whether a next page exists without knowing the total."""

    count_later = True

    def __init__(self, object_list, number, paginator, more):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self):
        return self._more

    def has_other_pages(self):
        return self._more or self.number > 1

    def next_page_number(self):
        if not self._more:
            raise EmptyPage(_("该页不包含任何结果"))
        return self.number + 1

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + (1 if self.object_list else 0)

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class CountLaterPaginator(Paginator):
    """``page(n)`` reads rows ``per_page + 1`` at a time and never runs ``COUNT(*)``;
    ``count`` and ``num_pages`` still work (and count) when asked for."""

    def page(self, number):
        number = self.validate_number_without_count(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("该页不包含任何结果"))
        return WindowPage(rows[:self.per_page], number, self, more=len(rows) > self.per_page)

    def validate_number_without_count(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("页码不是整数"))
        if number < 1:
            raise EmptyPage(_("页码小于 1"))
        return number
