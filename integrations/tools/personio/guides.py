"""What a Personio admin reads while connecting: the credential help texts and the guide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CLIENT_ID_HELP = _("Shown in Personio under Settings → Integrations → API credentials.")
CLIENT_SECRET_HELP = _("Shown once, when the API credential is created. Lost it? Create a new one.")

GUIDES: dict[str, tuple[str, ...]] = {
    "en": (
        "Sign in to Personio as an administrator and open Settings (bottom left).",
        "Under Integrations, open “API credentials” and create a new credential "
        "(“Create custom integration” or “Generate new credential”); give it a name such as "
        "“Kombo”.",
        "Under access scopes, give “Employees” read access, and “Absences” read access for "
        "absences and time-off balances.",
        "Under “Readable employee attributes”, tick every attribute listed above as required "
        "(and any optional ones you agree to).",
        "Create the credential, then copy the Client ID and the Client secret and paste "
        "them below. The secret is shown only once.",
    ),
    "de": (
        "Melden Sie sich als Administrator bei Personio an und öffnen Sie die "
        "Einstellungen (unten links).",
        "Öffnen Sie unter Integrationen die „API-Zugangsdaten“ und legen Sie neue "
        "Zugangsdaten an; geben Sie ihnen einen Namen wie „Kombo“.",
        "Erteilen Sie bei den Zugriffsbereichen Lesezugriff auf „Mitarbeiter“ und, für "
        "Abwesenheiten und Abwesenheitssalden, auf „Abwesenheiten“.",
        "Wählen Sie unter „Lesbare Mitarbeiterattribute“ alle oben als erforderlich "
        "aufgeführten Attribute aus (und alle optionalen, denen Sie zustimmen).",
        "Erstellen Sie die Zugangsdaten, kopieren Sie die Client-ID und das Client-Secret "
        "und fügen Sie beide unten ein. Das Secret wird nur einmal angezeigt.",
    ),
    "fr": (
        "Connectez-vous à Personio en tant qu’administrateur et ouvrez les Paramètres "
        "(en bas à gauche).",
        "Dans Intégrations, ouvrez « Identifiants API » et créez un nouvel identifiant ; "
        "donnez-lui un nom comme « Kombo ».",
        "Dans les périmètres d’accès, accordez l’accès en lecture aux « Employés » et, "
        "pour les absences et les soldes de congés, aux « Absences ».",
        "Sous « Attributs d’employé lisibles », cochez tous les attributs indiqués ci-dessus "
        "comme requis (et les facultatifs que vous acceptez).",
        "Créez l’identifiant, puis copiez le Client ID et le Client secret et collez-les "
        "ci-dessous. Le secret n’est affiché qu’une seule fois.",
    ),
    "it": (
        "Accedi a Personio come amministratore e apri le Impostazioni (in basso a sinistra).",
        "In Integrazioni, apri «Credenziali API» e crea una nuova credenziale; assegnale un "
        "nome come «Kombo».",
        "Negli ambiti di accesso, concedi l’accesso in lettura ai «Dipendenti» e, per le "
        "assenze e i saldi delle ferie, alle «Assenze».",
        "In «Attributi dei dipendenti leggibili», seleziona tutti gli attributi indicati "
        "sopra come obbligatori (e quelli facoltativi che accetti).",
        "Crea la credenziale, poi copia il Client ID e il Client secret e incollali qui "
        "sotto. Il secret viene mostrato una sola volta.",
    ),
    "es": (
        "Inicia sesión en Personio como administrador y abre la Configuración "
        "(abajo a la izquierda).",
        "En Integraciones, abre «Credenciales de API» y crea una credencial nueva; ponle un "
        "nombre como «Kombo».",
        "En los ámbitos de acceso, concede acceso de lectura a «Empleados» y, para las "
        "ausencias y los saldos de vacaciones, a «Ausencias».",
        "En «Atributos de empleado legibles», marca todos los atributos indicados arriba "
        "como obligatorios (y los opcionales que aceptes).",
        "Crea la credencial, copia el Client ID y el Client secret y pégalos abajo. "
        "El secret solo se muestra una vez.",
    ),
}
