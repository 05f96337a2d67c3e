"""What the case context tells others (so cases depends on none of them).

``case_concluded``: sent inside the concluding transaction, sender=Case, case=…, actor=… — the
e-licence context issues the licence of a granted case here; an exception rolls the conclusion back.
"""

from django.dispatch import Signal

case_concluded = Signal()
