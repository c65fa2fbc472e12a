"""Mutation testing of the pure rules (`make mutation`; not part of `make test`)."""
