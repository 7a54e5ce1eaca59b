"""Prints what the access matrix covered, after the test run (one line, also under xdist)."""

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    covered: dict[str, int] = {}
    requests = 0
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for key, value in getattr(report, "user_properties", []):
            if key == "access_matrix" and report.when == "call":
                covered[value["what"]] = covered.get(value["what"], 0) + value["covered"]
                requests += value["requests"]
    if covered:
        parts = ", ".join(f"{count} {what}" for what, count in sorted(covered.items()))
        terminalreporter.write_line(
            f"access matrix: {parts}; {requests} requests as 13 people of two buying "
            "organisations, each compared with the declared rule"
        )
