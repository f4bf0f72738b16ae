"""Reads a TensorBoard log folder with TensorBoard's own reader and prints
what it found as JSON: for every run (a folder holding event files, named
by its path under the log folder), the format version, the scalars and the
histograms, each a list of events in step order.

    python read_events.py LOGDIR

Needs the `tensorboard` package only (no TensorFlow). Chapter 11's tests
compare this output with what the Rust side wrote.
"""
import json
import os
import sys

from tensorboard.backend.event_processing import event_accumulator as ea

# Keep every event: by default the reader samples histograms down to one.
KEEP_ALL = {
    ea.SCALARS: 0,
    ea.HISTOGRAMS: 0,
    ea.COMPRESSED_HISTOGRAMS: 0,
    ea.TENSORS: 0,
    ea.IMAGES: 0,
    ea.AUDIO: 0,
}


def read_run(folder):
    acc = ea.EventAccumulator(folder, size_guidance=KEEP_ALL)
    acc.Reload()
    tags = acc.Tags()
    scalars = {
        tag: [{"step": e.step, "wall_time": e.wall_time, "value": e.value} for e in acc.Scalars(tag)]
        for tag in tags[ea.SCALARS]
    }
    histograms = {}
    for tag in tags[ea.HISTOGRAMS]:
        histograms[tag] = [
            {
                "step": e.step,
                "min": e.histogram_value.min,
                "max": e.histogram_value.max,
                "num": e.histogram_value.num,
                "sum": e.histogram_value.sum,
                "sum_squares": e.histogram_value.sum_squares,
                "bucket_limit": list(e.histogram_value.bucket_limit),
                "bucket": list(e.histogram_value.bucket),
            }
            for e in acc.Histograms(tag)
        ]
    return {
        "file_version": acc.file_version,
        "scalars": scalars,
        "histograms": histograms,
    }


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python read_events.py LOGDIR")
    logdir = sys.argv[1]
    if not os.path.isdir(logdir):
        sys.exit(f"{logdir} is not a folder")
    runs = {}
    for folder, _, files in sorted(os.walk(logdir)):
        if any("tfevents" in name for name in files):
            run = os.path.relpath(folder, logdir).replace(os.sep, "/")
            runs[run] = read_run(folder)
    json.dump({"runs": runs}, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
