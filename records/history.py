"""Edit history (django-simple-history) configured for this project's models."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete
from simple_history.models import HistoricalRecords


class RecordHistory(HistoricalRecords):
    """Like HistoricalRecords, except that a proxy model (a Party is an
    Organisation) records into its concrete model's history table instead of
    getting its own: one record, one history, whichever class saved it."""

    def finalize(self, sender, **kwargs):
        inherited = self.cls is not sender and self.inherit and issubclass(sender, self.cls)
        if inherited and sender._meta.proxy:
            for signal, handler in ((post_save, self.post_save), (post_delete, self.post_delete)):
                signal.connect(handler, sender=sender, weak=False)
            pre_delete.connect(self.pre_delete, sender=sender, weak=False)
            # `sender.history` is the concrete model's descriptor, inherited.
            sender._meta.simple_history_manager_attribute = self.manager_name
            return
        super().finalize(sender, **kwargs)
