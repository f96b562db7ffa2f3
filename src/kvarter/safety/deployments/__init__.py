"""Deployments (insatser): the operational group's decisions and their outcome."""
