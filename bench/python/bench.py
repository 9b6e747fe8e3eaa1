"""Times synthesis of the example app from Python, and of the same app hand-written with L2s.

Run by bench/python-bench.ts in the venv that ./scripts/bindings.sh python builds; prints one JSON
object: the import time, and per app the first synthesis, the median of the later ones, the jsii
round trips per synthesis and the template.

    .bindings/venv/bin/python bench/python/bench.py --iterations 11
"""
import json
import os
import statistics
import sys
import time

started = time.perf_counter()
import aws_cdk as cdk  # noqa: E402  (starts the jsii runtime and loads aws-cdk-lib into it)
from jsii._kernel.providers import process as jsii_process  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "..", "examples", "python")]
from app import build_example_app  # noqa: E402  (examples/python/app.py; loads the library's assembly)
from l2_app import build_l2_app  # noqa: E402

import_ms = (time.perf_counter() - started) * 1000

# Every request from Python to the jsii runtime, and every callback answer, is one round trip.
round_trips = 0
_send = jsii_process._NodeProcess.send


def counting_send(self, *args, **kwargs):
    global round_trips
    round_trips += 1
    return _send(self, *args, **kwargs)


jsii_process._NodeProcess.send = counting_send

APPS = {"library": build_example_app, "l2": build_l2_app}


def synthesize(build):
    """Builds and synthesizes the app once: milliseconds, round trips, and the stack's template."""
    global round_trips
    round_trips = 0
    start = time.perf_counter()
    app = cdk.App()
    build(app)
    assembly = app.synth()
    ms = (time.perf_counter() - start) * 1000
    trips = round_trips
    template = assembly.get_stack_by_name("SupportAssistant").template
    return ms, trips, template


def main():
    iterations = int(sys.argv[sys.argv.index("--iterations") + 1]) if "--iterations" in sys.argv else 11
    results = {}
    for name, build in APPS.items():
        first_ms, trips, template = synthesize(build)
        results[name] = {"first_ms": first_ms, "round_trips": trips, "template": template, "runs": []}
    # later runs in turn, so both apps see the same machine load
    for _ in range(iterations):
        for name, build in APPS.items():
            results[name]["runs"].append(synthesize(build)[0])
    for r in results.values():
        r["ms"] = statistics.median(r.pop("runs"))
    json.dump({"import_ms": import_ms, "apps": results}, sys.stdout)


main()
