"""Long work kept out of the loop: a worker thread that runs one job at a time, and the
jobs themselves (the clinician's USB export). The loop only starts a job and polls it."""

from kiosk.jobs.worker import Job, Worker

__all__ = ["Job", "Worker"]
