"""The roles of the product and the named groups of them used in permission checks."""

ADMIN = "admin"
SPECIALIST = "specialist"
FRONTOFFICE = "frontoffice"
PARTNER = "partner"  # a scan invitation, never a user account

USER_ROLES = (ADMIN, SPECIALIST, FRONTOFFICE)
ROLE_LABELS = {
    ADMIN: "Beheerder",
    SPECIALIST: "Specialist",
    FRONTOFFICE: "Frontoffice",
    PARTNER: "Partner",
}
ROLE_CHOICES = [(r, ROLE_LABELS[r]) for r in USER_ROLES]

STAFF = frozenset({ADMIN, SPECIALIST})
ALL_STAFF = frozenset({ADMIN, SPECIALIST, FRONTOFFICE})
ADMINS = frozenset({ADMIN})
