"""The staff role vocabulary: who may do what is decided from these names only."""
OFFICER = "officer"
SUPERVISOR = "supervisor"
ADMIN = "admin"

ROLES = (OFFICER, SUPERVISOR, ADMIN)
STAFF = ROLES
SUPERVISORS = (SUPERVISOR, ADMIN)
ADMINS = (ADMIN,)
#: roles bound to one agency; ``admin`` is MPP-wide
AGENCY_ROLES = (OFFICER, SUPERVISOR)
#: API keys are issued to agencies' systems and never carry the MPP-wide admin role
KEY_ROLES = AGENCY_ROLES
