"""Tests of the projection engine (``policybrief.model``)."""
