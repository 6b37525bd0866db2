"""The metrics service: every topic into system_metrics and Prometheus; stats and alerts."""
