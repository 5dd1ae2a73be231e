#!/usr/bin/python3
"""FAISS IVF-Flat on the vectors the scale harness exported, with the harness's own lists.

Run with Debian's Python 3 (package python3-faiss): /usr/bin/python3 faiss_ivf.py FOLDER --nprobe 1,2,...
FOLDER holds base.f32 + base.i64 (vectors and chunk ids), centroids.f32, queries.f32 and truth.i64 (the exact
top 10 per query, by our exact scan). The quantizer gets our k-means centroids, so both sides probe the same
lists and the comparison is the search alone. Search runs on one thread, one query at a time (as a node
answers a request). Prints one JSON object on stdout.
"""
import argparse
import json
import time

import faiss
import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--nprobe", required=True, help="comma-separated probe counts")
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    d = args.dimension

    def floats(name):
        return np.fromfile(f"{args.folder}/{name}", dtype=np.float32).reshape(-1, d)

    base, ids = floats("base.f32"), np.fromfile(f"{args.folder}/base.i64", dtype=np.int64)
    centroids, queries = floats("centroids.f32"), floats("queries.f32")
    truth = np.fromfile(f"{args.folder}/truth.i64", dtype=np.int64).reshape(len(queries), args.k)

    quantizer = faiss.IndexFlatIP(d)
    quantizer.add(centroids)
    index = faiss.IndexIVFFlat(quantizer, d, len(centroids), faiss.METRIC_INNER_PRODUCT)
    index.is_trained = True
    started = time.perf_counter()
    index.add_with_ids(base, ids)
    add_seconds = time.perf_counter() - started

    faiss.omp_set_num_threads(1)
    rows = []
    for nprobe in (int(p) for p in args.nprobe.split(",")):
        index.nprobe = nprobe
        index.search(queries[:5], args.k)  # warm-up
        found, started = 0, time.perf_counter()
        for q in range(len(queries)):
            _, hits = index.search(queries[q:q + 1], args.k)
            found += len(np.intersect1d(hits[0], truth[q]))
        elapsed = time.perf_counter() - started
        rows.append({"nprobe": nprobe, "recall": found / (len(queries) * args.k), "milliseconds": 1000 * elapsed / len(queries)})

    # Debian's build reports "OPTIMIZE GENERIC" (no AVX2 kernels): worth printing beside its times.
    print(json.dumps({"version": f"{faiss.__version__} ({faiss.get_compile_options().strip()})", "add_seconds": add_seconds, "probes": rows}))


if __name__ == "__main__":
    main()
