"""Refine a corpus on a Dask cluster: the same per-file work as ``synsp refine DIR OUT --workers N``,
spread over every worker of a cluster, for data that outgrow one machine.

Each task is :func:`synsp.refining.batch.refine_one` (one file in, one file out, errors returned
as one line); outputs already written are skipped, so a stopped run resumes. Input and output
paths must be visible to every worker (a shared file system). Run:

    python examples/dask_refine.py 'clips/*.csv' refined/ --scheduler tcp://host:8786
    python examples/dask_refine.py clips/ refined/ --local 2      # a local cluster of 2 processes

Needs ``dask[distributed]`` (``pip install "synsp[cluster]"``).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from synsp.refining.batch import BatchReport, plan_batch, refine_one


def _distributed():
    try:
        import distributed
    except ImportError:
        raise SystemExit('dask_refine needs Dask: pip install "synsp[cluster]"') from None
    return distributed


def refine_on_dask(client: Any, source: str, out_dir: str, *, force: bool = False, **options: Any) -> BatchReport:
    """Refine every input of ``source`` (a glob or directory) into ``out_dir`` with the
    workers of ``client`` (a ``distributed.Client``); ``options`` as for
    :func:`synsp.refining.files.refine_file`. Returns the :class:`~synsp.refining.batch.BatchReport`."""
    as_completed = _distributed().as_completed

    jobs, report = plan_batch(source, out_dir, force=force, out_format=options.get("out_format"))
    record = report.recorder(lambda line: print(line, file=sys.stderr))
    futures = client.map(refine_one, [str(s) for s, _ in jobs], [str(d) for _, d in jobs], force=force,
                         pure=False, **options)
    for _, (name, error) in as_completed(futures, with_results=True):
        record(name, error)
    report.done.sort()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a directory or a quoted glob of pose files")
    parser.add_argument("out_dir")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument("--local", type=int, metavar="N", help="start a local cluster of N worker processes")
    parser.add_argument("--method", default="synsp")
    parser.add_argument("--force", action="store_true", help="refine again files whose output exists")
    args = parser.parse_args()
    distributed = _distributed()
    Client, LocalCluster = distributed.Client, distributed.LocalCluster

    cluster = LocalCluster(n_workers=args.local, threads_per_worker=1, processes=True) if args.local else None
    with Client(cluster if cluster else args.scheduler) as client:
        report = refine_on_dask(client, args.source, args.out_dir, force=args.force, method=args.method)
    if cluster:
        cluster.close()
    print(report)
    return 2 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
