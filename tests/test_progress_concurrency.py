"""Two real processes writing to one progress file at the same time lose nothing."""

from __future__ import annotations

import json
import multiprocessing

from mslbp_widgets.logic.progress import ProgressLog

PER_PROCESS = 200


def _writer(path: str, tag: str, start, done) -> None:
    log = ProgressLog(path)
    start.wait(30)
    ids = []
    for i in range(PER_PROCESS):
        attempt = log.add(f"case-{tag}", f"q-{i}", ["x"], "correct" if i % 2 else "incorrect", float(i % 2), 1 + i % 5)
        ids.append(attempt.attempt_id)
    done.put((tag, ids, log.warnings))


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "attempts.json"
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    done = ctx.Queue()
    workers = [ctx.Process(target=_writer, args=(str(path), tag, start, done)) for tag in ("a", "b")]
    for w in workers:
        w.start()
    start.set()
    results = [done.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(60)
        assert w.exitcode == 0

    written = {tag: ids for tag, ids, _ in results}
    assert all(warnings == [] for _, _, warnings in results)
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    disk_ids = [a["attempt_id"] for a in on_disk["attempts"]]
    assert len(disk_ids) == 2 * PER_PROCESS == len(set(disk_ids))
    assert set(disk_ids) == set(written["a"]) | set(written["b"])
    # Each process's own attempts keep their order.
    for tag in ("a", "b"):
        mine = [i for i in disk_ids if i in set(written[tag])]
        assert mine == written[tag]
    assert len(ProgressLog(path).attempts()) == 2 * PER_PROCESS
    assert not list(tmp_path.glob("*.corrupt-*")), "no write was ever seen half-done"
