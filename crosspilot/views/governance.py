"""The Governance models page's view: no choices of its own (see `base.EmptyPage`)."""

from crosspilot.views.base import EmptyPage

PATH = "/lessons/governance"
View, MIGRATIONS, parse, to_query = EmptyPage.View, EmptyPage.MIGRATIONS, EmptyPage.parse, EmptyPage.to_query
