"""The ways messages reach the helpdesk from outside. Each channel reads its own format and hands an
``IncomingMessage`` to ``tickets.intake``; none of them decides what becomes of it."""
