"""The pipeline benchmark's pure parts: percentiles, the figures and their goals, its job.

Fast: no stack is started (`python3 bench/pipeline.py --jobs 5 --requests 300` is the
end-to-end smoke run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from types import ModuleType

import pytest

from shared.composition import parse_job
from shared.composition.templates import apply_template, check_template


@pytest.fixture(scope="module")
def bench(load_bench: Callable[[str], AbstractContextManager[ModuleType]],
          ) -> Iterator[ModuleType]:
    with load_bench("pipeline.py") as module:
        yield module


def test_percentiles_interpolate_between_ranks(bench: ModuleType) -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert bench.percentile(values, 50) == 3.0
    assert bench.percentile(values, 0) == 1.0 and bench.percentile(values, 100) == 5.0
    assert bench.percentile(values, 25) == 2.0
    assert bench.percentile([1.0, 2.0], 99) == pytest.approx(1.99)
    assert bench.percentile(list(map(float, range(1, 101))), 99) == pytest.approx(99.01)
    assert bench.percentile([7.0], 99) == 7.0


@pytest.mark.parametrize(("values", "q"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_what_has_no_answer(bench: ModuleType, values: list[float],
                                               q: float) -> None:
    with pytest.raises(ValueError, match=r"no values|outside"):
        bench.percentile(values, q)


def test_overhead_is_end_to_end_minus_the_engine_of_the_same_job(bench: ModuleType) -> None:
    end_to_end = [0.14, 0.13, 0.25]
    engine = [0.10, 0.10, 0.05]
    figures = {fig.name: fig for fig in bench.overhead_figures(end_to_end, engine)}
    overhead = figures["a) pipeline overhead p50"]
    assert overhead.value == pytest.approx(40.0)  # overheads 40, 30, 200 ms
    assert overhead.met is True
    p99 = figures["a) pipeline overhead p99"]
    assert p99.value == pytest.approx(196.8) and p99.met is False  # goal: ≤ 100 ms
    assert figures["a) engine alone p50"].value == pytest.approx(100.0)
    slower = bench.overhead_figures([0.35], [0.10])
    assert [fig.met for fig in slower if fig.met is not None] == [False, False]


def test_throughput_goal_and_latency_figures(bench: ModuleType) -> None:
    figures = bench.acceptance_figures("b) HTTP:", [0.01] * 2500, wall=1.0, p99_goal=100.0)
    rate, p50, p99 = figures
    assert rate.value == pytest.approx(2500.0) and rate.met is True  # goal: ≥ 2,000
    assert rate.name == "b) HTTP: accepted per second"
    assert p50.value == pytest.approx(10.0) and p99.value == pytest.approx(10.0)
    assert p99.met is True and p99.goal == "≤ 100 ms"
    assert bench.acceptance_figures("b)", [0.2] * 2500, wall=1.0, p99_goal=100.0)[2].met is False
    kafka = bench.acceptance_figures("c)", [0.01] * 4000, wall=1.0, goal=bench.INTAKE_GOAL)
    assert kafka[0].met is False and kafka[0].goal == "≥ 5,000"
    assert kafka[2].met is None  # no latency goal for the topic


def test_the_table_shows_every_figure_with_its_verdict(bench: ModuleType) -> None:
    table = bench.figures_table(bench.overhead_figures([0.5], [0.1])
                                + bench.acceptance_figures("b) x:", [0.002] * 10, wall=0.01))
    lines = table.splitlines()
    assert lines[0] == "| figure | value | goal | met |"
    assert len(lines) == 2 + 7
    assert "| a) pipeline overhead p50 | 400 ms | ≤ 50 ms | NO |" in lines
    assert "| a) pipeline overhead p99 | 400 ms | ≤ 100 ms | NO |" in lines
    assert "| b) x: accepted per second | 1,000 jobs/s | ≥ 2,000 | NO |" in lines
    assert "| b) x: acceptance latency p99 | 2.0 ms |  |  |" in lines


@pytest.mark.parametrize("response", ["immediate", "async"])
def test_the_tiny_job_is_valid_and_needs_no_sources(bench: ModuleType, response: str) -> None:
    job = parse_job(bench.tiny_spec(response, "x"))
    assert job.response == response
    assert all(element.type == "text" for element in job.elements)
    assert (job.output.width, job.output.height, job.output.duration) == (160, 90, 0.5)


def test_a_template_job_makes_the_full_specs_job(bench: ModuleType) -> None:
    """(d) measures the same job as (c), only sent as a template and its merge data."""
    document = check_template(bench.tiny_template())
    request = bench.template_job("3f1c2b9e-0a4d-4e5f-8a6b-7c8d9e0f1a2b", 7)
    assert apply_template(document, request) == parse_job(bench.tiny_spec("async", "job 7"))


def test_template_jobs_are_measured_against_full_specs(bench: ModuleType) -> None:
    rate, p50, _ = bench.template_figures("d)", [0.01] * 900, wall=1.0, full_specs=1000.0)
    assert rate.name == "d) accepted per second" and rate.value == pytest.approx(900.0)
    assert rate.goal == "≥ c) (1,000)" and rate.met is False
    assert p50.value == pytest.approx(10.0)
    assert bench.template_figures("d)", [0.01] * 1000, 1.0, full_specs=1000.0)[0].met is True


def test_full_specs_and_templates_take_turns_going_first(bench: ModuleType) -> None:
    assert bench.intake_order(1) == ["c", "d"]
    assert bench.intake_order(3) == ["c", "d", "d", "c", "c", "d"]


def test_cpu_per_job_of_templates_is_held_to_the_full_specs(bench: ModuleType) -> None:
    full = bench.cpu_figure("c)", 1.0, 2000)
    assert full.value == pytest.approx(500.0) and full.met is None
    template = bench.cpu_figure("d)", 1.2, 2000, full_specs=0.0005)
    assert template.value == pytest.approx(600.0) and template.met is False
    assert template.goal == "≤ c) (500 µs)"
    assert bench.cpu_figure("d)", 0.9, 2000, full_specs=0.0005).met is True
