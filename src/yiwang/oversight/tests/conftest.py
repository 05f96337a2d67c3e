"""The people, cases, visit and ticket of the evaluation tests serve the oversight's too."""

from yiwang.evaluation.tests.conftest import company, concluded, hall_visit, people, ticket_replied  # noqa: F401
