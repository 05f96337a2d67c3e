"""Benchmark of electronic tendering (issue 19): sealed bids uploaded in the last minute before the
deadline, the opening's decryptions, and the random draw from a large expert pool.

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_trading .venv/bin/python bench/trading.py
    .venv/bin/python bench/trading.py --bidders 100                  # embedded SQLite (var/bench-trading/)

Set-up (``manage.py shell``): ``--bidders`` companies with registered SM2 keys, each with a bid sealed
on its side as ``yiwang-seal`` does and an API token; one tender published as the law requires, whose
deadline the benchmark then moves (in the database, for the benchmark only) to ``--window`` seconds
after the uploads start; ``--experts`` experts in the pool. Then, against gunicorn in production mode:

1. every bidder uploads its sealed bid through the API at a random moment of the last ``--window``
   seconds, ``--late`` of them just after the deadline — none accepted late, none lost (checked
   against the receipts in the database);
2. the closing, then every bidder decrypts its own bid through the API (the opening);
3. ``--draws`` random draws of 5 experts from the pool, timed in one process (recusal, digests, seed,
   ranking, picks).

With PostgreSQL, the machine's ``pgbench`` figures of the same run are printed beside (only same-run
ratios compare on a shared machine).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, Result, _percentile, pgbench_line, prepared, report, serve, shell_json

SETUP = """
import json, time
from datetime import timedelta
from django.utils import timezone
from yiwang.accounts.choices import AccountKind
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import api_token_issue, role_grant, user_create
from yiwang.core.crypto import sm2_key_pair
from yiwang.core.identifiers import credit_code_with_check
from yiwang.demo.trading import CUSTODIANS
from yiwang.organisation.models import Region
from yiwang.trading import services
from yiwang.trading.envelope import bid_pack, seal
from yiwang.trading.models import Expert, TradingProject

run = RUN
city = Region.objects.get(code="990100")
officer = User.objects.get(username="demo-trading-officer")
bidders = []
for n in range(BIDDERS):
    user = user_create(
        username=f"bench-{run}-{n}", password=None, kind=AccountKind.LEGAL_PERSON,
        full_name=f"压测建设有限公司{run}{n}",
        credit_code=credit_code_with_check(f"9199{int(run, 16) % 10**4:04d}MA{n:07d}"),
    )
    private, public = sm2_key_pair()
    services.party_key_register(actor=user, purpose="bidder", public_key=public)
    bidders.append((user, private, public))
project = services.project_register(
    actor=officer, region=city, kind="construction", method="open_tender", evaluation_method="lowest_price",
    title=f"压测项目 {run}", budget="50000000.00", lots=[services.LotIn("施工", "50000000.00", "0")],
    tenderer_department=User.objects.get(username="demo-tenderer").role_assignments.first().department,
)
today = timezone.localdate()
services.notice_publish(
    actor=officer, project=project, title="招标公告", body="压测", documents_from=today,
    documents_until=today + timedelta(days=6), bid_deadline=timezone.localtime() + timedelta(days=21),
    custodians=list(User.objects.filter(username__in=CUSTODIANS)), threshold=3,
)
project.refresh_from_db()
out = []
for user, private, public in bidders:
    plain = bid_pack(price=f"{40_000_000 + len(out)}.00", files={"技术标.txt": b"x" * SIZE})
    envelope = seal(plain=plain, project=project.code, lot=1, bidder=user.credit_code, bidder_private_key=private,
                    bidder_public_key=public, opening_public_key=project.opening_key.public_key)
    path = f"{DIR}/{user.username}.ywseal"
    open(path, "wb").write(envelope)
    out.append({"token": api_token_issue(user=user)[0], "envelope": path, "private": private})
# The pool is counted in building experts (the draw's specialty); the demo's own pool has some already.
start = sum(1 for e in Expert.objects.only("specialties") if "building" in e.specialties)
if start < EXPERTS:
    users = User.objects.bulk_create(
        User(username=f"bench-expert-{run}-{n}", kind=AccountKind.NATURAL_PERSON, full_name=f"专家{n}")
        for n in range(EXPERTS - start)
    )
    Expert.objects.bulk_create(
        Expert(user=u, name=u.full_name, specialties=["building"], employer=f"设计院{n % 300}", region=city,
               phone=f"139{n:08d}")
        for n, u in enumerate(users)
    )
deadline = timezone.now() + timedelta(seconds=WINDOW + LEAD)
TradingProject.objects.filter(pk=project.pk).update(bid_deadline=deadline)  # the benchmark's last minute
print(json.dumps({"code": project.code, "deadline": deadline.timestamp(), "bidders": out,
                  "officer": api_token_issue(user=officer)[0]}))
"""

CHECK = """
import json
from yiwang.trading.models import Bid, BidReceipt, TradingProject
project = TradingProject.objects.get(code=CODE)
receipts = list(BidReceipt.objects.filter(project=project))
print(json.dumps({
    "receipts": len(receipts),
    "late_receipts": sum(1 for r in receipts if r.received_at >= project.bid_deadline),
    "bids": Bid.objects.filter(project=project, status="submitted").count(),
    "opened": Bid.objects.filter(project=project, status="opened").count(),
}))
"""

DRAW = """
import json, time
from yiwang.accounts.models import User
from yiwang.trading import services
from yiwang.trading.models import Draw, Expert, TradingProject
project = TradingProject.objects.get(code=CODE)
officer = User.objects.get(username="demo-trading-officer")
pool = sum(1 for e in Expert.objects.only("specialties") if "building" in e.specialties)
times = []
for _ in range(DRAWS):
    Draw.objects.filter(project=project).delete()  # a project has one draw: each timing starts afresh
    started = time.perf_counter()
    services.draw_make(actor=officer, project=project, specialty="building", count=5)
    times.append(time.perf_counter() - started)
print(json.dumps({"times": times, "pool": pool}))
"""


def _shell(env: dict[str, str], script: str) -> dict:  # type: ignore[type-arg]
    return shell_json(env, script, development=False)  # type: ignore[no-any-return]


def _multipart(envelope: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="lot"\r\n\r\n1\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="envelope"; filename="bid.ywseal"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + envelope
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _post(port: int, path: str, body: bytes, content_type: str, token: str) -> tuple[int, float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type, "X-Forwarded-Proto": "https"}
    started = time.perf_counter()
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    queries = int(response.getheader("X-Query-Count") or 0)
    return response.status, time.perf_counter() - started, queries


def _upload(args: tuple[int, str, dict, float]) -> tuple[int, float, int, bool]:  # type: ignore[type-arg]
    """One upload at its moment; whether it was *sent* after the deadline (not whether its answer came
    after: an upload sent in time may be answered after the deadline, and may reach the server after it)."""
    port, code, bidder, at = args
    time.sleep(max(0.0, at - time.time()))
    body, content_type = _multipart(Path(bidder["envelope"]).read_bytes())
    sent_after = time.time() >= bidder["deadline"]
    status, elapsed, queries = _post(port, f"/api/v1/trading/projects/{code}/bids", body, content_type, bidder["token"])
    return status, elapsed, queries, sent_after


def _decrypt(args: tuple[int, dict]) -> tuple[int, float, int]:  # type: ignore[type-arg]
    port, bidder = args
    from yiwang.trading.envelope import content_key_unwrap, envelope_parse

    data = Path(bidder["envelope"]).read_bytes()
    key = content_key_unwrap(envelope_parse(data, max_bytes=len(data)), bidder["private"]).hex()
    token = bidder["token"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"}
    connection.request("GET", f"/api/v1/trading/projects/{bidder['code']}/my-bids", headers=headers)
    bid_id = json.loads(connection.getresponse().read())[0]["id"]
    body = json.dumps({"content_key": key}).encode()
    return _post(port, f"/api/v1/trading/bids/{bid_id}/decrypt", body, "application/json", token)


def _result(label: str, samples: list[tuple[float, int]], seconds: float, concurrency: int, errors: int) -> Result:
    latencies = sorted(s for s, _q in samples)
    queries = [q for _s, q in samples]
    return Result(
        endpoint=label,
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        seconds=round(seconds, 2),
        rps=round(len(latencies) / seconds, 1) if seconds else 0.0,
        p50_ms=round(_percentile(latencies, 0.50) * 1000, 1),
        p95_ms=round(_percentile(latencies, 0.95) * 1000, 1),
        p99_ms=round(_percentile(latencies, 0.99) * 1000, 1),
        queries_per_request=round(sum(queries) / len(queries), 2) if queries else 0.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bidders", type=int, default=500)
    parser.add_argument("--late", type=int, default=10, help="uploads sent just after the deadline")
    parser.add_argument("--window", type=float, default=60.0, help="seconds of the last minute the uploads spread over")
    parser.add_argument("--size", type=int, default=200_000, help="bytes of each bid's technical file")
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=32, help="uploads in flight at most")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0, help="(kept for the shared test options)")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-trading"))
    args = parser.parse_args()

    var_dir = Path(args.var_dir)
    env, engine = prepared(var_dir)
    envelopes = var_dir / "envelopes"
    envelopes.mkdir(parents=True, exist_ok=True)
    lead = 20.0 + args.bidders * 0.01
    setup = (
        f"RUN = {uuid.uuid4().hex[:6]!r}\nBIDDERS = {args.bidders}\nEXPERTS = {args.experts}\n"
        f"DIR = {str(envelopes)!r}\nSIZE = {args.size}\nWINDOW = {args.window}\nLEAD = {lead}\n{SETUP}"
    )
    prepared_at = time.time()
    made = _shell(env, setup)
    code, deadline = made["code"], made["deadline"]
    bidders = [{**b, "deadline": deadline, "code": code} for b in made["bidders"]]
    rng = random.Random(19)
    on_time, late = bidders[: len(bidders) - args.late], bidders[len(bidders) - args.late :]
    start = deadline - args.window
    moments = [start + rng.random() * (args.window - 0.5) for _ in on_time] + [deadline + 0.05 for _ in late]
    rows: list[tuple[str, Result]] = []
    with serve(env, args.workers, args.threads) as port, multiprocessing.Pool(args.concurrency) as pool:
        print(f"set-up {time.time() - prepared_at:.0f}s; uploads start in {max(0, start - time.time()):.0f}s")
        began = time.time()
        # Earliest first, one at a time per free worker: a worker that took a chunk of uploads would send a
        # later one's neighbour late, waiting for it (the load generator's lateness, not the server's).
        tasks = [(port, code, b, at) for b, at in zip(on_time + late, moments, strict=True)]
        order = sorted(range(len(tasks)), key=lambda n: tasks[n][3])
        done = pool.map(_upload, [tasks[n] for n in order], chunksize=1)
        uploads = [done[order.index(n)] for n in range(len(tasks))]
        upload_seconds = time.time() - began
        accepted = [(e, q) for status, e, q, _after in uploads if status == 201]
        refused_late = sum(1 for status, _e, _q, after in uploads if status == 409 and after)
        # Sent in time but reaching the server after the deadline (queued behind the others): refused, as
        # the server's clock rules; counted apart from the errors.
        arrived_late = sum(1 for status, _e, _q, after in uploads if status == 409 and not after)
        errors = sum(1 for status, _e, _q, after in uploads if status not in (201, 409) and not after)
        accepted_late = sum(1 for status, _e, _q, after in uploads if status == 201 and after)
        rows.append(
            ("sealed bid upload, last minute", _result("upload", accepted, upload_seconds, args.concurrency, errors))
        )
        time.sleep(max(0.0, deadline - time.time()) + 0.5)
        officer = {"Authorization": f"Bearer {made['officer']}", "X-Forwarded-Proto": "https"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        connection.request("POST", f"/api/v1/trading/projects/{code}/close", headers=officer)
        close_status = connection.getresponse()
        close_body = close_status.read()
        close_seconds = time.perf_counter() - started
        if close_status.status != 200 and b"project_status" not in close_body:  # the sweep may have closed it
            raise SystemExit(f"closing failed: {close_body[:300]!r}")
        connection.request("POST", f"/api/v1/trading/projects/{code}/opening", headers=officer)
        opening = connection.getresponse()
        opening.read()
        opened_ids = [b for b, (status, _e, _q, _a) in zip(on_time + late, uploads, strict=True) if status == 201]
        began = time.time()
        decrypts = pool.map(_decrypt, [(port, b) for b in opened_ids])
        decrypt_seconds = time.time() - began
        ok = [(e, q) for status, e, q in decrypts if status == 200]
        rows.append(
            (
                f"decrypt at the opening ({len(opened_ids)} bids)",
                _result("decrypt", ok, decrypt_seconds, args.concurrency, len(decrypts) - len(ok)),
            )
        )
    check = _shell(env, f"CODE = {code!r}\n{CHECK}")
    draws = _shell(env, f"CODE = {code!r}\nDRAWS = {args.draws}\n{DRAW}")
    times = sorted(draws["times"])
    rows.append(
        (
            f"random draw of 5 from {draws['pool']} experts",
            Result("draw", 1, len(times), 0, round(sum(times), 2), round(len(times) / sum(times), 2),
                   round(_percentile(times, 0.5) * 1000, 1), round(_percentile(times, 0.95) * 1000, 1),
                   round(_percentile(times, 0.99) * 1000, 1), 0.0),
        )
    )  # fmt: skip
    print(
        f"\nuploads: {len(accepted)} accepted of {len(on_time)} sent in time ({arrived_late} reached the server "
        f"after the deadline and were refused), {refused_late} of {len(late)} sent late refused, "
        f"{accepted_late} late accepted; receipts {check['receipts']} ({check['late_receipts']} dated after the "
        f"deadline), live bids {check['bids'] + check['opened']}, opened {check['opened']}; closing "
        f"{close_seconds * 1000:.0f} ms"
    )
    print(pgbench_line(os.environ.get("DATABASE_URL"), 5))
    report(
        f"Yiwang trading benchmark — {engine}, {args.bidders} bidders, bids of {args.size // 1000} kB, gunicorn "
        f"{args.workers}×{args.threads}, {os.cpu_count()} CPU cores shared by server and load",
        rows,
        f"trading-{engine}",
        {"engine": engine, "bidders": args.bidders, "experts": draws["pool"], "check": check},
    )
    lost = len(accepted) != check["receipts"] or accepted_late or check["late_receipts"]
    sent_late = sum(1 for _status, _e, _q, after in uploads if after)
    if lost or refused_late != sent_late:
        raise SystemExit("a bid was lost, or a late one accepted")


if __name__ == "__main__":
    main()
