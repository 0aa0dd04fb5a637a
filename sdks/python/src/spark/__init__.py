"""
Spark for Python: workers for `external:<queue>` steps, and a client of the REST API.

    import spark

    worker = spark.Worker(queue="images")

    @worker.task("resize")
    def resize(input, ctx):
        ...
        return {"url": ...}

Run it with `spark-worker run myapp.workers:worker`.
"""

from .client import ApiError, Client, RunFailed
from .context import TaskContext
from .errors import NonRetryable, Retryable, TaskError
from .messages import TaskDispatch
from .settings import KafkaSettings
from .worker import Worker

__version__ = "0.1.0"

__all__ = [
    "ApiError",
    "Client",
    "KafkaSettings",
    "NonRetryable",
    "Retryable",
    "RunFailed",
    "TaskContext",
    "TaskDispatch",
    "TaskError",
    "Worker",
    "__version__",
]
