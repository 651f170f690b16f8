"""The HMAC-SHA256 scheme of agency webhooks and connector callbacks: the connector kit's
(``mpp_connector.signing``, specified in ``docs/signatures.md``), so the suite and every
connector sign and verify with one implementation."""
from mpp_connector.signing import (DEFAULT_TOLERANCE_SECONDS, PREFIX, REASONS,  # noqa: F401
                                   SIGNATURE_HEADER, TIMESTAMP_HEADER, check, sign,
                                   signature_headers, verify)
