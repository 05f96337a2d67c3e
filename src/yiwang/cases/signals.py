"""What the case context tells others (so cases depends on none of them).

``case_concluded``: sent inside the concluding transaction, sender=Case, case=…, actor=… — the
e-licence context issues the licence of a granted case here; an exception rolls the conclusion back.

``case_submitted``: sent inside the submitting transaction, sender=Case, case=… — instant approval
(秒批) queues its rule check here, to run once the case is committed.
"""

from django.dispatch import Signal

case_concluded = Signal()
case_submitted = Signal()
