"""The Celery side of bench/peers: a Celery 5 app on Redis (broker and result backend), acks_late,
results stored, a prefork worker with one process per core; and the client that measures the three
shapes of bench/engine. Run by bench/peers/run.ts as

    BENCH_REDIS_URL=redis://127.0.0.1:<port>/0 python celery_peer.py <round-trips> <sustained-tasks> <chains>

which starts its own worker, prints one JSON object on stdout and stops the worker.
"""

import json
import math
import os
import subprocess
import sys
import time

from celery import Celery, chain
from celery.result import ResultSet

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

app = Celery("celery_peer", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_acks_late=True,
    task_ignore_result=False,
    task_default_queue="bench",
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    result_expires=3600,
)


@app.task(name="bench.noop")
def noop(value):
    return value


@app.task(name="bench.add_one")
def add_one(value):
    return value + 1


def summarise(samples_ms):
    ordered = sorted(samples_ms)

    def at(quantile):
        # The same rule as bench/shared/stats.ts: the ceil(q·n)-th smallest sample.
        return ordered[max(0, min(len(ordered) - 1, math.ceil(quantile * len(ordered)) - 1))]

    return {"count": len(ordered), "p50Ms": at(0.5), "p99Ms": at(0.99), "maxMs": ordered[-1]}


def round_trips(count):
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        noop.delay(1).get(timeout=60)
        samples.append((time.perf_counter() - started) * 1000)
    return summarise(samples)


def chains(count):
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        result = chain(noop.s(1), add_one.s(), noop.s()).apply_async()
        if result.get(timeout=60) != 2:
            raise RuntimeError("chain returned the wrong value")
        samples.append((time.perf_counter() - started) * 1000)
    return summarise(samples)


def sustained(count):
    started = time.perf_counter()
    results = [noop.delay(i) for i in range(count)]
    enqueued = time.perf_counter()
    ResultSet(results).join_native(timeout=600)
    seconds = time.perf_counter() - started
    return {
        "tasks": count,
        "seconds": seconds,
        "perSecond": count / seconds,
        "enqueueSeconds": enqueued - started,
    }


def start_worker():
    cores = os.cpu_count() or 1
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "celery_peer", "worker",
            "--pool=prefork", f"--concurrency={cores}", "--loglevel=WARNING",
            "-Q", "bench", "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=os.path.dirname(os.path.abspath(__file__)),
        stdout=sys.stderr,  # stdout carries only the figures
        env={**os.environ, "BENCH_REDIS_URL": REDIS_URL},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"celery worker exited with {worker.returncode}")
        if app.control.ping(timeout=0.5):
            return worker, cores
    worker.terminate()
    raise RuntimeError("celery worker not ready after 60 s")


def main():
    round_trip_count, sustained_count, chain_count = (int(arg) for arg in sys.argv[1:4])
    worker, cores = start_worker()
    try:
        round_trips(max(5, round_trip_count // 10))  # warm-up
        figures = {
            "version": __import__("celery").__version__,
            "processes": cores,
            "prefetch": app.conf.worker_prefetch_multiplier,
            "roundTrip": round_trips(round_trip_count),
            "chain3": chains(chain_count),
            "sustained": sustained(sustained_count),
        }
    finally:
        worker.terminate()  # SIGTERM: warm shutdown
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    json.dump(figures, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
