"""What a BambooHR admin reads while connecting: the credential help texts and the guide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COMPANY_DOMAIN_HELP = _(
    "The part before .bamboohr.com in your BambooHR address: for "
    "https://acme.bamboohr.com it is “acme”."
)
COMPANY_DOMAIN_MALFORMED = _(
    "Enter only the part before .bamboohr.com, e.g. “acme” for https://acme.bamboohr.com."
)
API_KEY_HELP = _(
    "Created under your name (top right) → API Keys → Add New Key. The key can read "
    "exactly what its user’s access level can read."
)

GUIDES: dict[str, tuple[str, ...]] = {
    "en": (
        "Sign in to BambooHR as a user whose access level can see every employee field "
        "listed above and may run reports on employees (a full admin always can).",
        "Click your name or photo in the top-right corner and choose “API Keys”. If the "
        "option is missing, that user may not create API keys: ask a BambooHR admin.",
        "Click “Add New Key”, name it (e.g. “HR sync”) and click “Generate Key”.",
        "Copy the key straight away — BambooHR shows it only once — and paste it below.",
        "Enter your company domain: the part before .bamboohr.com in your BambooHR address "
        "(“acme” for https://acme.bamboohr.com).",
        "The key reads exactly what its user may read. If a field is reported as missing, "
        "widen that user's access level in BambooHR (Settings → Access Levels) — no new key "
        "is needed.",
    ),
    "de": (
        "Melden Sie sich bei BambooHR mit einem Benutzer an, dessen Zugriffsebene alle oben "
        "aufgeführten Mitarbeiterfelder sehen und Berichte über Mitarbeiter erstellen darf "
        "(ein Vollzugriffs-Administrator kann das immer).",
        "Klicken Sie oben rechts auf Ihren Namen oder Ihr Foto und wählen Sie „API Keys“. "
        "Fehlt dieser Eintrag, darf der Benutzer keine API-Schlüssel anlegen: Wenden Sie "
        "sich an einen BambooHR-Administrator.",
        "Klicken Sie auf „Add New Key“, geben Sie dem Schlüssel einen Namen (z. B. "
        "„HR-Sync“) und klicken Sie auf „Generate Key“.",
        "Kopieren Sie den Schlüssel sofort – BambooHR zeigt ihn nur einmal an – und fügen "
        "Sie ihn unten ein.",
        "Geben Sie Ihre Firmendomain ein: den Teil vor .bamboohr.com in Ihrer BambooHR-"
        "Adresse („acme“ bei https://acme.bamboohr.com).",
        "Der Schlüssel liest genau das, was sein Benutzer lesen darf. Wird ein Feld als "
        "fehlend gemeldet, erweitern Sie die Zugriffsebene dieses Benutzers in BambooHR "
        "(Settings → Access Levels) – ein neuer Schlüssel ist nicht nötig.",
    ),
    "fr": (
        "Connectez-vous à BambooHR avec un utilisateur dont le niveau d’accès voit tous les "
        "champs salariés listés ci-dessus et peut générer des rapports sur les salariés (un "
        "administrateur à accès complet le peut toujours).",
        "Cliquez sur votre nom ou votre photo en haut à droite et choisissez « API Keys ». "
        "Si l’option n’apparaît pas, cet utilisateur ne peut pas créer de clés API : "
        "adressez-vous à un administrateur BambooHR.",
        "Cliquez sur « Add New Key », nommez la clé (p. ex. « Synchro RH ») puis cliquez "
        "sur « Generate Key ».",
        "Copiez la clé immédiatement — BambooHR ne l’affiche qu’une seule fois — et "
        "collez-la ci-dessous.",
        "Saisissez le domaine de votre entreprise : la partie avant .bamboohr.com dans "
        "votre adresse BambooHR (« acme » pour https://acme.bamboohr.com).",
        "La clé lit exactement ce que son utilisateur a le droit de lire. Si un champ est "
        "signalé comme manquant, élargissez le niveau d’accès de cet utilisateur dans "
        "BambooHR (Settings → Access Levels) ; inutile de créer une nouvelle clé.",
    ),
    "it": (
        "Accedi a BambooHR con un utente il cui livello di accesso vede tutti i campi dei "
        "dipendenti elencati sopra e può creare report sui dipendenti (un amministratore "
        "con accesso completo può sempre farlo).",
        "Fai clic sul tuo nome o sulla tua foto in alto a destra e scegli «API Keys». Se la "
        "voce manca, quell’utente non può creare chiavi API: rivolgiti a un amministratore "
        "di BambooHR.",
        "Fai clic su «Add New Key», dai un nome alla chiave (ad es. «Sync HR») e fai clic "
        "su «Generate Key».",
        "Copia subito la chiave — BambooHR la mostra una sola volta — e incollala qui sotto.",
        "Inserisci il dominio della tua azienda: la parte prima di .bamboohr.com nel tuo "
        "indirizzo BambooHR («acme» per https://acme.bamboohr.com).",
        "La chiave legge esattamente ciò che il suo utente può leggere. Se un campo risulta "
        "mancante, amplia il livello di accesso di quell’utente in BambooHR (Settings → "
        "Access Levels): non serve una nuova chiave.",
    ),
    "es": (
        "Inicia sesión en BambooHR con un usuario cuyo nivel de acceso vea todos los campos "
        "de empleados indicados arriba y pueda crear informes sobre empleados (un "
        "administrador con acceso completo siempre puede).",
        "Haz clic en tu nombre o tu foto en la esquina superior derecha y elige «API Keys». "
        "Si la opción no aparece, ese usuario no puede crear claves API: pídeselo a un "
        "administrador de BambooHR.",
        "Haz clic en «Add New Key», ponle un nombre a la clave (p. ej. «Sincronización RR. "
        "HH.») y haz clic en «Generate Key».",
        "Copia la clave enseguida —BambooHR solo la muestra una vez— y pégala abajo.",
        "Introduce el dominio de tu empresa: la parte anterior a .bamboohr.com en tu "
        "dirección de BambooHR («acme» para https://acme.bamboohr.com).",
        "La clave lee exactamente lo que su usuario puede leer. Si se indica que falta un "
        "campo, amplía el nivel de acceso de ese usuario en BambooHR (Settings → Access "
        "Levels); no hace falta una clave nueva.",
    ),
}
