"""Where a worker connects, read from the same environment variables as Spark's services."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass

TASK_RESULTS_TOPIC = "spark.task-results"
TASK_CANCELLATIONS_TOPIC = "spark.task-cancellations"

_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_NAMESPACE = re.compile(r"^[A-Za-z0-9._-]*$")
_BROKER = re.compile(r"^[^:\s]+:\d+$")


class SettingsError(ValueError):
    """A setting that cannot work, named with what is wrong."""


def check_queue(queue: str) -> str:
    if not _NAME.match(queue):
        raise SettingsError(f'queue "{queue}" may only hold letters, digits, ".", "_" and "-"')
    return queue


def task_topic(queue: str) -> str:
    """`external:<queue>` steps are dispatched on `spark.tasks.external.<queue>`."""
    return f"spark.tasks.external.{check_queue(queue)}"


@dataclass(frozen=True)
class KafkaSettings:
    brokers: str
    #: Prefix of every topic and consumer group (SPARK_KAFKA_NAMESPACE): several Spark installations
    #: can share one Kafka cluster.
    namespace: str = ""

    def topic(self, name: str) -> str:
        return f"{self.namespace}{name}"

    def group(self, name: str) -> str:
        return f"{self.namespace}{name}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> KafkaSettings:
        env = os.environ if env is None else env
        brokers = [b.strip() for b in env.get("SPARK_KAFKA_BROKERS", "127.0.0.1:19092").split(",") if b.strip()]
        if not brokers:
            raise SettingsError("SPARK_KAFKA_BROKERS is empty")
        for broker in brokers:
            if not _BROKER.match(broker):
                raise SettingsError(f'SPARK_KAFKA_BROKERS: "{broker}" is not host:port')
        namespace = env.get("SPARK_KAFKA_NAMESPACE", "")
        if not _NAMESPACE.match(namespace):
            raise SettingsError(f'SPARK_KAFKA_NAMESPACE="{namespace}" may only hold letters, digits, ".", "_" and "-"')
        return cls(brokers=",".join(brokers), namespace=namespace)


def default_worker_id(queue: str) -> str:
    return f"{queue}-{socket.gethostname()}-{os.getpid()}"


def heartbeat_interval_s(heartbeat_ms: int | None, default_s: float | None) -> float | None:
    """
    How often a running task heartbeats by itself: twice per heartbeat timeout (one lost heartbeat is
    not a timeout), or every `default_s` (None: never) when the step sets no heartbeat timeout.
    """
    if heartbeat_ms is None:
        return default_s
    return max(0.05, heartbeat_ms / 2000)
