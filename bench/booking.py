"""Flash-crowd booking (issue 22; docs/performance.md, "Flash-crowd booking"): Qingyuan's 12345 mask
booking drew over 100,000 people a day. Here ``--citizens`` people book the ``--places`` places of one
distribution through the public booking API, ``--concurrency`` at a time, then the booked ones check in
at the hall's kiosks by their appointment code (the code the phone shows as a QR code) and get queue numbers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiwang_bench_booking REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/booking.py
    .venv/bin/python bench/booking.py                              # embedded SQLite (var/bench-booking/)

Set-up (``manage.py shell``): a category of the demo hall for the distribution, open all day; ``--slots``
slots tomorrow sharing the places, released a minute ago; the citizens (natural persons) with a bearer
token each, as a login leaves them; kiosk accounts (the hall's clerks) with a token per kiosk.

1. Booking, against gunicorn in production mode: each citizen presses 预约 once on a slot chosen at random
   among those its load process has not yet seen refused "已约满"; a citizen refused "已约满" tries another
   slot not yet seen full, and goes away when none is left. One in ``--repeat`` citizens who got a place
   presses 预约 again (another slot), which must be refused "超过限额". Every answer must be 201 or a 409
   with its code and Chinese message; any other status (a 500, a 503 "database is locked") fails the run.
2. Check-in: the appointments booked are checked in at ``--kiosks`` kiosks through
   ``POST /api/v1/hall/halls/{id}/check-in``, ``--concurrency`` at a time (the slots are first moved, in the
   database and for the benchmark only, to start in 25 minutes, so that check-in is open); one in
   ``--repeat`` codes is presented twice, which must be refused without a second number.

Checked in the database afterwards, the run failing on any difference: per slot, booked ≤ capacity and
booked = its appointments; the appointments number ``--places`` exactly when the citizens outnumber the
places; nobody holds two; every 201 is an appointment and every appointment a 201; after check-in, one queue
ticket per appointment, numbers unique in their day, serials 1…n a day without a gap.

First come, first served, as it can be verified from outside: per slot, every place's appointment was
written (``booked_at``, the server's clock) before any "已约满" answer for that slot was received (the load's
clock: the same machine's), and so no one who was told "已约满" was refused while a later request still
got a place of that slot.

Prints wall time, throughput, p50/p95/p99 and SQL per request for booking and check-in, the refusals by code,
the checks, and with PostgreSQL the machine's pgbench figures of the same run beside.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, Result, _percentile, pgbench_line, prepared, report, serve, shell_json

# The refusals a citizen may get from a booking, and the words their Chinese message must carry.
FULL = {"slot_full": "已约满"}
OVER_LIMIT = {"already_booked": "超过限额", "too_many_bookings": "超过限额"}

SETUP = """
import json, secrets
from datetime import datetime, time, timedelta
from django.utils import timezone
from yiwang.accounts.choices import AccountKind
from yiwang.accounts.models import ApiToken, User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import TOKEN_PREFIX, _digest, api_token_issue, role_grant, user_create
from yiwang.hall.models import AppointmentSlot, QueueCategory
from yiwang.hall.services import queue_category_save
from yiwang.organisation.models import Hall

run = RUN
hall = Hall.objects.select_related("centre__region").get(name="综合服务大厅")
used = set(QueueCategory.objects.filter(hall=hall).values_list("prefix", flat=True))
prefix = next(a + b for a in "KLMNPQRSTUVWXYZ" for b in "ABCDEFGHJKLMNPQRSTUVWXYZ" if a + b not in used)
category = queue_category_save(
    actor=None, hall=hall, prefix=prefix, group_id=hall.groups.order_by("pk").first().pk,
    name=f"口罩预约 {run}", opens_at=time(0), closes_at=time(23, 59, 59, 999999),
)
now = timezone.now()
tomorrow = timezone.localdate() + timedelta(days=1)
step = max(1, 600 // SLOTS)
slots = []
for n in range(SLOTS):
    start = (datetime.combine(tomorrow, time(8)) + timedelta(minutes=n * step)).time()
    end = (datetime.combine(tomorrow, start) + timedelta(minutes=step)).time()
    capacity = PLACES // SLOTS + (1 if n < PLACES % SLOTS else 0)
    slots.append(AppointmentSlot.objects.create(
        category=category, day=tomorrow, start=start, end=end, capacity=capacity,
        released_at=now - timedelta(minutes=1),
    ).pk)
users = User.objects.bulk_create(
    User(username=f"bench-{run}-{n}", password="!", kind=AccountKind.NATURAL_PERSON, full_name=f"市民{n}")
    for n in range(CITIZENS)
)
raws = [TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in users]
ApiToken.objects.bulk_create(
    ApiToken(user=user, prefix=raw[:10], digest=_digest(raw), expires_at=now + timedelta(days=2))
    for user, raw in zip(users, raws)
)
kiosks = []
for n in range(KIOSKS):
    clerk = user_create(username=f"bench-kiosk-{run}-{n}", password=None, kind=AccountKind.STAFF, full_name="自助机")
    role_grant(actor=None, user=clerk, role=Role.CLERK, region=hall.centre.region)
    kiosks.append(api_token_issue(user=clerk)[0])
with open(TOKENS, "w") as out:
    json.dump(raws, out)
print(json.dumps({"hall": hall.pk, "category": category.pk, "prefix": prefix, "slots": slots, "kiosks": kiosks}))
"""

# For the check-in, the slots start in 25 minutes (check-in opens 30 minutes before a slot's start).
MOVE = """
import json
from datetime import timedelta
from django.utils import timezone
from yiwang.hall.models import AppointmentSlot

start = timezone.localtime() + timedelta(minutes=25)
for n, pk in enumerate(SLOTS):
    at = start + timedelta(seconds=n)
    AppointmentSlot.objects.filter(pk=pk).update(day=at.date(), start=at.time().replace(microsecond=0))
print(json.dumps({"moved": len(SLOTS)}))
"""

CHECK = """
import json
from django.db.models import Count, Max
from yiwang.hall.models import Appointment, AppointmentSlot, QueueTicket

slots = list(AppointmentSlot.objects.filter(category_id=CATEGORY).annotate(
    held=Count("appointments")).values("pk", "capacity", "booked", "held"))
appointments = Appointment.objects.filter(slot__category_id=CATEGORY)
last_booked = appointments.order_by().values("slot_id").annotate(last=Max("booked_at"))
tickets = QueueTicket.objects.filter(category_id=CATEGORY)
serials = {}  # a run may go past midnight: numbers start again each day
for day, serial in tickets.values_list("day", "serial"):
    serials.setdefault(day, []).append(serial)
checked_in = appointments.filter(status="checked_in")
print(json.dumps({
    "slots": slots,
    "appointments": appointments.count(),
    "ids": list(appointments.values_list("pk", flat=True)),
    "people_with_two": appointments.order_by().values("account_id").annotate(n=Count("pk")).filter(n__gt=1).count(),
    "last_booked": {row["slot_id"]: row["last"].timestamp() for row in last_booked},
    "checked_in": checked_in.count(),
    "tickets": tickets.count(),
    "distinct_numbers": tickets.values("day", "number").distinct().count(),
    "distinct_tickets_held": checked_in.values("queue_ticket").distinct().count(),
    "serials_without_gap": all(sorted(day) == list(range(1, len(day) + 1)) for day in serials.values()),
}))
"""


def _shell(env: dict[str, str], script: str) -> dict[str, Any]:
    return shell_json(env, script)  # type: ignore[no-any-return]


def _post(connection: http.client.HTTPConnection, path: str, body: bytes, headers: dict[str, str]) -> Any:
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    return response, payload


# One answer as the load saw it: (who, slot or code, sent, received (time.time()), status, code, queries, body).
Answer = tuple[int, Any, float, float, int, str, int, dict[str, Any]]


def _answer(who: int, what: Any, sent: float, response: Any, payload: bytes) -> Answer:
    received = time.time()
    try:
        body = json.loads(payload) if payload else {}
    except ValueError:
        body = {"raw": payload[:200].decode(errors="replace")}
    code = body.get("code", "") if response.status >= 400 else ""
    queries = int(response.getheader("X-Query-Count", "0"))
    return (who, what, sent, received, response.status, code, queries, body)


def _booker(
    port: int,
    tokens: list[str],
    slots: list[int],
    repeat: int,
    first: int,
    threads: int,
    seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    """This process's citizens (``tokens[first::…]`` handed out by ``_share``) book, ``threads`` at a time."""
    del seconds
    mine = tokens
    rng = random.Random(first)
    known_full: set[int] = set()
    lock = threading.Lock()
    answers: list[Answer] = []
    next_citizen = iter(range(len(mine)))
    latencies: list[float] = []

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        got: list[Answer] = []
        times: list[float] = []
        while True:
            with lock:
                index = next(next_citizen, None)
            if index is None:
                break
            who = first * 1_000_000 + index
            headers = {
                "Authorization": f"Bearer {mine[index]}",
                "Content-Type": "application/json",
                "X-Forwarded-Proto": "https",
            }
            tried: set[int] = set()
            presses = 0
            while True:
                with lock:
                    open_slots = [s for s in slots if s not in known_full and s not in tried]
                if not open_slots and presses:
                    break
                slot = rng.choice(open_slots or slots)
                tried.add(slot)
                presses += 1
                sent = time.time()
                started = time.perf_counter()
                try:
                    response, payload = _post(
                        connection, "/api/v1/hall/appointments", json.dumps({"slot": slot}).encode(), headers
                    )
                except (OSError, http.client.HTTPException) as error:
                    got.append((who, slot, sent, time.time(), 0, repr(error), 0, {}))
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    break
                times.append(time.perf_counter() - started)
                answer = _answer(who, slot, sent, response, payload)
                got.append(answer)
                if answer[5] == "slot_full":
                    with lock:
                        known_full.add(slot)
                    continue
                if answer[4] == 201 and repeat and index % repeat == 0:
                    with lock:  # another slot of the day, not seen full: the limit, not the places, refuses it
                        others = [s for s in slots if s != slot and s not in known_full]
                    again = rng.choice(others or [slot])
                    sent = time.time()
                    started = time.perf_counter()
                    response, payload = _post(
                        connection, "/api/v1/hall/appointments", json.dumps({"slot": again}).encode(), headers
                    )
                    times.append(time.perf_counter() - started)
                    got.append(_answer(who, again, sent, response, payload))
                break
        connection.close()
        with lock:
            answers.extend(got)
            latencies.extend(times)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((answers, latencies))


def _checker(
    port: int,
    work: list[tuple[int, str]],
    hall: int,
    kiosks: list[str],
    first: int,
    threads: int,
    seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    """Kiosks check in ``work`` (appointment id, code), ``threads`` at a time."""
    del seconds
    lock = threading.Lock()
    answers: list[Answer] = []
    latencies: list[float] = []
    items = iter(work)
    path = f"/api/v1/hall/halls/{hall}/check-in"

    def worker(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {
            "Authorization": f"Bearer {kiosks[(first + n) % len(kiosks)]}",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
        }
        got: list[Answer] = []
        times: list[float] = []
        while True:
            with lock:
                item = next(items, None)
            if item is None:
                break
            appointment, code = item
            sent = time.time()
            started = time.perf_counter()
            try:
                response, payload = _post(connection, path, json.dumps({"code": code}).encode(), headers)
            except (OSError, http.client.HTTPException) as error:
                got.append((appointment, code, sent, time.time(), 0, repr(error), 0, {}))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            times.append(time.perf_counter() - started)
            got.append(_answer(appointment, code, sent, response, payload))
        connection.close()
        with lock:
            answers.extend(got)
            latencies.extend(times)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((answers, latencies))


def _share(target: Any, shared: tuple[Any, ...], parts: list[Any], concurrency: int) -> tuple[list[Any], float]:
    """Runs ``target(port, part, *rest, first, threads, 0, queue)`` for ``shared`` = (port, *rest) in one
    process per part (``first``: the process's index, ``threads``: its share of ``concurrency``); what each
    put on the queue, and the wall time."""
    processes = len(parts)
    per_process = [concurrency // processes + (1 if i < concurrency % processes else 0) for i in range(processes)]
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    started = time.monotonic()
    workers = []
    for index, (part, threads) in enumerate(zip(parts, per_process, strict=True)):
        args = (shared[0], part, *shared[1:], index, threads, 0.0, queue)
        workers.append(multiprocessing.Process(target=target, args=args))
    for worker in workers:
        worker.start()
    outputs = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    return outputs, time.monotonic() - started


def _row(label: str, latencies: list[float], answers: list[Answer], seconds: float, concurrency: int) -> Result:
    latencies = sorted(latencies)
    queries = [a[6] for a in answers if a[6]]
    failed = sum(1 for a in answers if a[4] not in (201, 409))
    return Result(
        endpoint=label,
        concurrency=concurrency,
        requests=len(latencies),
        errors=failed,
        seconds=round(seconds, 2),
        rps=round(len(latencies) / seconds, 1) if seconds else 0.0,
        p50_ms=round(_percentile(latencies, 0.50) * 1000, 1),
        p95_ms=round(_percentile(latencies, 0.95) * 1000, 1),
        p99_ms=round(_percentile(latencies, 0.99) * 1000, 1),
        queries_per_request=round(sum(queries) / len(queries), 2) if queries else 0.0,
    )


def _by_kind(answers: list[Answer]) -> dict[str, list[Answer]]:
    kinds: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        kinds["booked (201)" if answer[4] == 201 else f"refused {answer[5]} ({answer[4]})"].append(answer)
    return kinds


def _kind_row(label: str, answers: list[Answer], seconds: float, concurrency: int) -> Result:
    """One kind of answer of a phase: its share of the phase's rate, its latencies (as the load timed them)."""
    latencies = [a[3] - a[2] for a in answers]
    return _row(label, latencies, answers, seconds, concurrency)


def _server_pids() -> list[int]:
    """The gunicorn master this process started, and its workers."""
    children: dict[int, list[int]] = defaultdict(list)
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        children[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry.name))
    masters = [pid for pid in children[os.getpid()] if "gunicorn" in commands.get(pid, "")]
    return masters + [pid for master in masters for pid in children[master]]


def _cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) of the processes, with that of their children reaped (workers recycled)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


class CpuMeter:
    """The server's CPU (gunicorn and its workers) and the machine's, over a phase."""

    def __init__(self) -> None:
        self.pids = _server_pids()
        self.server = _cpu_seconds(self.pids)
        self.busy, self.total = _machine_busy()

    def read(self, requests: int) -> str:
        pids = sorted(set(self.pids) | set(_server_pids()))
        server = _cpu_seconds(pids) - self.server
        busy, total = _machine_busy()
        share = (busy - self.busy) / (total - self.total) if total > self.total else 0.0
        per = server / requests * 1000 if requests else 0.0
        return f"server CPU {server:.1f}s ({per:.1f} ms a request), machine busy {share:.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=20_000)
    parser.add_argument("--slots", type=int, default=10, help="slots sharing the places (1: one hot row)")
    parser.add_argument("--repeat", type=int, default=50, help="one in this many press twice (0: nobody)")
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--processes", type=int, default=4, help="load processes sharing the concurrency")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-check-in", action="store_true", help="skip the check-in at the kiosks")
    parser.add_argument("--seconds", type=float, default=0.0, help="(kept for the shared test options)")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-booking", help="for SQLite")
    parser.add_argument(
        "--pgbench", default="", help="a PostgreSQL URL whose server pgbench measures (default: DATABASE_URL's)"
    )
    args = parser.parse_args()
    if args.places // args.slots > 32_767:
        raise SystemExit("a slot holds at most 32,767 places: use more slots")

    env, engine = prepared(args.var_dir)
    tokens_path = args.var_dir / "booking-tokens.json"
    run = uuid.uuid4().hex[:6]
    began = time.monotonic()
    made = _shell(
        env,
        f"RUN = {run!r}\nSLOTS = {args.slots}\nPLACES = {args.places}\nCITIZENS = {args.citizens}\n"
        f"KIOSKS = {args.kiosks}\nTOKENS = {str(tokens_path)!r}\n{SETUP}",
    )
    tokens: list[str] = json.loads(tokens_path.read_text())
    tokens_path.unlink()
    print(f"set-up: {args.citizens:,} citizens, {args.places:,} places in {args.slots} slots, "
          f"{time.monotonic() - began:.0f}s")  # fmt: skip
    processes = max(1, min(args.processes, args.concurrency))
    parts = [tokens[n::processes] for n in range(processes)]
    rows: list[tuple[str, Result]] = []
    check_in_answers: list[Answer] = []
    with serve(env, args.workers, args.threads) as port:
        meter = CpuMeter()
        outputs, booking_seconds = _share(_booker, (port, made["slots"], args.repeat), parts, args.concurrency)
        answers = [a for got, _l in outputs for a in got]
        booking_cpu = meter.read(len(answers))
        latencies = [t for _a, got in outputs for t in got]
        rows.append(
            (f"booking, {args.citizens:,} citizens", _row("booking", latencies, answers, booking_seconds,
                                                          args.concurrency))
        )  # fmt: skip
        kinds = _by_kind(answers)
        for label in sorted(kinds, key=lambda k: (k != "booked (201)", k)):
            rows.append((f"  {label}", _kind_row(label, kinds[label], booking_seconds, args.concurrency)))
        booked = [a for a in answers if a[4] == 201]
        if not args.no_check_in and booked:
            _shell(env, f"SLOTS = {made['slots']!r}\n{MOVE}")
            rng = random.Random(22)
            work = [(a[7]["id"], a[7]["code"]) for a in booked]
            work += rng.sample(work, len(work) // args.repeat if args.repeat else 0)
            rng.shuffle(work)
            parts_in = [work[n::processes] for n in range(processes)]
            meter = CpuMeter()
            outputs, check_in_seconds = _share(
                _checker, (port, made["hall"], made["kiosks"]), parts_in, args.concurrency
            )
            check_in_answers = [a for got, _l in outputs for a in got]
            check_in_cpu = meter.read(len(check_in_answers))
            latencies = [t for _a, got in outputs for t in got]
            rows.append(
                (f"check-in at {args.kiosks} kiosks, {len(work):,} codes",
                 _row("check-in", latencies, check_in_answers, check_in_seconds, args.concurrency))
            )  # fmt: skip
            for label, group in sorted(_by_kind(check_in_answers).items()):
                label_in = label.replace("booked", "queue number")
                rows.append((f"  {label_in}", _kind_row(label, group, check_in_seconds, args.concurrency)))
    pgbench = pgbench_line(args.pgbench or os.environ.get("DATABASE_URL"), 5, read_only=True)
    check = _shell(env, f"CATEGORY = {made['category']}\n{CHECK}")
    problems = _verify(args, answers, check, check_in_answers)
    statuses = Counter(a[4] for a in answers + check_in_answers)
    print(
        f"\n{args.citizens:,} citizens: {len(booked):,} of {args.places:,} places booked in {booking_seconds:.1f}s "
        f"with {len(answers):,} requests (the places all given after {_filled_after(answers, args.places)}); "
        f"refusals {dict(Counter(a[5] for a in answers if a[4] != 201))}; {booking_cpu}"
    )
    if check_in_answers:
        print(
            f"check-in: {statuses_of(check_in_answers)}; {sum(1 for a in check_in_answers if a[4] == 201):,} queue "
            f"numbers for {len(booked):,} appointments in {check_in_seconds:.1f}s; {check_in_cpu}"
        )
    print(
        f"server errors (5xx, 'database is locked' among them): {sum(n for code, n in statuses.items() if code >= 500)}"
        f"; connection failures: {statuses.get(0, 0)}"
    )
    print(
        f"database: {check['appointments']:,} appointments; slots booked/capacity "
        f"{sum(s['booked'] for s in check['slots']):,}/{sum(s['capacity'] for s in check['slots']):,}, none over "
        f"({sum(1 for s in check['slots'] if s['booked'] > s['capacity'])} over); people holding two "
        f"{check['people_with_two']}; queue tickets {check['tickets']:,}, numbers distinct "
        f"{check['distinct_numbers']:,}, serials 1…n a day without a gap: {check['serials_without_gap']}"
    )
    print(_first_come(answers, check))
    print(pgbench)
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    report(
        f"Yiwang flash-crowd booking — {engine}, {args.citizens:,} citizens, {args.places:,} places in {args.slots} "
        f"slot{'s' if args.slots > 1 else ''}, gunicorn {args.workers}×{args.threads}, concurrency "
        f"{args.concurrency} from {processes} load processes, {os.cpu_count()} CPU cores shared by server and load",
        rows,
        f"booking-{engine}",
        {"engine": engine, "citizens": args.citizens, "places": args.places, "slots": args.slots,
         "pgbench": pgbench, "problems": problems},
    )  # fmt: skip
    if problems:
        raise SystemExit(f"{len(problems)} checks failed")
    print("checks: no overbooking, nobody over the limit, every refusal coded, first come first served — all hold")


def statuses_of(answers: list[Answer]) -> str:
    return ", ".join(f"{n:,} × {code}" for code, n in sorted(Counter(a[4] for a in answers).items()))


def _first_come(answers: list[Answer], check: dict[str, Any]) -> str:
    """The margin by which, per slot, the last place was written before the first 已约满 was answered."""
    first_full: dict[int, float] = {}
    for a in answers:
        if a[5] == "slot_full":
            first_full[a[1]] = min(first_full.get(a[1], a[3]), a[3])
    margins = [refused - check["last_booked"][str(slot)] for slot, refused in first_full.items()]
    if not margins:
        return "first come, first served: no slot was refused 已约满"
    return (
        f"first come, first served: in each of {len(margins)} slots the last place was written before the first "
        f"已约满 was answered (by {min(margins) * 1000:,.0f} ms at least)"
    )


def _filled_after(answers: list[Answer], places: int) -> str:
    booked = sorted(a[3] for a in answers if a[4] == 201)
    if len(booked) < places or not answers:
        return "never"
    return f"{booked[places - 1] - min(a[2] for a in answers):.1f}s"


def _verify(
    args: argparse.Namespace, answers: list[Answer], check: dict[str, Any], check_ins: list[Answer]
) -> list[str]:
    """What the run must show; each difference found, in words."""
    problems = []
    booked = [a for a in answers if a[4] == 201]
    for slot in check["slots"]:
        if slot["booked"] > slot["capacity"] or slot["booked"] != slot["held"]:
            problems.append(
                f"slot {slot['pk']}: booked {slot['booked']}, capacity {slot['capacity']}, held {slot['held']}"
            )
    if args.citizens > args.places and check["appointments"] != args.places:
        problems.append(f"{check['appointments']} appointments for {args.places} places wanted by more people")
    if check["people_with_two"]:
        problems.append(f"{check['people_with_two']} people hold two appointments")
    if sorted(a[7]["id"] for a in booked) != sorted(check["ids"]):
        problems.append("the 201 answers and the appointments in the database differ")
    for a in answers:
        if a[4] == 201:
            continue
        words = {**FULL, **OVER_LIMIT}.get(a[5])
        if a[4] != 409 or words is None or words not in a[7].get("message", ""):
            problems.append(f"an answer without its coded refusal: {a[4]} {a[5]} {a[7]}")
            break
    repeats = [a for a in answers if a[5] in OVER_LIMIT]
    if args.repeat and len(booked) >= args.repeat and not repeats:
        problems.append("nobody who pressed twice was refused 超过限额")
    # First come, first served: per slot, the last place written before the first 已约满 received.
    first_full: dict[int, float] = {}
    for a in answers:
        if a[5] == "slot_full":
            first_full[a[1]] = min(first_full.get(a[1], a[3]), a[3])
    for slot, refused in first_full.items():
        last = check["last_booked"].get(str(slot), 0)
        if last >= refused:
            problems.append(f"slot {slot}: a place written {last - refused:.3f}s after a 已约满 was answered")
        later = [a for a in booked if a[1] == slot and a[2] > refused]
        if later:
            problems.append(f"slot {slot}: {len(later)} requests sent after a 已约满 got a place")
    if check_ins:
        ok = [a for a in check_ins if a[4] == 201]
        tickets = [a[7]["ticket"]["id"] for a in ok]
        if len(set(tickets)) != len(tickets) or len({a[0] for a in ok}) != len(ok):
            problems.append("a queue ticket or an appointment twice among the check-ins")
        if check["distinct_numbers"] != check["tickets"]:
            problems.append(f"{check['tickets']} tickets with {check['distinct_numbers']} distinct numbers a day")
        if len(ok) != len(booked) or check["checked_in"] != len(booked) or check["tickets"] != len(booked):
            problems.append(
                f"{len(ok)} check-ins answered, {check['checked_in']} checked in, {check['tickets']} tickets "
                f"for {len(booked)} appointments"
            )
        if not check["serials_without_gap"] or check["distinct_tickets_held"] != check["checked_in"]:
            problems.append("queue serials with a gap, or two appointments holding one ticket")
        for a in check_ins:
            if a[4] != 201 and (a[4] != 409 or a[5] != "wrong_status"):
                problems.append(f"a check-in refused without its code: {a[4]} {a[5]} {a[7]}")
                break
    return problems


if __name__ == "__main__":
    main()
