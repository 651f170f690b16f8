"""Agency connectors: the canonical status vocabulary (``vocabulary``) shared by every adapter."""
