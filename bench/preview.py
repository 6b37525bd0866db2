#!/usr/bin/env python3
"""Preview benchmark: one frame at scale 0.5 against a full render of the same composition.

    python3 bench/preview.py [--frames N] [--full-runs N] [--synthetic [--only A,B]]
                             [--api URL [--storage URL]]

The compositions are the three first examples (examples/promo.json, the simple one: a clip,
a logo, a title and music, 8 s of 720p; slideshow.json; picture-in-picture.json, a webm),
or with --synthetic the render benchmark's A-C (bench/compositions.py) over media generated
with FFmpeg's lavfi into a temporary folder.

Without --api a frame is timed as a render worker renders a preview, warm, in this
process: parse the job, prepare its plan (the probes answered from what storage sent, as
the worker's are), compile the time slice and run FFmpeg into a JPEG at half size.
With --api URL (a running `vidgen dev`), the media are uploaded to --storage URL first and
each frame is a POST /v1/preview over HTTP: ingest's checks, the source lookup and the
worker's HTTP hop included. Frames are taken at times spread over the composition, p50 and
p99 of all; the full render is the median of --full-runs renders. Goal: p50 <= 300 ms for
the simple composition (promo, or A).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import Composition, make_media  # noqa: E402
from bench.compositions import build_a, build_b, build_c  # noqa: E402

BUILDERS: dict[str, Callable[..., Composition]] = {"A": build_a, "B": build_b, "C": build_c}
EXAMPLES = ROOT / "examples"
THREE = ("promo", "slideshow", "picture-in-picture")
SIMPLE = ("promo", "A")
GOAL_P50 = 0.300  # seconds, for A
SCALE = 0.5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def frame_times(duration: float, count: int) -> list[float]:
    return [round(duration * (index + 0.5) / count, 3) for index in range(count)]


class Warm:
    """The engine in this process, one event loop, probes kept as a worker gets them."""

    def __init__(self, work: Path) -> None:
        from services.render.cli import local_locator
        from shared.media.probe import probe
        from shared.settings import EngineSettings

        self.settings = EngineSettings()
        self.locate = local_locator(work)
        self.loop = asyncio.new_event_loop()
        self._probes: dict[Path, Any] = {}
        self._probe = probe

    def probe(self, path: Path) -> Any:
        if path not in self._probes:
            self._probes[path] = self._probe(path)
        return self._probes[path]

    def frame(self, spec: dict[str, Any], at: float, out: Path) -> float:
        from services.render.engine import prepare, render
        from services.render.preview_plan import preview_of
        from shared.composition import parse_job
        from shared.composition.preview import PreviewParams

        started = time.perf_counter()
        plan = prepare(parse_job(spec), self.locate, settings=self.settings,
                       probe_source=self.probe, raster_dir=out.parent / "rasters")
        time_range, output = preview_of(PreviewParams(time=at, scale=SCALE, format="jpeg"),
                                        plan)
        self.loop.run_until_complete(render(plan, out, time_range=time_range, preview=output,
                                            settings=self.settings))
        return time.perf_counter() - started

    def full(self, spec: dict[str, Any], out: Path) -> float:
        from services.render.engine import prepare, render
        from shared.composition import parse_job

        started = time.perf_counter()
        plan = prepare(parse_job(spec), self.locate, settings=self.settings,
                       probe_source=self.probe, raster_dir=out.parent / "rasters")
        self.loop.run_until_complete(render(plan, out, settings=self.settings))
        return time.perf_counter() - started


class OverHttp:
    """POST /v1/preview on a running platform, the media uploaded to its storage first."""

    def __init__(self, api: str, storage: str, work: Path) -> None:
        import httpx

        self.api = api.rstrip("/")
        self.http = httpx.Client(timeout=120, trust_env=False)
        self.uploaded: dict[str, str] = {}
        self.storage = storage.rstrip("/")
        self.work = work

    def _sources(self, spec: dict[str, Any]) -> dict[str, Any]:
        spec = json.loads(json.dumps(spec))
        for element in spec["elements"]:
            if "font" in element:  # the generated font file is a copy of the bundled one
                element["font"] = "DejaVu Sans"
            for field in ("source",):
                name = element.get(field)
                if isinstance(name, str) and (self.work / name).is_file():
                    if name not in self.uploaded:
                        answer = self.http.post(f"{self.storage}/v1/assets",
                                                content=(self.work / name).read_bytes())
                        answer.raise_for_status()
                        self.uploaded[name] = answer.json()["source"]
                    element[field] = self.uploaded[name]
        return spec

    def frame(self, spec: dict[str, Any], at: float, out: Path) -> float:
        body = self._sources(spec)
        started = time.perf_counter()
        answer = self.http.post(f"{self.api}/v1/preview", json=body,
                                params={"time": at, "scale": SCALE, "format": "jpeg"})
        took = time.perf_counter() - started
        if answer.status_code != 200:
            raise SystemExit(f"preview failed: {answer.status_code} {answer.text[:500]}")
        out.write_bytes(answer.content)
        return took


def _length(spec: dict[str, Any]) -> float:
    """An example's length as the engine resolves it (some take it from their sources)."""
    from services.render.cli import local_locator
    from services.render.engine import prepare
    from shared.composition import parse_job
    from shared.settings import EngineSettings

    plan = prepare(parse_job(spec), local_locator(EXAMPLES), settings=EngineSettings())
    return float(plan.canvas.duration)


def _format(spec: dict[str, Any]) -> str:
    return str(spec.get("output", {}).get("format", "mp4"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=20, help="frames per composition")
    parser.add_argument("--full-runs", type=int, default=3, help="full renders each")
    parser.add_argument("--synthetic", action="store_true",
                        help="the render benchmark's compositions A-C instead of examples/")
    parser.add_argument("--only", default="A,B,C", help="with --synthetic: e.g. A,C")
    parser.add_argument("--api", help="time POST /v1/preview on this running ingest")
    parser.add_argument("--storage", default=None, help="its storage (default: api port+1)")
    args = parser.parse_args()

    from shared.settings import EngineSettings

    keys = [key.strip().upper() for key in args.only.split(",") if key.strip()]
    with tempfile.TemporaryDirectory(prefix="vidgen-bench-preview-") as temp:
        work = Path(temp)
        cases: list[tuple[str, str, float, dict[str, Any]]] = []
        if args.synthetic:
            print("generating media ...", file=sys.stderr)
            media = make_media(work, EngineSettings().ffmpeg_exe())
            for key in keys:
                comp = BUILDERS[key]()
                cases.append((comp.key, comp.title, comp.duration, comp.spec(media)))
        else:
            work = EXAMPLES
            for name in THREE:
                spec = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
                cases.append((name, f"examples/{name}.json", _length(spec), spec))
        out = Path(temp)
        warm = Warm(work)
        storage = args.storage
        if args.api and storage is None:
            base, port = args.api.rstrip("/").rsplit(":", 1)
            storage = f"{base}:{int(port) + 1}"
        framer = OverHttp(args.api, storage, work) if args.api else warm
        rows = []
        for key, title, duration, spec in cases:
            framer.frame(spec, 0.5, out / f"{key}-prime.jpg")  # first start, uploads
            took = [framer.frame(spec, at, out / f"{key}-{index}.jpg")
                    for index, at in enumerate(frame_times(duration, args.frames))]
            full = [warm.full(spec, out / f"{key}-full-{run}.{_format(spec)}")
                    for run in range(args.full_runs)]
            rows.append((key, title, statistics.median(took), percentile(took, 0.99),
                         statistics.median(full)))
    where = f"POST /v1/preview on {args.api}" if args.api else "warm engine, in process"
    print(f"\nframe previews at scale {SCALE} ({where}), {args.frames} frames each; "
          f"full render: median of {args.full_runs}")
    print(f"{'case':19} {'composition':36} {'p50':>8} {'p99':>8} {'full render':>12} "
          f"{'full/p50':>9}")
    for key, title, p50, p99, full in rows:
        print(f"{key:19} {title[:36]:36} {p50 * 1000:6.0f}ms {p99 * 1000:6.0f}ms "
              f"{full:10.2f} s {full / p50:8.0f}x")
    simple = next((row for row in rows if row[0] in SIMPLE), None)
    if simple is not None:
        met = "met" if simple[2] <= GOAL_P50 else "not met"
        print(f"\ngoal: p50 <= {GOAL_P50 * 1000:.0f} ms for the simple composition "
              f"({simple[0]}): {simple[2] * 1000:.0f} ms, {met}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
