"""The development stack: Postgres, a Kafka-protocol broker, S3 and the four services,
each service a separate process, on one machine (`vidgen dev`, `vidgen demo`, e2e tests).

It lives in shared/ beside shared.testing (whose broker and S3 starters it uses) because
it is tooling around the services, not a service: services/ holds exactly the four that
are deployed. It starts them by module name only and imports none of them.
"""

from shared.devstack.infra import BrokerChoice, Infrastructure
from shared.devstack.processes import ManagedProcess, OutputSink, ProcessDied, ReadyTimeout
from shared.devstack.stack import DevStack, PortInUse, ServicePorts
from shared.devstack.supervisor import CrashLoop, RestartPolicy, Supervisor

__all__ = [
    "BrokerChoice",
    "CrashLoop",
    "DevStack",
    "Infrastructure",
    "ManagedProcess",
    "OutputSink",
    "PortInUse",
    "ProcessDied",
    "ReadyTimeout",
    "RestartPolicy",
    "ServicePorts",
    "Supervisor",
]
