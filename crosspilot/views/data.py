"""The Data page's view: no choices of its own (see `base.EmptyPage`)."""

from crosspilot.views.base import EmptyPage

PATH = "/data"
View, MIGRATIONS, parse, to_query = EmptyPage.View, EmptyPage.MIGRATIONS, EmptyPage.parse, EmptyPage.to_query
