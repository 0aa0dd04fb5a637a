"""
`spark.Worker`: takes the tasks of `external:<queue>` steps from Kafka, runs the registered Python
functions, and answers with their results (the protocol of docs/external-workers.md).

Threads: the caller's thread polls Kafka and commits offsets; each task runs in a thread of its own
(`async def` tasks on one event loop thread); one thread sends heartbeats; one reads cancellations.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from queue import Empty, SimpleQueue
from typing import Any, TypeVar

from confluent_kafka import OFFSET_END, Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from . import messages, tracing
from .context import TaskContext
from .errors import NonRetryable, TaskErrorBody, classify
from .messages import InvalidDispatch, TaskDispatch
from .offsets import OffsetTracker
from .settings import (
    TASK_CANCELLATIONS_TOPIC,
    TASK_RESULTS_TOPIC,
    KafkaSettings,
    check_queue,
    default_worker_id,
    heartbeat_interval_s,
    task_topic,
)
from .tasks import TaskDefinition, TaskFunction, to_output

F = TypeVar("F", bound=TaskFunction)
Partition = tuple[str, int]

#: Partitions of topics the worker creates when they are missing (as Spark's services do).
TOPIC_PARTITIONS = 6


@dataclass
class _Running:
    dispatch: TaskDispatch
    partition: Partition
    offset: int
    context: TaskContext | None = None
    #: The coroutine's future, for `async def` tasks (cancelled with the run).
    future: concurrent.futures.Future[Any] | None = None
    #: Set once the worker handed the attempt back at shutdown: the thread publishes nothing more.
    abandoned: bool = False
    #: Offsets of redeliveries of this same attempt, committed with it.
    duplicates: list[tuple[Partition, int]] = field(default_factory=list)
    #: None: heartbeats only when the task calls ctx.heartbeat().
    heartbeat_interval_s: float | None = None


class Worker:
    """
    Runs the tasks of one queue: steps with `handler: external:<queue>`. A step names its task with
    `config.task`; a worker with a single task runs it for every step of its queue.
    """

    def __init__(
        self,
        queue: str,
        *,
        concurrency: int = 8,
        group_id: str | None = None,
        worker_id: str | None = None,
        kafka: KafkaSettings | None = None,
        shutdown_timeout: float = 30.0,
        cancel_grace: float = 5.0,
        heartbeat_every: float | None = None,
        create_topics: bool = True,
        consumer_config: dict[str, Any] | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.queue = check_queue(queue)
        self.concurrency = concurrency
        self.group_id = group_id or f"spark-worker-{queue}"
        self.worker_id = worker_id or default_worker_id(queue)
        self._kafka = kafka
        self.shutdown_timeout = shutdown_timeout
        self.cancel_grace = cancel_grace
        self.heartbeat_every = heartbeat_every
        self.create_topics = create_topics
        self.consumer_config = consumer_config or {}
        self.log = logger or logging.getLogger("spark.worker")
        self.tasks: dict[str, TaskDefinition] = {}
        #: Set once the worker takes tasks and listens for cancellations.
        self.ready = threading.Event()

        self._stopping = threading.Event()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._running: dict[str, _Running] = {}
        self._completions: SimpleQueue[tuple[Partition, int]] = SimpleQueue()
        self._cancelled_runs: OrderedDict[str, str] = OrderedDict()
        self._tracker = OffsetTracker()
        self._producer: Producer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._assigned = threading.Event()
        self._paused = False
        self._listening = threading.Event()

    # -- registration ---------------------------------------------------------------------------

    def task(self, name: str | None = None) -> Callable[[F], F]:
        """Registers `def f(input)`, `def f(input, ctx)` or their `async def` forms under `name`."""

        def register(function: F) -> F:
            task_name = name or function.__name__
            if task_name in self.tasks:
                raise ValueError(f'task "{task_name}" is registered twice on queue "{self.queue}"')
            self.tasks[task_name] = TaskDefinition.of(task_name, function)
            return function

        return register

    def resolve(self, dispatch: TaskDispatch) -> TaskDefinition:
        name = dispatch.config.get("task")
        if name is None:
            if len(self.tasks) == 1:
                return next(iter(self.tasks.values()))
            raise NonRetryable(
                "UNKNOWN_TASK",
                f'the step sets no config.task, and queue "{self.queue}" has {len(self.tasks)} tasks: '
                + ", ".join(sorted(self.tasks)),
            )
        if not isinstance(name, str) or name not in self.tasks:
            raise NonRetryable(
                "UNKNOWN_TASK",
                f'no task "{name}" on queue "{self.queue}" (it has: {", ".join(sorted(self.tasks)) or "none"})',
            )
        return self.tasks[name]

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def kafka(self) -> KafkaSettings:
        if self._kafka is None:
            self._kafka = KafkaSettings.from_env()
        return self._kafka

    @property
    def topic(self) -> str:
        return self.kafka.topic(task_topic(self.queue))

    def stop(self) -> None:
        """Asks for a graceful shutdown (thread-safe): no new tasks; in-flight ones finish or are handed back."""
        self._stopping.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT stop gracefully; a second one hands in-flight tasks back at once."""

        def handle(signum: int, _frame: Any) -> None:
            if self._stopping.is_set():
                self.log.warning("second signal: handing in-flight tasks back now", extra={"signal": signum})
                self.shutdown_timeout = 0
                self.cancel_grace = 0
            else:
                self.log.info("stopping", extra={"signal": signal.Signals(signum).name})
            self.stop()

        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)

    def run(self) -> None:
        """Takes tasks until `stop()` (or SIGTERM, with `install_signal_handlers`), then shuts down gracefully."""
        if not self.tasks:
            raise ValueError(f'queue "{self.queue}" has no tasks: register some with @worker.task()')
        settings = self.kafka
        if self.create_topics:
            self._ensure_topics(settings)
        self._producer = Producer(
            {
                "bootstrap.servers": settings.brokers,
                "client.id": self.worker_id,
                "enable.idempotence": True,
                "acks": "all",
                "linger.ms": 2,
                "message.timeout.ms": 60000,
            }
        )
        consumer = Consumer(
            {
                "bootstrap.servers": settings.brokers,
                "group.id": settings.group(self.group_id),
                "client.id": self.worker_id,
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "partition.assignment.strategy": "cooperative-sticky",
                "topic.metadata.refresh.interval.ms": 10000,
                **self.consumer_config,
            }
        )
        if any(definition.is_async for definition in self.tasks.values()):
            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="spark-asyncio", daemon=True).start()
        threads = [
            threading.Thread(target=self._listen_for_cancellations, name="spark-cancellations", daemon=True),
            threading.Thread(target=self._send_heartbeats, name="spark-heartbeats", daemon=True),
        ]
        for thread in threads:
            thread.start()
        consumer.subscribe([self.topic], on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_revoke)
        self.log.info(
            "worker starting",
            extra={"queue": self.queue, "topic": self.topic, "tasks": sorted(self.tasks), "workerId": self.worker_id},
        )
        try:
            self._consume(consumer)
            self._drain(consumer)
        finally:
            self._closed.set()
            try:
                consumer.close()
            finally:
                self._producer.flush(10)
                if self._loop is not None:
                    self._loop.call_soon_threadsafe(self._loop.stop)
                for thread in threads:
                    thread.join(timeout=2)
                self.log.info("worker stopped", extra={"workerId": self.worker_id})

    # -- the consume loop -----------------------------------------------------------------------

    def _consume(self, consumer: Consumer) -> None:
        while not self._stopping.is_set():
            self._commit_finished(consumer)
            full = len(self._running) >= self.concurrency
            if full != self._paused:
                # Paused partitions keep the group membership alive while polling fetches nothing.
                self._paused = full
                (consumer.pause if full else consumer.resume)(consumer.assignment())
            message = consumer.poll(0.1)
            assert self._producer is not None
            self._producer.poll(0)
            if message is None:
                continue
            error = message.error()
            if error is not None:
                if error.code() != KafkaError._PARTITION_EOF:
                    self.log.warning("kafka consumer error", extra={"error": str(error)})
                continue
            self._received(message)

    def _received(self, message: Any) -> None:
        partition: Partition = (message.topic(), message.partition())
        offset: int = message.offset()
        self._tracker.received(partition, offset)
        try:
            dispatch = messages.parse_dispatch(message.value())
        except InvalidDispatch as error:
            self.log.warning(
                "skipped a message that is not a task dispatch",
                extra={"reason": str(error), "partition": partition[1], "offset": offset},
            )
            self._completions.put((partition, offset))
            return
        with self._lock:
            running = self._running.get(dispatch.idempotency_key)
            if running is not None:
                running.duplicates.append((partition, offset))
                return
            if dispatch.run_id in self._cancelled_runs:
                self.log.info("skipped a task of an ended run", extra={"runId": dispatch.run_id})
                self._completions.put((partition, offset))
                return
            running = _Running(
                dispatch,
                partition,
                offset,
                heartbeat_interval_s=heartbeat_interval_s(dispatch.timeouts.heartbeat_ms, self.heartbeat_every),
            )
            self._running[dispatch.idempotency_key] = running
        headers = tracing.trace_headers_of(message.headers())
        threading.Thread(
            target=self._execute,
            args=(running, headers),
            name=f"spark-task-{dispatch.idempotency_key}",
            daemon=True,
        ).start()

    def _commit_finished(self, consumer: Consumer, asynchronous: bool = True) -> None:
        commits: dict[Partition, int] = {}
        while True:
            try:
                partition, offset = self._completions.get_nowait()
            except Empty:
                break
            moved = self._tracker.finished(partition, offset)
            if moved is not None:
                commits[partition] = moved
        if not commits:
            return
        offsets = [TopicPartition(topic, number, offset) for (topic, number), offset in commits.items()]
        try:
            if asynchronous:
                consumer.commit(offsets=offsets, asynchronous=True)
            else:
                consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException as error:
            # A partition revoked meanwhile: its next owner reads those dispatches again.
            self.log.warning("offset commit failed", extra={"error": str(error)})

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        if self._paused:
            consumer.pause(partitions)
        self.log.info("partitions assigned", extra={"partitions": [p.partition for p in partitions]})
        self._assigned.set()
        if self._listening.is_set():
            self._set_ready()

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._commit_finished(consumer, asynchronous=False)
        for p in partitions:
            self._tracker.forget((p.topic, p.partition))
        self.log.info("partitions revoked", extra={"partitions": [p.partition for p in partitions]})

    def _set_ready(self) -> None:
        with self._lock:
            if self.ready.is_set():
                return
            self.ready.set()
        self.log.info("worker ready", extra={"queue": self.queue, "workerId": self.worker_id})

    # -- one attempt ----------------------------------------------------------------------------

    def _execute(self, running: _Running, trace_headers: dict[str, str]) -> None:
        try:
            self._attempt(running, trace_headers)
        except Exception:
            # Not committed: the dispatch comes back after a restart or a rebalance.
            self.log.exception("the task could not be run", extra={"idempotencyKey": running.dispatch.idempotency_key})
            with self._lock:
                self._running.pop(running.dispatch.idempotency_key, None)

    def _attempt(self, running: _Running, trace_headers: dict[str, str]) -> None:
        dispatch = running.dispatch
        try:
            definition: TaskDefinition | None = self.resolve(dispatch)
            error: BaseException | None = None
        except NonRetryable as unknown:
            definition, error = None, unknown
        name = definition.name if definition else str(dispatch.config.get("task", "?"))
        with tracing.task_span(dispatch, name, self.topic, trace_headers) as span:
            headers = span.result_headers()

            def send_heartbeat(details: Any) -> None:
                if not running.abandoned:
                    self._publish(messages.heartbeat(dispatch, self.worker_id, details), headers, wait=False)

            context = TaskContext(
                dispatch,
                worker_id=self.worker_id,
                send_heartbeat=send_heartbeat,
                min_heartbeat_gap_s=min(1.0, (running.heartbeat_interval_s or 2.0) / 2),
                logger=self.log,
            )
            with self._lock:
                running.context = context
                if dispatch.run_id in self._cancelled_runs:
                    context.cancelled.set()
            log = context.logger
            started_at = time.monotonic()
            result: dict[str, Any]
            if definition is None:
                assert error is not None
                result = messages.failed(dispatch, self.worker_id, classify(error))
                log.error("no such task", extra={"task": name, "error": str(error)})
            else:
                # Delivered before the task's code runs: a worker that dies mid-task then leaves Spark the
                # attempt's start, so its heartbeat timeout applies (a queued report would die with it).
                self._publish(messages.started(dispatch, self.worker_id), headers, wait=True)
                context._mark_started()
                log.info("task started", extra={"task": name, "traceId": span.trace_id})
                try:
                    output = to_output(self._call(definition, running, context))
                    result = messages.succeeded(dispatch, self.worker_id, output)
                    log.info(
                        "task succeeded",
                        extra={"task": name, "durationMs": round((time.monotonic() - started_at) * 1000)},
                    )
                except BaseException as failure:
                    if isinstance(failure, (KeyboardInterrupt, SystemExit)):
                        raise
                    span.failed(failure)
                    body: TaskErrorBody = classify(
                        failure,
                        cancelled=context.cancelled.is_set() or isinstance(failure, concurrent.futures.CancelledError),
                    )
                    result = messages.failed(dispatch, self.worker_id, body)
                    log.log(
                        logging.INFO if body["classification"] == "cancelled" else logging.WARNING,
                        "task failed",
                        extra={"task": name, "code": body["code"], "classification": body["classification"]},
                        exc_info=body["classification"] != "cancelled" and not isinstance(failure, NonRetryable),
                    )
            context._close()
            if running.abandoned:
                return
            try:
                delivered = self._publish(result, headers, wait=True)
            except KafkaException as refused:
                # E.g. an output larger than the broker takes: report that instead, it cannot succeed.
                log.error("the task's result was refused", extra={"error": str(refused)})
                error_body: TaskErrorBody = {
                    "code": "RESULT_REFUSED",
                    "message": f"the {result['status']} result could not be published: {refused}",
                    "classification": "non_retryable",
                }
                result = messages.failed(dispatch, self.worker_id, error_body)
                delivered = self._publish(result, headers, wait=True)
        with self._lock:
            self._running.pop(dispatch.idempotency_key, None)
        if delivered:
            self._completions.put((running.partition, running.offset))
            for duplicate in running.duplicates:
                self._completions.put(duplicate)
        else:
            # Not committed: the dispatch comes back after a restart or a rebalance.
            log.error("the task's result could not be published", extra={"status": result["status"]})

    def _call(self, definition: TaskDefinition, running: _Running, context: TaskContext) -> Any:
        arguments = definition.arguments(running.dispatch.input, context)
        if not definition.is_async:
            return definition.function(*arguments)
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(definition.function(*arguments), self._loop)
        with self._lock:
            running.future = future
            if context.cancelled.is_set():
                future.cancel()
        return future.result()

    def _publish(self, message: dict[str, Any], headers: list[tuple[str, str | bytes | None]], *, wait: bool) -> bool:
        assert self._producer is not None
        delivered = threading.Event()
        outcome: list[Any] = []

        def on_delivery(error: Any, _message: Any) -> None:
            outcome.append(error)
            delivered.set()

        while True:
            try:
                self._producer.produce(
                    self.kafka.topic(TASK_RESULTS_TOPIC),
                    key=message["runId"].encode(),
                    value=messages.encode(message),
                    headers=headers,
                    on_delivery=on_delivery,
                )
                break
            except BufferError:
                self._producer.poll(0.05)
        if not wait:
            return True
        # The consume loop serves delivery reports; after it ended, this thread does.
        deadline = time.monotonic() + 90
        while not delivered.wait(0.05):
            if self._closed.is_set() or self._stopping.is_set():
                self._producer.poll(0)
            if time.monotonic() > deadline:
                return False
        return outcome[0] is None

    # -- heartbeats, cancellations, shutdown ----------------------------------------------------

    def _send_heartbeats(self) -> None:
        while not self._closed.wait(0.1):
            with self._lock:
                running = [(r.context, r.heartbeat_interval_s) for r in self._running.values() if r.context]
            for context, interval in running:
                try:
                    context._tick(interval)
                except Exception:  # never let one task stop the heartbeats of the others
                    self.log.exception("heartbeat failed")

    def cancel_run(self, run_id: str, reason: str = "") -> int:
        """Sets `ctx.cancelled` of the run's tasks (what a message on spark.task-cancellations does)."""
        with self._lock:
            self._cancelled_runs[run_id] = reason
            while len(self._cancelled_runs) > 10000:
                self._cancelled_runs.popitem(last=False)
            targets = [r for r in self._running.values() if r.dispatch.run_id == run_id]
            for running in targets:
                if running.context is not None:
                    running.context.cancelled.set()
                if running.future is not None:
                    running.future.cancel()
        if targets:
            self.log.info(
                "cancelled the run's running tasks", extra={"runId": run_id, "reason": reason, "tasks": len(targets)}
            )
        return len(targets)

    def _listen_for_cancellations(self) -> None:
        """Every instance reads every cancellation: partitions assigned by hand from their end, no group."""
        import json

        settings = self.kafka
        topic = settings.topic(TASK_CANCELLATIONS_TOPIC)
        consumer = Consumer(
            {
                "bootstrap.servers": settings.brokers,
                "group.id": settings.group(f"{self.group_id}-cancellations"),
                "client.id": f"{self.worker_id}-cancellations",
                "enable.auto.commit": False,
                "auto.offset.reset": "latest",
            }
        )
        try:
            while not self._closed.is_set():
                metadata = consumer.list_topics(topic, timeout=5)
                found = metadata.topics.get(topic)
                if found is not None and found.error is None and found.partitions:
                    consumer.assign([TopicPartition(topic, p, OFFSET_END) for p in found.partitions])
                    break
                self._closed.wait(1)
            self._listening.set()
            if self._assigned.is_set():
                self._set_ready()
            while not self._closed.is_set():
                message = consumer.poll(0.2)
                value = message.value() if message is not None and message.error() is None else None
                if value is None:
                    continue
                try:
                    cancellation = json.loads(value)
                except ValueError:
                    continue
                if isinstance(cancellation, dict) and isinstance(cancellation.get("runId"), str):
                    self.cancel_run(cancellation["runId"], str(cancellation.get("reason", "")))
        except Exception:
            self.log.exception("the cancellation listener stopped")
        finally:
            consumer.close()

    def _drain(self, consumer: Consumer) -> None:
        """Graceful shutdown: no new tasks; in-flight ones finish, or are cancelled and then handed back."""
        self._paused = True
        consumer.pause(consumer.assignment())
        assert self._producer is not None
        in_flight = len(self._running)
        self.log.info("draining", extra={"inFlight": in_flight, "timeoutS": self.shutdown_timeout})
        deadline = time.monotonic() + self.shutdown_timeout
        cancelled_at: float | None = None
        while self._running:
            consumer.poll(0.05)  # serves rebalance callbacks; paused, it fetches nothing
            self._producer.poll(0)
            self._commit_finished(consumer)
            now = time.monotonic()
            if cancelled_at is None and now >= deadline:
                cancelled_at = now
                with self._lock:
                    for running in self._running.values():
                        if running.context is not None:
                            running.context.cancelled.set()
                        if running.future is not None:
                            running.future.cancel()
            if cancelled_at is not None and now >= cancelled_at + self.cancel_grace:
                self._hand_back()
                break
        self._producer.flush(10)
        self._commit_finished(consumer, asynchronous=False)

    def _hand_back(self) -> None:
        """Tasks that did not stop: a retryable failure, so the step's retry policy starts the next attempt now."""
        with self._lock:
            left = list(self._running.values())
            self._running.clear()
            for running in left:
                running.abandoned = True
                if running.context is not None:
                    running.context._close()
        for running in left:
            error: TaskErrorBody = {
                "code": "WORKER_SHUTDOWN",
                "message": f"worker {self.worker_id} stopped before the task finished",
                "classification": "retryable",
            }
            headers: list[tuple[str, str | bytes | None]] = []
            if self._publish(messages.failed(running.dispatch, self.worker_id, error), headers, wait=True):
                self._completions.put((running.partition, running.offset))
                for duplicate in running.duplicates:
                    self._completions.put(duplicate)
            self.log.warning(
                "handed an unfinished task back",
                extra={"runId": running.dispatch.run_id, "idempotencyKey": running.dispatch.idempotency_key},
            )

    def _ensure_topics(self, settings: KafkaSettings) -> None:
        """Creates this queue's topic (and Spark's, in a fresh namespace) when missing; existing ones are left alone."""
        admin = AdminClient({"bootstrap.servers": settings.brokers})
        wanted = [self.topic, settings.topic(TASK_RESULTS_TOPIC), settings.topic(TASK_CANCELLATIONS_TOPIC)]
        existing = admin.list_topics(timeout=10).topics
        missing = [name for name in wanted if name not in existing]
        if not missing:
            return
        futures = admin.create_topics(
            [NewTopic(name, num_partitions=TOPIC_PARTITIONS, replication_factor=1) for name in missing],
            operation_timeout=10,
        )
        for name, future in futures.items():
            try:
                future.result()
                self.log.info("created topic", extra={"topic": name})
            except KafkaException as error:
                if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                    self.log.warning("could not create topic", extra={"topic": name, "error": str(error)})
