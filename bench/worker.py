"""A real Celery worker for the benches: its own queue on the bench database, its peak memory sampled."""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid

from bench import OUT, ROOT


class Worker:
    def __init__(self, concurrency: int):
        from celery import current_app
        from django.conf import settings

        self.queue = f"silon-bench-{uuid.uuid4().hex[:8]}"
        current_app.conf.task_default_queue = self.queue
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "CELERY_TASK_DEFAULT_QUEUE": self.queue, "CONN_MAX_AGE": "0"}
        OUT.mkdir(parents=True, exist_ok=True)
        self.log = open(OUT / "worker.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "silon", "worker", "-P", "prefork", "-c", str(concurrency),
             "-Q", self.queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline and not current_app.control.ping(timeout=1.0):
            if self.proc.poll() is not None:
                raise RuntimeError("bench worker exited; see bench/out/worker.log")
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        parent = psutil.Process(self.proc.pid)
        while not self._stop.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                self.peak_rss = max([self.peak_rss] + [p.memory_info().rss for p in procs])
            except psutil.Error:
                pass
            time.sleep(0.05)

    def reset_peak(self) -> None:
        self.peak_rss = 0

    def stop(self) -> None:
        self._stop.set()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
