"""What the core package announces in the registry, and its blueprint with all views."""

from flask import url_for

from crm import referrals, roles
from crm.network import registration as network
from crm.registry import ChoiceList, MenuItem, Registry, StartPanel

URL_PREFIX = ""
MODEL_MODULES = (
    "crm.audit", "crm.auth.models", "crm.admin.models", "crm.network.models", "crm.referrals.models",
)


def make_blueprint():
    # Importing the view modules attaches their routes to the one ``crm`` blueprint.
    from crm import views  # noqa: F401
    from crm.admin import views as admin_views  # noqa: F401
    from crm.auth import views as auth_views  # noqa: F401
    from crm.blueprint import bp
    from crm.network import views as network_views  # noqa: F401
    from crm.network import views_moments as network_moments  # noqa: F401
    from crm.network import views_tools as network_tools  # noqa: F401
    from crm.referrals import views as referral_views  # noqa: F401

    return bp


def _admin_panel(_user):
    return {
        "links": [
            (url_for("crm.admin_users"), "Gebruikers en rollen"),
            (url_for("crm.admin_branches"), "Vestigingen"),
            (url_for("crm.admin_lists"), "Keuzelijsten"),
            (url_for("crm.admin_settings"), "Instellingen"),
            (url_for("crm.admin_audit"), "Logboek"),
        ]
    }


PARTNER_KINDS = (
    ("consultatiebureau", "Consultatiebureau / JGZ"),
    ("kinderopvang", "Kinderopvang"),
    ("peuteropvang", "Peuteropvang / VVE"),
    ("basisschool", "Basisschool"),
    ("voortgezet-onderwijs", "Voortgezet onderwijs"),
    ("welzijn", "Welzijn"),
    ("cjg", "CJG"),
    ("verloskundige", "Verloskundige"),
    ("kraamzorg", "Kraamzorg"),
    ("huisarts", "Huisarts"),
    ("voedselbank", "Voedselbank"),
    ("schuldhulp", "Schuldhulp"),
    ("woningcorporatie", "Woningcorporatie"),
    ("levensbeschouwelijk", "Kerk, moskee of levensbeschouwelijk"),
    ("buurthuis", "Buurthuis / speeltuin"),
    ("taalhuis", "Taalhuis"),
    ("roc-nt2", "ROC / NT2-aanbieder"),
    ("gemeente", "Gemeente"),
    ("intern-team", "Intern team"),
)


def register(registry: Registry) -> None:
    registry.add_list(ChoiceList(
        "partner_kinds", "Soorten partners", PARTNER_KINDS,
        "bij partners, de sociale kaart en de aanhaakkalender",
    ))
    registry.add_menu_item(
        MenuItem("crm.home", "Start", roles.ALL_STAFF, order=0, active_prefix="crm.home")
    )
    registry.add_menu_item(
        MenuItem("crm.admin_users", "Beheer", roles.ADMINS, order=90, active_prefix="crm.admin")
    )
    network.register(registry)
    registry.add_panel(
        # first on the admin's start page, above the desk form
        StartPanel("admin", "crm/panels/admin.html", roles.ADMINS, _admin_panel, order=1),
    )
    referrals.register(registry)
